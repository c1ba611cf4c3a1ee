import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SecretBox } from '@smartship/crypto';
import { ROOT_LOGGER } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import {
  type ActorType,
  type TenantPrincipal,
  type TenantRole,
  auditActorOf,
} from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { GatewayError, GatewayErrorCode, validationFailed } from '../http/gateway.errors';
import { AuthThrottle, accountKey } from '../sessions/auth-throttle';
import { SessionService, StartedSession } from '../sessions/session.service';
import { AccountNotices } from './account-notices';
import { INVITATION_TOKEN, RESET_TOKEN, hashSecret, newSecret } from './link-tokens';
import { PasswordHasher } from './password-hasher';
import { passwordProblems } from './password-policy';
import { acceptedTotpStep, newTotpSecret, totpPurpose, totpUri } from './totp';
import { UserRow, UserView, normalizeEmail, toUserView, userColumns } from './user-records';

/** An invitation link is good for 7 days, a reset link for 1 hour. */
export const INVITATION_TTL_HOURS = 7 * 24;
export const RESET_TTL_MINUTES = 60;
/** At most this many reset e-mails per account an hour (no mail-bombing through the form). */
const RESETS_PER_HOUR = 3;

/** Who invites: a tenant principal with users.manage, or an operator (a tenant's first owner). */
export interface Inviter {
  tenantId: string;
  role: TenantRole | 'operator';
  actorId: string;
  actorType: ActorType;
}

export function inviterOf(principal: TenantPrincipal): Inviter {
  return { tenantId: principal.tenantId, role: principal.role, ...auditActorOf(principal) };
}

export interface InvitationView {
  id: string;
  email: string;
  role: TenantRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

interface InvitationRow {
  id: string;
  tenant_id: string;
  email: string;
  role: TenantRole;
  invited_by: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  expired: boolean;
}

function toInvitationView(row: InvitationRow): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    usedAt: row.used_at?.toISOString() ?? null,
  };
}

function refusePassword(password: string, email: string | null): void {
  const problems = passwordProblems(password, email);
  if (problems.length > 0) throw validationFailed([{ field: 'password', problems }]);
}

function emailTaken(): GatewayError {
  return new GatewayError(
    GatewayErrorCode.EmailTaken,
    'Someone already has an account with this e-mail',
    [{ field: 'email', problems: ['email already belongs to an account'] }],
  );
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

/**
 * People: the first operators, invitations, the tenant's users, password resets and TOTP
 * enrolment. Invitation and reset tokens are random (256 bits), stored as SHA-256, single-use
 * and expiring.
 */
@Injectable()
export class UsersService {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: AuthThrottle,
    private readonly notices: AccountNotices,
    private readonly audit: AuditService,
    @Inject('TOTP_BOX') private readonly totpBox: SecretBox,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'users' });
  }

  /** `POST /operators` (operator token): an operator user. */
  async createOperator(email: string, password: string): Promise<UserView> {
    refusePassword(password, email);
    const passwordHash = await this.hasher.hash(password);
    try {
      const [row]: UserRow[] = await this.dataSource.query(
        `INSERT INTO gateway.users (id, tenant_id, email, password_hash, role)
         VALUES ($1, NULL, $2, $3, 'operator') RETURNING ${userColumns('users')}`,
        [randomUUID(), email, passwordHash],
      );
      return toUserView(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }

  /**
   * Invites a person to the actor's tenant and e-mails them the link. Only an owner may invite
   * an owner. When the e-mail cannot be sent, nothing is kept (503).
   */
  async invite(actor: Inviter, email: string, role: TenantRole): Promise<InvitationView> {
    if (role === 'owner' && actor.role !== 'owner' && actor.role !== 'operator') {
      throw new GatewayError(GatewayErrorCode.RoleForbidden, 'Only an owner may invite an owner', [
        { field: 'role', problems: ['role owner may only be given by an owner'] },
      ]);
    }
    const [tenant]: { name: string }[] = await this.dataSource.query(
      'SELECT name FROM gateway.tenants WHERE id = $1',
      [actor.tenantId],
    );
    if (!tenant) {
      throw new GatewayError(GatewayErrorCode.TenantNotFound, `No tenant ${actor.tenantId}`);
    }
    const taken: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM gateway.users WHERE lower(email) = $1',
      [normalizeEmail(email)],
    );
    if (taken.length > 0) throw emailTaken();
    const token = newSecret('inv');
    const { actorId, actorType } = actor;
    return this.dataSource.transaction(async (manager) => {
      const [row]: InvitationRow[] = await manager.query(
        `INSERT INTO gateway.invitations (id, tenant_id, email, role, token_hash, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 hour')
         RETURNING *, false AS expired`,
        [
          randomUUID(),
          actor.tenantId,
          email,
          role,
          hashSecret(token),
          actorId,
          INVITATION_TTL_HOURS,
        ],
      );
      await this.audit.record(
        {
          tenantId: actor.tenantId,
          actorId,
          actorType,
          action: 'user.invited',
          resourceType: 'invitation',
          resourceId: row.id,
          details: { email, role },
        },
        manager,
      );
      // Inside the transaction: an invitation whose e-mail did not go out is not kept.
      await this.notices.sendEmail({
        kind: 'invitation',
        tenantId: actor.tenantId,
        to: email,
        token,
        expiresAt: row.expires_at.toISOString(),
        tenantName: tenant.name,
        role,
      });
      return toInvitationView(row);
    });
  }

  async listInvitations(tenantId: string): Promise<InvitationView[]> {
    const rows: InvitationRow[] = await this.dataSource.query(
      `SELECT *, expires_at <= now() AS expired FROM gateway.invitations
        WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 500`,
      [tenantId],
    );
    return rows.map(toInvitationView);
  }

  /**
   * Withdraws an invitation that was not accepted: its link stops working (it is deleted; the
   * audit log keeps who invited whom and who withdrew it). Another tenant's is a 404; an
   * accepted one is a 410 (the person is a user now: disable them instead).
   */
  async withdrawInvitation(actor: TenantPrincipal, invitationId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [invitation]: InvitationRow[] = await manager.query(
        `SELECT *, expires_at <= now() AS expired FROM gateway.invitations
          WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [invitationId, actor.tenantId],
      );
      if (!invitation) {
        throw new GatewayError(
          GatewayErrorCode.InvitationNotFound,
          `No invitation ${invitationId} in this tenant`,
        );
      }
      if (invitation.role === 'owner' && actor.role !== 'owner') {
        throw new GatewayError(
          GatewayErrorCode.RoleForbidden,
          'Only an owner may withdraw an owner invitation',
        );
      }
      if (invitation.used_at !== null) {
        throw new GatewayError(
          GatewayErrorCode.InvitationUsed,
          'This invitation was already accepted: disable the user instead',
        );
      }
      await manager.query('DELETE FROM gateway.invitations WHERE id = $1', [invitationId]);
      await this.audit.record(
        {
          tenantId: actor.tenantId,
          ...auditActorOf(actor),
          action: 'user.invitation_withdrawn',
          resourceType: 'invitation',
          resourceId: invitationId,
          details: { email: invitation.email, role: invitation.role },
        },
        manager,
      );
    });
  }

  /**
   * Accepts an invitation: the person chooses a password, their user is created in the
   * invitation's tenant with its role, and they are signed in.
   */
  async acceptInvitation(
    token: string,
    password: string,
    client: { address: string; userAgent: string | null },
  ): Promise<StartedSession> {
    const invalid = () =>
      new GatewayError(GatewayErrorCode.InvitationInvalid, 'This invitation link is not valid', [
        { field: 'token', problems: ['token is not a valid invitation'] },
      ]);
    if (!INVITATION_TOKEN.test(token)) throw invalid();
    const passwordHash = { value: '' };
    return this.dataSource.transaction(async (manager) => {
      const [invitation]: InvitationRow[] = await manager.query(
        `SELECT *, expires_at <= now() AS expired FROM gateway.invitations
          WHERE token_hash = $1 FOR UPDATE`,
        [hashSecret(token)],
      );
      if (!invitation) throw invalid();
      if (invitation.used_at !== null) {
        throw new GatewayError(
          GatewayErrorCode.InvitationUsed,
          'This invitation was already used',
          [{ field: 'token', problems: ['token was already used'] }],
        );
      }
      if (invitation.expired) {
        throw new GatewayError(
          GatewayErrorCode.InvitationExpired,
          'This invitation has expired: ask for a new one',
          [{ field: 'token', problems: ['token has expired'] }],
        );
      }
      refusePassword(password, invitation.email);
      passwordHash.value = await this.hasher.hash(password);
      let user: UserRow;
      try {
        [user] = await manager.query(
          `INSERT INTO gateway.users (id, tenant_id, email, password_hash, role)
           VALUES ($1, $2, $3, $4, $5) RETURNING ${userColumns('users')}`,
          [
            randomUUID(),
            invitation.tenant_id,
            invitation.email,
            passwordHash.value,
            invitation.role,
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw emailTaken();
        throw error;
      }
      await manager.query('UPDATE gateway.invitations SET used_at = now() WHERE id = $1', [
        invitation.id,
      ]);
      await this.audit.record(
        {
          tenantId: invitation.tenant_id,
          actorId: user.id,
          actorType: 'user',
          action: 'user.joined',
          resourceType: 'user',
          resourceId: user.id,
          details: { email: user.email, role: user.role, invitationId: invitation.id },
        },
        manager,
      );
      return this.sessions.start(manager, user, client);
    });
  }

  async list(tenantId: string): Promise<UserView[]> {
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT ${userColumns('users')} FROM gateway.users WHERE tenant_id = $1 ORDER BY created_at`,
      [tenantId],
    );
    return rows.map(toUserView);
  }

  /**
   * Changes a person's role or disables them (their sessions end). Another tenant's user is a
   * 404. Owners are changed only by owners, and a tenant always keeps an active owner.
   */
  async update(
    actor: TenantPrincipal,
    userId: string,
    change: { role?: TenantRole; disabled?: boolean },
  ): Promise<UserView> {
    return this.dataSource.transaction(async (manager) => {
      const [target]: UserRow[] = await manager.query(
        `SELECT ${userColumns('users')} FROM gateway.users
          WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [userId, actor.tenantId],
      );
      if (!target) {
        throw new GatewayError(GatewayErrorCode.UserNotFound, `No user ${userId} in this tenant`);
      }
      const touchesOwner = target.role === 'owner' || change.role === 'owner';
      if (touchesOwner && actor.role !== 'owner') {
        throw new GatewayError(
          GatewayErrorCode.RoleForbidden,
          'Only an owner may change an owner',
          [{ field: 'role', problems: ['role owner may only be given or taken by an owner'] }],
        );
      }
      const losesOwner =
        target.role === 'owner' &&
        target.disabled_at === null &&
        ((change.role !== undefined && change.role !== 'owner') || change.disabled === true);
      if (losesOwner) {
        const [{ count }]: { count: string }[] = await manager.query(
          `SELECT count(*) FROM gateway.users
            WHERE tenant_id = $1 AND role = 'owner' AND disabled_at IS NULL AND id <> $2`,
          [actor.tenantId, userId],
        );
        if (Number(count) === 0) {
          throw new GatewayError(
            GatewayErrorCode.LastOwner,
            'A tenant needs at least one active owner: make someone else owner first',
          );
        }
      }
      // An UPDATE answers [rows, affected count].
      const [[row]]: [UserRow[], number] = await manager.query(
        `UPDATE gateway.users
            SET role = coalesce($2, role),
                disabled_at = CASE WHEN $3::boolean IS NULL THEN disabled_at
                                   WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END
          WHERE id = $1 RETURNING ${userColumns('users')}`,
        [userId, change.role ?? null, change.disabled ?? null],
      );
      if (change.disabled === true) await this.sessions.signOutEverywhere(userId, null, manager);
      await this.audit.record(
        {
          tenantId: actor.tenantId,
          ...auditActorOf(actor),
          action: 'user.updated',
          resourceType: 'user',
          resourceId: userId,
          details: { ...change },
        },
        manager,
      );
      return toUserView(row);
    });
  }

  /**
   * `POST /password-resets`: e-mails a reset link when an active account has the address.
   * Runs after the answer was sent (the route always answers 202), so neither the answer nor
   * its timing tells whether the account exists.
   */
  async requestReset(email: string): Promise<void> {
    const [user]: UserRow[] = await this.dataSource.query(
      `SELECT ${userColumns('u')} FROM gateway.users u
         LEFT JOIN gateway.tenants t ON t.id = u.tenant_id
        WHERE lower(u.email) = $1 AND u.disabled_at IS NULL AND t.disabled_at IS NULL`,
      [normalizeEmail(email)],
    );
    if (!user) return;
    const [{ recent }]: { recent: string }[] = await this.dataSource.query(
      `SELECT count(*) AS recent FROM gateway.password_resets
        WHERE user_id = $1 AND created_at > now() - interval '1 hour'`,
      [user.id],
    );
    if (Number(recent) >= RESETS_PER_HOUR) {
      this.logger.warn({ userId: user.id }, 'reset e-mails for this account are rate-limited');
      return;
    }
    const token = newSecret('pwr');
    const [row]: { expires_at: Date }[] = await this.dataSource.query(
      `INSERT INTO gateway.password_resets (id, user_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 minute') RETURNING expires_at`,
      [randomUUID(), user.id, hashSecret(token), RESET_TTL_MINUTES],
    );
    await this.notices.sendEmail({
      kind: 'password_reset',
      tenantId: user.tenant_id,
      to: user.email,
      token,
      expiresAt: row.expires_at.toISOString(),
    });
  }

  /**
   * `POST /password-resets/complete`: sets the new password, uses up every reset link of the
   * account, ends all its sessions and lifts a sign-in lock.
   */
  async completeReset(token: string, password: string): Promise<void> {
    const invalid = () =>
      new GatewayError(GatewayErrorCode.ResetTokenInvalid, 'This reset link is not valid', [
        { field: 'token', problems: ['token is not a valid reset link'] },
      ]);
    if (!RESET_TOKEN.test(token)) throw invalid();
    const email = await this.dataSource.transaction(async (manager) => {
      const [reset]: {
        id: string;
        user_id: string;
        used_at: Date | null;
        expired: boolean;
      }[] = await manager.query(
        `SELECT id, user_id, used_at, expires_at <= now() AS expired
           FROM gateway.password_resets WHERE token_hash = $1 FOR UPDATE`,
        [hashSecret(token)],
      );
      if (!reset) throw invalid();
      if (reset.used_at !== null) {
        throw new GatewayError(
          GatewayErrorCode.ResetTokenUsed,
          'This reset link was already used',
          [{ field: 'token', problems: ['token was already used'] }],
        );
      }
      if (reset.expired) {
        throw new GatewayError(
          GatewayErrorCode.ResetTokenExpired,
          'This reset link has expired: ask for a new one',
          [{ field: 'token', problems: ['token has expired'] }],
        );
      }
      const [user]: UserRow[] = await manager.query(
        `SELECT ${userColumns('users')} FROM gateway.users WHERE id = $1 FOR UPDATE`,
        [reset.user_id],
      );
      refusePassword(password, user.email);
      const passwordHash = await this.hasher.hash(password);
      await manager.query(
        `UPDATE gateway.users SET password_hash = $2, password_changed_at = now() WHERE id = $1`,
        [user.id, passwordHash],
      );
      await manager.query(
        `UPDATE gateway.password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`,
        [user.id],
      );
      await this.sessions.signOutEverywhere(user.id, null, manager);
      await this.throttle.reset('account', accountKey(user.email), manager);
      if (user.tenant_id !== null) {
        await this.audit.record(
          {
            tenantId: user.tenant_id,
            actorId: user.id,
            actorType: 'user',
            action: 'user.password_reset',
            resourceType: 'user',
            resourceId: user.id,
            details: {},
          },
          manager,
        );
      }
      return user.email;
    });
    this.logger.info({ email: email.replace(/^[^@]*/, '…') }, 'password reset');
  }

  /** `POST /session/totp`: a new secret, pending until confirmed with a code. */
  async startTotp(user: UserRow): Promise<{ secret: string; otpauthUri: string }> {
    if (user.role !== 'owner' && user.role !== 'admin' && user.role !== 'operator') {
      throw new GatewayError(
        GatewayErrorCode.RoleForbidden,
        'Two-step sign-in is for owners, admins and operators',
      );
    }
    if (user.totp_enabled_at !== null) {
      throw new GatewayError(GatewayErrorCode.TotpAlreadyEnabled, 'Two-step sign-in is already on');
    }
    const secret = newTotpSecret();
    const sealed = this.totpBox.seal(secret, totpPurpose(user.id));
    await this.dataSource.query(
      `UPDATE gateway.users SET totp_key_id = $2, totp_secret_sealed = $3, totp_last_step = NULL
        WHERE id = $1 AND totp_enabled_at IS NULL`,
      [user.id, sealed.keyId, sealed.ciphertext],
    );
    return { secret, otpauthUri: totpUri(user.email, secret) };
  }

  /** `POST /session/totp/confirm`: turns two-step sign-in on once a code of the secret matches. */
  async confirmTotp(userId: string, code: string): Promise<UserView> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [user]: UserRow[] = await manager.query(
        `SELECT ${userColumns('users')} FROM gateway.users WHERE id = $1 FOR UPDATE`,
        [userId],
      );
      if (user.totp_enabled_at !== null) {
        throw new GatewayError(
          GatewayErrorCode.TotpAlreadyEnabled,
          'Two-step sign-in is already on',
        );
      }
      if (user.totp_secret_sealed === null || user.totp_key_id === null) {
        throw new GatewayError(
          GatewayErrorCode.TotpNotStarted,
          'Start with POST /session/totp, then confirm a code',
        );
      }
      const secret = this.totpBox.open(
        { keyId: user.totp_key_id, ciphertext: user.totp_secret_sealed },
        totpPurpose(user.id),
      );
      const step = acceptedTotpStep(secret, code, null);
      if (step === null) {
        throw validationFailed([
          { field: 'code', problems: ['code does not match the secret (check the device clock)'] },
        ]);
      }
      const [[row]]: [UserRow[], number] = await manager.query(
        `UPDATE gateway.users SET totp_enabled_at = now(), totp_last_step = $2
          WHERE id = $1 RETURNING ${userColumns('users')}`,
        [userId, step],
      );
      if (row.tenant_id !== null) {
        await this.audit.record(
          {
            tenantId: row.tenant_id,
            actorId: row.id,
            actorType: 'user',
            action: 'user.totp_enabled',
            resourceType: 'user',
            resourceId: row.id,
            details: {},
          },
          manager,
        );
      }
      return toUserView(row);
    });
  }

  /**
   * `POST /session/totp/disable`: the signed-in person turns two-step sign-in off with a current
   * code (a stolen session alone cannot). The secret is erased.
   */
  async disableTotp(userId: string, code: string): Promise<UserView> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [user]: UserRow[] = await manager.query(
        `SELECT ${userColumns('users')} FROM gateway.users WHERE id = $1 FOR UPDATE`,
        [userId],
      );
      if (
        user.totp_enabled_at === null ||
        user.totp_secret_sealed === null ||
        user.totp_key_id === null
      ) {
        throw new GatewayError(GatewayErrorCode.TotpNotEnabled, 'Two-step sign-in is not on');
      }
      const secret = this.totpBox.open(
        { keyId: user.totp_key_id, ciphertext: user.totp_secret_sealed },
        totpPurpose(user.id),
      );
      const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
      if (acceptedTotpStep(secret, code, lastStep) === null) {
        throw validationFailed([
          { field: 'code', problems: ['code does not match, or was used already'] },
        ]);
      }
      return this.clearTotp(manager, user, { actorId: user.id, actorType: 'user' });
    });
  }

  /**
   * `DELETE /users/:id/totp`: an owner resets the two-step sign-in of a person who lost their
   * device; they sign in with their password and may set it up again. Another tenant's user is
   * a 404. (Only owners hold `users.manage` today; the owner rule below holds if that changes.)
   */
  async resetTotp(actor: TenantPrincipal, userId: string): Promise<UserView> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [user]: UserRow[] = await manager.query(
        `SELECT ${userColumns('users')} FROM gateway.users
          WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [userId, actor.tenantId],
      );
      if (!user) {
        throw new GatewayError(GatewayErrorCode.UserNotFound, `No user ${userId} in this tenant`);
      }
      if (user.role === 'owner' && actor.role !== 'owner') {
        throw new GatewayError(GatewayErrorCode.RoleForbidden, 'Only an owner may change an owner');
      }
      if (user.totp_enabled_at === null) {
        throw new GatewayError(GatewayErrorCode.TotpNotEnabled, 'Two-step sign-in is not on');
      }
      return this.clearTotp(manager, user, auditActorOf(actor));
    });
  }

  private async clearTotp(
    manager: EntityManager,
    user: UserRow,
    actor: { actorId: string; actorType: ActorType },
  ): Promise<UserView> {
    const [[row]]: [UserRow[], number] = await manager.query(
      `UPDATE gateway.users
          SET totp_enabled_at = NULL, totp_secret_sealed = NULL, totp_key_id = NULL,
              totp_last_step = NULL
        WHERE id = $1 RETURNING ${userColumns('users')}`,
      [user.id],
    );
    if (row.tenant_id !== null) {
      await this.audit.record(
        {
          tenantId: row.tenant_id,
          ...actor,
          action: 'user.totp_disabled',
          resourceType: 'user',
          resourceId: row.id,
          details: {},
        },
        manager,
      );
    }
    return toUserView(row);
  }
}
