import type { Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource, QueryRunner } from 'typeorm';

import { backoffDelay, sleep } from './backoff';
import { errorMessage } from './messaging.errors';
import { quoteSchema } from './messaging-tables';
import { messagingMetrics } from './metrics';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  /** An idempotent producer (see createProducer). */
  producer: Producer;
  /** The service's schema, where its outbox table lives. */
  schema: string;
  logger: Logger;
  /** Rows published per Kafka request. */
  batchSize?: number;
  /** How long the relay sleeps when the outbox is empty, in milliseconds. */
  idleMs?: number;
  /** Published rows are deleted after this many hours. */
  retentionHours?: number;
  /**
   * Test hook, called after Kafka acknowledged a batch and before the rows are marked published.
   * The fault tests kill the process here to prove a re-published batch is applied once.
   */
  afterSend?: (ids: string[]) => void | Promise<void>;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: Record<string, string>;
}

/**
 * Publishes the outbox to Kafka: at least once, in order per key.
 *
 * - Only rows whose writing transaction, and every transaction older than it, have ended are
 *   read (`tx_id < pg_snapshot_xmin(pg_current_snapshot())`). A row that commits late can
 *   therefore never be skipped, and rows are published in the order their transactions began
 *   writing — which, for one key, is the order the service applied its changes, because every
 *   writer locks the aggregate row first. Never `id > last_id`: sequences commit out of order.
 * - One relay works at a time per schema, whatever the number of instances: each step takes a
 *   transaction-scoped advisory lock, and an instance that does not get it waits. Steps are
 *   therefore serialised and per-key order holds across instances.
 * - A crash between the Kafka acknowledgement and the UPDATE publishes the batch again; consumers
 *   dedupe by event id (the inbox), so the effect is applied once.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly lockKey: string;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly retentionMs: number;
  private readonly stopController = new AbortController();
  private loop?: Promise<void>;
  private lastCleanup = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteSchema(options.schema)}.outbox`;
    this.lockKey = `outbox-relay:${options.schema}`;
    this.batchSize = options.batchSize ?? 500;
    this.idleMs = options.idleMs ?? 50;
    this.retentionMs = (options.retentionHours ?? 24) * 3_600_000;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  /** Finishes the batch in hand, then returns. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** Publishes what is ready now; returns the number of rows published (used by tests). */
  async publishOnce(): Promise<number> {
    const runner = this.options.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      try {
        const published = await this.step(runner);
        await runner.commitTransaction();
        return published;
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    const signal = this.stopController.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const published = await this.publishOnce();
        failures = 0;
        if (published < this.batchSize) await sleep(this.idleMs, signal);
        await this.cleanupIfDue();
      } catch (error) {
        failures++;
        const delay = backoffDelay(failures);
        logger.warn({ err: errorMessage(error), retryInMs: delay }, 'outbox relay step failed');
        await sleep(delay, signal);
      }
    }
  }

  private async step(runner: QueryRunner): Promise<number> {
    const [{ locked }] = (await runner.query(
      'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
      [this.lockKey],
    )) as { locked: boolean }[];
    if (!locked) return 0;
    const rows = (await runner.query(
      `SELECT id, topic, message_key, payload, headers FROM ${this.table}
        WHERE published_at IS NULL AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY tx_id, seq
        LIMIT $1`,
      [this.batchSize],
    )) as OutboxRow[];
    if (rows.length === 0) return 0;

    await this.options.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(rows) });
    const ids = rows.map((row) => row.id);
    if (this.options.afterSend) await this.options.afterSend(ids);
    await runner.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    messagingMetrics().published.inc({ schema: this.options.schema }, rows.length);
    return rows.length;
  }

  private async cleanupIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60_000) return;
    this.lastCleanup = now;
    await this.options.dataSource.query(
      `DELETE FROM ${this.table} WHERE published_at < now() - ($1::bigint * interval '1 millisecond')`,
      [this.retentionMs],
    );
  }
}

/** Keeps the rows' order within each topic (and so within each key). */
function groupByTopic(rows: OutboxRow[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const row of rows) {
    let entry = byTopic.get(row.topic);
    if (!entry) {
      entry = { topic: row.topic, messages: [] };
      byTopic.set(row.topic, entry);
    }
    entry.messages.push({ key: row.message_key, value: row.payload, headers: row.headers });
  }
  return [...byTopic.values()];
}
