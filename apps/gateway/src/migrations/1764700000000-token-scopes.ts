import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API token scopes (read / write / admin), expiry and creator; the audit log's actor type.
 * Tokens minted before scopes existed keep every right they had: they become `admin`.
 */
export class TokenScopes1764700000000 implements MigrationInterface {
  name = 'TokenScopes1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE gateway.api_tokens
        ADD COLUMN scope text NOT NULL DEFAULT 'admin'
          CONSTRAINT api_tokens_scope_ck CHECK (scope IN ('read', 'write', 'admin')),
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN created_by text,
        ADD COLUMN created_by_type text
          CONSTRAINT api_tokens_created_by_type_ck
          CHECK (created_by_type IN ('token', 'user', 'operator'))`);
    // The default was for existing rows only: new tokens say their scope.
    await runner.query('ALTER TABLE gateway.api_tokens ALTER COLUMN scope DROP DEFAULT');
    await runner.query(`
      ALTER TABLE gateway.audit_log
        ADD COLUMN actor_type text
          CONSTRAINT audit_log_actor_type_ck CHECK (actor_type IN ('token', 'user', 'operator'))`);
    await runner.query(`
      UPDATE gateway.audit_log
         SET actor_type = CASE WHEN actor_id = 'operator' THEN 'operator' ELSE 'token' END`);
    await runner.query('ALTER TABLE gateway.audit_log ALTER COLUMN actor_type SET NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE gateway.audit_log DROP COLUMN actor_type');
    await runner.query(`
      ALTER TABLE gateway.api_tokens
        DROP COLUMN created_by_type, DROP COLUMN created_by,
        DROP COLUMN expires_at, DROP COLUMN scope`);
  }
}
