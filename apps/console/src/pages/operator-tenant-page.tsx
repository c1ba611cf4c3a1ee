import { useState } from 'react';

import { useConsole } from '../context';
import { OPERATOR_HOME, healthOf, licenceDaysLeft, problemLabels, sortShops } from '../operator';
import type { OperatorShopView, OperatorTenantView } from '../operator';
import { formatDate, formatTime, shopStatusLabel } from '../status';
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
import { HealthBadge, TenantState } from './operator-tenants-page';

interface TenantDetailView {
  tenant: OperatorTenantView;
  /** null when the services did not answer. */
  shops: OperatorShopView[] | null;
}

/** Disable or enable the tenant, and revoke all its tokens: each asks once more first. */
function TenantActions({
  tenant,
  onChanged,
}: {
  tenant: OperatorTenantView;
  onChanged: () => void;
}) {
  const { api, t } = useConsole();
  const action = useAction();
  const [result, setResult] = useState('');
  // Remounts the confirmations after each action, so they ask again the next time.
  const [round, setRound] = useState(0);
  const disabled = tenant.disabledAt !== null;
  const path = `/operator/tenants/${encodeURIComponent(tenant.id)}`;
  const setState = async (disable: boolean) => {
    setResult('');
    const answer = await action.run(() =>
      api.json<{ tenant: OperatorTenantView; shopsChanged: number }>(
        'POST',
        `${path}/${disable ? 'disable' : 'enable'}`,
      ),
    );
    setRound((value) => value + 1);
    if (answer) {
      setResult(t(disable ? 'op.disabledDone' : 'op.enabledDone', { n: answer.shopsChanged }));
      onChanged();
    }
  };
  const revoke = async () => {
    setResult('');
    const answer = await action.run(() =>
      api.json<{ revoked: number }>('POST', `${path}/revoke-tokens`),
    );
    setRound((value) => value + 1);
    if (answer) {
      setResult(t('op.revokedDone', { n: answer.revoked }));
      onChanged();
    }
  };
  return (
    <section className="card" aria-labelledby="tenant-actions-title">
      <h2 id="tenant-actions-title">{t('op.actions')}</h2>
      {result && <Notice>{result}</Notice>}
      <ErrorBox error={action.error} />
      <div className="op-actions">
        <div>
          <p className="help">{disabled ? t('op.enableHelp') : t('op.disableHelp')}</p>
          <ConfirmDelete
            key={`state-${round}-${disabled}`}
            busy={action.busy}
            label={disabled ? t('op.enable') : t('op.disable')}
            question={disabled ? t('op.confirmEnable') : t('op.confirmDisable')}
            onConfirm={() => void setState(!disabled)}
          />
        </div>
        <div>
          <p className="help">{t('op.revokeHelp')}</p>
          <ConfirmDelete
            key={`revoke-${round}`}
            busy={action.busy}
            label={t('op.revoke')}
            question={t('op.confirmRevoke')}
            onConfirm={() => void revoke()}
          />
        </div>
      </div>
    </section>
  );
}

/** Invite the tenant's owner by e-mail (the link goes by e-mail only). */
function InviteOwnerForm({ tenantId }: { tenantId: string }) {
  const { api, t } = useConsole();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState('');
  const action = useAction();
  const submit = async () => {
    setSent('');
    const answer = await action.run(() =>
      api.json<{ email: string }>('POST', `/tenants/${encodeURIComponent(tenantId)}/invitations`, {
        email: email.trim(),
        role: 'owner',
      }),
    );
    if (answer) {
      setEmail('');
      setSent(answer.email);
    }
  };
  return (
    <section className="card">
      <form
        aria-labelledby="invite-owner-title"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h2 id="invite-owner-title">{t('op.invite.title')}</h2>
        <p className="help">{t('op.invite.help')}</p>
        {sent && <Notice>{t('people.invited', { email: sent })}</Notice>}
        <div className="row">
          <Field label={t('signIn.email')} required>
            {(props) => (
              <>
                <input
                  {...props}
                  {...invalidProps(action.error, 'email', props)}
                  name="ownerEmail"
                  type="email"
                  maxLength={320}
                  value={email}
                  onChange={(event) => setEmail(event.target.value)}
                />
                <FieldError error={action.error} field="email" id={`${props.id}-error`} />
              </>
            )}
          </Field>
        </div>
        <ErrorBox error={action.error} inline={['email']} />
        <button type="submit" className="primary" disabled={action.busy || email.trim() === ''}>
          {t('op.invite.submit')}
        </button>
      </form>
    </section>
  );
}

/** One shop's health: status, licence, pulls and what is held or failing. */
function ShopRow({ shop }: { shop: OperatorShopView }) {
  const { t, lang } = useConsole();
  const status = shopStatusLabel(lang, {
    status: shop.status,
    licenseKeyDaysLeft: shop.licenceKeyDaysLeft,
  });
  const days = licenceDaysLeft(shop.licenceKeyDaysLeft);
  const problems = problemLabels(shop.problems);
  const licenceProblem = problems.some(({ problem }) => problem.startsWith('license_'));
  const bad = (value: number) => (value > 0 ? 'num bad' : 'num');
  return (
    <tr data-shop={shop.shopName}>
      <td className="mono">{shop.shopName}</td>
      <td>
        <span className={`badge ${status.tone}`}>{status.text}</span>
      </td>
      <td>
        <HealthBadge health={healthOf(shop.problems)} />
      </td>
      <td className={licenceProblem ? 'num bad' : 'num'}>{t('op.days', { n: days })}</td>
      <td>{formatTime(lang, shop.lastSuccessfulPullAt)}</td>
      <td className={shop.pullFailingSince ? 'bad' : undefined}>
        {formatTime(lang, shop.pullFailingSince)}
      </td>
      <td className={bad(shop.unmappedLines)}>{shop.unmappedLines}</td>
      <td className={bad(shop.unpublishableOrders)}>{shop.unpublishableOrders}</td>
      <td className="num">{shop.pendingShippingReports}</td>
      <td className={bad(shop.failingStockListings)}>{shop.failingStockListings}</td>
      <td className="num">{shop.throttledCalls24h}</td>
      <td>
        {problems.length === 0 ? (
          <span className="muted">{t('common.none')}</span>
        ) : (
          <span className="tags">
            {problems.map((problem) => (
              <span key={problem.problem} className={`badge ${problem.tone}`}>
                {t(problem.key)}
              </span>
            ))}
          </span>
        )}
      </td>
    </tr>
  );
}

function ShopsTable({ shops }: { shops: OperatorShopView[] | null }) {
  const { t } = useConsole();
  if (shops === null) {
    return (
      <div className="alert alert-warn" role="status" data-testid="health-unavailable">
        {t('op.shops.unavailable')}
      </div>
    );
  }
  if (shops.length === 0) return <p className="empty">{t('op.shops.empty')}</p>;
  return (
    <div className="table-scroll">
      <table className="data compact">
        <thead>
          <tr>
            <th>{t('op.shop.col.shop')}</th>
            <th>{t('op.shop.col.status')}</th>
            <th>{t('op.shop.col.health')}</th>
            <th className="num">{t('op.shop.col.licence')}</th>
            <th>{t('op.shop.col.lastPull')}</th>
            <th>{t('op.shop.col.failingSince')}</th>
            <th className="num">{t('op.shop.col.unmapped')}</th>
            <th className="num">{t('op.shop.col.unpublishable')}</th>
            <th className="num">{t('op.shop.col.reports')}</th>
            <th className="num">{t('op.shop.col.stock')}</th>
            <th className="num">{t('op.shop.col.throttled')}</th>
            <th>{t('op.shop.col.problems')}</th>
          </tr>
        </thead>
        <tbody>
          {sortShops(shops).map((shop) => (
            <ShopRow key={shop.shopId} shop={shop} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A tenant (operators): its facts, its shops' health, disable/enable, revoke, invite owner. */
export function OperatorTenantPage({ tenantId }: { tenantId: string }) {
  const { api, t, lang, navigate } = useConsole();
  const detail = useLoad(
    () => api.get<TenantDetailView>(`/operator/tenants/${encodeURIComponent(tenantId)}`),
    [api, tenantId],
  );
  const back = (
    <p>
      <a
        href={OPERATOR_HOME}
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey) return;
          event.preventDefault();
          navigate(OPERATOR_HOME);
        }}
      >
        {t('op.back')}
      </a>
    </p>
  );
  if (!detail.data) {
    return (
      <>
        {back}
        <ErrorBox error={detail.error} />
        {detail.loading && <Loading />}
      </>
    );
  }
  const { tenant, shops } = detail.data;
  const available = shops !== null;
  const count = (value: number | null) => (available && value !== null ? value : '—');
  return (
    <>
      {back}
      <div className="page-head">
        <h1>{tenant.name}</h1>
        <button type="button" disabled={detail.loading} onClick={detail.reload}>
          {t('common.refresh')}
        </button>
      </div>
      <ErrorBox error={detail.error} />
      <section className="card" aria-labelledby="tenant-facts-title">
        <h2 id="tenant-facts-title">{t('op.facts')}</h2>
        <dl className="facts" data-testid="tenant-facts">
          <div>
            <dt>{t('op.col.state')}</dt>
            <dd data-testid="tenant-state">
              <TenantState tenant={tenant} />
            </dd>
          </div>
          <div>
            <dt>{t('op.col.created')}</dt>
            <dd>{formatDate(lang, tenant.createdAt)}</dd>
          </div>
          <div>
            <dt>{t('op.col.id')}</dt>
            <dd className="mono small">{tenant.id}</dd>
          </div>
          <div>
            <dt>{t('op.col.users')}</dt>
            <dd>{tenant.users}</dd>
          </div>
          <div>
            <dt>{t('op.col.tokens')}</dt>
            <dd data-testid="tenant-tokens">{tenant.activeTokens}</dd>
          </div>
          <div>
            <dt>{t('op.col.shops')}</dt>
            <dd>
              {count(tenant.shops)} ({t('op.col.problemShops')}: {count(tenant.shopsWithProblems)})
            </dd>
          </div>
          <div>
            <dt>{t('op.col.health')}</dt>
            <dd>
              <HealthBadge health={tenant.worstHealth} available={available} />
            </dd>
          </div>
        </dl>
      </section>
      <TenantActions tenant={tenant} onChanged={detail.reload} />
      <section className="card" aria-labelledby="tenant-shops-title">
        <h2 id="tenant-shops-title">{t('op.shops.title')}</h2>
        <ShopsTable shops={shops} />
      </section>
      <InviteOwnerForm tenantId={tenant.id} />
    </>
  );
}
