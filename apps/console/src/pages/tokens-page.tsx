import { useState } from 'react';

import { TOKEN_SCOPES, grantableScopes } from '../access';
import type { TokenScope } from '../access';
import { useConsole } from '../context';
import type { MessageKey } from '../i18n/messages';
import { formatTime } from '../status';
import {
  ConfirmDelete,
  ErrorBox,
  Field,
  FieldError,
  Loading,
  Notice,
  invalidProps,
  useAction,
  useLoad,
} from '../ui';

interface TokenView {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  createdBy: { type: 'token' | 'user' | 'operator'; id: string } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface IssuedTokenView {
  id: string;
  name: string;
  scope: TokenScope;
  token: string;
}

export const SCOPE_KEYS: Record<TokenScope, MessageKey> = {
  read: 'tokens.scope.read',
  write: 'tokens.scope.write',
  admin: 'tokens.scope.admin',
};

const CREATOR_KEYS: Record<'token' | 'user' | 'operator', MessageKey> = {
  token: 'tokens.by.token',
  user: 'tokens.by.user',
  operator: 'tokens.by.operator',
};

/** The end of a date input's day in Japan time, as the gateway wants it (ISO 8601). */
function endOfDayJst(date: string): string {
  return `${date}T23:59:59+09:00`;
}

function MintForm({ onMinted }: { onMinted: (issued: IssuedTokenView) => void }) {
  const { api, t, can } = useConsole();
  const scopes = grantableScopes(can);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [expires, setExpires] = useState('');
  const action = useAction();
  const submit = async () => {
    const issued = await action.run(() =>
      api.json<IssuedTokenView>('POST', '/tokens', {
        name: name.trim(),
        scope,
        ...(expires ? { expiresAt: endOfDayJst(expires) } : {}),
      }),
    );
    if (issued) {
      setName('');
      setExpires('');
      onMinted(issued);
    }
  };
  return (
    <form
      aria-labelledby="mint-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="mint-title">{t('tokens.mint')}</h2>
      <div className="row">
        <Field label={t('tokens.name')} help={t('tokens.nameHelp')} required>
          {(props) => (
            <>
              <input
                {...props}
                {...invalidProps(action.error, 'name', props)}
                name="tokenName"
                maxLength={100}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
              <FieldError error={action.error} field="name" id={`${props.id}-error`} />
            </>
          )}
        </Field>
        <Field label={t('tokens.scope')} required>
          {(props) => (
            <select
              {...props}
              name="tokenScope"
              value={scope}
              onChange={(event) => setScope(event.target.value as TokenScope)}
            >
              {TOKEN_SCOPES.filter((value) => scopes.includes(value)).map((value) => (
                <option key={value} value={value}>
                  {t(SCOPE_KEYS[value])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('tokens.expires')} help={t('tokens.expiresHelp')}>
          {(props) => (
            <>
              <input
                {...props}
                {...invalidProps(action.error, 'expiresAt', props)}
                name="tokenExpires"
                type="date"
                value={expires}
                onChange={(event) => setExpires(event.target.value)}
              />
              <FieldError error={action.error} field="expiresAt" id={`${props.id}-error`} />
            </>
          )}
        </Field>
      </div>
      <ErrorBox error={action.error} inline={['name', 'expiresAt']} />
      <button type="submit" className="primary" disabled={action.busy || name.trim() === ''}>
        {t('tokens.mintSubmit')}
      </button>
    </form>
  );
}

function TokenRow({ token, onChanged }: { token: TokenView; onChanged: () => void }) {
  const { api, t, lang, session } = useConsole();
  const action = useAction();
  const creator = token.createdBy
    ? token.createdBy.type === 'user' && token.createdBy.id === session?.user.id
      ? t('tokens.by.you')
      : `${t(CREATOR_KEYS[token.createdBy.type])} ${token.createdBy.id.slice(0, 8)}`
    : '—';
  const expired = token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now();
  return (
    <tr data-token={token.name}>
      <td>{token.name}</td>
      <td>{t(SCOPE_KEYS[token.scope])}</td>
      <td>
        {token.expiresAt ? formatTime(lang, token.expiresAt) : t('tokens.never')}
        {expired && <span className="badge muted">{t('tokens.expired')}</span>}
      </td>
      <td>{creator}</td>
      <td>{formatTime(lang, token.lastUsedAt)}</td>
      <td>
        {token.revokedAt ? (
          <span className="badge muted">{t('tokens.revoked')}</span>
        ) : (
          <ConfirmDelete
            busy={action.busy}
            label={t('tokens.revoke')}
            question={t('tokens.confirmRevoke')}
            onConfirm={() =>
              void action
                .run(async () => {
                  await api.json('DELETE', `/tokens/${token.id}`);
                  return true;
                })
                .then((done) => done && onChanged())
            }
          />
        )}
        <ErrorBox error={action.error} />
      </td>
    </tr>
  );
}

/** API 토큰 (tokens.manage): tokens for machines — list, mint (secret shown once), revoke. */
export function TokensPage() {
  const { api, t, can } = useConsole();
  const [issued, setIssued] = useState<IssuedTokenView | null>(null);
  const tokens = useLoad(() => api.get<{ items: TokenView[] }>('/tokens'), [api]);
  if (!can('tokens.manage')) {
    return <ErrorBox error={{ statusCode: 403, code: 'ROLE_FORBIDDEN', message: '' }} />;
  }
  return (
    <>
      <h1>{t('tokens.title')}</h1>
      <p className="help">{t('tokens.help')}</p>
      <section className="card">
        {issued ? (
          <>
            <Notice>{t('tokens.minted', { name: issued.name })}</Notice>
            <div className="secret-once" role="alert">
              <p>
                <strong>{t('tokens.once')}</strong>
              </p>
              <code className="secret" data-testid="issued-token">
                {issued.token}
              </code>
              <p>
                <button type="button" onClick={() => setIssued(null)}>
                  {t('tokens.stored')}
                </button>
              </p>
            </div>
          </>
        ) : (
          <MintForm
            onMinted={(value) => {
              setIssued(value);
              tokens.reload();
            }}
          />
        )}
      </section>
      <section className="card" aria-labelledby="tokens-list-title">
        <h2 id="tokens-list-title">{t('tokens.list')}</h2>
        <ErrorBox error={tokens.error} />
        {tokens.loading && !tokens.data ? (
          <Loading />
        ) : (tokens.data?.items ?? []).length === 0 ? (
          <p className="empty">{t('common.empty')}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{t('tokens.name')}</th>
                <th>{t('tokens.scope')}</th>
                <th>{t('tokens.expires')}</th>
                <th>{t('tokens.createdBy')}</th>
                <th>{t('tokens.lastUsed')}</th>
                <th>{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(tokens.data?.items ?? []).map((token) => (
                <TokenRow key={token.id} token={token} onChanged={tokens.reload} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
