import { useState } from 'react';

import type { RecipientView } from '@smartship/contracts';

import { useConsole } from '../context';
import { ALERT_KINDS, formatHour } from '../notifications';
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
import { KindList, KindPicker } from './notification-kinds';

/** The add and edit form of a recipient: e-mail, the kinds they get, digest or one mail each. */
function RecipientForm({
  initial,
  digestHour,
  onSaved,
  onCancel,
}: {
  initial: RecipientView | null;
  digestHour: number;
  onSaved: (message: string) => void;
  onCancel?: () => void;
}) {
  const { api, t } = useConsole();
  const [email, setEmail] = useState(initial?.email ?? '');
  const [kinds, setKinds] = useState<string[]>(initial?.kinds ?? [...ALERT_KINDS]);
  const [digest, setDigest] = useState(initial?.digest ?? false);
  const action = useAction();
  const submit = async () => {
    const body = { email: email.trim(), kinds, digest };
    const saved = await action.run(() =>
      initial
        ? api.json<RecipientView>('PATCH', `/notification-recipients/${initial.id}`, body)
        : api.json<RecipientView>('POST', '/notification-recipients', body),
    );
    if (!saved) return;
    if (!initial) {
      setEmail('');
      setKinds([...ALERT_KINDS]);
      setDigest(false);
    }
    onSaved(t(initial ? 'nset.recipientSaved' : 'nset.recipientAdded'));
  };
  return (
    <form
      // The API checks the values and its errors are shown by the field, in the chosen language.
      noValidate
      className="card nested"
      aria-label={initial ? t('nset.editing', { email: initial.email }) : t('nset.addRecipient')}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>{initial ? t('nset.editing', { email: initial.email }) : t('nset.addRecipient')}</h3>
      <Field label={t('nset.email')} required>
        {(props) => (
          <>
            <input
              {...props}
              {...invalidProps(action.error, 'email', props)}
              name="email"
              type="email"
              autoComplete="email"
              spellCheck={false}
              placeholder="shop@example.com"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <FieldError error={action.error} field="email" id={`${props.id}-error`} />
          </>
        )}
      </Field>
      <KindPicker value={kinds} onChange={setKinds} error={action.error} />
      <Switch
        label={t('nset.digest')}
        help={t('nset.digest.help', { hour: formatHour(digestHour) })}
        checked={digest}
        onChange={setDigest}
      />
      <FieldError error={action.error} field="digest" />
      <ErrorBox error={action.error} inline={['email', 'kinds', 'digest']} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {initial ? t('common.save') : t('nset.addRecipient')}
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

/** One recipient in the list with edit, test and delete (asked twice). */
function RecipientRow({
  recipient,
  digestHour,
  onChanged,
}: {
  recipient: RecipientView;
  digestHour: number;
  onChanged: (message: string) => void;
}) {
  const { api, t } = useConsole();
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState('');
  const action = useAction();
  if (editing) {
    return (
      <li data-recipient={recipient.email}>
        <RecipientForm
          initial={recipient}
          digestHour={digestHour}
          onSaved={(message) => {
            setEditing(false);
            onChanged(message);
          }}
          onCancel={() => setEditing(false)}
        />
      </li>
    );
  }
  return (
    <li className="setting-row" data-recipient={recipient.email}>
      <div className="setting-main">
        <strong className="mono">{recipient.email}</strong>
        <span className={`badge ${recipient.digest ? 'info' : 'ok'}`}>
          {recipient.digest
            ? `${t('nset.digestOn')} ${formatHour(digestHour)}`
            : t('nset.immediate')}
        </span>
        <KindList kinds={recipient.kinds} />
      </div>
      <div className="row">
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void action
              .run(() =>
                api.json<{ deliveryId: string }>(
                  'POST',
                  `/notification-recipients/${recipient.id}/test`,
                ),
              )
              .then((answer) => answer && setNotice(t('nset.testSent')))
          }
        >
          {t('nset.sendTest')}
        </button>
        <button type="button" onClick={() => setEditing(true)}>
          {t('common.edit')}
        </button>
        <ConfirmDelete
          busy={action.busy}
          onConfirm={() =>
            void action
              .run(async () => {
                await api.json('DELETE', `/notification-recipients/${recipient.id}`);
                return true;
              })
              .then((done) => done && onChanged(t('nset.recipientDeleted')))
          }
        />
      </div>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={action.error} />
    </li>
  );
}

/** 이메일 수신자: who gets e-mails, for which kinds, at once or as a daily digest. */
export function RecipientsSection({
  recipients,
  digestHour,
  onChanged,
}: {
  recipients: RecipientView[];
  digestHour: number;
  onChanged: () => void;
}) {
  const { t } = useConsole();
  const [notice, setNotice] = useState('');
  const [adding, setAdding] = useState(false);
  const changed = (message: string) => {
    setNotice(message);
    onChanged();
  };
  return (
    <section className="card" aria-labelledby="recipients-title">
      <h2 id="recipients-title">{t('nset.recipients')}</h2>
      <p className="help">{t('nset.recipients.help')}</p>
      {notice && <Notice>{notice}</Notice>}
      {recipients.length === 0 ? (
        <p className="empty">{t('nset.recipients.empty')}</p>
      ) : (
        <ul className="settings-list">
          {recipients.map((recipient) => (
            <RecipientRow
              key={recipient.id}
              recipient={recipient}
              digestHour={digestHour}
              onChanged={changed}
            />
          ))}
        </ul>
      )}
      {adding ? (
        <RecipientForm
          initial={null}
          digestHour={digestHour}
          onSaved={(message) => {
            setAdding(false);
            changed(message);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          + {t('nset.addRecipient')}
        </button>
      )}
    </section>
  );
}
