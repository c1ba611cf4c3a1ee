import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order revisions (an order Rakuten changed is pulled again as revision 2, 3, …): the revision of
 * every order mapping keeps, mapped or held (1 for the rows already there), and the highest
 * revision of each order canceled on the marketplace. The columns have defaults, so the previous
 * version of the service keeps working while this one rolls out.
 */
export class OrderRevisions1767100000000 implements MigrationInterface {
  name = 'OrderRevisions1767100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE mapping.mapped_orders ADD COLUMN revision integer NOT NULL DEFAULT 1',
    );
    await runner.query(
      'ALTER TABLE mapping.held_orders ADD COLUMN revision integer NOT NULL DEFAULT 1',
    );
    // A cancellation can arrive before the order.pulled of the revision it cancels (two topics,
    // no order between them): kept here so that this order.pulled is then ignored.
    await runner.query(`
      CREATE TABLE mapping.order_cancellations (
        shop_id text NOT NULL,
        order_number text NOT NULL,
        tenant_id text NOT NULL,
        revision integer NOT NULL CHECK (revision >= 1),
        canceled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, order_number)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE mapping.order_cancellations');
    await runner.query('ALTER TABLE mapping.held_orders DROP COLUMN revision');
    await runner.query('ALTER TABLE mapping.mapped_orders DROP COLUMN revision');
  }
}
