import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safety stock (README "Stock: safety stock and drift"): units held back from what Rakuten
 * shows, per shop (`shop_stock_settings`) and per SKU (`sku_safety_stock`, keyed by the SKU code
 * the listings' links name). A shop or SKU without a row holds nothing back.
 */
export class SafetyStock1769500000000 implements MigrationInterface {
  name = 'SafetyStock1769500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE mapping.shop_stock_settings (
        shop_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        safety_stock integer NOT NULL CHECK (safety_stock >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE mapping.sku_safety_stock (
        tenant_id text NOT NULL,
        sku_code text NOT NULL,
        safety_stock integer NOT NULL CHECK (safety_stock >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, sku_code)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE mapping.sku_safety_stock');
    await runner.query('DROP TABLE mapping.shop_stock_settings');
  }
}
