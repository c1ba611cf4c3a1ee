/**
 * SQL for the outbox and inbox tables every service keeps in its own schema. A service's first
 * migration calls `createMessagingTables`, so the tables are versioned with the service's own
 * migrations (never created by `synchronize`).
 */
interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

function quoted(schema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return `"${schema}"`;
}

export async function createMessagingTables(runner: SqlRunner, schema: string): Promise<void> {
  const s = quoted(schema);
  // tx_id records the writing transaction, so the relay can publish only rows whose transaction
  // and every older one have ended (see OutboxRelay): a bigserial alone is assigned before commit
  // and would let a late-committing row be skipped or published out of order.
  await runner.query(`
    CREATE TABLE ${s}.outbox (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL,
      tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      topic text NOT NULL,
      message_key text NOT NULL,
      payload text NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )`);
  await runner.query(
    `CREATE INDEX outbox_unpublished_idx ON ${s}.outbox (tx_id, seq) WHERE published_at IS NULL`,
  );
  await runner.query(
    `CREATE INDEX outbox_published_at_idx ON ${s}.outbox (published_at) WHERE published_at IS NOT NULL`,
  );
  // One row per (consumer group, event id) applied: the dedupe that makes redelivery harmless.
  await runner.query(`
    CREATE TABLE ${s}.inbox (
      consumer_group text NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, event_id)
    )`);
}

export async function dropMessagingTables(runner: SqlRunner, schema: string): Promise<void> {
  const s = quoted(schema);
  await runner.query(`DROP TABLE IF EXISTS ${s}.inbox`);
  await runner.query(`DROP TABLE IF EXISTS ${s}.outbox`);
}

export { quoted as quoteSchema };

/**
 * The index the inbox pruning reads by (`processed_at`), added by each service's migration
 * `InboxRetention…` after the tables exist.
 */
export async function addInboxRetentionIndex(runner: SqlRunner, schema: string): Promise<void> {
  await runner.query(
    `CREATE INDEX IF NOT EXISTS inbox_processed_at_idx ON ${quoted(schema)}.inbox (processed_at)`,
  );
}

export async function dropInboxRetentionIndex(runner: SqlRunner, schema: string): Promise<void> {
  await runner.query(`DROP INDEX IF EXISTS ${quoted(schema)}.inbox_processed_at_idx`);
}

/**
 * Deletes inbox rows older than `retentionDays`, at most `batch` rows a statement until none
 * is left, and answers how many went. The inbox only has to remember an event for as long as
 * Kafka can deliver it again: the topics keep messages 7 days (the broker's default, not
 * overridden), and a compacted topic's older events are recognised by their revision, so a
 * window of more than 7 days (INBOX_RETENTION_DAYS, default 30) loses nothing.
 */
export async function pruneInbox(
  runner: SqlRunner,
  schema: string,
  retentionDays: number,
  batch = 10_000,
): Promise<number> {
  const table = `${quoted(schema)}.inbox`;
  let deleted = 0;
  for (;;) {
    const rows = (await runner.query(
      `WITH old AS (
         SELECT consumer_group, event_id FROM ${table}
          WHERE processed_at < now() - ($1::int * interval '1 day')
          LIMIT $2)
       DELETE FROM ${table} i USING old
        WHERE i.consumer_group = old.consumer_group AND i.event_id = old.event_id
       RETURNING 1`,
      [retentionDays, batch],
    )) as unknown[];
    // TypeORM answers a DELETE … RETURNING as [rows, count]; pg as rows.
    const count = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
    deleted += count;
    if (count < batch) return deleted;
  }
}
