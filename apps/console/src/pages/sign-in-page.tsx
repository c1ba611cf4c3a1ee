import { useEffect, useState } from 'react';

import type { SessionView } from '../access';
import { Api } from '../api';
import { useConsole } from '../context';
import { ErrorBox, Field, useAction } from '../ui';

/**
 * Sign-in with e-mail and password; when the gateway answers TOTP_REQUIRED, the code from the
 * authenticator app is asked for too. The session lives in an httpOnly cookie: nothing is kept in
 * the browser's storage.
 */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: SessionView) => void }) {
  const { t, navigate } = useConsole();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const action = useAction();

  const submit = async () => {
    const session = await action.run(() =>
      new Api(null).json<SessionView>('POST', '/session', {
        email: email.trim(),
        password,
        ...(needsCode ? { totpCode: totpCode.trim() } : {}),
      }),
    );
    if (session) onSignedIn(session);
  };

  // The gateway asks for the code only once the password is right.
  const code = action.error?.code;
  useEffect(() => {
    if (code === 'TOTP_REQUIRED') setNeedsCode(true);
  }, [code]);

  return (
    <section aria-labelledby="sign-in-title" className="card">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field label={t('signIn.email')} required>
          {(props) => (
            <input
              {...props}
              name="email"
              type="email"
              autoComplete="username"
              spellCheck={false}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('signIn.password')} required>
          {(props) => (
            <input
              {...props}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </Field>
        {needsCode && (
          <Field label={t('signIn.totpCode')} help={t('signIn.totpHelp')} required>
            {(props) => (
              <input
                {...props}
                name="totpCode"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                value={totpCode}
                onChange={(event) => setTotpCode(event.target.value)}
              />
            )}
          </Field>
        )}
        <ErrorBox error={code === 'TOTP_REQUIRED' ? null : action.error} />
        <button
          type="submit"
          className="primary"
          disabled={action.busy || email.trim() === '' || password === ''}
        >
          {action.busy ? t('signIn.checking') : t('signIn.submit')}
        </button>
      </form>
      <p>
        <a
          href="/password-reset"
          onClick={(event) => {
            event.preventDefault();
            navigate('/password-reset');
          }}
        >
          {t('signIn.forgot')}
        </a>
      </p>
    </section>
  );
}
