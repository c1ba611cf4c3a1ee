import type { Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource, QueryRunner } from 'typeorm';

import { backoffDelay, sleep } from './backoff';
import { onOutboxWrite } from './outbox';
import { errorMessage } from './messaging.errors';
import { pruneInbox, quoteSchema } from './messaging-tables';
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
  /**
   * How long the relay sleeps when the outbox is empty, in milliseconds: `idleMs` (default 50)
   * after rows were published or written in this process, doubling while it stays empty up to
   * `maxIdleMs` (default 1000). A write by this process wakes it at once; rows written by another
   * instance of the service wait at most `maxIdleMs`.
   */
  idleMs?: number;
  maxIdleMs?: number;
  /** Published rows are deleted after this many hours. */
  retentionHours?: number;
  /**
   * Inbox rows (events applied by this schema's consumers) are deleted after this many days
   * (default 30; see pruneInbox). The relay's minute-by-minute housekeeping does it, so one
   * instance at a time and no loop of its own.
   */
  inboxRetentionDays?: number;
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
  private readonly maxIdleMs: number;
  private readonly retentionMs: number;
  private readonly inboxRetentionDays: number;
  private lastInboxPrune = 0;
  /** Ends the current idle sleep (an event was written in this process). */
  private wake?: () => void;
  private readonly stopController = new AbortController();
  private loop?: Promise<void>;
  private lastCleanup = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteSchema(options.schema)}.outbox`;
    this.lockKey = `outbox-relay:${options.schema}`;
    this.batchSize = options.batchSize ?? 500;
    this.idleMs = options.idleMs ?? 50;
    this.maxIdleMs = Math.max(this.idleMs, options.maxIdleMs ?? 1000);
    this.retentionMs = (options.retentionHours ?? 24) * 3_600_000;
    this.inboxRetentionDays = options.inboxRetentionDays ?? 30;
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
    let written = false;
    const stopListening = onOutboxWrite(this.options.schema, () => {
      written = true;
      this.wake?.();
    });
    let failures = 0;
    let idle = this.idleMs;
    try {
      while (!signal.aborted) {
        try {
          const recentWrite = written;
          written = false;
          const published = await this.publishOnce();
          failures = 0;
          if (published < this.batchSize) {
            // A quiet outbox is polled less and less often; after a local write (whose
            // transaction may not have committed yet) or a publish, soon again.
            const busy = published > 0 || recentWrite || written;
            idle = busy ? this.idleMs : Math.min(idle * 2, this.maxIdleMs);
            await this.idleSleep(idle, signal);
          }
          await this.cleanupIfDue();
        } catch (error) {
          failures++;
          const delay = backoffDelay(failures);
          logger.warn({ err: errorMessage(error), retryInMs: delay }, 'outbox relay step failed');
          await sleep(delay, signal);
        }
      }
    } finally {
      stopListening();
    }
  }

  /** Sleeps `ms`, less if the relay stops or an event is written in this process meanwhile. */
  private idleSleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
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
    // The inbox grows by every event applied: pruned hourly past its window.
    if (now - this.lastInboxPrune >= 3_600_000) {
      this.lastInboxPrune = now;
      const pruned = await pruneInbox(
        this.options.dataSource,
        this.options.schema,
        this.inboxRetentionDays,
      );
      if (pruned > 0) {
        this.options.logger.info(
          { schema: this.options.schema, pruned, retentionDays: this.inboxRetentionDays },
          'inbox pruned',
        );
      }
    }
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
