import { delay, type RateLimiter, type RatePermit, type RateRule } from './rate-limiter';

/*
 * A rate limiter shared by every process that uses the same PostgreSQL database: all instances
 * of ingestion and credentials (docs/design.md, Guarantees). It keeps a short log of each bucket's
 * calls — when each left, when it was answered — and lets a call leave only while fewer than
 * `limit` calls are in flight or were answered within the window (the rule is explained on
 * RateLimiter). Deciding takes one call of the function `take_slot`, which locks the bucket's row
 * first, so concurrent callers from any process are decided one after the other; the log rows of
 * a bucket are pruned by the same function. Times come from the database clock only (leaving,
 * answering, deciding), so clock skew between machines does not matter.
 *
 * Why an idempotent ensureRateLimiterSchema() and not a TypeORM migration: the tables are
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
    -- Created only when missing: the services' roles may not create schemas, and CREATE SCHEMA
    -- IF NOT EXISTS checks that right first (the administrator makes it for them).
    DO $schema$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '${RATE_LIMITER_SCHEMA}') THEN
        CREATE SCHEMA ${RATE_LIMITER_SCHEMA};
      END IF;
    END $schema$;
    -- Where the schema belongs to a group role this user is a member of (credentials' and
    -- ingestion's roles share it), create and replace as that role, so that what one service
    -- created the other may replace. Undone at COMMIT.
    DO $owner$ DECLARE schema_owner name; BEGIN
      SELECT nspowner::regrole::name INTO schema_owner
        FROM pg_namespace WHERE nspname = '${RATE_LIMITER_SCHEMA}';
      IF schema_owner <> current_user AND pg_has_role(current_user, schema_owner, 'MEMBER') THEN
        EXECUTE format('SET LOCAL ROLE %I', schema_owner);
      END IF;
    END $owner$;
    CREATE TABLE IF NOT EXISTS ${RATE_LIMITER_SCHEMA}.buckets (
      bucket text PRIMARY KEY,
      next_slot_at timestamptz NOT NULL
    );
    COMMENT ON TABLE ${RATE_LIMITER_SCHEMA}.buckets IS
      'RMS rate-limit buckets: bucket = sha256(licence key) prefix + rate group, never the key itself; next_slot_at = the earliest next departure';
    CREATE TABLE IF NOT EXISTS ${RATE_LIMITER_SCHEMA}.calls (
      id bigserial PRIMARY KEY,
      bucket text NOT NULL,
      left_at timestamptz NOT NULL,
      answered_at timestamptz
    );
    CREATE INDEX IF NOT EXISTS calls_by_bucket ON ${RATE_LIMITER_SCHEMA}.calls (bucket);
    COMMENT ON TABLE ${RATE_LIMITER_SCHEMA}.calls IS
      'Recent RMS calls per bucket (in flight: answered_at is null), pruned by take_slot';
    CREATE OR REPLACE FUNCTION ${RATE_LIMITER_SCHEMA}.take_slot(
      p_bucket text, p_limit integer, p_window_ms float8, p_hold_ms float8
    ) RETURNS TABLE (permit bigint, wait_ms float8)
    LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE
      win interval := p_window_ms * interval '1 millisecond';
      next_departure timestamptz;
      t timestamptz;
      busy integer;
      oldest_answer timestamptz;
      new_id bigint;
    BEGIN
      INSERT INTO ${RATE_LIMITER_SCHEMA}.buckets AS b (bucket, next_slot_at)
        VALUES (p_bucket, '-infinity') ON CONFLICT (bucket) DO NOTHING;
      -- The row lock orders the deciders; every statement after it sees what they committed.
      SELECT b.next_slot_at INTO next_departure
        FROM ${RATE_LIMITER_SCHEMA}.buckets AS b WHERE b.bucket = p_bucket FOR UPDATE;
      t := clock_timestamp();
      DELETE FROM ${RATE_LIMITER_SCHEMA}.calls AS c
       WHERE c.bucket = p_bucket
         AND (c.answered_at <= t - win
              OR (c.answered_at IS NULL AND c.left_at <= t - p_hold_ms * interval '1 millisecond'));
      IF next_departure > t THEN
        RETURN QUERY SELECT NULL::bigint, extract(epoch FROM next_departure - t)::float8 * 1000;
        RETURN;
      END IF;
      SELECT count(*)::integer, min(c.answered_at) INTO busy, oldest_answer
        FROM ${RATE_LIMITER_SCHEMA}.calls AS c WHERE c.bucket = p_bucket;
      IF busy >= p_limit THEN
        -- A call in flight frees its place a whole window after its answer, at the earliest.
        RETURN QUERY SELECT NULL::bigint, greatest(1,
          coalesce(extract(epoch FROM oldest_answer + win - t)::float8 * 1000, p_window_ms));
        RETURN;
      END IF;
      INSERT INTO ${RATE_LIMITER_SCHEMA}.calls (bucket, left_at) VALUES (p_bucket, t)
        RETURNING id INTO new_id;
      UPDATE ${RATE_LIMITER_SCHEMA}.buckets AS b SET next_slot_at = t + win / p_limit
       WHERE b.bucket = p_bucket;
      RETURN QUERY SELECT new_id, 0::float8;
    END
    $fn$;
    COMMIT;
  `);
}

const TAKE_SLOT = `SELECT permit::text AS permit, wait_ms FROM ${RATE_LIMITER_SCHEMA}.take_slot($1, $2, $3, $4)`;

const RELEASE = `UPDATE ${RATE_LIMITER_SCHEMA}.calls SET answered_at = clock_timestamp()
                  WHERE id = $1 AND answered_at IS NULL`;

export class PgRateLimiter implements RateLimiter {
  constructor(private readonly query: SqlQuery) {}

  async acquire(bucket: string, rule: RateRule, signal?: AbortSignal): Promise<RatePermit> {
    for (;;) {
      signal?.throwIfAborted();
      const rows = await this.query(TAKE_SLOT, [bucket, rule.limit, rule.windowMs, rule.holdMs]);
      const permit = rows[0]?.permit;
      if (typeof permit === 'string') {
        return { release: async () => void (await this.query(RELEASE, [permit])) };
      }
      await delay(Math.ceil(Number(rows[0]?.wait_ms ?? rule.windowMs)), signal);
    }
  }
}
