import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Listings imports (issue 18): one row per shop with the current or last run — its state, the
 * cursorMark of the next items.search page (so a run resumes there after a restart), counts,
 * error, the claim that keeps two instances from running one shop's import at once, and when the
 * periodic import runs next.
 */
export class ListingImports1768700000000 implements MigrationInterface {
  name = 'ListingImports1768700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ingestion.listing_imports (
        shop_id uuid PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'finished', 'failed')),
        trigger text NOT NULL CHECK (trigger IN ('connect', 'manual', 'schedule')),
        import_id uuid,
        cursor_mark text,
        pages integer NOT NULL DEFAULT 0,
        items integer NOT NULL DEFAULT 0,
        num_found integer,
        started_at timestamptz,
        finished_at timestamptz,
        error_code text,
        error_message text,
        next_run_at timestamptz,
        claimed_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX listing_imports_due ON ingestion.listing_imports (next_run_at)
        WHERE state IN ('finished', 'failed')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ingestion.listing_imports');
  }
}
