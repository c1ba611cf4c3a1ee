import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock drift checks (README "Stock: safety stock and drift"): when each shop is next read back
 * (`stock_drift_schedule`, with a claim so that one instance checks a shop at a time), every
 * check (`stock_drift_checks`) and the listings it found different (`stock_drifts`: Rakuten's
 * quantity, ours, and `repair_seq`, the listing_stock desired_seq of the repair push; the push
 * of that seq sets `repaired_at`).
 */
export class StockDrift1769500000000 implements MigrationInterface {
  name = 'StockDrift1769500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ingestion.stock_drift_schedule (
        shop_id uuid PRIMARY KEY,
        next_check_at timestamptz NOT NULL,
        claimed_until timestamptz
      )`);
    await runner.query(`
      CREATE TABLE ingestion.stock_drift_checks (
        id bigserial PRIMARY KEY,
        shop_id uuid NOT NULL,
        trigger text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        listings integer NOT NULL DEFAULT 0,
        differences integer NOT NULL DEFAULT 0,
        calls integer NOT NULL DEFAULT 0,
        error_code text,
        error_message text
      )`);
    await runner.query(
      'CREATE INDEX stock_drift_checks_shop ON ingestion.stock_drift_checks (shop_id, id DESC)',
    );
    await runner.query(`
      CREATE TABLE ingestion.stock_drifts (
        id bigserial PRIMARY KEY,
        check_id bigint NOT NULL REFERENCES ingestion.stock_drift_checks (id) ON DELETE CASCADE,
        shop_id uuid NOT NULL,
        manage_number text NOT NULL,
        variant_id text NOT NULL,
        rakuten_quantity integer,
        our_quantity integer NOT NULL,
        repair_seq bigint NOT NULL,
        found_at timestamptz NOT NULL DEFAULT now(),
        repaired_at timestamptz
      )`);
    await runner.query('CREATE INDEX stock_drifts_check ON ingestion.stock_drifts (check_id)');
    await runner.query(
      `CREATE INDEX stock_drifts_open ON ingestion.stock_drifts (shop_id, manage_number, variant_id)
        WHERE repaired_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ingestion.stock_drifts');
    await runner.query('DROP TABLE ingestion.stock_drift_checks');
    await runner.query('DROP TABLE ingestion.stock_drift_schedule');
  }
}
