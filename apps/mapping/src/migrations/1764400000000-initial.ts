import { createMessagingTables, dropMessagingTables } from '@smartship/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764400000000 implements MigrationInterface {
  name = 'Initial1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'mapping');
    await runner.query(`
      CREATE TABLE mapping.mapped_orders (
        shop_id text NOT NULL,
        order_number text NOT NULL,
        tenant_id text NOT NULL,
        source_event_id uuid NOT NULL,
        lines integer NOT NULL,
        mapped_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, order_number)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE mapping.mapped_orders');
    await dropMessagingTables(runner, 'mapping');
  }
}
