/**
 * A relay or a consumer of the messaging lib in a process of its own, so the fault tests can
 * SIGKILL it at an exact point. Run by the integration tests through WorkerProcess (ts-node);
 * configured by environment:
 *
 *   ROLE=relay     SCHEMA, KILL_AFTER_SEND=1 (die after Kafka acked the first batch, before the
 *                  rows are marked published)
 *   ROLE=consumer  SCHEMA, GROUP_ID, TENANT_ID, CHUNK_SIZE, KILL_AFTER_CHUNKS=n (die after the
 *                  n-th chunk's transaction committed, before its offset is committed),
 *                  CHUNK_HANDLER=1 (apply with a chunk handler: one multi-row insert per chunk),
 *                  KILL_IN_CHUNK=n (chunk handler only: die inside the n-th chunk's transaction,
 *                  after its insert, before the commit)
 *
 * The consumer applies `order.pulled` events of TENANT_ID by inserting a row into
 * `<SCHEMA>.effects` — a table without a unique key, so a double application would show.
 */
import 'reflect-metadata';

import pino from 'pino';
import { DataSource } from 'typeorm';

import { EventConsumer, OutboxRelay, createKafka, createProducer, messagingMetrics } from '../src';

async function main(): Promise<void> {
  const env = process.env;
  const schema = env.SCHEMA!;
  const logger = pino({ level: env.LOG_LEVEL ?? 'warn' });
  const dataSource = new DataSource({ type: 'postgres', url: env.DATABASE_URL, extra: { max: 4 } });
  await dataSource.initialize();
  const kafka = createKafka({
    brokers: env.KAFKA_BROKERS!.split(','),
    clientId: `worker-${env.ROLE}`,
    logger,
  });
  const producer = createProducer(kafka);
  await producer.connect();

  if (env.ROLE === 'relay') {
    const relay = new OutboxRelay({
      dataSource,
      producer,
      schema,
      logger,
      batchSize: Number(env.BATCH_SIZE ?? 100),
      afterSend: () => {
        if (env.KILL_AFTER_SEND === '1') process.kill(process.pid, 'SIGKILL');
      },
    });
    relay.start();
    process.once('SIGTERM', () => void relay.stop().then(() => process.exit(0)));
  } else {
    let chunks = 0;
    let chunksStarted = 0;
    const killAfter = Number(env.KILL_AFTER_CHUNKS ?? 0);
    const killInChunk = Number(env.KILL_IN_CHUNK ?? 0);
    const consumer = new EventConsumer({
      kafka,
      dataSource,
      schema,
      groupId: env.GROUP_ID!,
      producer,
      logger,
      chunkSize: Number(env.CHUNK_SIZE ?? 50),
      sessionTimeoutMs: 6_000,
      ...(env.CHUNK_HANDLER === '1'
        ? {
            chunkHandlers: {
              'order.pulled': async (events, { manager }) => {
                const mine = events.filter((event) => event.tenantId === env.TENANT_ID);
                await manager.query(
                  `INSERT INTO "${schema}".effects (event_id, order_number)
                   SELECT * FROM unnest($1::uuid[], $2::text[])`,
                  [mine.map((event) => event.id), mine.map((e) => e.data.order.orderNumber)],
                );
                if (mine.length > 0) chunksStarted++;
                if (killInChunk > 0 && chunksStarted >= killInChunk) {
                  process.kill(process.pid, 'SIGKILL');
                }
              },
            },
          }
        : {
            handlers: {
              'order.pulled': async (event, { manager }) => {
                if (event.tenantId !== env.TENANT_ID) return;
                await manager.query(
                  `INSERT INTO "${schema}".effects (event_id, order_number) VALUES ($1, $2)`,
                  [event.id, event.data.order.orderNumber],
                );
              },
            },
          }),
      afterChunkCommitted: () => {
        chunks++;
        if (killAfter > 0 && chunks >= killAfter) process.kill(process.pid, 'SIGKILL');
      },
    });
    await consumer.start();
    process.once('SIGTERM', () => {
      void consumer.stop().then(async () => {
        const consumed = await messagingMetrics().consumed.get();
        const duplicates = consumed.values
          .filter((value) => value.labels.outcome === 'duplicate')
          .reduce((sum, value) => sum + value.value, 0);
        process.stdout.write(`duplicates=${duplicates}\n`);
        process.exit(0);
      });
    });
  }
  process.stdout.write('worker ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
