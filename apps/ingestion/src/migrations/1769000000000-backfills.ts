import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Backfills and deep sweeps (issue 18): one row per job with its range, its ≤ 63-day windows,
 * the checkpoint (window and page) and its counts, leased like a poll; at most one running job
 * of each kind per shop. The shop's own poll interval (options.pollIntervalMinutes from
 * shop.updated) and when its next deep sweep is due.
 */
export class Backfills1769000000000 implements MigrationInterface {
  name = 'Backfills1769000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ingestion.backfills (
        id uuid PRIMARY KEY,
        shop_id uuid NOT NULL REFERENCES ingestion.shops (id),
        tenant_id uuid NOT NULL,
        -- backfill (asked for by a person) | sweep (the periodic deep sweep)
        kind text NOT NULL,
        -- running | done | failed
        state text NOT NULL,
        range_from timestamptz NOT NULL,
        range_to timestamptz NOT NULL,
        -- the search windows, oldest first: [[start, end], …] (ISO-8601, both inclusive)
        windows jsonb NOT NULL,
        -- checkpoint: windows read completely, the next page of the next one, the total its
        -- first page gave, which pass over it, and whether its total moved while it was paged
        windows_done integer NOT NULL DEFAULT 0,
        page integer NOT NULL DEFAULT 1,
        window_total integer,
        window_pass integer NOT NULL DEFAULT 1,
        window_unstable boolean NOT NULL DEFAULT false,
        orders_found integer NOT NULL DEFAULT 0,
        orders_published integer NOT NULL DEFAULT 0,
        orders_known integer NOT NULL DEFAULT 0,
        orders_failed integer NOT NULL DEFAULT 0,
        orders_canceled integer NOT NULL DEFAULT 0,
        search_calls integer NOT NULL DEFAULT 0,
        get_calls integer NOT NULL DEFAULT 0,
        requested_by text,
        -- why it failed (state failed)
        error text,
        -- the last transient failure, retried at next_attempt_at
        last_error text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_owner text,
        lease_until timestamptz,
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      "CREATE UNIQUE INDEX backfills_one_running_idx ON ingestion.backfills (shop_id, kind) WHERE state = 'running'",
    );
    await runner.query(
      'CREATE INDEX backfills_shop_idx ON ingestion.backfills (shop_id, requested_at DESC)',
    );
    await runner.query(
      "CREATE INDEX backfills_due_idx ON ingestion.backfills (next_attempt_at) WHERE state = 'running'",
    );
    await runner.query('ALTER TABLE ingestion.shops ADD COLUMN poll_interval_minutes integer');
    // NULL until the sweep planner spreads it over one sweep interval.
    await runner.query('ALTER TABLE ingestion.poll_state ADD COLUMN next_sweep_at timestamptz');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE ingestion.poll_state DROP COLUMN next_sweep_at');
    await runner.query('ALTER TABLE ingestion.shops DROP COLUMN poll_interval_minutes');
    await runner.query('DROP TABLE ingestion.backfills');
  }
}
