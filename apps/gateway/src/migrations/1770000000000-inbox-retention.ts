import { addInboxRetentionIndex, dropInboxRetentionIndex } from '@smartship/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbox is pruned past INBOX_RETENTION_DAYS (pruneInbox): an index on when rows were applied. */
export class InboxRetention1770000000000 implements MigrationInterface {
  name = 'InboxRetention1770000000000';

  async up(runner: QueryRunner): Promise<void> {
    await addInboxRetentionIndex(runner, 'gateway');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropInboxRetentionIndex(runner, 'gateway');
  }
}
