import type { SessionView } from '../access';
import { fragmentToken } from '../access';
import { Api } from '../api';
import { useConsole } from '../context';
import { ErrorBox, useAction } from '../ui';
import { usePasswordPair } from './password-fields';

/**
 * The e-mailed invitation link (`/invitations/accept#token=inv_…`): the person chooses a password,
 * joins the tenant with the invitation's role and is signed in. The token stays in the fragment,
 * which browsers never send to a server.
 */
export function AcceptInvitationPage() {
  const { t, navigate, setSession } = useConsole();
  const token = fragmentToken(window.location.hash);
  const password = usePasswordPair();
  const action = useAction();

  const submit = async () => {
    if (!token || password.value === null) return;
    const value = password.value;
    const session = await action.run(() =>
      new Api(null).json<SessionView>('POST', '/invitations/accept', { token, password: value }),
    );
    if (session) {
      setSession(session);
      navigate('/shops');
    }
  };

  return (
    <section aria-labelledby="accept-title" className="card">
      <h1 id="accept-title">{t('accept.title')}</h1>
      {token === null ? (
        <div className="alert alert-error" role="alert">
          {t('link.missingToken')}
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <p>{t('accept.intro')}</p>
          {password.fields(action.error)}
          <ErrorBox error={action.error} inline={['password']} />
          <button
            type="submit"
            className="primary"
            disabled={action.busy || password.value === null}
          >
            {t('accept.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
