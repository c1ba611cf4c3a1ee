import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People: users (tenant members and operators), invitations, password resets, browser sessions
 * and the sign-in throttle. Every secret handed to a person (invitation and reset links, session
 * cookies) is stored as its SHA-256 only; passwords as argon2id; TOTP secrets sealed with
 * AES-256-GCM (see users/totp.ts), so reading the database alone gives none of them.
 */
export class People1764800000000 implements MigrationInterface {
  name = 'People1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    // A disabled tenant's sessions stop working (the operator console sets it).
    await runner.query(
      'ALTER TABLE gateway.tenants ADD COLUMN IF NOT EXISTS disabled_at timestamptz',
    );
    await runner.query(`
      CREATE TABLE gateway.users (
        id uuid PRIMARY KEY,
        tenant_id uuid REFERENCES gateway.tenants (id),
        email text NOT NULL,
        password_hash text NOT NULL CONSTRAINT users_password_hash_ck
          CHECK (password_hash LIKE '$argon2id$%'),
        role text NOT NULL CONSTRAINT users_role_ck
          CHECK (role IN ('owner', 'admin', 'staff', 'viewer', 'operator')),
        totp_key_id text,
        totp_secret_sealed text,
        totp_enabled_at timestamptz,
        -- The last TOTP time step accepted: a code is never accepted twice.
        totp_last_step bigint,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_operator_ck CHECK ((role = 'operator') = (tenant_id IS NULL))
      )`);
    await runner.query('CREATE UNIQUE INDEX users_email_uq ON gateway.users (lower(email))');
    await runner.query('CREATE INDEX users_tenant_idx ON gateway.users (tenant_id, created_at)');
    await runner.query(`
      CREATE TABLE gateway.invitations (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES gateway.tenants (id),
        email text NOT NULL,
        role text NOT NULL CONSTRAINT invitations_role_ck
          CHECK (role IN ('owner', 'admin', 'staff', 'viewer')),
        token_hash text NOT NULL CONSTRAINT invitations_token_hash_uq UNIQUE
          CONSTRAINT invitations_token_hash_ck CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        invited_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await runner.query(
      'CREATE INDEX invitations_tenant_idx ON gateway.invitations (tenant_id, created_at)',
    );
    await runner.query(`
      CREATE TABLE gateway.password_resets (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES gateway.users (id),
        token_hash text NOT NULL CONSTRAINT password_resets_token_hash_uq UNIQUE
          CONSTRAINT password_resets_token_hash_ck CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await runner.query(
      'CREATE INDEX password_resets_user_idx ON gateway.password_resets (user_id)',
    );
    await runner.query(`
      CREATE TABLE gateway.sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES gateway.users (id),
        token_hash text NOT NULL CONSTRAINT sessions_token_hash_uq UNIQUE
          CONSTRAINT sessions_token_hash_ck CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        -- Idle expiry moves with last_seen_at; the absolute one never moves.
        idle_expires_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        user_agent text,
        client_address text
      )`);
    await runner.query(
      'CREATE INDEX sessions_user_idx ON gateway.sessions (user_id) WHERE revoked_at IS NULL',
    );
    // Failed sign-ins and token checks, per account (lower-cased e-mail, known or not) and per
    // client address: shared by every gateway instance.
    await runner.query(`
      CREATE TABLE gateway.auth_failures (
        scope text NOT NULL CONSTRAINT auth_failures_scope_ck
          CHECK (scope IN ('account', 'address', 'token_address')),
        key text NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        last_failure_at timestamptz,
        blocked_until timestamptz,
        locked_at timestamptz,
        PRIMARY KEY (scope, key)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE gateway.auth_failures');
    await runner.query('DROP TABLE gateway.sessions');
    await runner.query('DROP TABLE gateway.password_resets');
    await runner.query('DROP TABLE gateway.invitations');
    await runner.query('DROP TABLE gateway.users');
  }
}
