import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SecretBox } from '@smartship/crypto';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { tenantDisabled } from '../access/tenant-disabled';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { AccountNotices } from '../users/account-notices';
import { SESSION_TOKEN, hashSecret, newSecret } from '../users/link-tokens';
import { PasswordHasher } from '../users/password-hasher';
import { acceptedTotpStep, totpPurpose } from '../users/totp';
import { UserRow, UserView, normalizeEmail, toUserView, userColumns } from '../users/user-records';
import { AuthThrottle, accountKey } from './auth-throttle';

/** Days an ended session (expired or signed out) is kept before a new sign-in of its user removes it. */
export const ENDED_SESSION_DAYS = 30;

/** A session just begun: the cookie's value is in `token`, shown to the browser only. */
export interface StartedSession {
  token: string;
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: UserView;
}

/** Who a session cookie belongs to, as the guard and the session routes see it. */
export interface ActiveSession {
  principal: Extract<Principal, { via: 'session' }>;
  sessionId: string;
  user: UserRow;
  expiresAt: Date;
  csrfToken: string;
}

/** last_seen_at (and the idle expiry) is rewritten at most this often per session. */
const TOUCH_RESOLUTION_MS = 60_000;

export interface SignInInput {
  email: string;
  password: string;
  totpCode?: string;
  address: string;
  userAgent: string | null;
}

/**
 * Browser sessions: sign-in (with throttling and TOTP), the cookie's session, CSRF tokens and
 * sign-out. Only the SHA-256 of a session token is stored. The CSRF token is an HMAC of the
 * session token, so it is the same for the whole session, can be shown again by GET /session,
 * and cannot be made without the (httpOnly) cookie.
 */
@Injectable()
export class SessionService {
  private readonly logger: Logger;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly throttle: AuthThrottle,
    private readonly notices: AccountNotices,
    private readonly audit: AuditService,
    @Inject('TOTP_BOX') private readonly totpBox: SecretBox,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'sessions' });
  }

  /**
   * Checks e-mail, password and (when enabled) the TOTP code, and begins a session. Unknown
   * e-mail, wrong password and a disabled account are the same 401 INVALID_CREDENTIALS, after
   * the same argon2 work. Attempts on one account are serialised across instances (an advisory
   * lock), so parallel guesses cannot slip past the backoff.
   */
  async signIn(input: SignInInput): Promise<StartedSession> {
    const email = normalizeEmail(input.email);
    const keys = [
      { scope: 'account' as const, key: accountKey(email) },
      { scope: 'address' as const, key: input.address },
    ];
    const outcome = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`signin:${email}`]);
      await this.throttle.assertAllowed(keys, manager);
      const [user]: (UserRow & { tenant_disabled: boolean })[] = await manager.query(
        `SELECT ${userColumns('u')},
                (t.disabled_at IS NOT NULL) AS tenant_disabled
           FROM gateway.users u LEFT JOIN gateway.tenants t ON t.id = u.tenant_id
          WHERE lower(u.email) = $1`,
        [email],
      );
      const passwordOk = await this.hasher.verify(user?.password_hash ?? null, input.password);
      const usable = user !== undefined && user.disabled_at === null && !user.tenant_disabled;
      if (!passwordOk || !usable) {
        return {
          failed: GatewayErrorCode.InvalidCredentials,
          ...(await this.fail(keys, manager)),
          user,
        };
      }
      if (user.totp_enabled_at !== null) {
        if (!input.totpCode)
          return { failed: GatewayErrorCode.TotpRequired, newlyLocked: false, user };
        const secret = this.totpBox.open(
          { keyId: user.totp_key_id ?? '', ciphertext: user.totp_secret_sealed ?? '' },
          totpPurpose(user.id),
        );
        const step = acceptedTotpStep(
          secret,
          input.totpCode,
          user.totp_last_step === null ? null : Number(user.totp_last_step),
        );
        if (step === null) {
          return {
            failed: GatewayErrorCode.TotpInvalid,
            ...(await this.fail(keys, manager)),
            user,
          };
        }
        await manager.query('UPDATE gateway.users SET totp_last_step = $2 WHERE id = $1', [
          user.id,
          step,
        ]);
      }
      await this.throttle.reset('account', keys[0].key, manager);
      return {
        failed: null,
        newlyLocked: false,
        user,
        session: await this.start(manager, user, input),
      };
    });

    if (outcome.newlyLocked) await this.reportLock(outcome.user ?? null, email);
    if (outcome.failed === GatewayErrorCode.TotpRequired) {
      throw new GatewayError(
        GatewayErrorCode.TotpRequired,
        'This account uses two-step sign-in: send the 6-digit code of your authenticator app as totpCode',
        [{ field: 'totpCode', problems: ['totpCode is required for this account'] }],
      );
    }
    if (outcome.failed === GatewayErrorCode.TotpInvalid) {
      throw new GatewayError(
        GatewayErrorCode.TotpInvalid,
        'The 6-digit code is wrong or was already used',
        [{ field: 'totpCode', problems: ['totpCode is wrong or was already used'] }],
      );
    }
    if (outcome.failed !== null || !outcome.session) {
      throw new GatewayError(
        GatewayErrorCode.InvalidCredentials,
        'The e-mail or the password is wrong',
      );
    }
    return outcome.session;
  }

  /**
   * The session of a cookie value, or null (unknown, revoked, expired, user disabled). A live
   * session of a tenant an operator disabled is a 403 TENANT_DISABLED (it is not ended: it works
   * again once the tenant is enabled, if it has not expired meanwhile).
   */
  async authenticate(token: string): Promise<ActiveSession | null> {
    if (!SESSION_TOKEN.test(token)) return null;
    const rows: (UserRow & {
      session_id: string;
      last_seen_at: Date;
      expires_at: Date;
      now: Date;
      tenant_disabled: boolean;
    })[] = await this.dataSource.query(
      `SELECT s.id AS session_id, s.last_seen_at, s.expires_at, now() AS now,
              (t.disabled_at IS NOT NULL) AS tenant_disabled,
              ${userColumns('u')}
         FROM gateway.sessions s
         JOIN gateway.users u ON u.id = s.user_id
         LEFT JOIN gateway.tenants t ON t.id = u.tenant_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL
          AND s.expires_at > now() AND s.idle_expires_at > now()
          AND u.disabled_at IS NULL`,
      [hashSecret(token)],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.tenant_disabled) throw tenantDisabled();
    if (row.now.getTime() - row.last_seen_at.getTime() > TOUCH_RESOLUTION_MS) {
      await this.dataSource.query(
        `UPDATE gateway.sessions
            SET last_seen_at = now(), idle_expires_at = least(expires_at, now() + $2 * interval '1 minute')
          WHERE id = $1`,
        [row.session_id, this.config.SESSION_IDLE_MINUTES],
      );
    }
    const principal: ActiveSession['principal'] =
      row.role === 'operator' || row.tenant_id === null
        ? { kind: 'operator', via: 'session', userId: row.id, sessionId: row.session_id }
        : {
            kind: 'tenant',
            via: 'session',
            tenantId: row.tenant_id,
            role: row.role,
            userId: row.id,
            sessionId: row.session_id,
          };
    return {
      principal,
      sessionId: row.session_id,
      user: row,
      expiresAt: row.expires_at,
      csrfToken: csrfTokenOf(token),
    };
  }

  /** Begins a session for a user who just proved who they are (sign-in, accepted invitation). */
  async start(
    manager: EntityManager,
    user: UserRow,
    client: { address: string; userAgent: string | null },
  ): Promise<StartedSession> {
    const token = newSecret('ses');
    const sessionId = randomUUID();
    // The user's sessions that ended (expired or signed out) over ENDED_SESSION_DAYS ago go:
    // the table grows by every sign-in, and an ended session is only kept to be listed a while.
    await manager.query(
      `DELETE FROM gateway.sessions
        WHERE user_id = $1
          AND least(idle_expires_at, expires_at, coalesce(revoked_at, 'infinity'))
              < now() - $2 * interval '1 day'`,
      [user.id, ENDED_SESSION_DAYS],
    );
    const [row]: { expires_at: Date }[] = await manager.query(
      `INSERT INTO gateway.sessions
         (id, user_id, token_hash, idle_expires_at, expires_at, user_agent, client_address)
       VALUES ($1, $2, $3,
               least(now() + $4 * interval '1 minute', now() + $5 * interval '1 hour'),
               now() + $5 * interval '1 hour', $6, $7)
       RETURNING expires_at`,
      [
        sessionId,
        user.id,
        hashSecret(token),
        this.config.SESSION_IDLE_MINUTES,
        this.config.SESSION_MAX_HOURS,
        client.userAgent?.slice(0, 300) ?? null,
        client.address,
      ],
    );
    return {
      token,
      sessionId,
      csrfToken: csrfTokenOf(token),
      expiresAt: row.expires_at,
      user: toUserView(user),
    };
  }

  async signOut(sessionId: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE gateway.sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [sessionId],
    );
  }

  /** Ends every session of a user (but `exceptSessionId`); answers how many ended. */
  async signOutEverywhere(
    userId: string,
    exceptSessionId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const result: [unknown[], number] = await manager.query(
      `UPDATE gateway.sessions SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)`,
      [userId, exceptSessionId],
    );
    return result[1];
  }

  private async fail(
    keys: { scope: 'account' | 'address'; key: string }[],
    manager: EntityManager,
  ): Promise<{ newlyLocked: boolean }> {
    const account = await this.throttle.recordFailure(keys[0].scope, keys[0].key, manager);
    await this.throttle.recordFailure(keys[1].scope, keys[1].key, manager);
    return { newlyLocked: account.newlyLocked };
  }

  /** Tells the tenant (its notification list and recipients) that an account was locked. */
  private async reportLock(user: UserRow | null, email: string): Promise<void> {
    if (!user) {
      this.logger.warn('sign-ins for an e-mail without an account were locked out');
      return;
    }
    if (user.tenant_id === null) {
      this.logger.warn({ userId: user.id }, 'an operator account was locked after failed sign-ins');
      return;
    }
    const lockedUntil = new Date(Date.now() + this.config.AUTH_LOCK_MINUTES * 60_000).toISOString();
    await this.audit.record({
      tenantId: user.tenant_id,
      actorId: user.id,
      actorType: 'user',
      action: 'user.locked',
      resourceType: 'user',
      resourceId: user.id,
      details: { failures: this.config.AUTH_LOCK_AFTER, lockedUntil },
    });
    await this.notices.raiseAlert({
      actor: { tenantId: user.tenant_id, actorId: user.id },
      body: {
        kind: 'account_locked',
        severity: 'critical',
        details: { email, failures: this.config.AUTH_LOCK_AFTER, lockedUntil },
      },
    });
  }
}

/** The CSRF token of a session: HMAC-SHA-256 of a fixed label keyed by the session token. */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('smartship-csrf-v1').digest('base64url');
}

/** Constant-time check of a request's CSRF header against its session. */
export function csrfMatches(sessionToken: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  const expected = Buffer.from(csrfTokenOf(sessionToken));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
