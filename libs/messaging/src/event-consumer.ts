import {
  AnyEvent,
  DecodeResult,
  EventOf,
  EventType,
  Topic,
  decodeEvent,
  dlqTopic,
} from '@smartship/contracts/events';
import type {
  Batch,
  Consumer,
  EachBatchPayload,
  IHeaders,
  Kafka,
  KafkaMessage,
  Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';

import { BackoffPolicy, DEFAULT_BACKOFF, backoffDelay, sleep } from './backoff';
import { errorMessage, permanentFailureOf } from './messaging.errors';
import { quoteSchema } from './messaging-tables';
import { messagingMetrics } from './metrics';
import { Outbox } from './outbox';

/** What a handler gets besides the event: the transaction it must do all its writes in. */
export interface HandlerContext {
  /** The open transaction; the inbox row for this event is in it too. */
  manager: EntityManager;
  /** Adds events to the outbox in the same transaction. */
  publish(events: AnyEvent | AnyEvent[]): Promise<void>;
  /** A logger bound to the event id, type and (where the key carries one) order number. */
  logger: Logger;
}

export type EventHandler<T extends EventType> = (
  event: EventOf<T>,
  context: HandlerContext,
) => Promise<void>;

export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/**
 * A handler for a whole chunk: it gets the chunk's fresh events of one type (those the inbox had
 * not seen, duplicates already removed), in offset order, inside the chunk's one transaction, so
 * it can write them with multi-row statements and one outbox insert. It must leave the database
 * as the per-event handler applied to the same events in the same order would: same key, first
 * event first. A PermanentError makes the consumer call it again with one event at a time, each
 * in its own transaction, and dead-letter only the event that fails.
 */
export type ChunkHandler<T extends EventType> = (
  events: EventOf<T>[],
  context: HandlerContext,
) => Promise<void>;

export type ChunkHandlers = { [T in EventType]?: ChunkHandler<T> };

export interface EventConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  /** The service's schema: its inbox and outbox live there. */
  schema: string;
  /** The Kafka consumer group; also the inbox's dedupe scope. */
  groupId: string;
  /** One handler per event type; the topics subscribed are these types and `chunkHandlers`'. */
  handlers?: EventHandlers;
  /** Chunk handlers (see ChunkHandler); a type has either a handler or a chunk handler. */
  chunkHandlers?: ChunkHandlers;
  /** Producer for dead letters (the service's idempotent producer). */
  producer: Producer;
  logger: Logger;
  /** Events applied in one database transaction. */
  chunkSize?: number;
  /** Partitions handled in parallel by this process. */
  partitionsConsumedConcurrently?: number;
  backoff?: BackoffPolicy;
  /** Kafka session timeout, ms: a member silent this long is considered dead. */
  sessionTimeoutMs?: number;
  /**
   * Test hook called after a chunk's transaction committed and before its offset is committed.
   * The fault tests kill the process here.
   */
  afterChunkCommitted?: (eventIds: string[]) => void | Promise<void>;
}

interface Decoded {
  event?: AnyEvent;
  failure?: { code: string; reason: string };
}

/**
 * A message of the chunk in hand. `id` is the event id, read from the `event-id` header every
 * platform producer sets (else from the decoded body), so that the inbox can tell a duplicate
 * before the payload is parsed; `decoded` is filled when the message is decoded, once.
 */
interface Pending {
  message: KafkaMessage;
  id?: string;
  decoded?: Decoded;
  /** Already sent to the dead-letter topic by an earlier attempt at this chunk. */
  deadLettered?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The `event-id` header when it is a UUID (lower case, as the inbox returns it), else undefined. */
function headerEventId(message: KafkaMessage): string | undefined {
  const raw = message.headers?.['event-id'];
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : typeof raw === 'string' ? raw : '';
  const id = text.toLowerCase();
  return UUID.test(id) ? id : undefined;
}

/**
 * A Kafka consumer that applies each event exactly once to the service's database.
 *
 * For every chunk of a batch, in one transaction: insert the event ids (from the `event-id`
 * header) into the inbox (`ON CONFLICT DO NOTHING` tells which are new); decode and validate only
 * the new ones against the contracts — a redelivered duplicate is never parsed; run the handlers
 * (one call per event, or one call of the chunk handler with all of them); commit; only then
 * resolve and commit the Kafka offset. A message
 * that cannot be decoded, or whose handler throws a PermanentError, goes to `<topic>.dlq` with the
 * reason in its headers and the partition goes on. Any other error rolls the chunk back and is
 * retried with backoff, in place, so the order of a key is kept.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly outbox: Outbox;
  private readonly inbox: string;
  private readonly chunkSize: number;
  private readonly backoff: BackoffPolicy;
  private readonly stopping = new AbortController();

  constructor(private readonly options: EventConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
    });
    this.outbox = new Outbox(options.schema);
    this.inbox = `${quoteSchema(options.schema)}.inbox`;
    this.chunkSize = options.chunkSize ?? 200;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    const both = Object.keys(options.handlers ?? {}).filter(
      (type) => options.chunkHandlers?.[type as EventType],
    );
    if (both.length > 0) {
      throw new Error(`event types with both a handler and a chunk handler: ${both.join(', ')}`);
    }
    if (this.topics.length === 0) throw new Error(`consumer ${options.groupId} has no handler`);
  }

  get topics(): EventType[] {
    return [
      ...Object.keys(this.options.handlers ?? {}),
      ...Object.keys(this.options.chunkHandlers ?? {}),
    ] as EventType[];
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    // A new group starts at the beginning: an event produced before the service first ran is
    // still an event it must apply.
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: true,
      // Commit whatever is resolved, every time commitOffsetsIfNecessary is called — and offsets
      // are resolved only after the database transaction committed.
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Lets the batch in hand finish (or roll back), commits its offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (let start = 0; start < batch.messages.length; start += this.chunkSize) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + this.chunkSize);
      const done = await this.applyChunkWithRetry(batch, chunk, payload);
      if (!done) return;
      payload.resolveOffset(chunk[chunk.length - 1].offset);
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    }
  }

  /** Returns false when the consumer is stopping and the chunk was left for redelivery. */
  private async applyChunkWithRetry(
    batch: Batch,
    chunk: KafkaMessage[],
    payload: EachBatchPayload,
  ): Promise<boolean> {
    const pending = chunk.map((message) => this.pending(batch.topic, message));
    // Fast path: the whole chunk in one transaction. If one event is poison we do not know which
    // until we try them one by one, so a permanent failure switches to one transaction per event.
    let oneByOne = false;
    for (let attempt = 1; ; attempt++) {
      try {
        if (oneByOne) {
          for (const item of pending) await this.applyOne(batch, item);
        } else {
          await this.applyInTransaction(batch, pending);
        }
        return true;
      } catch (error) {
        if (permanentFailureOf(error) && !oneByOne) {
          oneByOne = true;
          attempt = 0;
          continue;
        }
        messagingMetrics().retries.inc({ group: this.options.groupId, topic: batch.topic });
        const delay = backoffDelay(attempt, this.backoff);
        this.options.logger.warn(
          {
            err: errorMessage(error),
            topic: batch.topic,
            partition: batch.partition,
            attempt,
            retryInMs: delay,
          },
          'event chunk failed, will retry',
        );
        await sleep(delay, this.stopping.signal);
        if (!payload.isRunning() || payload.isStale() || this.stopping.signal.aborted) return false;
        await payload.heartbeat();
      }
    }
  }

  /** A message with its event id; decoded at once only when its headers do not carry the id. */
  private pending(topic: string, message: KafkaMessage): Pending {
    const id = headerEventId(message);
    if (id !== undefined) return { message, id };
    const decoded = this.decode(topic, message);
    return { message, id: decoded.event?.id.toLowerCase(), decoded };
  }

  /**
   * One-by-one mode: a permanent failure dead-letters this event only, and records it in the
   * inbox so that a redelivery does not dead-letter it again.
   */
  private async applyOne(batch: Batch, item: Pending): Promise<void> {
    try {
      await this.applyInTransaction(batch, [item]);
    } catch (error) {
      const permanent = permanentFailureOf(error);
      if (!permanent) throw error;
      await this.deadLetter(batch, item.message, {
        code: permanent.code,
        reason: permanent.message,
      });
      await this.options.dataSource.query(
        `INSERT INTO ${this.inbox} (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [this.options.groupId, item.id],
      );
    }
  }

  /** Sends a message that cannot be applied to the dead-letter topic, once per chunk in hand. */
  private async deadLetterOnce(
    batch: Batch,
    item: Pending,
    failure: { code: string; reason: string },
  ): Promise<void> {
    if (item.deadLettered) return;
    await this.deadLetter(batch, item.message, failure);
    item.deadLettered = true;
  }

  /**
   * The new events of `items`, decoded, in offset order: the inbox is told of every id first, and
   * only the ids it had not seen are decoded. Undecodable messages go to the dead-letter topic
   * (their ids stay in the inbox, so a redelivery is a duplicate and is not dead-lettered again).
   */
  private async freshEvents(
    manager: EntityManager,
    batch: Batch,
    items: Pending[],
  ): Promise<AnyEvent[]> {
    const { groupId } = this.options;
    const metrics = messagingMetrics();
    const ids = items.flatMap((item) => (item.id === undefined ? [] : [item.id]));
    const fresh =
      ids.length === 0
        ? []
        : await manager.query<{ event_id: string }[]>(
            `INSERT INTO ${this.inbox} (consumer_group, event_id)
               SELECT $1, id FROM unnest($2::uuid[]) AS id
             ON CONFLICT DO NOTHING RETURNING event_id`,
            [groupId, ids],
          );
    const isNew = new Set(fresh.map((row) => row.event_id));
    const events: AnyEvent[] = [];
    for (const item of items) {
      if (item.id !== undefined && !isNew.delete(item.id)) {
        metrics.consumed.inc({ group: groupId, topic: batch.topic, outcome: 'duplicate' });
        continue;
      }
      const decoded = (item.decoded ??= this.decode(batch.topic, item.message));
      if (!decoded.event) {
        await this.deadLetterOnce(batch, item, decoded.failure!);
      } else if (decoded.event.id.toLowerCase() !== item.id) {
        await this.deadLetterOnce(batch, item, {
          code: 'invalid_envelope',
          reason: 'id: the event id differs from the event-id header',
        });
      } else {
        events.push(decoded.event);
      }
    }
    return events;
  }

  private async applyInTransaction(batch: Batch, items: Pending[]): Promise<void> {
    if (items.length === 0) return;
    const { groupId } = this.options;
    const metrics = messagingMetrics();
    const timer = metrics.chunkSeconds.startTimer({ group: groupId, topic: batch.topic });
    const appliedIds: string[] = [];
    await this.options.dataSource.transaction(async (manager) => {
      const freshEvents = await this.freshEvents(manager, batch, items);
      const publish = (events: AnyEvent | AnyEvent[]) => this.outbox.add(manager, events);
      // A topic carries one event type, so a chunk is one run; runs keep the order if not.
      for (let start = 0; start < freshEvents.length;) {
        const type = freshEvents[start].type;
        let end = start + 1;
        while (end < freshEvents.length && freshEvents[end].type === type) end++;
        const run = freshEvents.slice(start, end);
        start = end;
        const chunkHandler = this.options.chunkHandlers?.[type] as ChunkHandler<EventType>;
        if (chunkHandler) {
          const logger =
            run.length === 1
              ? this.eventLogger(run[0])
              : this.options.logger.child({
                  eventType: type,
                  events: run.length,
                  topic: batch.topic,
                  partition: batch.partition,
                });
          await chunkHandler(run, { manager, logger, publish });
          appliedIds.push(...run.map((event) => event.id));
          continue;
        }
        const handler = this.options.handlers?.[type] as EventHandler<EventType>;
        for (const event of run) {
          await handler(event, { manager, logger: this.eventLogger(event), publish });
          appliedIds.push(event.id);
        }
      }
    });
    timer();
    metrics.consumed.inc(
      { group: groupId, topic: batch.topic, outcome: 'applied' },
      appliedIds.length,
    );
    if (this.options.afterChunkCommitted) await this.options.afterChunkCommitted(appliedIds);
  }

  private eventLogger(event: AnyEvent): Logger {
    return this.options.logger.child({
      eventId: event.id,
      eventType: event.type,
      correlationId: event.correlationId,
      orderNumber: orderNumberOf(event),
    });
  }

  private decode(topic: string, message: KafkaMessage): Decoded {
    const result = decodeEvent(message.value, [topic as Topic]) as DecodeResult;
    if (result.ok) return { event: result.event };
    return { failure: { code: result.code, reason: result.reason } };
  }

  private async deadLetter(
    batch: Batch,
    message: KafkaMessage,
    failure: { code: string; reason: string },
  ): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      'dlq-code': failure.code,
      'dlq-reason': failure.reason,
      'dlq-source-topic': batch.topic,
      'dlq-source-partition': String(batch.partition),
      'dlq-source-offset': message.offset,
      'dlq-consumer-group': this.options.groupId,
      'dlq-failed-at': new Date().toISOString(),
    };
    await this.options.producer.send({
      topic: dlqTopic(batch.topic as Topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    messagingMetrics().deadLettered.inc({
      group: this.options.groupId,
      topic: batch.topic,
      code: failure.code,
    });
    this.options.logger.warn(
      {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        code: failure.code,
        reason: failure.reason,
      },
      'event dead-lettered',
    );
  }
}

/** The order number, for the log lines of order events (their data carries it). */
function orderNumberOf(event: AnyEvent): string | undefined {
  const data = event.data as { orderNumber?: unknown; order?: { orderNumber?: unknown } };
  const value = data.orderNumber ?? data.order?.orderNumber;
  return typeof value === 'string' ? value : undefined;
}
