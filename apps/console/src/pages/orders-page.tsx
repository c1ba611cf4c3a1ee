import { useState } from 'react';

import type { MappingOrderView, TimelineEntry } from '@smartship/contracts';

import { query } from '../api';
import { useConsole } from '../context';
import { revisionLabel } from '../fulfillment-details';
import { isMessageKey } from '../i18n/messages';
import { formatTime } from '../status';
import { ErrorBox, Loading, useLoad } from '../ui';

interface OrderTimelineView {
  orderNumber: string;
  shopId: string | null;
  entries: TimelineEntry[];
  stoppedAt: TimelineEntry | null;
  unavailable: string[];
}

const STATES = ['needs_mapping', 'mapped'] as const;

/** The order's revision when Rakuten changed it (2, 3, …); nothing for a first pull. */
export function Revision({ order }: { order: Pick<MappingOrderView, 'revision'> }) {
  const { lang } = useConsole();
  const label = revisionLabel(lang, order.revision);
  if (!label) return null;
  return (
    <>
      {' '}
      <span className="badge info" data-revision={order.revision}>
        {label}
      </span>
    </>
  );
}

function Timeline({ orderNumber }: { orderNumber: string }) {
  const { api, lang, t } = useConsole();
  const { data, error, loading, reload } = useLoad(
    () => api.get<OrderTimelineView>(`/orders/${encodeURIComponent(orderNumber)}`),
    [orderNumber],
  );
  const stepName = (step: string) => {
    const key = `step.${step}`;
    return isMessageKey(key) ? t(key) : step;
  };
  return (
    <section className="card" aria-labelledby="timeline-title">
      <div className="page-head">
        <h2 id="timeline-title">{t('orders.timeline', { number: orderNumber })}</h2>
        <button type="button" onClick={reload}>
          {t('common.refresh')}
        </button>
      </div>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data?.stoppedAt && (
        <p className="hint bad">{t('orders.stoppedAt', { step: stepName(data.stoppedAt.step) })}</p>
      )}
      {data && data.unavailable.length > 0 && (
        <p className="hint">{t('orders.unavailable', { list: data.unavailable.join(', ') })}</p>
      )}
      {data && (
        <ol className="timeline">
          {data.entries.map((entry, index) => (
            <li key={index} className={entry.ok ? 'ok' : 'bad'} data-step={entry.step}>
              <time dateTime={entry.at}>{formatTime(lang, entry.at)}</time>
              <strong>{stepName(entry.step)}</strong>
              <span className="muted small">{entry.detail}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Orders by mapping state, and one order's timeline (pulled → … → reported to Rakuten). */
export function OrdersPage({ orderNumber }: { orderNumber: string | null }) {
  const { api, lang, t, navigate } = useConsole();
  const [state, setState] = useState<(typeof STATES)[number]>('needs_mapping');
  const [lookup, setLookup] = useState(orderNumber ?? '');
  const { data, error, loading } = useLoad(
    () =>
      api.get<{ items: MappingOrderView[]; total: number }>(
        `/orders${query({ status: state, limit: 100 })}`,
      ),
    [state],
  );
  const open = (number: string) => navigate(`/orders/${encodeURIComponent(number)}`);

  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">{t('orders.title')}</h1>
      <form
        role="search"
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (lookup.trim()) open(lookup.trim());
        }}
      >
        <label htmlFor="order-lookup">{t('orders.lookup')}</label>
        <input
          id="order-lookup"
          value={lookup}
          spellCheck={false}
          placeholder="123456-20261129-0000000001"
          onChange={(event) => setLookup(event.target.value)}
        />
        <button type="submit">{t('orders.show')}</button>
      </form>
      {orderNumber && <Timeline key={orderNumber} orderNumber={orderNumber} />}
      <div className="tabs" role="group" aria-label={t('orders.state')}>
        {STATES.map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={state === value}
            className={state === value ? 'selected' : ''}
            onClick={() => setState(value)}
          >
            {t(`orders.state.${value}`)}
            {state === value && data ? ` (${data.total})` : ''}
          </button>
        ))}
      </div>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <p className="empty">{t('common.empty')}</p>}
      {data && data.items.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('orders.col.number')}</th>
              <th scope="col">{t('orders.col.orderedAt')}</th>
              <th scope="col">{t('orders.col.since')}</th>
              <th scope="col">{t('orders.col.lines')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((order) => (
              <tr key={`${order.shopId}:${order.orderNumber}`}>
                <td>
                  <a
                    href={`/orders/${encodeURIComponent(order.orderNumber)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      open(order.orderNumber);
                    }}
                  >
                    {order.orderNumber}
                  </a>
                  <Revision order={order} />
                </td>
                <td>{formatTime(lang, order.orderedAt)}</td>
                <td>{formatTime(lang, order.since)}</td>
                <td className="small">
                  {order.mappedLines.map((line) => (
                    <div key={line.itemDetailId}>
                      {line.itemName} →{' '}
                      {line.skus.map((sku) => `${sku.skuCode}×${sku.quantity}`).join(', ')}
                    </div>
                  ))}
                  {order.unmappedLines.map((line) => (
                    <div key={line.itemDetailId} className="bad">
                      {line.itemName} — {t(`mapping.reason.${line.reason}`)}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
