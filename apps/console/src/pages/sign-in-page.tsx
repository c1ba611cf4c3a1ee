import { useState } from 'react';

import { Api } from '../api';
import { useConsole } from '../context';
import { ErrorBox, Field, useAction } from '../ui';

/** Sign-in with the tenant's API token: checked with a read (GET /shops) before it is kept. */
export function SignInPage({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const { t } = useConsole();
  const [token, setToken] = useState('');
  const action = useAction();

  const submit = async () => {
    const value = token.trim();
    const ok = await action.run(async () => {
      await new Api(value).get('/shops');
      return true;
    });
    if (ok) onSignedIn(value);
  };

  return (
    <section aria-labelledby="sign-in-title" className="card">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field label={t('signIn.token')} help={t('signIn.tokenHelp')} required>
          {(props) => (
            <input
              {...props}
              name="token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={token}
              onChange={(event) => setToken(event.target.value)}
            />
          )}
        </Field>
        <ErrorBox error={action.error} />
        <button type="submit" className="primary" disabled={action.busy || token.trim() === ''}>
          {action.busy ? t('signIn.checking') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
