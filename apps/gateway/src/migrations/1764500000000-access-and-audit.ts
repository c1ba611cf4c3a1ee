import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, their API tokens (hashes only) and the audit log. */
export class AccessAndAudit1764500000000 implements MigrationInterface {
  name = 'AccessAndAudit1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE gateway.tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE gateway.api_tokens (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES gateway.tenants (id),
        name text NOT NULL,
        token_hash text NOT NULL CONSTRAINT api_tokens_token_hash_uq UNIQUE
          CONSTRAINT api_tokens_token_hash_ck CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await runner.query(
      'CREATE INDEX api_tokens_tenant_idx ON gateway.api_tokens (tenant_id, created_at)',
    );
    await runner.query(`
      CREATE TABLE gateway.audit_log (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES gateway.tenants (id),
        actor_id text NOT NULL,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        -- clock_timestamp, not now(): entries written in one transaction keep their order.
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(
      'CREATE INDEX audit_log_tenant_idx ON gateway.audit_log (tenant_id, created_at DESC, id DESC)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE gateway.audit_log');
    await runner.query('DROP TABLE gateway.api_tokens');
    await runner.query('DROP TABLE gateway.tenants');
  }
}
