import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shop of a tenant an operator disabled is suspended (status `suspended`) until the tenant is
 * enabled again. Kept apart from `enabled`, the seller's own switch, so lifting the suspension
 * never turns on a shop the seller had turned off.
 */
export class TenantSuspension1764900000000 implements MigrationInterface {
  name = 'TenantSuspension1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE credentials.shops ADD COLUMN IF NOT EXISTS suspended_at timestamptz',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE credentials.shops DROP COLUMN suspended_at');
  }
}
