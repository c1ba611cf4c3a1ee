import { createMessagingTables, dropMessagingTables } from '@smartship/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifications schema: the inbox/outbox, each shop's tenant and name (from shop.updated),
 * tenant settings, recipients, webhook endpoints, notifications and deliveries.
 */
export class Initial1768000000000 implements MigrationInterface {
  name = 'Initial1768000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'notifications');
    await runner.query(`
      CREATE TABLE notifications.shops (
        shop_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        shop_name text NOT NULL,
        revision integer NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE notifications.settings (
        tenant_id uuid PRIMARY KEY,
        language text NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'ja', 'en')),
        window_minutes integer NOT NULL DEFAULT 360,
        digest_hour_jst integer NOT NULL DEFAULT 9,
        last_digest_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE notifications.recipients (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        email text NOT NULL,
        kinds text[] NOT NULL,
        digest boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX recipients_tenant_ix ON notifications.recipients (tenant_id, created_at)`,
    );
    // The secrets are sealed with MASTER_KEYS (AES-256-GCM); the previous one signs too until
    // previous_secret_until (rotation).
    await runner.query(`
      CREATE TABLE notifications.endpoints (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        url text NOT NULL,
        kinds text[] NOT NULL,
        format text NOT NULL CHECK (format IN ('standard', 'slack')),
        enabled boolean NOT NULL DEFAULT true,
        secret_key_id text NOT NULL,
        secret_ciphertext text NOT NULL,
        secret_hint text NOT NULL,
        previous_secret_key_id text,
        previous_secret_ciphertext text,
        previous_secret_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX endpoints_tenant_ix ON notifications.endpoints (tenant_id, created_at)`,
    );
    await runner.query(`
      CREATE TABLE notifications.notifications (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        shop_id uuid,
        shop_name text,
        kind text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        title text NOT NULL,
        message text NOT NULL,
        link text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        source_event_id uuid NOT NULL,
        -- milliseconds, as the page cursor carries them
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        read_at timestamptz,
        suppressed_repeats integer NOT NULL DEFAULT 0,
        last_repeat_at timestamptz
      )`);
    await runner.query(`
      CREATE INDEX notifications_tenant_ix
        ON notifications.notifications (tenant_id, created_at DESC, id DESC)`);
    await runner.query(`
      CREATE INDEX notifications_window_ix
        ON notifications.notifications (tenant_id, kind, shop_id, created_at DESC)`);
    await runner.query(`
      CREATE INDEX notifications_unread_ix
        ON notifications.notifications (tenant_id) WHERE read_at IS NULL`);
    // One row per (notification, channel target): the delivery intent, then its attempts.
    // channel email → recipient_id, webhook → endpoint_id; digest e-mails carry their
    // notification ids in payload. notification_id is null for tests and digests.
    await runner.query(`
      CREATE TABLE notifications.deliveries (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        notification_id uuid REFERENCES notifications.notifications (id),
        channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
        recipient_id uuid,
        endpoint_id uuid,
        kind text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        next_attempt_at timestamptz DEFAULT now(),
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CHECK ((channel = 'email') = (recipient_id IS NOT NULL)),
        CHECK ((channel = 'webhook') = (endpoint_id IS NOT NULL))
      )`);
    await runner.query(`
      CREATE INDEX deliveries_due_ix ON notifications.deliveries (next_attempt_at)
        WHERE status IN ('pending', 'sending')`);
    await runner.query(`
      CREATE INDEX deliveries_endpoint_ix
        ON notifications.deliveries (endpoint_id, created_at DESC) WHERE endpoint_id IS NOT NULL`);
    await runner.query(`
      CREATE INDEX deliveries_notification_ix ON notifications.deliveries (notification_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'deliveries',
      'notifications',
      'endpoints',
      'recipients',
      'settings',
      'shops',
    ]) {
      await runner.query(`DROP TABLE IF EXISTS notifications.${table}`);
    }
    await dropMessagingTables(runner, 'notifications');
  }
}
