import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators disable tenants (`tenants.disabled_at`, added here too in case an older database
 * lacks it), and per-tenant request limits shared by every gateway instance: one row per limit
 * and key holding the limit's "theoretical arrival time" (GCRA, see limits/rate-limiter.ts).
 */
export class OperatorsAndLimits1764900000000 implements MigrationInterface {
  name = 'OperatorsAndLimits1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE gateway.tenants ADD COLUMN IF NOT EXISTS disabled_at timestamptz',
    );
    await runner.query(`
      CREATE TABLE gateway.rate_limits (
        name text NOT NULL,
        key text NOT NULL,
        tat timestamptz NOT NULL,
        -- Whether the last request counted here was let through (set with tat, in one update).
        last_allowed boolean NOT NULL DEFAULT true,
        PRIMARY KEY (name, key)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE gateway.rate_limits');
  }
}
