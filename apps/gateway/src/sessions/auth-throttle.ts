import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { DataSource, EntityManager } from 'typeorm';

import { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { BackoffPolicy, backoffMs, retryAfterSeconds } from './backoff';

/**
 * What is counted: sign-ins per account (the lower-cased e-mail, whether an account has it or
 * not, so throttling says nothing about which e-mails exist), sign-ins per client address, and
 * failed API-token checks per client address.
 */
export type ThrottleScope = 'account' | 'address' | 'token_address';

export interface FailureOutcome {
  failures: number;
  blockedUntil: Date | null;
  /** True only for the failure that locked the account (the owner is told once). */
  newlyLocked: boolean;
}

/** A run of failures ends this long after the last one (unless it locked the account). */
const FAILURE_WINDOW_MS = 3_600_000;

/** Stale failure rows deleted with each new failure (forgetStale). */
const STALE_BATCH = 100;

interface Row {
  failures: number;
  last_failure_at: Date | null;
  blocked_until: Date | null;
  locked_at: Date | null;
  now: Date;
}

/**
 * Failed attempts and the waits they impose, in PostgreSQL so every gateway instance sees the
 * same counters. Each update locks its row, so two instances cannot lose a failure.
 */
@Injectable()
export class AuthThrottle {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  policy(scope: ThrottleScope): BackoffPolicy {
    const c = this.config;
    return {
      freeFailures: scope === 'account' ? c.AUTH_FREE_FAILURES : c.AUTH_ADDRESS_FREE_FAILURES,
      baseMs: c.AUTH_BACKOFF_BASE_MS,
      maxMs: c.AUTH_BACKOFF_MAX_MS,
      lockAfter: scope === 'account' ? c.AUTH_LOCK_AFTER : 0,
    };
  }

  /** Throws 429 TOO_MANY_ATTEMPTS (with the seconds to wait) when any of the keys must wait. */
  async assertAllowed(
    keys: { scope: ThrottleScope; key: string }[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (keys.length === 0) return;
    const rows: { scope: string; blocked_until: Date; locked_at: Date | null; now: Date }[] =
      await manager.query(
        `SELECT scope, blocked_until, locked_at, now() AS now FROM gateway.auth_failures
          WHERE (scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            AND blocked_until > now()
          ORDER BY blocked_until DESC LIMIT 1`,
        [keys.map((k) => k.scope), keys.map((k) => k.key)],
      );
    const row = rows[0];
    if (!row) return;
    const seconds = retryAfterSeconds(row.blocked_until, row.now);
    const locked = row.locked_at !== null;
    throw new GatewayError(
      GatewayErrorCode.TooManyAttempts,
      locked
        ? `Too many failed sign-ins: this account is locked. Reset the password, or try again in ${seconds} s`
        : `Too many failed attempts: try again in ${seconds} s`,
      { retryAfterSeconds: seconds, locked },
    );
  }

  /** Counts one failure and sets the wait it earns (and the lock, for an account). */
  async recordFailure(
    scope: ThrottleScope,
    key: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<FailureOutcome> {
    const policy = this.policy(scope);
    await this.forgetStale(manager);
    await manager.query(
      `INSERT INTO gateway.auth_failures (scope, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [scope, key],
    );
    const [row]: Row[] = await manager.query(
      `SELECT failures, last_failure_at, blocked_until, locked_at, now() AS now
         FROM gateway.auth_failures WHERE scope = $1 AND key = $2 FOR UPDATE`,
      [scope, key],
    );
    const now = row.now.getTime();
    const lockOver = row.locked_at !== null && (row.blocked_until?.getTime() ?? 0) <= now;
    const stale =
      row.locked_at === null &&
      row.last_failure_at !== null &&
      now - row.last_failure_at.getTime() > FAILURE_WINDOW_MS;
    const failures = (lockOver || stale ? 0 : row.failures) + 1;
    let waitMs = backoffMs(failures, policy);
    let lockedAt = lockOver ? null : row.locked_at;
    let newlyLocked = false;
    if (policy.lockAfter > 0 && failures >= policy.lockAfter) {
      waitMs = Math.max(waitMs, this.config.AUTH_LOCK_MINUTES * 60_000);
      if (lockedAt === null) {
        lockedAt = row.now;
        newlyLocked = true;
      }
    }
    const blockedUntil = waitMs > 0 ? new Date(now + waitMs) : null;
    await manager.query(
      `UPDATE gateway.auth_failures
          SET failures = $3, last_failure_at = now(), blocked_until = $4, locked_at = $5
        WHERE scope = $1 AND key = $2`,
      [scope, key, failures, blockedUntil, lockedAt],
    );
    return { failures, blockedUntil, newlyLocked };
  }

  /**
   * Deletes up to STALE_BATCH rows that no longer count: no wait or lock in force and the last
   * failure older than the window, so the next failure of that key would start from one anyway.
   * Keys that never succeed (guessed addresses, scanners) would otherwise stay forever; each new
   * failure clears a batch, so the table stays about as large as the failures of the last hour.
   */
  private async forgetStale(manager: EntityManager): Promise<void> {
    await manager.query(
      `DELETE FROM gateway.auth_failures
        WHERE (scope, key) IN (
          SELECT scope, key FROM gateway.auth_failures
           WHERE last_failure_at < now() - $1 * interval '1 millisecond'
             AND coalesce(blocked_until, '-infinity') <= now()
           LIMIT ${STALE_BATCH} FOR UPDATE SKIP LOCKED)`,
      [FAILURE_WINDOW_MS],
    );
  }

  /** Forgets the failures of a key (a successful sign-in; a password reset unlocks). */
  async reset(
    scope: ThrottleScope,
    key: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query('DELETE FROM gateway.auth_failures WHERE scope = $1 AND key = $2', [
      scope,
      key,
    ]);
  }
}

/** The account key of an e-mail: trimmed and lower-cased. */
export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}
