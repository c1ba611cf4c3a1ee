import { useState } from 'react';

import type {
  CatalogChangeView,
  DryRunView,
  MappingOrderView,
  MappingRuleView,
  UnmappedLineView,
} from '@smartship/contracts';

import { useConsole } from '../context';
import { formatTime } from '../status';
import { ImportPanel } from './import-panel';
import { Revision } from './orders-page';
import { ErrorBox, Field, Loading, Notice, useAction, useLoad } from '../ui';

/** One held line: why, the suggestions, and [Link] with a SKU code (a suggestion or typed). */
function UnmappedLine({
  order,
  line,
  onLinked,
}: {
  order: MappingOrderView;
  line: UnmappedLineView;
  onLinked: (message: string) => void;
}) {
  const { api, t, can } = useConsole();
  const [skuCode, setSkuCode] = useState(line.candidates[0]?.skuCode ?? '');
  const action = useAction();
  const inputId = `link-${order.orderNumber}-${line.itemDetailId}`;
  return (
    <li className="line" data-line={line.itemDetailId}>
      <div>
        <strong>{line.itemName}</strong>
        {line.optionText && <span> / {line.optionText}</span>} <span>× {line.units}</span>
      </div>
      <div className="small muted">
        {t('mapping.codes', {
          itemNumber: line.itemNumber || '—',
          sku: line.merchantDefinedSkuId ?? line.variantId ?? '—',
        })}
      </div>
      <div className={`reason ${line.reason}`} data-reason={line.reason}>
        {t(`mapping.reason.${line.reason}`)}
      </div>
      {line.candidates.length > 0 && (
        <div className="suggestions">
          <span className="small">{t('mapping.suggestions')}:</span>{' '}
          {line.candidates.map((candidate) => (
            <button
              key={candidate.skuCode}
              type="button"
              className={`chip ${skuCode === candidate.skuCode ? 'selected' : ''}`}
              aria-pressed={skuCode === candidate.skuCode}
              title={candidate.why}
              onClick={() => setSkuCode(candidate.skuCode)}
            >
              {candidate.skuCode} · {candidate.name}
            </button>
          ))}
        </div>
      )}
      {can('catalog.write') && (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            void action
              .run(() =>
                api.json<CatalogChangeView<MappingRuleView>>(
                  'POST',
                  `/orders/${encodeURIComponent(order.orderNumber)}/lines/${line.itemDetailId}/link`,
                  { skuCode },
                ),
              )
              .then((answer) => {
                if (answer)
                  onLinked(t('mapping.linked', { released: answer.reevaluation.released }));
              });
          }}
        >
          <label htmlFor={inputId}>{t('mapping.skuToLink')}</label>
          <input
            id={inputId}
            value={skuCode}
            spellCheck={false}
            onChange={(event) => setSkuCode(event.target.value)}
          />
          <button type="submit" className="primary" disabled={action.busy || skuCode.trim() === ''}>
            {t('mapping.link')}
          </button>
        </form>
      )}
      <ErrorBox error={action.error} />
    </li>
  );
}

function Rules() {
  const { api, t, can } = useConsole();
  const [rule, setRule] = useState({ itemName: '', optionText: '', skuCode: '' });
  const [preview, setPreview] = useState<DryRunView | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction();
  const { data, error, reload } = useLoad(
    () => api.get<{ items: MappingRuleView[] }>('/mappings'),
    [],
  );
  const set = (name: keyof typeof rule) => (event: { target: { value: string } }) => {
    setRule({ ...rule, [name]: event.target.value });
    setPreview(null);
  };

  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">{t('mapping.rules')}</h2>
      <p className="help">{t('mapping.rules.help')}</p>
      {can('catalog.write') && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void action
              .run(() => api.json<CatalogChangeView<MappingRuleView>>('POST', '/mappings', rule))
              .then((answer) => {
                if (answer) {
                  setNotice(t('mapping.ruleAdded', { released: answer.reevaluation.released }));
                  setPreview(null);
                  setRule({ itemName: '', optionText: '', skuCode: '' });
                  reload();
                }
              });
          }}
        >
          <div className="grid-3">
            <Field label={t('mapping.itemName')} required>
              {(props) => <input {...props} value={rule.itemName} onChange={set('itemName')} />}
            </Field>
            <Field label={t('mapping.optionText')}>
              {(props) => <input {...props} value={rule.optionText} onChange={set('optionText')} />}
            </Field>
            <Field label={t('mapping.skuCode')} required>
              {(props) => <input {...props} value={rule.skuCode} onChange={set('skuCode')} />}
            </Field>
          </div>
          <div className="actions">
            <button
              type="button"
              disabled={action.busy}
              onClick={() =>
                void action
                  .run(() => api.json<DryRunView>('POST', '/mappings/dry-run', rule))
                  .then((answer) => answer && setPreview(answer))
              }
            >
              {t('mapping.dryRun')}
            </button>
            <button type="submit" className="primary" disabled={action.busy}>
              {t('mapping.addRule')}
            </button>
          </div>
        </form>
      )}
      <ErrorBox error={action.error} />
      {notice && <Notice>{notice}</Notice>}
      {preview && (
        <div className="preview" role="status">
          {t('mapping.dryRun.result', {
            lines: preview.lines.length,
            orders: preview.wouldRelease.length,
            list: preview.wouldRelease.join(', ') || '—',
          })}
        </div>
      )}
      <ErrorBox error={error} />
      {data && data.items.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('mapping.itemName')}</th>
              <th scope="col">{t('mapping.optionText')}</th>
              <th scope="col">{t('mapping.skuCode')}</th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item) => (
              <tr key={item.id}>
                <td>{item.itemName}</td>
                <td>{item.optionText || '—'}</td>
                <td>
                  <code>{item.skuCode}</code>
                </td>
                <td>
                  {can('catalog.write') && (
                    <button
                      type="button"
                      className="link"
                      onClick={() =>
                        void action
                          .run(() => api.json('DELETE', `/mappings/${item.id}`))
                          .then(reload)
                      }
                    >
                      {t('common.delete')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** SKU 매핑: the unmapped-order queue (reason per line, suggestions, one-step link) and rules. */
export function MappingPage() {
  const { api, lang, t, navigate, can } = useConsole();
  const [notice, setNotice] = useState('');
  const [rulesVersion, setRulesVersion] = useState(0);
  const { data, error, loading, reload } = useLoad(
    () =>
      api.get<{ items: MappingOrderView[]; total: number }>(
        '/orders?status=needs_mapping&limit=100',
      ),
    [],
  );
  return (
    <section aria-labelledby="mapping-title">
      <h1 id="mapping-title">{t('mapping.title')}</h1>
      <section className="card" aria-labelledby="queue-title">
        <div className="page-head">
          <h2 id="queue-title">
            {t('mapping.queue')} {data && <span className="count">{data.total}</span>}
          </h2>
          <button type="button" onClick={reload}>
            {t('common.refresh')}
          </button>
        </div>
        <p className="help">{t('mapping.queue.help')}</p>
        {notice && <Notice>{notice}</Notice>}
        <ErrorBox error={error} />
        {loading && !data && <Loading />}
        {data && data.items.length === 0 && <p className="empty">{t('mapping.queue.empty')}</p>}
        <ul className="queue">
          {data?.items.map((order) => (
            <li
              key={`${order.shopId}:${order.orderNumber}`}
              className="held-order"
              data-order={order.orderNumber}
            >
              <div className="row">
                <a
                  href={`/orders/${encodeURIComponent(order.orderNumber)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(`/orders/${encodeURIComponent(order.orderNumber)}`);
                  }}
                >
                  {order.orderNumber}
                </a>
                <Revision order={order} />
                <span className="muted small">{formatTime(lang, order.orderedAt)}</span>
              </div>
              <ul>
                {order.unmappedLines.map((line) => (
                  <UnmappedLine
                    key={line.itemDetailId}
                    order={order}
                    line={line}
                    onLinked={(message) => {
                      setNotice(message);
                      reload();
                    }}
                  />
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
      {/* A new key after an import mounts the rule list afresh, so it shows the new rules. */}
      <Rules key={rulesVersion} />
      {can('catalog.write') && (
        <ImportPanel
          kind="rules"
          onImported={() => {
            setRulesVersion((version) => version + 1);
            reload();
          }}
        />
      )}
    </section>
  );
}
