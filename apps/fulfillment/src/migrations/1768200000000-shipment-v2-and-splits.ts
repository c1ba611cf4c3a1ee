import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * shipment.ready v2 and split shipments (docs/fulfillment.md):
 * - what the warehouse needs beyond the SKU lines, stored when the fulfillment order is created
 *   from order.mapped (`shipment_details`: orderer, marketplace lines, payment and the amount to
 *   collect, totals, remarks, gift, delivery, order date), and the sender block and slip message
 *   it was sent with (`sender`, `slip_message`, set at dispatch). Existing rows keep null: they
 *   are dispatched as before, with shipment.ready v1.
 * - the part of its package a fulfillment order is (`part_kind` whole / in_stock / back_order,
 *   `other_part_id` naming the other part). A package of one revision is now one `whole`
 *   fulfillment order, or an `in_stock` and a `back_order` one: the unique key of order.mapped
 *   (shop, order, basket, revision) stays on every row except the back order, which has a unique
 *   key of its own, so a redelivered order.mapped still creates nothing twice.
 * - per-shop fulfillment settings (split policy, the packing slip's sender block).
 *
 * Rolling out: the previous version inserts with `ON CONFLICT (shop_id, order_number, basket_id,
 * revision)`, which needs a unique constraint on exactly those columns; the index that replaces
 * it is partial, so that version's order.mapped chunks fail and are retried in place (nothing is
 * lost or skipped) until it is replaced, as with the order-revisions migration. `down` fails
 * while a package has a back order.
 */
export class ShipmentV2AndSplits1768200000000 implements MigrationInterface {
  name = 'ShipmentV2AndSplits1768200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE fulfillment.fulfillment_orders
        ADD COLUMN part_kind text NOT NULL DEFAULT 'whole'
          CONSTRAINT fulfillment_orders_part_kind_ck
          CHECK (part_kind IN ('whole', 'in_stock', 'back_order')),
        ADD COLUMN other_part_id uuid,
        ADD COLUMN shipment_details jsonb,
        ADD COLUMN sender jsonb,
        ADD COLUMN slip_message text,
        DROP CONSTRAINT fulfillment_orders_package_uq`);
    await runner.query(`
      CREATE UNIQUE INDEX fulfillment_orders_package_uq
        ON fulfillment.fulfillment_orders (shop_id, order_number, basket_id, revision)
        WHERE part_kind <> 'back_order'`);
    await runner.query(`
      CREATE UNIQUE INDEX fulfillment_orders_back_order_uq
        ON fulfillment.fulfillment_orders (shop_id, order_number, basket_id, revision)
        WHERE part_kind = 'back_order'`);
    await runner.query(`
      CREATE TABLE fulfillment.shop_fulfillment_settings (
        shop_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        split_policy text NOT NULL DEFAULT 'hold'
          CONSTRAINT shop_fulfillment_settings_policy_ck
          CHECK (split_policy IN ('hold', 'ship_available')),
        sender jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE fulfillment.shop_fulfillment_settings');
    await runner.query('DROP INDEX fulfillment.fulfillment_orders_back_order_uq');
    await runner.query('DROP INDEX fulfillment.fulfillment_orders_package_uq');
    await runner.query(`
      ALTER TABLE fulfillment.fulfillment_orders
        ADD CONSTRAINT fulfillment_orders_package_uq
          UNIQUE (shop_id, order_number, basket_id, revision),
        DROP COLUMN slip_message,
        DROP COLUMN sender,
        DROP COLUMN shipment_details,
        DROP COLUMN other_part_id,
        DROP COLUMN part_kind`);
  }
}
