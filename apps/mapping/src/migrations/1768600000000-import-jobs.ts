import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports as background jobs. The gateway sends a file in pieces of at most IMPORT_PIECE_BYTES (48 KiB)
 * (`import_pieces`, deleted once the job has read them); a job is `receiving` until every piece
 * is in, then `queued`, `running` (its worker refreshes `heartbeat_at`; a job whose worker died
 * is taken again), and ends `applied`, `rejected` (bad rows: `report` holds the first problems)
 * or `failed` (unreadable, too many rows: `error`). The row of `sku_imports` written by the
 * import itself stays the record the alerts name.
 */
export class ImportJobs1768600000000 implements MigrationInterface {
  name = 'ImportJobs1768600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE mapping.import_jobs (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('skus', 'rules')),
        format text NOT NULL,
        file_name text NOT NULL,
        size_bytes integer NOT NULL,
        pieces integer NOT NULL,
        state text NOT NULL CHECK (state IN ('receiving', 'queued', 'running', 'applied', 'rejected', 'failed')),
        rows_read integer NOT NULL DEFAULT 0,
        report jsonb,
        error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        heartbeat_at timestamptz,
        finished_at timestamptz
      )`);
    await runner.query(
      'CREATE INDEX import_jobs_tenant ON mapping.import_jobs (tenant_id, created_at DESC)',
    );
    await runner.query(
      `CREATE INDEX import_jobs_open ON mapping.import_jobs (created_at)
        WHERE state IN ('receiving', 'queued', 'running')`,
    );
    await runner.query(`
      CREATE TABLE mapping.import_pieces (
        import_id uuid NOT NULL REFERENCES mapping.import_jobs (id) ON DELETE CASCADE,
        index integer NOT NULL,
        content bytea NOT NULL,
        PRIMARY KEY (import_id, index)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE mapping.import_pieces');
    await runner.query('DROP TABLE mapping.import_jobs');
  }
}
