import { useCallback, useEffect, useRef, useState } from 'react';

import type {
  LinkListingsResultView,
  ListingView,
  ListingsImportView,
  ListingsPageView,
} from '@smartship/contracts';

import { query } from '../api';
import { useConsole } from '../context';
import type { ApiErrorBody } from '../i18n/errors';
import {
  LISTING_STATE_CHOICES,
  formatCount,
  importActive,
  importProgress,
  linkInput,
  listingSkus,
  listingStateBadge,
  variantLabel,
} from '../listings';
import { formatTime } from '../status';
import { ConfirmDelete, ErrorBox, Loading, Notice, errorBody, useAction, useLoad } from '../ui';
import { ShopSelect, useShops } from './shop-picker';

/** Listings per page. */
const PAGE_SIZE = 50;
/** How often a queued or running import is asked how it stands, ms. */
const IMPORT_POLL_MS = 2_000;

/** Where the shop's import stands, [지금 가져오기] (shops.keys: it spends Rakuten calls). */
function ImportStatus({ shopId, onFinished }: { shopId: string; onFinished: () => void }) {
  const { api, lang, t, can } = useConsole();
  const path = `/shops/${encodeURIComponent(shopId)}/listings/import`;
  const status = useLoad(() => api.get<ListingsImportView>(path), [shopId]);
  const action = useAction();
  // The newest answer: GET's, or the start's until GET answers again.
  const [view, setView] = useState<ListingsImportView | null>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (status.data) setView(status.data);
  }, [status.data]);
  const active = importActive(view);
  const wasActive = useRef(false);
  const { reload } = status;

  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(reload, IMPORT_POLL_MS);
    return () => clearTimeout(timer);
  }, [active, view, reload]);

  // An import that just ended brought new listings: show them.
  useEffect(() => {
    if (wasActive.current && !active) onFinished();
    wasActive.current = active;
  }, [active, onFinished]);

  const progress = view ? importProgress(lang, view) : null;
  return (
    <section className="card" aria-labelledby="lst-import-title" data-testid="listings-import">
      <div className="page-head">
        <h2 id="lst-import-title">{t('lst.import.title')}</h2>
        {can('shops.keys') && (
          <button
            type="button"
            className="primary"
            disabled={action.busy || active}
            onClick={() => {
              setNotice('');
              void action
                .run(() => api.json<ListingsImportView>('POST', path))
                .then((answer) => {
                  if (answer) {
                    setView(answer);
                    setNotice(t('lst.import.started'));
                    reload();
                  }
                });
            }}
          >
            {t('lst.import.start')}
          </button>
        )}
      </div>
      <p className="help">{t('lst.import.help')}</p>
      <ErrorBox error={action.error ?? status.error} />
      {notice && !action.error && <Notice>{notice}</Notice>}
      {!view && status.loading && <Loading />}
      {view && progress && (
        <div role="status" data-state={view.state} data-testid="import-state">
          <p>
            <strong>{progress.text}</strong>
          </p>
          {active && progress.percent !== null && (
            <progress max={100} value={progress.percent} aria-label={progress.text} />
          )}
          {view.error && (
            <p className="hint bad">
              <code>{view.error.code}</code> {view.error.message}
            </p>
          )}
          {view.startedAt && (
            <p className="small muted">
              {t('lst.import.times', {
                started: formatTime(lang, view.startedAt),
                finished: formatTime(lang, view.finishedAt),
              })}
              {view.nextRunAt &&
                ` · ${t('lst.import.next', { at: formatTime(lang, view.nextRunAt) })}`}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** One listing: what Rakuten has, its state, the SKUs; accept the suggestion or link to a code. */
function ListingRow({
  listing,
  onLinked,
}: {
  listing: ListingView;
  onLinked: (answer: LinkListingsResultView, listing: ListingView) => void;
}) {
  const { api, lang, t, can } = useConsole();
  const [linking, setLinking] = useState(false);
  const [skuCode, setSkuCode] = useState('');
  const action = useAction();
  const badge = listingStateBadge(lang, listing.state);
  const skus = listingSkus(listing);
  const name = `${listing.manageNumber} / ${variantLabel(listing)}`;
  const inputId = `lst-link-${listing.shopId}-${listing.manageNumber}-${listing.variantKey}`;

  const link = (code?: string) =>
    void action
      .run(() =>
        api.json<LinkListingsResultView>('POST', '/listings/links', {
          links: [linkInput(listing, code)],
        }),
      )
      .then((answer) => {
        if (answer) {
          setLinking(false);
          setSkuCode('');
          onLinked(answer, listing);
        }
      });

  return (
    <tr data-listing={`${listing.manageNumber}/${listing.variantKey}`} data-state={listing.state}>
      <td>
        <code>{listing.manageNumber}</code>
      </td>
      <td>
        <code>{listing.itemNumber || '—'}</code>
      </td>
      <td>{listing.title}</td>
      <td className="small">
        <code>{variantLabel(listing)}</code>
        {listing.selectorText && <div className="muted">{listing.selectorText}</div>}
      </td>
      <td>{listing.merchantDefinedSkuId ? <code>{listing.merchantDefinedSkuId}</code> : '—'}</td>
      <td>
        <span className={`badge ${badge.tone}`}>{badge.text}</span>
      </td>
      <td>
        {skus.kind === 'linked' && <code data-testid="linked-skus">{skus.text}</code>}
        {skus.kind === 'suggested' && (
          <span className="muted" data-testid="suggested-skus">
            {t('lst.suggestedSku', { skus: skus.text })}
          </span>
        )}
        {skus.kind === 'none' && '—'}
      </td>
      <td>
        {can('catalog.write') && (
          <div className="row">
            {listing.state === 'suggested' && skus.kind === 'suggested' && (
              <button type="button" disabled={action.busy} onClick={() => link()}>
                {t('lst.accept')}
                <span className="sr-only"> {name}</span>
              </button>
            )}
            <button
              type="button"
              className="link"
              aria-expanded={linking}
              onClick={() => setLinking(!linking)}
            >
              {t('lst.linkTo')}
              <span className="sr-only"> {name}</span>
            </button>
          </div>
        )}
        {linking && (
          <form
            className="row"
            onSubmit={(event) => {
              event.preventDefault();
              link(skuCode);
            }}
          >
            <label htmlFor={inputId} className="sr-only">
              {t('lst.linkFor', { listing: name })}
            </label>
            <input
              id={inputId}
              className="narrow-input"
              spellCheck={false}
              autoComplete="off"
              placeholder={t('lst.skuCode')}
              value={skuCode}
              onChange={(event) => setSkuCode(event.target.value)}
            />
            <button type="submit" disabled={action.busy}>
              {t('lst.link')}
            </button>
          </form>
        )}
        <ErrorBox error={action.error} />
        {listing.lastQuantity !== null && (
          <div className="small muted">
            {t('lst.lastQuantity', { n: formatCount(lang, listing.lastQuantity) })}
          </div>
        )}
      </td>
    </tr>
  );
}

/** The listings of one shop: filters, cursor paging, links; `shopId` is set. */
function ShopListings({ shopId }: { shopId: string }) {
  const { api, lang, t, can, signOut } = useConsole();
  const [state, setState] = useState('');
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const [items, setItems] = useState<ListingView[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [notice, setNotice] = useState('');
  const acceptAll = useAction();
  // Bumped after an accepted [제안 모두 연결], so its question closes.
  const [acceptRound, setAcceptRound] = useState(0);

  const fetchPage = useCallback(
    (cursor: string | null) =>
      api.get<ListingsPageView>(
        `/listings${query({ shopId, state, search: applied, cursor, limit: PAGE_SIZE })}`,
      ),
    [api, shopId, state, applied],
  );

  const fail = useCallback(
    (failure: unknown) => {
      const body = errorBody(failure);
      if (body.statusCode === 401) signOut();
      setError(body);
    },
    [signOut],
  );

  const loadFirst = useCallback(() => {
    fetchPage(null).then((page) => {
      setItems(page.items);
      setNextCursor(page.nextCursor);
      setError(null);
    }, fail);
  }, [fetchPage, fail]);

  useEffect(loadFirst, [loadFirst]);

  const loadMore = () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    fetchPage(nextCursor)
      .then((page) => {
        setItems((current) => [...(current ?? []), ...page.items]);
        setNextCursor(page.nextCursor);
      }, fail)
      .finally(() => setLoadingMore(false));
  };

  // A linked row is read again in place (the SKUs the server stored), so the paging stays.
  const refreshRow = (listing: ListingView) => {
    api
      .get<ListingsPageView>(
        `/listings${query({ shopId, search: listing.manageNumber, limit: 200 })}`,
      )
      .then((page) => {
        const fresh = new Map(page.items.map((item) => [item.variantKey, item]));
        setItems((current) =>
          (current ?? []).map((item) =>
            item.manageNumber === listing.manageNumber && fresh.has(item.variantKey)
              ? (fresh.get(item.variantKey) ?? item)
              : item,
          ),
        );
      }, fail);
  };

  const linked = (answer: LinkListingsResultView) =>
    setNotice(
      t('lst.linked', {
        linked: formatCount(lang, answer.linked),
        pushed: formatCount(lang, answer.stockPushed),
      }),
    );

  return (
    <>
      <ImportStatus shopId={shopId} onFinished={loadFirst} />
      <form
        className="row toolbar"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setItems(null);
          setApplied(search.trim());
        }}
      >
        <label htmlFor="lst-state">{t('lst.filter.state')}</label>
        <select
          id="lst-state"
          value={state}
          onChange={(event) => {
            setItems(null);
            setState(event.target.value);
          }}
        >
          <option value="">{t('lst.filter.all')}</option>
          {LISTING_STATE_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {t(`lst.state.${choice}`)}
            </option>
          ))}
        </select>
        <label htmlFor="lst-search" className="sr-only">
          {t('lst.search')}
        </label>
        <input
          id="lst-search"
          type="search"
          placeholder={t('lst.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <button type="submit">{t('common.search')}</button>
        <button type="button" onClick={loadFirst}>
          {t('common.refresh')}
        </button>
        {can('catalog.write') && (
          <ConfirmDelete
            key={acceptRound}
            busy={acceptAll.busy}
            label={t('lst.acceptAll')}
            question={t('lst.acceptAll.confirm')}
            onConfirm={() => {
              setNotice('');
              void acceptAll
                .run(() =>
                  api.json<LinkListingsResultView>('POST', '/listings/links', {
                    acceptAllSuggested: shopId,
                  }),
                )
                .then((answer) => {
                  if (answer) {
                    setAcceptRound((round) => round + 1);
                    linked(answer);
                    loadFirst();
                  }
                });
            }}
          />
        )}
      </form>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error ?? acceptAll.error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p className="empty">{t('lst.empty')}</p>}
      {items && items.length > 0 && (
        <table className="data" data-testid="listings">
          <thead>
            <tr>
              <th scope="col">{t('lst.col.manageNumber')}</th>
              <th scope="col">{t('lst.col.itemNumber')}</th>
              <th scope="col">{t('lst.col.title')}</th>
              <th scope="col">{t('lst.col.variant')}</th>
              <th scope="col">{t('lst.col.sellerCode')}</th>
              <th scope="col">{t('lst.col.state')}</th>
              <th scope="col">{t('lst.col.sku')}</th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((listing) => (
              <ListingRow
                key={`${listing.manageNumber}\u0000${listing.variantKey}`}
                listing={listing}
                onLinked={(answer, row) => {
                  linked(answer);
                  refreshRow(row);
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && (
        <button type="button" disabled={loadingMore} onClick={loadMore}>
          {loadingMore ? t('common.loading') : t('lst.more')}
        </button>
      )}
    </>
  );
}

/**
 * 상품 목록: the shop's listings read from Rakuten RMS (import progress, [지금 가져오기]), each with
 * its link state and SKUs; accept suggestions one by one or all at once, or link to a SKU code.
 */
export function ListingsPage() {
  const { t } = useConsole();
  const shops = useShops();
  const [chosen, setChosen] = useState('');
  const shopId = chosen || shops.items[0]?.id || '';
  return (
    <section aria-labelledby="lst-title">
      <h1 id="lst-title">{t('lst.title')}</h1>
      <p className="muted">{t('lst.intro')}</p>
      <ErrorBox error={shops.error} />
      {shops.loading && !shops.data && <Loading />}
      {shops.data && shops.items.length === 0 && <p className="empty">{t('lst.noShops')}</p>}
      {shopId && (
        <>
          <div className="row">
            <ShopSelect id="lst-shop" shops={shops.items} value={shopId} onChange={setChosen} />
          </div>
          <ShopListings key={shopId} shopId={shopId} />
        </>
      )}
    </section>
  );
}
