import { delay, type RateLimiter } from './rate-limiter';

/*
 * A rate limiter shared by every process that uses the same PostgreSQL database: all instances
 * of ingestion and credentials (DESIGN.md, Guarantees). One row per bucket holds the next free
 * slot. A caller takes a slot with one atomic upsert,
 *
 *   next_slot_at := greatest(now, next_slot_at) + interval   RETURNING the slot it got,
 *
 * so the row lock orders concurrent callers and no two get the same slot. The caller then sleeps
 * until its slot. Waiting is computed from the database clock on both sides, so clock skew
 * between machines does not matter.
 *
 * Why an idempotent ensureRateLimiterSchema() and not a TypeORM migration: the table is
 * infrastructure shared by several services, each with its own migrations table. The same
 * migration class listed in two services would be recorded twice and owned by neither; one
 * idempotent function that every user calls at start is simpler and safe to run concurrently
 * (it takes an advisory lock).
 */

/** The limiter's schema, owned by libs/rakuten. */
export const RATE_LIMITER_SCHEMA = 'rakuten_limiter';

/**
 * Runs one SQL statement and returns its rows. Adapters:
 * pg.Pool → `(sql, params) => pool.query(sql, params).then((r) => r.rows)`;
 * TypeORM DataSource → `(sql, params) => dataSource.query(sql, params)`.
 */
export type SqlQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Creates the schema and table if they are missing. Safe to call from many processes at once. */
export async function ensureRateLimiterSchema(query: SqlQuery): Promise<void> {
  // One simple-protocol round trip (no parameters): all statements run on one connection, so the
  // transaction-scoped advisory lock covers both CREATEs.
  await query(`
    BEGIN;
    SELECT pg_advisory_xact_lock(hashtext('${RATE_LIMITER_SCHEMA}'));
    CREATE SCHEMA IF NOT EXISTS ${RATE_LIMITER_SCHEMA};
    CREATE TABLE IF NOT EXISTS ${RATE_LIMITER_SCHEMA}.buckets (
      bucket text PRIMARY KEY,
      next_slot_at timestamptz NOT NULL
    );
    COMMENT ON TABLE ${RATE_LIMITER_SCHEMA}.buckets IS
      'RMS rate-limit slots: bucket = sha256(licence key) prefix + rate group; never the key itself';
    COMMIT;
  `);
}

const TAKE_SLOT = `
  INSERT INTO ${RATE_LIMITER_SCHEMA}.buckets AS b (bucket, next_slot_at)
  VALUES ($1, clock_timestamp() + $2::float8 * interval '1 millisecond')
  ON CONFLICT (bucket) DO UPDATE
    SET next_slot_at = greatest(clock_timestamp(), b.next_slot_at) + $2::float8 * interval '1 millisecond'
  RETURNING greatest(0, extract(epoch FROM (b.next_slot_at - $2::float8 * interval '1 millisecond' - clock_timestamp())) * 1000)::float8 AS wait_ms`;

const SETTLE = `
  UPDATE ${RATE_LIMITER_SCHEMA}.buckets
     SET next_slot_at = greatest(next_slot_at, clock_timestamp() + $2::float8 * interval '1 millisecond')
   WHERE bucket = $1`;

export class PgRateLimiter implements RateLimiter {
  constructor(private readonly query: SqlQuery) {}

  async acquire(bucket: string, intervalMs: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const rows = await this.query(TAKE_SLOT, [bucket, intervalMs]);
    const waitMs = Number(rows[0]?.wait_ms ?? 0);
    await delay(Math.ceil(waitMs), signal);
  }

  async settle(bucket: string, intervalMs: number): Promise<void> {
    await this.query(SETTLE, [bucket, intervalMs]);
  }
}
