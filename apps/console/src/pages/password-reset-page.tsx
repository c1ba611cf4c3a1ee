import { useState } from 'react';

import { fragmentToken } from '../access';
import { Api } from '../api';
import { useConsole } from '../context';
import { ErrorBox, Field, Notice, useAction } from '../ui';
import { usePasswordPair } from './password-fields';

function backToSignIn(navigate: (path: string) => void) {
  return (event: { preventDefault: () => void }) => {
    event.preventDefault();
    window.history.replaceState(null, '', '/');
    navigate('/');
  };
}

/** Without a token: ask for the e-mail. The answer is the same whether an account exists. */
function RequestReset() {
  const { t, navigate } = useConsole();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const action = useAction();

  const submit = async () => {
    const answer = await action.run(() =>
      new Api(null).json<{ accepted: boolean }>('POST', '/password-resets', {
        email: email.trim(),
      }),
    );
    if (answer) setSent(true);
  };

  if (sent) {
    return (
      <>
        <Notice>{t('reset.sent')}</Notice>
        <p>
          <a href="/" onClick={backToSignIn(navigate)}>
            {t('reset.backToSignIn')}
          </a>
        </p>
      </>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p>{t('reset.intro')}</p>
      <Field label={t('signIn.email')} required>
        {(props) => (
          <input
            {...props}
            name="email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <ErrorBox error={action.error} />
      <button type="submit" className="primary" disabled={action.busy || email.trim() === ''}>
        {t('reset.send')}
      </button>
    </form>
  );
}

/** With the e-mailed token: the new password, typed twice. */
function CompleteReset({ token }: { token: string }) {
  const { t, navigate } = useConsole();
  const password = usePasswordPair();
  const [done, setDone] = useState(false);
  const action = useAction();

  const submit = async () => {
    if (password.value === null) return;
    const value = password.value;
    const answer = await action.run(async () => {
      await new Api(null).json('POST', '/password-resets/complete', { token, password: value });
      return true;
    });
    if (answer) setDone(true);
  };

  if (done) {
    return (
      <>
        <Notice>{t('reset.done')}</Notice>
        <p>
          <a href="/" onClick={backToSignIn(navigate)}>
            {t('reset.backToSignIn')}
          </a>
        </p>
      </>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {password.fields(action.error)}
      <ErrorBox error={action.error} inline={['password']} />
      <button type="submit" className="primary" disabled={action.busy || password.value === null}>
        {t('reset.submit')}
      </button>
    </form>
  );
}

/** `/password-reset`: ask for a link, or (`#token=pwr_…`, from the e-mail) set a new password. */
export function PasswordResetPage() {
  const { t } = useConsole();
  const token = fragmentToken(window.location.hash);
  return (
    <section aria-labelledby="reset-title" className="card">
      <h1 id="reset-title">{t('reset.title')}</h1>
      {token ? <CompleteReset token={token} /> : <RequestReset />}
    </section>
  );
}
