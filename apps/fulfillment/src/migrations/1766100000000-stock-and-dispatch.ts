import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock and reservations, the shop settings copy, the fulfillment order's hold, shipment,
 * cancellation and history. Rows of the walking skeleton stay `ready` without a reservation
 * (`stock_reserved` false), so shipping them releases nothing.
 */
export class StockAndDispatch1766100000000 implements MigrationInterface {
  name = 'StockAndDispatch1766100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE fulfillment.fulfillment_orders
        ADD COLUMN marketplace text NOT NULL DEFAULT 'rakuten',
        ADD COLUMN requested_delivery_date text,
        ADD COLUMN requested_time_slot integer,
        ADD COLUMN hold jsonb,
        ADD COLUMN stock_reserved boolean NOT NULL DEFAULT false,
        ADD COLUMN shipment jsonb,
        ADD COLUMN cancellation jsonb,
        ADD COLUMN needs_attention boolean NOT NULL DEFAULT false,
        ADD COLUMN attention_reason text,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
        ADD CONSTRAINT fulfillment_orders_status_ck CHECK (status IN
          ('awaiting_shop', 'awaiting_release', 'awaiting_stock', 'ready', 'shipped', 'canceled'))`);
    await runner.query(`
      CREATE INDEX fulfillment_orders_tenant_created_ix
        ON fulfillment.fulfillment_orders (tenant_id, created_at DESC, id DESC)`);
    await runner.query(`
      CREATE INDEX fulfillment_orders_order_ix
        ON fulfillment.fulfillment_orders (shop_id, order_number)`);
    // Held orders are looked up by the SKU whose stock arrived, and by the shop whose settings did.
    await runner.query(`
      CREATE INDEX fulfillment_orders_awaiting_stock_ix
        ON fulfillment.fulfillment_orders USING gin (lines jsonb_path_ops)
        WHERE status = 'awaiting_stock'`);
    await runner.query(`
      CREATE INDEX fulfillment_orders_awaiting_shop_ix
        ON fulfillment.fulfillment_orders (shop_id, created_at) WHERE status = 'awaiting_shop'`);
    await runner.query(`
      CREATE TABLE fulfillment.fulfillment_order_history (
        id bigserial PRIMARY KEY,
        fulfillment_order_id uuid NOT NULL REFERENCES fulfillment.fulfillment_orders (id),
        event text NOT NULL,
        status text NOT NULL,
        note text,
        details jsonb,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(`
      CREATE INDEX fulfillment_order_history_order_ix
        ON fulfillment.fulfillment_order_history (fulfillment_order_id, id)`);
    // on_hand may be set below reserved (a stock-take finds less): available goes negative.
    await runner.query(`
      CREATE TABLE fulfillment.stock (
        tenant_id text NOT NULL,
        sku_code text NOT NULL,
        on_hand integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
        reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, sku_code)
      )`);
    await runner.query(`
      CREATE TABLE fulfillment.shop_settings (
        shop_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        status text NOT NULL,
        auto_fulfillment_dispatch boolean NOT NULL,
        revision integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A cancellation can arrive before the order.mapped it cancels (two topics, no order between
    // them): it is kept here and applied when the fulfillment orders are created.
    await runner.query(`
      CREATE TABLE fulfillment.order_cancellations (
        shop_id text NOT NULL,
        order_number text NOT NULL,
        tenant_id text NOT NULL,
        rakuten_status integer NOT NULL,
        reason text NOT NULL,
        detected_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, order_number)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE fulfillment.order_cancellations');
    await runner.query('DROP TABLE fulfillment.shop_settings');
    await runner.query('DROP TABLE fulfillment.stock');
    await runner.query('DROP TABLE fulfillment.fulfillment_order_history');
    await runner.query('DROP INDEX fulfillment.fulfillment_orders_awaiting_shop_ix');
    await runner.query('DROP INDEX fulfillment.fulfillment_orders_awaiting_stock_ix');
    await runner.query('DROP INDEX fulfillment.fulfillment_orders_order_ix');
    await runner.query('DROP INDEX fulfillment.fulfillment_orders_tenant_created_ix');
    await runner.query(`
      ALTER TABLE fulfillment.fulfillment_orders
        DROP CONSTRAINT fulfillment_orders_status_ck,
        DROP COLUMN updated_at, DROP COLUMN attention_reason, DROP COLUMN needs_attention,
        DROP COLUMN cancellation, DROP COLUMN shipment, DROP COLUMN stock_reserved,
        DROP COLUMN hold, DROP COLUMN requested_time_slot, DROP COLUMN requested_delivery_date,
        DROP COLUMN marketplace`);
  }
}
