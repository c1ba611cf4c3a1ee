import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the shop alerts and the per-shop health need: the last successful poll and the current
 * streak of failed polls (pull_failing, sent once per streak), since when a listing's stock
 * pushes fail and the shops alerted about it (stock_push_failing, once per streak), unpublishable
 * orders by shop (an index for the metrics), and throttled RMS calls per shop and hour.
 */
export class ShopHealth1768000000000 implements MigrationInterface {
  name = 'ShopHealth1768000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE ingestion.poll_state
        ADD COLUMN last_success_at timestamptz,
        -- start of the first failed poll of the current streak; NULL after a successful one
        ADD COLUMN failing_since timestamptz,
        -- when pull_failing was published for this streak
        ADD COLUMN failing_alerted_at timestamptz`);
    await runner.query(
      `UPDATE ingestion.poll_state SET last_success_at = last_finished_at WHERE last_error IS NULL`,
    );
    await runner.query(
      "CREATE INDEX orders_unpublishable_idx ON ingestion.orders (shop_id) WHERE state = 'unpublishable'",
    );
    await runner.query('ALTER TABLE ingestion.listing_stock ADD COLUMN failing_since timestamptz');
    await runner.query(
      'CREATE INDEX listing_stock_failing_idx ON ingestion.listing_stock (shop_id) WHERE failing_since IS NOT NULL',
    );
    await runner.query(`
      CREATE TABLE ingestion.stock_push_alerts (
        shop_id uuid PRIMARY KEY,
        since timestamptz NOT NULL,
        alerted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ingestion.throttled_calls (
        shop_id uuid NOT NULL,
        hour timestamptz NOT NULL,
        calls integer NOT NULL,
        PRIMARY KEY (shop_id, hour)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ingestion.throttled_calls');
    await runner.query('DROP TABLE ingestion.stock_push_alerts');
    await runner.query('DROP INDEX ingestion.listing_stock_failing_idx');
    await runner.query('ALTER TABLE ingestion.listing_stock DROP COLUMN failing_since');
    await runner.query('DROP INDEX ingestion.orders_unpublishable_idx');
    await runner.query(`ALTER TABLE ingestion.poll_state
      DROP COLUMN last_success_at, DROP COLUMN failing_since, DROP COLUMN failing_alerted_at`);
  }
}
