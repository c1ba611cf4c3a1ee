import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the shipping-report and stock-push workers need beyond the tables of the connector
 * migration: the parcels of the submission in flight and those known to be on Rakuten (so a
 * crash is reconciled without sending a tracking number twice), retry times, and claims that
 * keep two instances from pushing the same listing at once.
 */
export class Reports1766000000000 implements MigrationInterface {
  name = 'Reports1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE ingestion.shipping_reports
        -- parcels the next (or the in-flight) submission carries
        ADD COLUMN to_send jsonb NOT NULL DEFAULT '[]',
        -- tracking numbers known to be on the basket at Rakuten
        ADD COLUMN reported text[] NOT NULL DEFAULT '{}',
        -- earliest next step: send, read the result, reconcile (also a short claim)
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now()`);
    await runner.query(
      'CREATE INDEX shipping_reports_order_idx ON ingestion.shipping_reports (shop_id, order_number)',
    );
    await runner.query(`
      ALTER TABLE ingestion.listing_stock
        -- a push in flight holds the row until then (several instances never push it twice)
        ADD COLUMN claimed_until timestamptz,
        -- after a failed push: not before this time
        ADD COLUMN next_push_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await runner.query(
      'CREATE INDEX listing_stock_dirty_idx ON ingestion.listing_stock (shop_id) WHERE desired_seq > pushed_seq',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX ingestion.listing_stock_dirty_idx');
    await runner.query(`ALTER TABLE ingestion.listing_stock
      DROP COLUMN claimed_until, DROP COLUMN next_push_at, DROP COLUMN updated_at`);
    await runner.query('DROP INDEX ingestion.shipping_reports_order_idx');
    await runner.query(`ALTER TABLE ingestion.shipping_reports
      DROP COLUMN to_send, DROP COLUMN reported, DROP COLUMN next_attempt_at`);
  }
}
