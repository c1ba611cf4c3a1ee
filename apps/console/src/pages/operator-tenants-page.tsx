import { useState } from 'react';

import type { TokenScope } from '../access';
import { useConsole } from '../context';
import { healthBadge, sortTenants } from '../operator';
import type { OperatorTenantView, ShopHealth } from '../operator';
import { formatDate, formatTime } from '../status';
import {
  ErrorBox,
  Field,
  FieldError,
  Loading,
  Notice,
  invalidProps,
  useAction,
  useLoad,
} from '../ui';

/** `POST /tenants`: the tenant and its first token (its secret shown only here). */
interface CreatedTenantView {
  tenant: { id: string; name: string; createdAt: string };
  token: { id: string; name: string; scope: TokenScope; token: string };
}

/** A health as a badge ("unknown" without one, or when the services did not answer). */
export function HealthBadge({
  health,
  available = true,
}: {
  health: ShopHealth | null;
  available?: boolean;
}) {
  const { t } = useConsole();
  const badge = healthBadge(health, available);
  return (
    <span className={`badge ${badge.tone}`} data-health={available ? (health ?? 'none') : 'none'}>
      {t(badge.key)}
    </span>
  );
}

/** Enabled, or disabled with the day it was. */
export function TenantState({ tenant }: { tenant: Pick<OperatorTenantView, 'disabledAt'> }) {
  const { t, lang } = useConsole();
  if (!tenant.disabledAt) {
    return (
      <span className="badge ok" data-state="enabled">
        {t('op.state.enabled')}
      </span>
    );
  }
  return (
    <>
      <span className="badge bad" data-state="disabled">
        {t('op.state.disabled')}
      </span>{' '}
      <span className="small muted" title={formatTime(lang, tenant.disabledAt)}>
        {t('op.state.since', { at: formatDate(lang, tenant.disabledAt) })}
      </span>
    </>
  );
}

/** A link inside the console (history navigation; a modified click opens a new tab). */
function TenantLink({ tenant }: { tenant: OperatorTenantView }) {
  const { navigate } = useConsole();
  const href = `/operator/tenants/${encodeURIComponent(tenant.id)}`;
  return (
    <a
      href={href}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {tenant.name}
    </a>
  );
}

function CreateTenantForm({ onCreated }: { onCreated: (created: CreatedTenantView) => void }) {
  const { api, t } = useConsole();
  const [name, setName] = useState('');
  const action = useAction();
  const submit = async () => {
    const created = await action.run(() =>
      api.json<CreatedTenantView>('POST', '/tenants', { name: name.trim() }),
    );
    if (created) {
      setName('');
      onCreated(created);
    }
  };
  return (
    <form
      aria-labelledby="create-tenant-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="create-tenant-title">{t('op.create.title')}</h2>
      <div className="row">
        <Field label={t('op.create.name')} help={t('op.create.nameHelp')} required>
          {(props) => (
            <>
              <input
                {...props}
                {...invalidProps(action.error, 'name', props)}
                name="tenantName"
                maxLength={200}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
              <FieldError error={action.error} field="name" id={`${props.id}-error`} />
            </>
          )}
        </Field>
      </div>
      <ErrorBox error={action.error} inline={['name']} />
      <button type="submit" className="primary" disabled={action.busy || name.trim() === ''}>
        {t('op.create.submit')}
      </button>
    </form>
  );
}

/** 테넌트 관리 (operators): every tenant with its people, tokens and shops' health; create one. */
export function OperatorTenantsPage() {
  const { api, t, lang, navigate } = useConsole();
  const [created, setCreated] = useState<CreatedTenantView | null>(null);
  const tenants = useLoad(
    () => api.get<{ items: OperatorTenantView[]; healthAvailable: boolean }>('/operator/tenants'),
    [api],
  );
  const available = tenants.data?.healthAvailable ?? true;
  const items = sortTenants(tenants.data?.items ?? []);
  const count = (value: number | null) => (available && value !== null ? value : '—');
  return (
    <>
      <h1>{t('op.tenants.title')}</h1>
      <p className="help">{t('op.tenants.help')}</p>
      <section className="card">
        {created ? (
          <>
            <Notice>{t('op.create.done', { name: created.tenant.name })}</Notice>
            <div className="secret-once" role="alert">
              <p>
                <strong>{t('tokens.once')}</strong>
              </p>
              <code className="secret" data-testid="issued-token">
                {created.token.token}
              </code>
              <p className="actions">
                <button type="button" onClick={() => setCreated(null)}>
                  {t('tokens.stored')}
                </button>
                <button
                  type="button"
                  className="primary"
                  onClick={() =>
                    navigate(`/operator/tenants/${encodeURIComponent(created.tenant.id)}`)
                  }
                >
                  {t('op.create.open')}
                </button>
              </p>
            </div>
          </>
        ) : (
          <CreateTenantForm
            onCreated={(value) => {
              setCreated(value);
              tenants.reload();
            }}
          />
        )}
      </section>
      <section className="card" aria-labelledby="tenants-list-title">
        <div className="page-head">
          <h2 id="tenants-list-title">{t('op.list.title')}</h2>
          <button type="button" disabled={tenants.loading} onClick={tenants.reload}>
            {t('common.refresh')}
          </button>
        </div>
        <ErrorBox error={tenants.error} />
        {tenants.data && !available && (
          <div className="alert alert-warn" role="status" data-testid="health-unavailable">
            {t('op.healthUnavailable')}
          </div>
        )}
        {tenants.loading && !tenants.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <p className="empty">{t('op.empty')}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{t('op.col.name')}</th>
                <th>{t('op.col.created')}</th>
                <th>{t('op.col.state')}</th>
                <th className="num">{t('op.col.users')}</th>
                <th className="num">{t('op.col.tokens')}</th>
                <th className="num">{t('op.col.shops')}</th>
                <th className="num">{t('op.col.problemShops')}</th>
                <th>{t('op.col.health')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((tenant) => (
                <tr
                  key={tenant.id}
                  data-tenant={tenant.id}
                  className={tenant.disabledAt ? 'muted-row' : undefined}
                >
                  <td>
                    <TenantLink tenant={tenant} />
                  </td>
                  <td>{formatDate(lang, tenant.createdAt)}</td>
                  <td>
                    <TenantState tenant={tenant} />
                  </td>
                  <td className="num">{tenant.users}</td>
                  <td className="num">{tenant.activeTokens}</td>
                  <td className="num">{count(tenant.shops)}</td>
                  <td className="num">{count(tenant.shopsWithProblems)}</td>
                  <td>
                    <HealthBadge health={tenant.worstHealth} available={available} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
