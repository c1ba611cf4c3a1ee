import { toDataURL } from 'qrcode';
import { useEffect, useState } from 'react';

import { mayUseTotp } from '../access';
import type { SessionUser } from '../access';
import { useConsole } from '../context';
import type { ApiErrorBody } from '../i18n/errors';
import { ErrorBox, Field, FieldError, Notice, invalidProps, useAction } from '../ui';
import { ROLE_KEYS } from './people-page';

/** The otpauth URI as a QR code (a data: image, which the page's CSP allows). */
function QrCode({ text }: { text: string }) {
  const { t } = useConsole();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    toDataURL(text, { margin: 1, width: 200 }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [text]);
  return src ? <img src={src} width={200} height={200} alt={t('totp.qrAlt')} /> : null;
}

/** The 6-digit code from the authenticator app, with its error (field `code`). */
function TotpCodeField({
  name,
  help,
  code,
  setCode,
  error,
}: {
  name: string;
  help?: string;
  code: string;
  setCode: (code: string) => void;
  error: ApiErrorBody | null;
}) {
  const { t } = useConsole();
  return (
    <>
      <Field label={t('signIn.totpCode')} help={help} required>
        {(props) => (
          <>
            <input
              {...props}
              {...invalidProps(error, 'code', props)}
              name={name}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(event) => setCode(event.target.value)}
            />
            <FieldError error={error} field="code" id={`${props.id}-error`} />
          </>
        )}
      </Field>
      <ErrorBox error={error} inline={['code']} />
    </>
  );
}

/** Turning two-step sign-in off takes a current code (a stolen session alone cannot). */
function TotpDisable() {
  const { api, t, session, setSession } = useConsole();
  const [code, setCode] = useState('');
  const [off, setOff] = useState(false);
  const action = useAction();
  if (!session) return null;
  const submit = async () => {
    const answer = await action.run(() =>
      api.json<{ user: SessionUser }>('POST', '/session/totp/disable', { code: code.trim() }),
    );
    if (answer) {
      setOff(true);
      setCode('');
      setSession({ ...session, user: answer.user });
    }
  };
  if (off) return <Notice>{t('totp.turnedOff')}</Notice>;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="help">{t('totp.disableHelp')}</p>
      <TotpCodeField name="totpDisable" code={code} setCode={setCode} error={action.error} />
      <button type="submit" className="danger" disabled={action.busy || code.trim() === ''}>
        {t('totp.disable')}
      </button>
    </form>
  );
}

/** Two-step sign-in: start (secret and QR code), then confirm with a code from the app. */
function TotpSetup() {
  const { api, t, session, setSession } = useConsole();
  const [started, setStarted] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  if (!session) return null;
  if (session.user.totpEnabled) {
    return (
      <>
        <Notice>{done ? t('totp.turnedOn') : t('totp.on')}</Notice>
        <TotpDisable />
      </>
    );
  }
  if (!started) {
    return (
      <>
        <p>{t('totp.intro')}</p>
        <ErrorBox error={action.error} />
        <button
          type="button"
          className="primary"
          disabled={action.busy}
          onClick={() =>
            void action
              .run(() => api.json<{ secret: string; otpauthUri: string }>('POST', '/session/totp'))
              .then((answer) => answer && setStarted(answer))
          }
        >
          {t('totp.start')}
        </button>
      </>
    );
  }
  const confirm = async () => {
    const answer = await action.run(() =>
      api.json<{ user: SessionUser }>('POST', '/session/totp/confirm', { code: code.trim() }),
    );
    if (answer) {
      setDone(true);
      setSession({ ...session, user: answer.user });
    }
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void confirm();
      }}
    >
      <p>{t('totp.scan')}</p>
      <QrCode text={started.otpauthUri} />
      <p>
        {t('totp.secret')}: <code data-testid="totp-secret">{started.secret}</code>
      </p>
      <details>
        <summary>{t('totp.uri')}</summary>
        <code className="secret">{started.otpauthUri}</code>
      </details>
      <TotpCodeField
        name="totpConfirm"
        help={t('signIn.totpHelp')}
        code={code}
        setCode={setCode}
        error={action.error}
      />
      <button type="submit" className="primary" disabled={action.busy || code.trim() === ''}>
        {t('totp.confirm')}
      </button>
    </form>
  );
}

/** 내 계정: who is signed in, two-step sign-in (owners and admins), sign out everywhere. */
export function AccountPage() {
  const { t, session, endSession } = useConsole();
  const action = useAction();
  if (!session) return null;
  const { user } = session;
  return (
    <>
      <h1>{t('account.title')}</h1>
      <section className="card" aria-labelledby="account-who">
        <h2 id="account-who">{t('account.who')}</h2>
        <dl className="facts">
          <dt>{t('signIn.email')}</dt>
          <dd className="mono">{user.email}</dd>
          <dt>{t('people.role')}</dt>
          <dd data-testid="account-role">
            {user.role === 'operator' ? t('role.operator') : t(ROLE_KEYS[user.role])}
          </dd>
        </dl>
      </section>
      {mayUseTotp(user.role) && (
        <section className="card" aria-labelledby="totp-title">
          <h2 id="totp-title">{t('totp.title')}</h2>
          <TotpSetup />
        </section>
      )}
      <section className="card" aria-labelledby="everywhere-title">
        <h2 id="everywhere-title">{t('account.everywhere')}</h2>
        <p className="help">{t('account.everywhereHelp')}</p>
        <ErrorBox error={action.error} />
        <button
          type="button"
          className="danger"
          disabled={action.busy}
          onClick={() => void action.run(() => endSession(true))}
        >
          {t('account.everywhereSubmit')}
        </button>
      </section>
    </>
  );
}
