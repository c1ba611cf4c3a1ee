import { useState } from 'react';

import { TENANT_ROLES } from '../access';
import type { SessionUser, TenantRole } from '../access';
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

interface InvitationView {
  id: string;
  email: string;
  role: TenantRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export const ROLE_KEYS: Record<TenantRole, MessageKey> = {
  owner: 'role.owner',
  admin: 'role.admin',
  staff: 'role.staff',
  viewer: 'role.viewer',
};

/** Invite a person by e-mail with a role; the link goes by e-mail only. */
function InviteForm({ onInvited }: { onInvited: (email: string) => void }) {
  const { api, t } = useConsole();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TenantRole>('staff');
  const action = useAction();
  const submit = async () => {
    const answer = await action.run(() =>
      api.json<InvitationView>('POST', '/users/invitations', { email: email.trim(), role }),
    );
    if (answer) {
      setEmail('');
      onInvited(answer.email);
    }
  };
  return (
    <form
      aria-labelledby="invite-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="invite-title">{t('people.invite')}</h2>
      <p className="help">{t('people.inviteHelp')}</p>
      <div className="row">
        <Field label={t('signIn.email')} required>
          {(props) => (
            <>
              <input
                {...props}
                {...invalidProps(action.error, 'email', props)}
                name="inviteEmail"
                type="email"
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
              <FieldError error={action.error} field="email" id={`${props.id}-error`} />
            </>
          )}
        </Field>
        <Field label={t('people.role')} required>
          {(props) => (
            <select
              {...props}
              name="inviteRole"
              value={role}
              onChange={(event) => setRole(event.target.value as TenantRole)}
            >
              {TENANT_ROLES.map((value) => (
                <option key={value} value={value}>
                  {t(ROLE_KEYS[value])}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorBox error={action.error} inline={['email']} />
      <button type="submit" className="primary" disabled={action.busy || email.trim() === ''}>
        {t('people.sendInvite')}
      </button>
    </form>
  );
}

/** One person: their role (changeable) and disabling. */
function PersonRow({
  person,
  onChanged,
  onTotpReset,
}: {
  person: SessionUser;
  onChanged: () => void;
  onTotpReset: (email: string) => void;
}) {
  const { api, t, lang, session } = useConsole();
  const action = useAction();
  const self = session?.user.id === person.id;
  const update = async (body: { role?: TenantRole; disabled?: boolean }) => {
    const answer = await action.run(() => api.json('PATCH', `/users/${person.id}`, body));
    if (answer) onChanged();
  };
  const role = person.role === 'operator' ? 'viewer' : person.role;
  return (
    <tr data-person={person.email}>
      <td className="mono">
        {person.email}
        {self && <span className="badge info">{t('people.you')}</span>}
      </td>
      <td>
        <select
          aria-label={t('people.roleOf', { email: person.email })}
          value={role}
          disabled={action.busy || person.disabled}
          onChange={(event) => void update({ role: event.target.value as TenantRole })}
        >
          {TENANT_ROLES.map((value) => (
            <option key={value} value={value}>
              {t(ROLE_KEYS[value])}
            </option>
          ))}
        </select>
      </td>
      <td>
        {person.disabled ? (
          <span className="badge muted">{t('people.disabled')}</span>
        ) : (
          <span className="badge ok">{t('people.active')}</span>
        )}
        {person.totpEnabled && <span className="badge info">{t('people.totp')}</span>}
      </td>
      <td>{formatTime(lang, person.createdAt)}</td>
      <td>
        {!self && (
          <button
            type="button"
            className={person.disabled ? undefined : 'danger'}
            disabled={action.busy}
            onClick={() => void update({ disabled: !person.disabled })}
          >
            {person.disabled ? t('people.enable') : t('people.disable')}
          </button>
        )}
        {!self && person.totpEnabled && (
          <ConfirmDelete
            busy={action.busy}
            label={t('people.resetTotp')}
            question={t('people.resetTotpQuestion')}
            onConfirm={() =>
              void action
                .run(() => api.json('DELETE', `/users/${person.id}/totp`))
                .then((answer) => {
                  if (!answer) return;
                  onTotpReset(person.email);
                  onChanged();
                })
            }
          />
        )}
        <ErrorBox error={action.error} />
      </td>
    </tr>
  );
}

/** A pending invitation, which may be withdrawn (its link then stops working). */
function InvitationRow({
  invitation,
  onWithdrawn,
}: {
  invitation: InvitationView;
  onWithdrawn: () => void;
}) {
  const { api, t, lang } = useConsole();
  const action = useAction();
  return (
    <tr data-invitation={invitation.email}>
      <td className="mono">{invitation.email}</td>
      <td>{t(ROLE_KEYS[invitation.role])}</td>
      <td>{formatTime(lang, invitation.createdAt)}</td>
      <td>{formatTime(lang, invitation.expiresAt)}</td>
      <td>
        <ConfirmDelete
          busy={action.busy}
          label={t('people.withdraw')}
          question={t('people.withdrawQuestion')}
          onConfirm={() =>
            void action
              .run(() => api.json('DELETE', `/users/invitations/${invitation.id}`))
              .then((answer) => answer !== undefined && onWithdrawn())
          }
        />
        <ErrorBox error={action.error} />
      </td>
    </tr>
  );
}

/** 사용자 관리 (owners: users.manage): people, pending invitations, invite. */
export function PeoplePage() {
  const { api, t, can } = useConsole();
  const [notice, setNotice] = useState('');
  const people = useLoad(() => api.get<{ items: SessionUser[] }>('/users'), [api]);
  const invitations = useLoad(
    () => api.get<{ items: (InvitationView & { expired?: boolean })[] }>('/users/invitations'),
    [api],
  );
  if (!can('users.manage')) {
    return <ErrorBox error={{ statusCode: 403, code: 'ROLE_FORBIDDEN', message: '' }} />;
  }
  const now = Date.now();
  const pending = (invitations.data?.items ?? []).filter(
    (invitation) => invitation.usedAt === null && Date.parse(invitation.expiresAt) > now,
  );
  return (
    <>
      <h1>{t('people.title')}</h1>
      {notice && <Notice>{notice}</Notice>}
      <section className="card">
        <InviteForm
          onInvited={(email) => {
            setNotice(t('people.invited', { email }));
            invitations.reload();
          }}
        />
      </section>
      <section className="card" aria-labelledby="people-list-title">
        <h2 id="people-list-title">{t('people.list')}</h2>
        <ErrorBox error={people.error} />
        {people.loading && !people.data ? (
          <Loading />
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{t('signIn.email')}</th>
                <th>{t('people.role')}</th>
                <th>{t('people.state')}</th>
                <th>{t('people.since')}</th>
                <th>{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(people.data?.items ?? []).map((person) => (
                <PersonRow
                  key={person.id}
                  person={person}
                  onChanged={people.reload}
                  onTotpReset={(email) => setNotice(t('people.totpReset', { email }))}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-labelledby="invitations-title">
        <h2 id="invitations-title">{t('people.pending')}</h2>
        <ErrorBox error={invitations.error} />
        {pending.length === 0 ? (
          <p className="empty">{t('people.noPending')}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{t('signIn.email')}</th>
                <th>{t('people.role')}</th>
                <th>{t('people.invitedAt')}</th>
                <th>{t('people.expiresAt')}</th>
                <th>{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((invitation) => (
                <InvitationRow
                  key={invitation.id}
                  invitation={invitation}
                  onWithdrawn={() => {
                    setNotice(t('people.withdrawn', { email: invitation.email }));
                    invitations.reload();
                  }}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
