import { createMessagingTables, dropMessagingTables } from '@smartship/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764400000000 implements MigrationInterface {
  name = 'Initial1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await createMessagingTables(runner, 'ingestion');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropMessagingTables(runner, 'ingestion');
  }
}
