import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Rakuten connector's state: the shop copies (from shop.updated), poll leases and
 * checkpoints, raw orders (unique per shop and order number: the exactly-once key of
 * order.pulled), confirmation results, shipping reports and listing quantities.
 */
export class Connector1765000000000 implements MigrationInterface {
  name = 'Connector1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ingestion.shops (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        rakuten_shop_id text NOT NULL,
        status text NOT NULL,
        auto_order_sync boolean NOT NULL,
        auto_order_confirm boolean NOT NULL,
        key_id text,
        service_secret_ct text,
        license_key_ct text,
        -- sha256 of the decrypted keys: tells new keys from re-encrypted old ones
        key_fingerprint text,
        -- Rakuten refused the keys with this fingerprint: no call until they change
        auth_blocked_fingerprint text,
        auth_failed_at timestamptz,
        revision integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ingestion.poll_state (
        shop_id uuid PRIMARY KEY REFERENCES ingestion.shops (id),
        next_poll_at timestamptz NOT NULL,
        lease_owner text,
        lease_until timestamptz,
        -- the search range of the poll cycle in progress and how far it got (window ends)
        cycle_from timestamptz,
        cycle_to timestamptz,
        cycle_done_until timestamptz,
        -- end of the last search range read completely: the checkpoint
        checkpoint_at timestamptz,
        last_started_at timestamptz,
        last_finished_at timestamptz,
        last_error text,
        consecutive_failures integer NOT NULL DEFAULT 0
      )`);
    await runner.query('CREATE INDEX poll_state_due_idx ON ingestion.poll_state (next_poll_at)');
    await runner.query(`
      CREATE TABLE ingestion.poll_runs (
        id bigserial PRIMARY KEY,
        shop_id uuid NOT NULL,
        owner text NOT NULL,
        trigger text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        searched integer NOT NULL DEFAULT 0,
        new_orders integer NOT NULL DEFAULT 0,
        known_orders integer NOT NULL DEFAULT 0,
        failed_orders integer NOT NULL DEFAULT 0,
        canceled_orders integer NOT NULL DEFAULT 0,
        error text
      )`);
    await runner.query(
      'CREATE INDEX poll_runs_shop_idx ON ingestion.poll_runs (shop_id, started_at)',
    );
    await runner.query(`
      CREATE TABLE ingestion.orders (
        shop_id uuid NOT NULL,
        order_number text NOT NULL,
        tenant_id uuid NOT NULL,
        ordered_at timestamptz NOT NULL,
        rakuten_status integer NOT NULL,
        -- pulled | canceled | changed | shipped | unpublishable
        state text NOT NULL,
        raw jsonb NOT NULL,
        event_id uuid,
        problem text,
        pulled_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, order_number)
      )`);
    await runner.query(
      "CREATE INDEX orders_open_idx ON ingestion.orders (shop_id, ordered_at) WHERE state = 'pulled'",
    );
    await runner.query(`
      CREATE TABLE ingestion.confirmations (
        shop_id uuid NOT NULL,
        order_number text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_attempt_at timestamptz,
        ok boolean NOT NULL DEFAULT false,
        -- no further attempt (confirmed, already confirmed, cancelled, attempts used up)
        final boolean NOT NULL DEFAULT false,
        code text,
        message text,
        PRIMARY KEY (shop_id, order_number)
      )`);
    await runner.query(`
      CREATE TABLE ingestion.confirmation_alerts (
        shop_id uuid NOT NULL,
        order_number text NOT NULL,
        alerted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, order_number)
      )`);
    await runner.query(`
      CREATE TABLE ingestion.shipping_reports (
        id uuid PRIMARY KEY,
        shop_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        order_number text NOT NULL,
        basket_id bigint NOT NULL,
        parcels jsonb NOT NULL,
        fulfillment_order_id text NOT NULL,
        event_id uuid NOT NULL,
        -- pending | sending | submitted | unknown | done | failed | rejected
        state text NOT NULL,
        request_id text,
        attempts integer NOT NULL DEFAULT 0,
        sending_at timestamptz,
        submitted_at timestamptz,
        done_at timestamptz,
        error_code text,
        error_message text,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (shop_id, order_number, basket_id)
      )`);
    await runner.query(
      "CREATE INDEX shipping_reports_open_idx ON ingestion.shipping_reports (state, updated_at) WHERE state NOT IN ('done', 'failed', 'rejected')",
    );
    await runner.query('CREATE SEQUENCE ingestion.listing_stock_seq');
    await runner.query(`
      CREATE TABLE ingestion.listing_stock (
        shop_id uuid NOT NULL,
        manage_number text NOT NULL,
        variant_id text NOT NULL,
        quantity integer NOT NULL,
        -- occurredAt of the event that set the quantity: an older event never overwrites it
        event_at timestamptz NOT NULL,
        desired_seq bigint NOT NULL,
        pushed_seq bigint NOT NULL DEFAULT 0,
        pushed_at timestamptz,
        last_error text,
        PRIMARY KEY (shop_id, manage_number, variant_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'listing_stock',
      'shipping_reports',
      'confirmation_alerts',
      'confirmations',
      'orders',
      'poll_runs',
      'poll_state',
      'shops',
    ]) {
      await runner.query(`DROP TABLE ingestion.${table}`);
    }
    await runner.query('DROP SEQUENCE ingestion.listing_stock_seq');
  }
}
