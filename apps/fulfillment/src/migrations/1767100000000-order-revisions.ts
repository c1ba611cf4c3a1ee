import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order revisions (an order Rakuten changed is pulled, mapped and dispatched again as revision
 * 2, 3, …): a package is one fulfillment order per revision, and a cancellation is recorded per
 * revision it cancels. Existing rows are revision 1.
 *
 * Rolling out: the previous version inserts with `ON CONFLICT (shop_id, order_number,
 * basket_id)`, which needs the unique constraint this migration widens, so its order.mapped
 * chunks fail and are retried in place (nothing is lost or skipped) until it is replaced.
 * `down` fails while an order has fulfillment orders or cancellations of several revisions.
 */
export class OrderRevisions1767100000000 implements MigrationInterface {
  name = 'OrderRevisions1767100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE fulfillment.fulfillment_orders
        ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
        DROP CONSTRAINT fulfillment_orders_package_uq,
        ADD CONSTRAINT fulfillment_orders_package_uq
          UNIQUE (shop_id, order_number, basket_id, revision)`);
    await runner.query(`
      ALTER TABLE fulfillment.order_cancellations
        ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
        DROP CONSTRAINT order_cancellations_pkey,
        ADD PRIMARY KEY (shop_id, order_number, revision)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE fulfillment.order_cancellations
        DROP CONSTRAINT order_cancellations_pkey,
        DROP COLUMN revision,
        ADD PRIMARY KEY (shop_id, order_number)`);
    await runner.query(`
      ALTER TABLE fulfillment.fulfillment_orders
        DROP CONSTRAINT fulfillment_orders_package_uq,
        DROP COLUMN revision,
        ADD CONSTRAINT fulfillment_orders_package_uq UNIQUE (shop_id, order_number, basket_id)`);
  }
}
