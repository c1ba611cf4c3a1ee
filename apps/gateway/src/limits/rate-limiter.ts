import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { DataSource } from 'typeorm';

import { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { retryAfterSeconds } from '../sessions/backoff';

/**
 * The per-tenant limits. `api` applies to every request of a tenant's token or session (the
 * guard counts it); the others to the calls that make the platform call Rakuten, counted by
 * ShopsService once the request is valid (a refused body costs nothing at Rakuten).
 */
export const RATE_LIMITS = ['api', 'rakuten_calls', 'shop_registrations'] as const;
export type RateLimitName = (typeof RATE_LIMITS)[number];

/** A limit as a rate and a burst: `burst` requests at once, then one per `intervalMs`. */
export interface RateLimitPolicy {
  /** Time between two requests at the sustained rate (ms); 0 turns the limit off. */
  intervalMs: number;
  burst: number;
  /** How the limit reads in messages, e.g. "20 per second (burst 60)". */
  describe: string;
}

/** The policies from the configuration (README "Limits"). */
export function ratePolicies(config: GatewayConfig): Record<RateLimitName, RateLimitPolicy> {
  const per = (count: number, periodMs: number, burst: number, unit: string): RateLimitPolicy => ({
    intervalMs: count > 0 ? periodMs / count : 0,
    burst,
    describe: `${count} per ${unit} (burst ${burst})`,
  });
  return {
    api: per(config.RATE_LIMIT_API_PER_SECOND, 1_000, config.RATE_LIMIT_API_BURST, 'second'),
    rakuten_calls: per(
      config.RATE_LIMIT_RAKUTEN_PER_MINUTE,
      60_000,
      config.RATE_LIMIT_RAKUTEN_BURST,
      'minute',
    ),
    shop_registrations: per(
      config.RATE_LIMIT_SHOP_REGISTRATIONS_PER_DAY,
      86_400_000,
      Math.max(1, config.RATE_LIMIT_SHOP_REGISTRATIONS_PER_DAY),
      'day',
    ),
  };
}

/**
 * Per-tenant request limits kept in PostgreSQL, so every gateway instance counts against the
 * same budget. Each limit is a GCRA (the generic cell rate algorithm, a token bucket stored as
 * one timestamp): a row holds the limit's theoretical arrival time `tat`; a request is let
 * through when `tat` is at most `(burst - 1) · interval` ahead of now, and then moves `tat` one
 * interval on. One upsert decides and counts atomically (the row lock serialises instances), by
 * the database's clock, so the instances' clocks do not matter.
 */
@Injectable()
export class RateLimiter {
  private readonly policies: Record<RateLimitName, RateLimitPolicy>;

  constructor(
    @Inject(SERVICE_CONFIG) config: GatewayConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.policies = ratePolicies(config);
  }

  /**
   * Counts one request of `key` (a tenant id) against each limit in turn; throws 429
   * RATE_LIMITED, naming the limit and the seconds to wait, at the first one used up. Limits
   * checked before it have counted the request.
   */
  async consume(key: string, limits: readonly RateLimitName[]): Promise<void> {
    for (const name of limits) {
      const policy = this.policies[name];
      if (policy.intervalMs <= 0) continue;
      const toleranceMs = policy.intervalMs * (policy.burst - 1);
      const [row]: { allowed: boolean; tat: Date; now: Date }[] = await this.dataSource.query(
        `INSERT INTO gateway.rate_limits AS r (name, key, tat, last_allowed)
         VALUES ($1, $2, now() + $3::float8 * interval '1 millisecond', true)
         ON CONFLICT (name, key) DO UPDATE SET
           last_allowed = greatest(r.tat, now()) <= now() + $4::float8 * interval '1 millisecond',
           tat = CASE
             WHEN greatest(r.tat, now()) <= now() + $4::float8 * interval '1 millisecond'
             THEN greatest(r.tat, now()) + $3::float8 * interval '1 millisecond'
             ELSE r.tat END
         RETURNING last_allowed AS allowed, tat, now() AS now`,
        [name, key, policy.intervalMs, toleranceMs],
      );
      if (row.allowed) continue;
      const seconds = retryAfterSeconds(new Date(row.tat.getTime() - toleranceMs), row.now);
      throw new GatewayError(
        GatewayErrorCode.RateLimited,
        `Too many requests: the limit ${name} allows ${policy.describe} for each account; try again in ${seconds} s`,
        { limit: name, retryAfterSeconds: seconds },
      );
    }
  }
}
