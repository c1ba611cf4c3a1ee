import { useState } from 'react';

import type { LastStockDriftView } from '@smartship/contracts';

import { useConsole } from '../context';
import { driftRepaired, driftSummary, formatCount, rakutenQuantityText } from '../listings';
import { formatTime } from '../status';
import { ErrorBox, Loading, Notice, useAction, useLoad } from '../ui';
import { ShopSelect, useShops } from './shop-picker';

/**
 * One shop's stock drift: the last read-back of Rakuten's stock (when, how many compared and
 * differed), each listing that differed with Rakuten's quantity, ours and whether the repair
 * push went through, and [지금 대조하기] for those who may spend Rakuten calls (shops.keys).
 */
export function DriftPanel({ shopId }: { shopId: string }) {
  const { api, lang, t, can } = useConsole();
  const path = `/shops/${encodeURIComponent(shopId)}`;
  const last = useLoad(() => api.get<LastStockDriftView>(`${path}/stock-drift`), [shopId]);
  const action = useAction();
  const [checked, setChecked] = useState<LastStockDriftView | null>(null);
  const [notice, setNotice] = useState('');
  const view = checked ?? last.data;
  const summary = driftSummary(lang, view?.check ?? null);

  return (
    <section className="card" aria-labelledby={`drift-${shopId}`} data-testid="stock-drift">
      <div className="page-head">
        <h2 id={`drift-${shopId}`}>{t('drift.title')}</h2>
        {can('shops.keys') && (
          <button
            type="button"
            className="primary"
            disabled={action.busy}
            onClick={() => {
              setNotice('');
              void action
                .run(() => api.json<LastStockDriftView>('POST', `${path}/stock-drift-check`))
                .then((answer) => {
                  if (answer) {
                    setChecked(answer);
                    setNotice(t('drift.done'));
                  }
                });
            }}
          >
            {action.busy ? t('drift.checking') : t('drift.check')}
          </button>
        )}
      </div>
      <p className="help">{t('drift.help')}</p>
      <ErrorBox error={action.error ?? last.error} />
      {notice && !action.error && <Notice>{notice}</Notice>}
      {last.loading && !view && <Loading />}
      {view && !view.check && <p className="empty">{t('drift.never')}</p>}
      {view?.check && (
        <>
          <p data-testid="drift-last">
            {t('drift.last', {
              at: formatTime(lang, view.check.finishedAt ?? view.check.startedAt),
              trigger: t(`drift.trigger.${view.check.trigger}`),
            })}{' '}
            {summary && (
              <span className={`badge ${summary.tone}`} data-testid="drift-summary">
                {summary.text}
              </span>
            )}
          </p>
          {view.check.error && (
            <p className="hint bad">
              <code>{view.check.error.code}</code> {view.check.error.message}
            </p>
          )}
          {view.drifts.length > 0 && (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('lst.col.manageNumber')}</th>
                  <th scope="col">{t('lst.col.variant')}</th>
                  <th scope="col" className="num">
                    {t('drift.col.rakuten')}
                  </th>
                  <th scope="col" className="num">
                    {t('drift.col.ours')}
                  </th>
                  <th scope="col">{t('drift.col.foundAt')}</th>
                  <th scope="col">{t('drift.col.repaired')}</th>
                </tr>
              </thead>
              <tbody>
                {view.drifts.map((drift) => (
                  <tr
                    key={`${drift.manageNumber}\u0000${drift.variantId}`}
                    data-listing={`${drift.manageNumber}/${drift.variantId}`}
                  >
                    <td>
                      <code>{drift.manageNumber}</code>
                    </td>
                    <td>
                      <code>{drift.variantId}</code>
                    </td>
                    <td className="num">{rakutenQuantityText(lang, drift.rakutenQuantity)}</td>
                    <td className="num">{formatCount(lang, drift.ourQuantity)}</td>
                    <td className="small">{formatTime(lang, drift.foundAt)}</td>
                    <td>
                      {driftRepaired(drift) ? (
                        <span className="badge ok">
                          {t('drift.repaired', { at: formatTime(lang, drift.repairedAt) })}
                        </span>
                      ) : (
                        <span className="badge warn">{t('drift.pending')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/**
 * The drift of one shop at a time, with a shop picker: on the stock page, where the stock_drift
 * alert sends the seller.
 */
export function ShopDrift() {
  const { t } = useConsole();
  const shops = useShops();
  const [chosen, setChosen] = useState('');
  const shopId = chosen || shops.items[0]?.id || '';
  if (shops.error) return <ErrorBox error={shops.error} />;
  if (!shops.data) return null;
  if (shops.items.length === 0) return <p className="muted">{t('lst.noShops')}</p>;
  return (
    <div className="drift">
      <div className="row">
        <ShopSelect id="drift-shop" shops={shops.items} value={shopId} onChange={setChosen} />
      </div>
      <DriftPanel key={shopId} shopId={shopId} />
    </div>
  );
}
