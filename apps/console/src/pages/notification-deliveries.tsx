import type { DeliveryView, EndpointView } from '@smartship/contracts';

import { useConsole } from '../context';
import { kindName } from '../notifications';
import { formatTime } from '../status';
import { ErrorBox, Loading, useLoad } from '../ui';

const STATUS_TONES: Record<DeliveryView['status'], string> = {
  pending: 'muted',
  sending: 'warn',
  succeeded: 'ok',
  failed: 'bad',
};

/** 전송 기록: the last deliveries to one endpoint — status, attempts, last answer, next try. */
export function DeliveryLog({ endpoint }: { endpoint: EndpointView }) {
  const { api, lang, t } = useConsole();
  const { data, error, loading, reload } = useLoad(
    () =>
      api.get<{ items: DeliveryView[] }>(`/webhook-endpoints/${endpoint.id}/deliveries?limit=50`),
    [endpoint.id],
  );
  return (
    <div className="deliveries" data-deliveries={endpoint.id}>
      <div className="page-head">
        <h3>{t('dlv.title', { url: endpoint.url })}</h3>
        <button type="button" onClick={reload} disabled={loading}>
          {t('common.refresh')}
        </button>
      </div>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <p className="empty">{t('dlv.empty')}</p>}
      {data && data.items.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('dlv.col.created')}</th>
              <th scope="col">{t('dlv.col.kind')}</th>
              <th scope="col">{t('dlv.col.status')}</th>
              <th scope="col" className="num">
                {t('dlv.col.attempts')}
              </th>
              <th scope="col">{t('dlv.col.last')}</th>
              <th scope="col">{t('dlv.col.next')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((delivery) => (
              <tr key={delivery.id} data-delivery={delivery.id} data-status={delivery.status}>
                <td className="small">{formatTime(lang, delivery.createdAt)}</td>
                <td>
                  {delivery.notificationId === null ? (
                    <span className="tag">{t('dlv.test')}</span>
                  ) : (
                    kindName(lang, delivery.kind)
                  )}
                </td>
                <td>
                  <span className={`badge ${STATUS_TONES[delivery.status] ?? 'muted'}`}>
                    {t(`dlv.status.${delivery.status}`)}
                  </span>
                  {delivery.deliveredAt && (
                    <div className="small muted">
                      {t('dlv.deliveredAt', { at: formatTime(lang, delivery.deliveredAt) })}
                    </div>
                  )}
                </td>
                <td className="num">{delivery.attempts}</td>
                <td className="small">
                  {delivery.lastStatusCode !== null && <code>HTTP {delivery.lastStatusCode}</code>}{' '}
                  {delivery.lastError && <span className="bad">{delivery.lastError}</span>}
                  {delivery.lastStatusCode === null && !delivery.lastError && '—'}
                </td>
                <td className="small">{formatTime(lang, delivery.nextAttemptAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
