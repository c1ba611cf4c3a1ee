import { createMessagingTables, dropMessagingTables } from '@smartship/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764400000000 implements MigrationInterface {
  name = 'Initial1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'fulfillment');
    await runner.query(`
      CREATE TABLE fulfillment.fulfillment_orders (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        shop_id text NOT NULL,
        order_number text NOT NULL,
        basket_id bigint NOT NULL,
        status text NOT NULL,
        recipient jsonb NOT NULL,
        lines jsonb NOT NULL,
        requested_carrier_code text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fulfillment_orders_package_uq UNIQUE (shop_id, order_number, basket_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE fulfillment.fulfillment_orders');
    await dropMessagingTables(runner, 'fulfillment');
  }
}
