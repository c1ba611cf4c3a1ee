import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shipping reports looked up by fulfillment order (the gateway shows them on shipped orders), and
 * the revision of an order pulled again after a change on Rakuten (400 → 300).
 */
export class OrderRevisions1767000000000 implements MigrationInterface {
  name = 'OrderRevisions1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'CREATE INDEX shipping_reports_fulfillment_order_idx ON ingestion.shipping_reports (tenant_id, fulfillment_order_id)',
    );
    await runner.query(
      'ALTER TABLE ingestion.orders ADD COLUMN revision integer NOT NULL DEFAULT 1',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE ingestion.orders DROP COLUMN revision');
    await runner.query('DROP INDEX ingestion.shipping_reports_fulfillment_order_idx');
  }
}
