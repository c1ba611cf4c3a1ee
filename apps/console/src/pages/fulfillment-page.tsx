import { useState } from 'react';

import type {
  FulfillmentOrderPageView,
  FulfillmentOrderStatus,
  FulfillmentOrderView,
  ReleaseResultView,
  ShipResultView,
} from '@smartship/contracts';
import { FULFILLMENT_ORDER_STATUSES } from '@smartship/contracts/constants';

import { query } from '../api';
import { CARRIERS } from '../carriers';
import { useConsole } from '../context';
import { revisionLabel } from '../fulfillment-details';
import { formatTime, parseTrackingNumbers, todayInJapan } from '../status';
import { ErrorBox, Field, Loading, Notice, useAction, useLoad } from '../ui';
import { FulfillmentDetail } from './fulfillment-detail';

const STATUSES: readonly FulfillmentOrderStatus[] = FULFILLMENT_ORDER_STATUSES;

function ShipForm({
  order,
  onDone,
}: {
  order: FulfillmentOrderView;
  onDone: (message: string) => void;
}) {
  const { api, t } = useConsole();
  const [carrierCode, setCarrierCode] = useState(order.requestedCarrierCode ?? '1001');
  const [tracking, setTracking] = useState('');
  const [shippingDate, setShippingDate] = useState(todayInJapan());
  const action = useAction();
  return (
    <form
      className="inline-form"
      aria-label={t('fo.shipTitle', { order: order.orderNumber })}
      onSubmit={(event) => {
        event.preventDefault();
        void action
          .run(() =>
            api.json<ShipResultView>('POST', `/fulfillment-orders/${order.id}/ship`, {
              carrierCode,
              trackingNumbers: parseTrackingNumbers(tracking),
              shippingDate,
            }),
          )
          .then((answer) => {
            if (answer) onDone(answer.alreadyShipped ? t('fo.alreadyShipped') : t('fo.shipped'));
          });
      }}
    >
      <h3>{t('fo.shipTitle', { order: order.orderNumber })}</h3>
      <div className="grid-3">
        <Field label={t('fo.carrier')} required>
          {(props) => (
            <select
              {...props}
              name="carrierCode"
              value={carrierCode}
              onChange={(event) => setCarrierCode(event.target.value)}
            >
              {Object.entries(CARRIERS).map(([code, name]) => (
                <option key={code} value={code}>
                  {code} {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('fo.tracking')} help={t('fo.tracking.help')} required>
          {(props) => (
            <textarea
              {...props}
              name="trackingNumbers"
              rows={2}
              spellCheck={false}
              value={tracking}
              onChange={(event) => setTracking(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('fo.shippingDate')} required>
          {(props) => (
            <input
              {...props}
              name="shippingDate"
              type="date"
              value={shippingDate}
              onChange={(event) => setShippingDate(event.target.value)}
            />
          )}
        </Field>
      </div>
      <ErrorBox error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {t('fo.ship')}
        </button>
        <button type="button" onClick={() => onDone('')}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function OrderRow({
  order,
  onChanged,
}: {
  order: FulfillmentOrderView;
  onChanged: (m: string) => void;
}) {
  const { api, lang, t, navigate, can } = useConsole();
  const [shipping, setShipping] = useState(false);
  const [open, setOpen] = useState(false);
  const action = useAction();
  const revision = revisionLabel(lang, order.revision);
  const releasable = order.status === 'awaiting_release' || order.status === 'awaiting_shop';
  const hold = order.hold;
  return (
    <>
      <tr data-fo={order.id} data-order={order.orderNumber}>
        <td>
          <a
            href={`/orders/${encodeURIComponent(order.orderNumber)}`}
            onClick={(event) => {
              event.preventDefault();
              navigate(`/orders/${encodeURIComponent(order.orderNumber)}`);
            }}
          >
            {order.orderNumber}
          </a>
          <div className="small muted">
            #{order.basketId} · {formatTime(lang, order.createdAt)}
          </div>
          {revision && (
            <span className="badge info" data-revision={order.revision}>
              {revision}
            </span>
          )}
        </td>
        <td>
          {order.recipient.name}
          <div className="small muted">
            {[order.recipient.prefecture, order.recipient.city].filter(Boolean).join(' ')}
          </div>
        </td>
        <td className="small">
          {order.lines.map((line) => (
            <div key={line.skuCode}>
              <code>{line.skuCode}</code> × {line.quantity}
            </div>
          ))}
        </td>
        <td>
          <span className={`badge status-${order.status}`} data-status={order.status}>
            {t(`fo.status.${order.status}`)}
          </span>
          {hold && (
            <div className="small">
              {hold.code === 'insufficient_stock'
                ? t('fo.hold.insufficient_stock', {
                    lines: hold.shortLines
                      .map((l) => `${l.skuCode} ${l.available}/${l.needed}`)
                      .join(', '),
                  })
                : t(`fo.hold.${hold.code}`)}
            </div>
          )}
          {order.shipment && (
            <div className="small">
              {t('fo.shipment', {
                carrier: CARRIERS[order.shipment.carrierCode] ?? order.shipment.carrierCode,
                numbers: order.shipment.trackingNumbers.join(', '),
                date: order.shipment.shippingDate,
              })}
            </div>
          )}
          {order.needsAttention && (
            <div className="small bad">
              {t('fo.attention', { reason: order.attentionReason ?? '' })}
            </div>
          )}
        </td>
        <td>
          {releasable && can('fulfillment.write') && (
            <button
              type="button"
              disabled={action.busy}
              onClick={() =>
                void action
                  .run(() =>
                    api.json<ReleaseResultView>('POST', `/fulfillment-orders/${order.id}/release`),
                  )
                  .then((answer) => {
                    if (answer) onChanged(answer.released ? t('fo.released') : t('fo.notReleased'));
                  })
              }
            >
              {t('fo.release')}
            </button>
          )}
          {order.status === 'ready' && can('fulfillment.write') && (
            <button type="button" aria-expanded={shipping} onClick={() => setShipping(!shipping)}>
              {t('fo.ship')}
            </button>
          )}
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {t('fo.details')}
          </button>
          <ErrorBox error={action.error} />
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <FulfillmentDetail id={order.id} />
          </td>
        </tr>
      )}
      {shipping && (
        <tr>
          <td colSpan={5}>
            <ShipForm
              order={order}
              onDone={(message) => {
                setShipping(false);
                if (message) onChanged(message);
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/** 출하: fulfillment orders by status, release the held ones, confirm the shipped ones. */
export function FulfillmentPage() {
  const { api, t } = useConsole();
  const [status, setStatus] = useState<FulfillmentOrderStatus | ''>('');
  const [orderNumber, setOrderNumber] = useState('');
  const [applied, setApplied] = useState('');
  const [notice, setNotice] = useState('');
  const [extra, setExtra] = useState<FulfillmentOrderView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const { data, error, loading, reload } = useLoad(async () => {
    const page = await api.get<FulfillmentOrderPageView>(
      `/fulfillment-orders${query({ status, orderNumber: applied, limit: 50 })}`,
    );
    setExtra([]);
    setCursor(page.nextCursor);
    return page;
  }, [status, applied]);
  const more = useAction();
  const items = [...(data?.items ?? []), ...extra];

  return (
    <section aria-labelledby="fo-title">
      <h1 id="fo-title">{t('fo.title')}</h1>
      <form
        className="row"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(orderNumber.trim());
        }}
      >
        <label htmlFor="fo-status">{t('fo.col.status')}</label>
        <select
          id="fo-status"
          value={status}
          onChange={(event) => setStatus(event.target.value as FulfillmentOrderStatus | '')}
        >
          <option value="">{t('fo.status.all')}</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`fo.status.${value}`)}
            </option>
          ))}
        </select>
        <label htmlFor="fo-order">{t('orders.col.number')}</label>
        <input
          id="fo-order"
          value={orderNumber}
          spellCheck={false}
          onChange={(event) => setOrderNumber(event.target.value)}
        />
        <button type="submit">{t('common.search')}</button>
      </form>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && items.length === 0 && <p className="empty">{t('common.empty')}</p>}
      {items.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('fo.col.order')}</th>
              <th scope="col">{t('fo.col.recipient')}</th>
              <th scope="col">{t('fo.col.lines')}</th>
              <th scope="col">{t('fo.col.status')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((order) => (
              <OrderRow
                key={order.id}
                order={order}
                onChanged={(message) => {
                  setNotice(message);
                  reload();
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      <ErrorBox error={more.error} />
      {cursor && (
        <button
          type="button"
          disabled={more.busy}
          onClick={() =>
            void more
              .run(() =>
                api.get<FulfillmentOrderPageView>(
                  `/fulfillment-orders${query({ status, orderNumber: applied, limit: 50, cursor })}`,
                ),
              )
              .then((page) => {
                if (page) {
                  setExtra([...extra, ...page.items]);
                  setCursor(page.nextCursor);
                }
              })
          }
        >
          {t('common.more')}
        </button>
      )}
    </section>
  );
}
