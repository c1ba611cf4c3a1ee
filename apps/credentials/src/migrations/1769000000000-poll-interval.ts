import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shop's own poll interval (options.pollIntervalMinutes, 1–60); NULL uses the platform's
 * interval (ingestion's POLL_INTERVAL_MS). Published in shop.updated for ingestion.
 */
export class PollInterval1769000000000 implements MigrationInterface {
  name = 'PollInterval1769000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE credentials.shops ADD COLUMN IF NOT EXISTS poll_interval_minutes integer
         CHECK (poll_interval_minutes BETWEEN 1 AND 60)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE credentials.shops DROP COLUMN poll_interval_minutes');
  }
}
