import { useEffect, useState } from 'react';

import type { FulfillmentOrderDetailView, Party, WarehouseDetailsView } from '@smartship/contracts';

import { useConsole } from '../context';
import {
  deliveryLines,
  packingSlipFileName,
  packingSlipPath,
  partLabel,
  revisionLabel,
  yen,
} from '../fulfillment-details';
import { formatTime } from '../status';
import { ErrorBox, Loading, useAction, useLoad } from '../ui';

/**
 * [納品書 PDF]: the PDF route needs the bearer token, which a plain link cannot send, so the PDF is
 * fetched as a blob and opened in a new tab; the link to it stays (open again, or save) in case
 * the browser blocked the new tab.
 */
export function PackingSlipButton({ order }: { order: FulfillmentOrderDetailView }) {
  const { api, t } = useConsole();
  const action = useAction();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  const fileName = packingSlipFileName(order);
  return (
    <div className="slip-actions">
      <button
        type="button"
        className="primary"
        disabled={action.busy || !order.warehouse}
        aria-describedby={order.warehouse ? undefined : `slip-none-${order.id}`}
        onClick={() =>
          void action
            .run(() => api.blob(packingSlipPath(order.id)))
            .then((blob) => {
              if (!blob) return;
              const next = URL.createObjectURL(blob);
              setUrl(next);
              window.open(next, '_blank', 'noopener');
            })
        }
      >
        {t('fo.slip')}
      </button>
      {url && (
        <span className="small">
          <a href={url} target="_blank" rel="noopener" data-testid="slip-open">
            {t('fo.slip.open')}
          </a>{' '}
          ·{' '}
          <a href={url} download={fileName}>
            {t('fo.slip.save')}
          </a>
        </span>
      )}
      {!order.warehouse && (
        <p className="help" id={`slip-none-${order.id}`}>
          {t('fo.slip.unavailable')}
        </p>
      )}
      <ErrorBox error={action.error} />
    </div>
  );
}

function PartyBlock({ title, party }: { title: string; party: Party }) {
  return (
    <div>
      <dt>{title}</dt>
      <dd>
        <strong>{party.name}</strong>
        {party.nameKana && <div className="muted small">{party.nameKana}</div>}
        <div className="small">
          {party.zipCode && <div>〒{party.zipCode}</div>}
          <div>{[party.prefecture, party.city, party.subAddress].filter(Boolean).join(' ')}</div>
          {party.phone && <div>TEL {party.phone}</div>}
        </div>
      </dd>
    </div>
  );
}

/** What the warehouse was told beyond the SKU lines (shipment.ready v2). */
function WarehouseDetails({ id, details }: { id: string; details: WarehouseDetailsView }) {
  const { lang, t } = useConsole();
  const { payment, totals, gift, delivery } = details;
  const noPrices = gift.requested;
  const when = deliveryLines(lang, delivery.requested, delivery.fromRemarks);
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t('fo.orderedAt')}</dt>
          <dd>{formatTime(lang, details.orderedAt)}</dd>
        </div>
        <div>
          <dt>{t('fo.payment')}</dt>
          <dd data-testid="fo-payment">
            {payment.cashOnDelivery ? (
              <strong className="cod">
                {payment.amountToCollect === null
                  ? t('fo.cod.unfixed')
                  : t('fo.cod', { amount: yen(payment.amountToCollect) })}
              </strong>
            ) : (
              (payment.settlementMethodName ?? '—')
            )}
          </dd>
        </div>
        <div>
          <dt>{t('fo.delivery')}</dt>
          <dd>
            {when.length === 0
              ? t('common.none')
              : when.map((line) => (
                  <div key={line} className="small">
                    {line}
                  </div>
                ))}
          </dd>
        </div>
        <PartyBlock title={t('fo.orderer')} party={details.orderer} />
        <PartyBlock title={t('fo.sender')} party={details.sender} />
        <div>
          <dt>{t('fo.gift')}</dt>
          <dd data-testid="fo-gift">
            {gift.requested ? <span className="badge info">{t('fo.gift.yes')}</span> : null}
            {gift.wrappings.map((wrapping) => (
              <div key={`${wrapping.kind}-${wrapping.name}`} className="small">
                {t(wrapping.kind === 'ribbon' ? 'fo.gift.ribbon' : 'fo.gift.paper')}:{' '}
                {wrapping.name}
              </div>
            ))}
            {gift.noshi && (
              <div className="small">
                {t('fo.gift.noshi')}: {gift.noshi}
              </div>
            )}
            {!gift.requested && gift.wrappings.length === 0 && !gift.noshi && t('common.none')}
          </dd>
        </div>
      </dl>
      <h4 id={`fo-items-${id}`}>{t('fo.items')}</h4>
      <table className="data compact" aria-labelledby={`fo-items-${id}`}>
        <thead>
          <tr>
            <th scope="col">{t('fo.item.name')}</th>
            <th scope="col">{t('fo.item.units')}</th>
            {!noPrices && <th scope="col">{t('fo.item.price')}</th>}
            <th scope="col">SKU</th>
          </tr>
        </thead>
        <tbody>
          {details.items.map((item) => (
            <tr key={item.itemDetailId}>
              <td>
                {item.itemName}
                {[item.selectedChoice, item.skuInfo].filter(Boolean).map((text) => (
                  <div key={text} className="small muted pre">
                    {text}
                  </div>
                ))}
              </td>
              <td>{item.units}</td>
              {!noPrices && <td>{yen(item.unitPrice)}</td>}
              <td className="small">
                {item.skus.map((sku) => (
                  <div key={sku.skuCode}>
                    <code>{sku.skuCode}</code> × {sku.quantity}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {noPrices && <p className="help">{t('fo.gift.noPrices')}</p>}
      {!noPrices && (
        <p className="small" data-testid="fo-totals">
          {t('fo.totals', {
            goods: yen(totals.goodsPrice),
            postage: yen(totals.postagePrice),
            total: yen(totals.totalPrice),
            billed: yen(totals.requestPrice),
          })}
        </p>
      )}
      <h4>{t('fo.remarks')}</h4>
      {details.remarks ? (
        // Free text from the buyer: shown as text (React escapes it), line breaks kept.
        <p className="remarks" data-testid="fo-remarks">
          {details.remarks}
        </p>
      ) : (
        <p className="muted">{t('common.none')}</p>
      )}
      {details.slipMessage && (
        <p className="small">
          {t('fo.slipMessage')}: <span className="pre">{details.slipMessage}</span>
        </p>
      )}
    </>
  );
}

/** One fulfillment order's details under its row: revision, split, payment, gift, remarks. */
export function FulfillmentDetail({ id }: { id: string }) {
  const { api, lang, t } = useConsole();
  const { data, error, loading } = useLoad(
    () => api.get<FulfillmentOrderDetailView>(`/fulfillment-orders/${encodeURIComponent(id)}`),
    [id],
  );
  const title = data ? t('fo.detailTitle', { order: data.orderNumber }) : t('common.loading');
  return (
    <section className="fo-detail" aria-label={title} data-testid="fo-detail">
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <div className="page-head">
            <h3>{title}</h3>
            <PackingSlipButton order={data} />
          </div>
          <p className="small">
            {t('fo.revisionOf', { n: data.revision })}
            {partLabel(lang, data.warehouse?.part) && (
              <>
                {' · '}
                <strong>{partLabel(lang, data.warehouse?.part)}</strong>
              </>
            )}
            {revisionLabel(lang, data.revision) && (
              <span className="muted"> — {t('fo.revision.help')}</span>
            )}
          </p>
          {data.warehouse ? (
            <WarehouseDetails id={data.id} details={data.warehouse} />
          ) : (
            <p className="hint">{t('fo.noWarehouse')}</p>
          )}
        </>
      )}
    </section>
  );
}
