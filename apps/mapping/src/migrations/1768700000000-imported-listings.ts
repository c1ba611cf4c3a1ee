import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Listings imported from RMS (issue 18): what items.search says about each listing (title,
 * selector text, hidden), when it was last imported, and the suggested link (SKU links and the
 * matching rule that found them) until someone accepts it. Rows seen only on orders keep NULLs.
 */
export class ImportedListings1768700000000 implements MigrationInterface {
  name = 'ImportedListings1768700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE mapping.listings
        ADD COLUMN title text,
        ADD COLUMN selector_text text,
        ADD COLUMN hidden boolean NOT NULL DEFAULT false,
        ADD COLUMN suggested_links jsonb,
        ADD COLUMN suggested_by text,
        ADD COLUMN imported_at timestamptz,
        ADD COLUMN import_id uuid,
        -- false for a listing first created by an import (true for those seen on order lines)
        ADD COLUMN seen_on_order boolean NOT NULL DEFAULT true`);
    await runner.query(
      `CREATE INDEX listings_suggested ON mapping.listings (tenant_id, shop_id)
        WHERE suggested_links IS NOT NULL AND sku_links IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX mapping.listings_suggested');
    await runner.query(`ALTER TABLE mapping.listings
      DROP COLUMN title, DROP COLUMN selector_text, DROP COLUMN hidden,
      DROP COLUMN suggested_links, DROP COLUMN suggested_by, DROP COLUMN imported_at,
      DROP COLUMN import_id, DROP COLUMN seen_on_order`);
  }
}
