import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SKU catalog, name rules, held orders (the unmapped queue), listings and the stock the
 * listings derive from. Codes are compared exactly, so they are plain `text` (no citext).
 */
export class Catalog1766100000000 implements MigrationInterface {
  name = 'Catalog1766100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE mapping.skus (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        barcode text,
        seller_code text,
        components jsonb,
        has_options boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT skus_code_unique UNIQUE (tenant_id, code)
      )`);
    await runner.query(`CREATE INDEX skus_seller_code ON mapping.skus (tenant_id, seller_code)`);
    await runner.query(`
      CREATE TABLE mapping.sku_options (
        id uuid PRIMARY KEY,
        sku_id uuid NOT NULL REFERENCES mapping.skus (id) ON DELETE CASCADE,
        tenant_id text NOT NULL,
        position integer NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        seller_code text,
        barcode text,
        variant_id text,
        components jsonb,
        CONSTRAINT sku_options_code_unique UNIQUE (tenant_id, code)
      )`);
    await runner.query(`CREATE INDEX sku_options_sku ON mapping.sku_options (sku_id, position)`);
    await runner.query(`
      CREATE TABLE mapping.mapping_rules (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        item_name text NOT NULL,
        option_text text NOT NULL,
        sku_code text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT mapping_rules_unique UNIQUE (tenant_id, item_name, option_text, sku_code)
      )`);
    // Bumped in the transaction of every catalog change; instances compare it with the version
    // of the catalog they hold in memory.
    await runner.query(`
      CREATE TABLE mapping.catalog_versions (
        tenant_id text PRIMARY KEY,
        version bigint NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE mapping.held_orders (
        shop_id text NOT NULL,
        order_number text NOT NULL,
        tenant_id text NOT NULL,
        source_event_id uuid NOT NULL,
        correlation_id text,
        marketplace text NOT NULL,
        ordered_at timestamptz,
        "order" jsonb NOT NULL,
        evaluation jsonb NOT NULL,
        held_at timestamptz NOT NULL DEFAULT now(),
        evaluated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, order_number)
      )`);
    await runner.query(
      `CREATE INDEX held_orders_tenant ON mapping.held_orders (tenant_id, held_at)`,
    );
    await runner.query(`ALTER TABLE mapping.mapped_orders ADD COLUMN line_details jsonb`);
    await runner.query(`ALTER TABLE mapping.mapped_orders ADD COLUMN ordered_at timestamptz`);
    await runner.query(
      `CREATE INDEX mapped_orders_tenant ON mapping.mapped_orders (tenant_id, mapped_at DESC)`,
    );
    await runner.query(`
      CREATE TABLE mapping.listings (
        shop_id text NOT NULL,
        manage_number text NOT NULL,
        variant_key text NOT NULL,
        tenant_id text NOT NULL,
        variant_id text,
        merchant_defined_sku_id text,
        item_number text NOT NULL,
        item_name text NOT NULL,
        sku_links jsonb,
        matched_by text,
        last_quantity integer,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, manage_number, variant_key)
      )`);
    await runner.query(
      `CREATE INDEX listings_links ON mapping.listings USING gin (sku_links jsonb_path_ops)`,
    );
    await runner.query(`CREATE INDEX listings_tenant ON mapping.listings (tenant_id)`);
    await runner.query(`
      CREATE TABLE mapping.sku_stock (
        tenant_id text NOT NULL,
        sku_code text NOT NULL,
        available integer NOT NULL,
        on_hand integer NOT NULL,
        reserved integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, sku_code)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE mapping.sku_stock');
    await runner.query('DROP TABLE mapping.listings');
    await runner.query('DROP INDEX mapping.mapped_orders_tenant');
    await runner.query('ALTER TABLE mapping.mapped_orders DROP COLUMN ordered_at');
    await runner.query('ALTER TABLE mapping.mapped_orders DROP COLUMN line_details');
    await runner.query('DROP TABLE mapping.held_orders');
    await runner.query('DROP TABLE mapping.catalog_versions');
    await runner.query('DROP TABLE mapping.mapping_rules');
    await runner.query('DROP TABLE mapping.sku_options');
    await runner.query('DROP TABLE mapping.skus');
  }
}
