import { MigrationInterface, QueryRunner } from 'typeorm';

export class Shops1764500000000 implements MigrationInterface {
  name = 'Shops1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE credentials.shops (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        marketplace text NOT NULL DEFAULT 'rakuten',
        rakuten_shop_id text NOT NULL,
        shop_url text NOT NULL,
        status text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        auto_order_sync boolean NOT NULL,
        auto_order_confirm boolean NOT NULL,
        auto_fulfillment_dispatch boolean NOT NULL,
        key_id text NOT NULL,
        service_secret_ct text NOT NULL,
        license_key_ct text NOT NULL,
        license_key_last4 text NOT NULL,
        key_revision integer NOT NULL DEFAULT 1,
        keys_set_at timestamptz NOT NULL,
        license_key_expires_at timestamptz NOT NULL,
        license_key_expiry_source text NOT NULL,
        pending_key_id text,
        pending_service_secret_ct text,
        pending_license_key_ct text,
        pending_license_key_last4 text,
        pending_license_key_issued_at timestamptz,
        pending_since timestamptz,
        auth_failed_at timestamptz,
        revision integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // The same Rakuten shop once per tenant (a deleted one may be registered again).
    await runner.query(`
      CREATE UNIQUE INDEX shops_tenant_rakuten_shop_uq
        ON credentials.shops (tenant_id, rakuten_shop_id) WHERE deleted_at IS NULL`);
    await runner.query(`
      CREATE TABLE credentials.connection_tests (
        id uuid PRIMARY KEY,
        shop_id uuid NOT NULL REFERENCES credentials.shops (id),
        trigger text NOT NULL,
        code text NOT NULL,
        message text NOT NULL,
        duration_ms integer NOT NULL,
        key_revision integer NOT NULL,
        tested_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      'CREATE INDEX connection_tests_shop_idx ON credentials.connection_tests (shop_id, tested_at DESC)',
    );
    // One row per warning given, so each is published once per key.
    await runner.query(`
      CREATE TABLE credentials.license_alerts (
        shop_id uuid NOT NULL REFERENCES credentials.shops (id),
        key_revision integer NOT NULL,
        occurrence text NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, key_revision, occurrence)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE credentials.license_alerts');
    await runner.query('DROP TABLE credentials.connection_tests');
    await runner.query('DROP TABLE credentials.shops');
  }
}
