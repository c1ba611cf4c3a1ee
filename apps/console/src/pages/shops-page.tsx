import { useEffect, useState } from 'react';

import type {
  BackfillListView,
  BackfillView,
  ConnectionTestView,
  LastPullView,
  PullResultView,
  ShopView,
  ShopWithTestView,
} from '@smartship/contracts';

import { useConsole } from '../context';
import { isMessageKey } from '../i18n/messages';
import { formatDate, formatTime, shopStatusLabel } from '../status';
import { ErrorBox, Field, Loading, Notice, Switch, useAction, useLoad } from '../ui';

/** The on/off options (pollIntervalMinutes is a number, shown apart). */
type OptionName = 'autoOrderSync' | 'autoOrderConfirm' | 'autoFulfillmentDispatch';
const OPTIONS: OptionName[] = ['autoOrderSync', 'autoOrderConfirm', 'autoFulfillmentDispatch'];
/** Choices of the shop's poll interval, minutes (the API takes any whole number 1–60). */
const POLL_INTERVALS = [1, 5, 10, 15, 30, 60];

/** The JST calendar day `days` from today, `YYYY-MM-DD` (what a backfill's dates mean). */
function jstDay(days: number): string {
  return new Date(Date.now() + 9 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** A backfill or deep sweep in one line: what, how far, what it found, why it stopped. */
function BackfillLine({ backfill }: { backfill: BackfillView }) {
  const { lang, t } = useConsole();
  return (
    <li data-state={backfill.state} data-kind={backfill.kind}>
      <strong>{t(`backfill.kind.${backfill.kind}`)}</strong>{' '}
      <span className={`badge ${backfill.state === 'failed' ? 'bad' : ''}`}>
        {t(`backfill.state.${backfill.state}`)}
      </span>{' '}
      {t('backfill.progress', {
        from: formatDate(lang, backfill.from),
        to: formatDate(lang, backfill.to),
        done: backfill.windows.done,
        total: backfill.windows.total,
        published: backfill.orders.published,
        found: backfill.orders.found,
      })}
      {backfill.state === 'running' && backfill.lastError && (
        <div className="muted">{t('backfill.retrying', { error: backfill.lastError })}</div>
      )}
      {backfill.error && (
        <div className="bad">{t('backfill.failed', { error: backfill.error })}</div>
      )}
      {backfill.finishedAt && (
        <div className="muted">
          {t('backfill.finished', { at: formatTime(lang, backfill.finishedAt) })}
        </div>
      )}
    </li>
  );
}

/** 과거 주문 가져오기: start a backfill over a period and follow it (refreshed while one runs). */
function Backfills({ shop }: { shop: ShopView }) {
  const { api, lang, t, can } = useConsole();
  const { data, reload } = useLoad(
    () => api.get<BackfillListView>(`/shops/${shop.id}/backfills`),
    [shop.id],
  );
  const action = useAction();
  const [from, setFrom] = useState(jstDay(-90));
  const [to, setTo] = useState(jstDay(0));
  const [started, setStarted] = useState(false);
  const running = data?.items.some((item) => item.state === 'running') ?? false;
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(reload, 3_000);
    return () => clearInterval(timer);
  }, [running, reload]);
  return (
    <section className="backfills" aria-labelledby={`backfill-${shop.id}`}>
      <h3 id={`backfill-${shop.id}`}>{t('backfill.title')}</h3>
      <p className="help">{t('backfill.help')}</p>
      {can('shops.keys') && (
        <form
          className="inline-form"
          aria-label={t('backfill.title')}
          onSubmit={(event) => {
            event.preventDefault();
            setStarted(false);
            void action
              .run(() => api.json<BackfillView>('POST', `/shops/${shop.id}/backfill`, { from, to }))
              .then((answer) => {
                if (answer) {
                  setStarted(true);
                  reload();
                }
              });
          }}
        >
          <Field label={t('backfill.from')} required>
            {(props) => (
              <input
                {...props}
                type="date"
                value={from}
                max={to}
                onChange={(event) => setFrom(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('backfill.to')} required>
            {(props) => (
              <input
                {...props}
                type="date"
                value={to}
                max={jstDay(0)}
                onChange={(event) => setTo(event.target.value)}
              />
            )}
          </Field>
          <button
            type="submit"
            className="primary"
            disabled={action.busy || running || !shop.enabled}
          >
            {t('backfill.start')}
          </button>
        </form>
      )}
      <ErrorBox error={action.error} inline={['from', 'to']} />
      {started && !action.error && <Notice>{t('backfill.started')}</Notice>}
      {data && data.items.length > 0 && (
        <ul className="backfill-list" data-testid="backfills">
          {data.items.slice(0, 3).map((item) => (
            <BackfillLine key={item.id} backfill={item} />
          ))}
        </ul>
      )}
      {data?.sweep && (
        <p className="muted">
          {t('backfill.nextSweep', {
            at: formatTime(lang, data.sweep.nextAt),
            days: data.sweep.days,
          })}
        </p>
      )}
    </section>
  );
}

/** A connection test's result in the seller's language (the code decides the sentence). */
export function TestResult({ test }: { test: ConnectionTestView }) {
  const { lang, t } = useConsole();
  const key = `test.${test.code}`;
  return (
    <div
      className={`test-result ${test.code === 'OK' ? 'ok' : 'bad'}`}
      data-code={test.code}
      role="status"
    >
      <strong>{isMessageKey(key) ? t(key) : test.message}</strong>{' '}
      <span className="muted">
        {t('test.at', { at: formatTime(lang, test.testedAt), ms: test.durationMs })}
      </span>
    </div>
  );
}

function LastPull({ shopId }: { shopId: string }) {
  const { api, lang, t } = useConsole();
  const { data, error } = useLoad(
    () => api.get<{ lastPull: LastPullView | null }>(`/shops/${shopId}/last-pull`),
    [shopId],
  );
  if (error) return <span className="muted">{t('shops.pullUnknown')}</span>;
  if (!data) return <span className="muted">…</span>;
  const pull = data.lastPull;
  if (!pull) return <span className="muted">{t('shops.never')}</span>;
  const at = formatTime(lang, pull.finishedAt ?? pull.startedAt);
  if (!pull.finishedAt) return <span>{t('shops.pullRunning', { at })}</span>;
  if (pull.error) {
    return <span className="bad">{t('shops.pullFailed', { at, error: pull.error })}</span>;
  }
  return (
    <span data-testid="last-pull">
      {t('shops.pullSummary', { at, searched: pull.searched, new: pull.new })}
    </span>
  );
}

function RenewForm({ shop, onDone }: { shop: ShopView; onDone: () => void }) {
  const { api, t } = useConsole();
  const [serviceSecret, setServiceSecret] = useState('');
  const [licenseKey, setLicenseKey] = useState('');
  const action = useAction();
  const [result, setResult] = useState<ConnectionTestView | null>(null);
  return (
    <form
      className="inline-form"
      aria-label={t('renew.title', { shop: shop.rakutenShopId })}
      onSubmit={(event) => {
        event.preventDefault();
        void action
          .run(() =>
            api.json<ShopWithTestView>('PUT', `/shops/${shop.id}/credentials`, {
              serviceSecret,
              licenseKey,
            }),
          )
          .then((answer) => {
            if (answer) {
              setResult(answer.connectionTest);
              onDone();
            }
          });
      }}
    >
      <h3>{t('renew.title', { shop: shop.rakutenShopId })}</h3>
      <p className="help">{t('renew.help')}</p>
      <Field label={t('form.serviceSecret')} help={t('form.serviceSecret.help')} required>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="off"
            value={serviceSecret}
            onChange={(event) => setServiceSecret(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('form.licenseKey')} help={t('form.licenseKey.help')} required>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="off"
            value={licenseKey}
            onChange={(event) => setLicenseKey(event.target.value)}
          />
        )}
      </Field>
      <ErrorBox error={action.error} />
      {result && <TestResult test={result} />}
      <button type="submit" className="primary" disabled={action.busy}>
        {t('renew.submit')}
      </button>
    </form>
  );
}

function ShopCard({ shop, reload }: { shop: ShopView; reload: () => void }) {
  const { api, lang, t, navigate, can } = useConsole();
  const status = shopStatusLabel(lang, shop);
  const action = useAction();
  const [test, setTest] = useState<ConnectionTestView | null>(null);
  const [pull, setPull] = useState<PullResultView | null>(null);
  const [renewing, setRenewing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [pullKey, setPullKey] = useState(0);

  const patch = async (body: unknown) => {
    const answer = await action.run(() => api.json<ShopView>('PATCH', `/shops/${shop.id}`, body));
    if (answer) {
      setNotice(t('shops.optionsUpdated'));
      reload();
    }
  };

  const lastTest = test ?? shop.lastConnectionTest;
  return (
    <article
      className="card shop"
      aria-labelledby={`shop-${shop.id}`}
      data-shop={shop.rakutenShopId}
    >
      <header className="shop-head">
        <h2 id={`shop-${shop.id}`}>
          Rakuten · {shop.rakutenShopId}{' '}
          <a href={shop.shopUrl} target="_blank" rel="noreferrer" className="muted small">
            {shop.shopUrl}
          </a>
        </h2>
        <span className={`badge ${status.tone}`} data-status={shop.status}>
          {status.text}
        </span>
      </header>
      {status.hint && <p className="hint">{status.hint}</p>}
      <dl className="facts">
        <div>
          <dt>{t('shops.col.key')}</dt>
          <dd>
            {t('shops.keyLast4', {
              last4: shop.licenseKeyLast4,
              date: formatDate(lang, shop.licenseKeyExpiresAt),
            })}
            {shop.pendingLicenseKeyLast4 && (
              <div className="muted">
                {t('shops.pendingKey', { last4: shop.pendingLicenseKeyLast4 })}
              </div>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('shops.col.lastTest')}</dt>
          <dd>{lastTest ? <TestResult test={lastTest} /> : t('shops.never')}</dd>
        </div>
        <div>
          <dt>{t('shops.col.lastPull')}</dt>
          <dd>
            <LastPull key={pullKey} shopId={shop.id} />
          </dd>
        </div>
      </dl>
      <fieldset className="options">
        <legend>{t('shops.col.options')}</legend>
        {OPTIONS.map((name) => (
          <Switch
            key={name}
            label={t(`form.${name}`)}
            help={t(`form.${name}.help`)}
            checked={shop.options[name]}
            disabled={!can('shops.settings')}
            onChange={(value) => void patch({ options: { [name]: value } })}
          />
        ))}
        <Field label={t('form.pollIntervalMinutes')} help={t('form.pollIntervalMinutes.help')}>
          {(props) => (
            <select
              {...props}
              value={shop.options.pollIntervalMinutes ?? ''}
              disabled={!can('shops.settings')}
              onChange={(event) =>
                void patch({
                  options: {
                    pollIntervalMinutes:
                      event.target.value === '' ? null : Number(event.target.value),
                  },
                })
              }
            >
              <option value="">{t('form.pollInterval.default')}</option>
              {[...new Set([...POLL_INTERVALS, shop.options.pollIntervalMinutes ?? 5])]
                .sort((a, b) => a - b)
                .map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {t('form.pollInterval.minutes', { n: minutes })}
                  </option>
                ))}
            </select>
          )}
        </Field>
      </fieldset>
      <div className="actions">
        {can('shops.keys') && (
          <>
            <button
              type="button"
              className="primary"
              disabled={action.busy}
              onClick={() =>
                void action
                  .run(() =>
                    api.json<ConnectionTestView>('POST', `/shops/${shop.id}/connection-test`),
                  )
                  .then((answer) => {
                    if (answer) {
                      setTest(answer);
                      reload();
                    }
                  })
              }
            >
              {action.busy ? t('shops.testing') : t('shops.test')}
            </button>
            <button
              type="button"
              disabled={action.busy || !shop.enabled}
              onClick={() =>
                void action
                  .run(() => api.json<PullResultView>('POST', `/shops/${shop.id}/pull`))
                  .then((answer) => {
                    if (answer) {
                      setPull(answer);
                      setPullKey((value) => value + 1);
                    }
                  })
              }
            >
              {t('shops.pull')}
            </button>
            <button type="button" aria-expanded={renewing} onClick={() => setRenewing(!renewing)}>
              {t('shops.renew')}
            </button>
          </>
        )}
        <a
          className="button"
          href={`/shops/${encodeURIComponent(shop.id)}/fulfillment-settings`}
          onClick={(event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            navigate(`/shops/${encodeURIComponent(shop.id)}/fulfillment-settings`);
          }}
        >
          {t('shops.fulfillmentSettings')}
        </a>
        <a
          className="button"
          href={`/shops/${encodeURIComponent(shop.id)}/stock-settings`}
          onClick={(event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            navigate(`/shops/${encodeURIComponent(shop.id)}/stock-settings`);
          }}
        >
          {t('shops.stockSettings')}
        </a>
        {can('shops.settings') && (
          <button
            type="button"
            className={shop.enabled ? 'danger' : ''}
            disabled={action.busy}
            onClick={() => void patch({ enabled: !shop.enabled })}
          >
            {shop.enabled ? t('shops.disable') : t('shops.enable')}
          </button>
        )}
      </div>
      <ErrorBox error={action.error} />
      {notice && !action.error && <Notice>{notice}</Notice>}
      {pull && (
        <Notice>
          {t('shops.pullSummary', {
            at: formatTime(lang, pull.finishedAt),
            searched: pull.searched,
            new: pull.new,
          })}
        </Notice>
      )}
      <Backfills shop={shop} />
      {renewing && can('shops.keys') && (
        <RenewForm
          shop={shop}
          onDone={() => {
            reload();
          }}
        />
      )}
    </article>
  );
}

/** 쇼핑몰 API 설정: the connected shops with their status, and [+ New]. */
export function ShopsPage() {
  const { api, t, navigate, can } = useConsole();
  const { data, error, loading, reload } = useLoad(
    () => api.get<{ items: ShopView[] }>('/shops'),
    [],
  );
  const shops = data?.items ?? [];
  return (
    <section aria-labelledby="shops-title">
      <div className="page-head">
        <h1 id="shops-title">{t('shops.title')}</h1>
        {can('shops.keys') && (
          <button type="button" className="primary" onClick={() => navigate('/shops/new')}>
            {t('shops.new')}
          </button>
        )}
      </div>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && shops.length === 0 && <p className="empty">{t('shops.empty')}</p>}
      {shops
        .filter((shop) => shop.status !== 'deleted')
        .map((shop) => (
          <ShopCard key={shop.id} shop={shop} reload={reload} />
        ))}
    </section>
  );
}
