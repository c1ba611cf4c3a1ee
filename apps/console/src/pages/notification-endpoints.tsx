import { useState } from 'react';

import type { CreatedEndpointView, EndpointView } from '@smartship/contracts';

import { useConsole } from '../context';
import { ALERT_KINDS } from '../notifications';
import {
  ConfirmDelete,
  ErrorBox,
  Field,
  FieldError,
  Notice,
  Switch,
  invalidProps,
  useAction,
} from '../ui';
import { DeliveryLog } from './notification-deliveries';
import { KindList, KindPicker } from './notification-kinds';
import { SecretOnce } from './notification-secret';

type Format = EndpointView['format'];

/**
 * The add and edit form of a webhook endpoint: URL, kinds, format. Adding answers the signing
 * secret, the only time it is shown (`onCreated`).
 */
function EndpointForm({
  initial,
  onSaved,
  onCreated,
  onCancel,
}: {
  initial: EndpointView | null;
  onSaved: (message: string) => void;
  onCreated?: (secret: string) => void;
  onCancel?: () => void;
}) {
  const { api, t } = useConsole();
  const [url, setUrl] = useState(initial?.url ?? '');
  const [kinds, setKinds] = useState<string[]>(initial?.kinds ?? [...ALERT_KINDS]);
  const [format, setFormat] = useState<Format>(initial?.format ?? 'standard');
  const action = useAction();
  const submit = async () => {
    const body = { url: url.trim(), kinds, format };
    if (initial) {
      const saved = await action.run(() =>
        api.json<EndpointView>('PATCH', `/webhook-endpoints/${initial.id}`, body),
      );
      if (saved) onSaved(t('nset.endpointSaved'));
      return;
    }
    const created = await action.run(() =>
      api.json<CreatedEndpointView>('POST', '/webhook-endpoints', body),
    );
    if (!created) return;
    setUrl('');
    setKinds([...ALERT_KINDS]);
    setFormat('standard');
    onCreated?.(created.secret);
  };
  const title = initial ? initial.url : t('nset.addEndpoint');
  return (
    <form
      // The API checks the values and its errors are shown by the field, in the chosen language.
      noValidate
      className="card nested"
      aria-label={title}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>{title}</h3>
      <Field label={t('nset.url')} help={t('nset.url.help')} required>
        {(props) => (
          <>
            <input
              {...props}
              {...invalidProps(action.error, 'url', props)}
              name="url"
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="https://hooks.slack.com/services/…"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
            />
            <FieldError error={action.error} field="url" id={`${props.id}-error`} />
          </>
        )}
      </Field>
      <fieldset>
        <legend>{t('nset.format')}</legend>
        {(['standard', 'slack'] as const).map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="format"
              value={value}
              checked={format === value}
              onChange={() => setFormat(value)}
            />
            {t(`nset.format.${value}`)}
          </label>
        ))}
        <FieldError error={action.error} field="format" />
      </fieldset>
      <KindPicker value={kinds} onChange={setKinds} error={action.error} />
      <ErrorBox error={action.error} inline={['url', 'kinds', 'format']} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {initial ? t('common.save') : t('nset.addEndpoint')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** One endpoint: on/off, test, rotate the secret, its delivery log, edit, delete. */
function EndpointRow({
  endpoint,
  onChanged,
  onSecret,
}: {
  endpoint: EndpointView;
  onChanged: (message: string) => void;
  onSecret: (secret: string, rotated: boolean) => void;
}) {
  const { api, t } = useConsole();
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const [notice, setNotice] = useState('');
  const action = useAction();
  if (editing) {
    return (
      <li data-endpoint={endpoint.url}>
        <EndpointForm
          initial={endpoint}
          onSaved={(message) => {
            setEditing(false);
            onChanged(message);
          }}
          onCancel={() => setEditing(false)}
        />
      </li>
    );
  }
  const post = <T,>(path: string) =>
    action.run(() => api.json<T>('POST', `/webhook-endpoints/${endpoint.id}${path}`));
  return (
    <li
      className={`setting-row ${endpoint.enabled ? '' : 'disabled'}`}
      data-endpoint={endpoint.url}
    >
      <div className="setting-main">
        <strong className="mono url">{endpoint.url}</strong>
        <span className="badge info">{t(`nset.format.${endpoint.format}`)}</span>
        <span className="small muted">
          {t('nset.secretHint')}: <code>{endpoint.secretHint}</code>
        </span>
        <KindList kinds={endpoint.kinds} />
      </div>
      <Switch
        label={t('nset.enabled')}
        help={t('nset.enabled.help')}
        checked={endpoint.enabled}
        onChange={(enabled) =>
          void action
            .run(() =>
              api.json<EndpointView>('PATCH', `/webhook-endpoints/${endpoint.id}`, { enabled }),
            )
            .then((saved) => saved && onChanged(t('nset.endpointSaved')))
        }
      />
      <div className="row">
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void post<{ deliveryId: string }>('/test').then((answer) => {
              if (!answer) return;
              setNotice(t('nset.testSent'));
              setShowLog(true);
            })
          }
        >
          {t('nset.sendTest')}
        </button>
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void post<{ secret: string }>('/rotate-secret').then((answer) => {
              if (answer) onSecret(answer.secret, true);
            })
          }
        >
          {t('nset.rotate')}
        </button>
        <button type="button" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
          {showLog ? t('nset.hideDeliveries') : t('nset.deliveries')}
        </button>
        <button type="button" onClick={() => setEditing(true)}>
          {t('common.edit')}
        </button>
        <ConfirmDelete
          busy={action.busy}
          onConfirm={() =>
            void action
              .run(async () => {
                await api.json('DELETE', `/webhook-endpoints/${endpoint.id}`);
                return true;
              })
              .then((done) => done && onChanged(t('nset.endpointDeleted')))
          }
        />
      </div>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={action.error} />
      {showLog && <DeliveryLog endpoint={endpoint} />}
    </li>
  );
}

/** 웹훅: endpoints that get alerts as signed JSON or Slack messages. */
export function EndpointsSection({
  endpoints,
  onChanged,
}: {
  endpoints: EndpointView[];
  onChanged: () => void;
}) {
  const { t } = useConsole();
  const [notice, setNotice] = useState('');
  const [secret, setSecret] = useState<{ value: string; rotated: boolean } | null>(null);
  const [adding, setAdding] = useState(false);
  const changed = (message: string) => {
    setNotice(message);
    onChanged();
  };
  const showSecret = (value: string, rotated: boolean) => {
    setNotice('');
    setSecret({ value, rotated });
    onChanged();
  };
  return (
    <section className="card" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">{t('nset.endpoints')}</h2>
      <p className="help">{t('nset.endpoints.help')}</p>
      {notice && <Notice>{notice}</Notice>}
      {secret && (
        <SecretOnce
          secret={secret.value}
          rotated={secret.rotated}
          onClose={() => setSecret(null)}
        />
      )}
      {endpoints.length === 0 ? (
        <p className="empty">{t('nset.endpoints.empty')}</p>
      ) : (
        <ul className="settings-list">
          {endpoints.map((endpoint) => (
            <EndpointRow
              key={endpoint.id}
              endpoint={endpoint}
              onChanged={changed}
              onSecret={showSecret}
            />
          ))}
        </ul>
      )}
      {adding ? (
        <EndpointForm
          initial={null}
          onSaved={changed}
          onCreated={(value) => {
            setAdding(false);
            showSecret(value, false);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          + {t('nset.addEndpoint')}
        </button>
      )}
    </section>
  );
}
