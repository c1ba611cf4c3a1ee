import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts of the mapping service: the shops alerted about order lines held unmapped (one alert
 * until the shop's queue has been empty), the count of check cycles (tests and operators see
 * that a check ran), and one row per SKU import (its id names the tenant.alert import_errors).
 */
export class Alerts1768100000000 implements MigrationInterface {
  name = 'Alerts1768100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE mapping.unmapped_alerts (
        shop_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        -- the oldest held order when alerted, and the held lines then
        since timestamptz NOT NULL,
        lines integer NOT NULL,
        alerted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE mapping.alert_checks (
        name text PRIMARY KEY,
        runs bigint NOT NULL DEFAULT 0,
        checked_at timestamptz
      )`);
    await runner.query(`
      CREATE TABLE mapping.sku_imports (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        file_name text NOT NULL,
        format text NOT NULL,
        rows_total integer NOT NULL,
        rows_failed integer NOT NULL,
        applied boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      'CREATE INDEX sku_imports_tenant ON mapping.sku_imports (tenant_id, created_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE mapping.sku_imports');
    await runner.query('DROP TABLE mapping.alert_checks');
    await runner.query('DROP TABLE mapping.unmapped_alerts');
  }
}
