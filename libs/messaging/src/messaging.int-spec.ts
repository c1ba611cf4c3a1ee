import 'reflect-metadata';

import { join } from 'node:path';

import {
  EventOf,
  createEvent,
  encodeEvent,
  eventKey,
  exampleOrderNumber,
  exampleOrderPulledData,
} from '@smartship/contracts';
import {
  TopicCollector,
  WorkerProcess,
  expectEventually,
  groupCaughtUp,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';

import { EventConsumer } from './event-consumer';
import { createProducer } from './kafka';
import { PermanentError } from './messaging.errors';
import { addInboxRetentionIndex, createMessagingTables, pruneInbox } from './messaging-tables';
import { Outbox } from './outbox';
import { ensureTopics } from './topics';

const WORKER = join(__dirname, '..', 'test', 'messaging-worker.ts');
const infra = testInfrastructure();
const suffix = uniqueSuffix();
const schema = `msg_${suffix}`;
const logger = pino({ level: 'silent' });

let dataSource: DataSource;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

function orderEvent(tenantId: string, serial: number, units = 1): EventOf<'order.pulled'> {
  const data = exampleOrderPulledData({
    orderNumber: exampleOrderNumber(serial),
    packages: 1,
    linesPerPackage: 1,
  });
  data.order.packages[0].lines[0].units = units;
  return createEvent('order.pulled', { tenantId, shopId: `shop-${tenantId}`, data });
}

async function effects(
  tenantPrefix: string,
): Promise<{ event_id: string; order_number: string; n: number }[]> {
  return dataSource.query(
    `SELECT event_id, order_number, count(*)::int AS n FROM "${schema}".effects
      WHERE order_number LIKE $1 GROUP BY event_id, order_number`,
    [`${tenantPrefix}%`],
  );
}

beforeAll(async () => {
  dataSource = new DataSource({ type: 'postgres', url: infra.databaseUrl });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  await createMessagingTables(dataSource, schema);
  await dataSource.query(
    `CREATE TABLE "${schema}".effects (event_id uuid NOT NULL, order_number text NOT NULL, applied_at timestamptz DEFAULT now(), seq bigserial)`,
  );
  kafka = testKafka(infra.kafkaBrokers);
  await ensureTopics(
    kafka,
    { topics: ['order.pulled'], deadLetterFor: ['order.pulled'], partitions: 6 },
    logger,
  );
  admin = kafka.admin();
  await admin.connect();
  producer = createProducer(kafka);
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await dataSource?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await dataSource?.destroy();
});

const workerEnv = {
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  SCHEMA: schema,
};

describe('transactional outbox and idempotent consumer (real Kafka and PostgreSQL)', () => {
  it('a relay killed between send and mark publishes again, and the consumer applies each event once', async () => {
    const tenant = `relay-${suffix}`;
    const events = Array.from({ length: 300 }, (_, i) => orderEvent(tenant, i + 1));
    const outbox = new Outbox(schema);
    await dataSource.transaction((manager) => outbox.add(manager, events));
    const collector = await new TopicCollector(kafka, ['order.pulled']).start();

    const doomed = new WorkerProcess(WORKER, {
      ...workerEnv,
      ROLE: 'relay',
      KILL_AFTER_SEND: '1',
      BATCH_SIZE: '100',
    });
    const { signal } = await doomed.exited;
    expect(signal).toBe('SIGKILL');
    // Kafka has the first batch, the database does not know it was sent.
    const [{ unpublished }] = await dataSource.query(
      `SELECT count(*)::int AS unpublished FROM "${schema}".outbox WHERE published_at IS NULL`,
    );
    expect(unpublished).toBe(300);
    const ours = () =>
      collector.on('order.pulled').filter((m) => m.key?.startsWith(`shop-${tenant}:`));
    await expectEventually(() => expect(ours()).toHaveLength(100));

    const relay = new WorkerProcess(WORKER, { ...workerEnv, ROLE: 'relay', BATCH_SIZE: '100' });
    await expectEventually(async () => {
      const [{ left }] = await dataSource.query(
        `SELECT count(*)::int AS left FROM "${schema}".outbox WHERE published_at IS NULL`,
      );
      expect(left).toBe(0);
    });
    await relay.stop();
    await expectEventually(() => expect(ours()).toHaveLength(400));
    const perId = new Map<string, number>();
    for (const message of ours())
      perId.set(message.headers['event-id'], (perId.get(message.headers['event-id']) ?? 0) + 1);
    expect(perId.size).toBe(300);
    expect([...perId.values()].filter((n) => n === 2)).toHaveLength(100);
    await collector.stop();

    const groupId = `relay-test-${suffix}`;
    const consumer = new WorkerProcess(WORKER, {
      ...workerEnv,
      ROLE: 'consumer',
      GROUP_ID: groupId,
      TENANT_ID: tenant,
    });
    await expectEventually(
      () => groupCaughtUp(admin, groupId, 'order.pulled').then((ok) => expect(ok).toBe(true)),
      { timeoutMs: 60_000 },
    );
    await consumer.stop();
    const applied = await effects('');
    const mine = applied.filter((row) => events.some((event) => event.id === row.event_id));
    expect(mine).toHaveLength(300);
    expect(mine.every((row) => row.n === 1)).toBe(true);
    expect(consumer.output.join('')).toMatch(/duplicates=(\d+)/);
    expect(Number(/duplicates=(\d+)/.exec(consumer.output.join(''))![1])).toBeGreaterThanOrEqual(
      100,
    );
  });

  it('a poison message lands in the DLQ with its reason and the messages after it are processed', async () => {
    const tenant = `poison-${suffix}`;
    const shopId = `shop-${tenant}`;
    const key = `${shopId}:same-partition`;
    const first = orderEvent(tenant, 1);
    const last = orderEvent(tenant, 5);
    const refusedByHandler = orderEvent(tenant, 4);
    const invalid = JSON.parse(encodeEvent(orderEvent(tenant, 2))) as {
      data: { order: { packages: { lines: { units: number }[] }[] } };
    };
    invalid.data.order.packages[0].lines[0].units = 0;
    const futureVersion = { ...JSON.parse(encodeEvent(orderEvent(tenant, 3))), version: 2 };
    await producer.send({
      topic: 'order.pulled',
      acks: -1,
      messages: [
        { key, value: encodeEvent(first) },
        { key, value: '{"this is": not json' },
        { key, value: JSON.stringify(invalid) },
        { key, value: JSON.stringify(futureVersion) },
        { key, value: encodeEvent(refusedByHandler) },
        { key, value: encodeEvent(last) },
      ],
    });
    const dlq = await new TopicCollector(kafka, ['order.pulled.dlq']).start();
    const groupId = `poison-test-${suffix}`;
    const consumer = new EventConsumer({
      kafka,
      dataSource,
      schema,
      groupId,
      producer,
      logger,
      handlers: {
        'order.pulled': async (event, { manager }) => {
          if (event.tenantId !== tenant) return;
          await manager.query(
            `INSERT INTO "${schema}".effects (event_id, order_number) VALUES ($1, $2)`,
            [event.id, event.data.order.orderNumber],
          );
          if (event.id === refusedByHandler.id)
            throw new PermanentError('refused', 'the handler refuses this order');
        },
      },
    });
    await consumer.start();
    try {
      // The refused event's write was rolled back with it; the events around it were applied once.
      const appliedIds = async () =>
        (
          await dataSource.query<{ event_id: string }[]>(
            `SELECT event_id FROM "${schema}".effects WHERE event_id = ANY($1::uuid[]) ORDER BY applied_at`,
            [[first.id, refusedByHandler.id, last.id]],
          )
        ).map((row) => row.event_id);
      await expectEventually(async () => expect(await appliedIds()).toEqual([first.id, last.id]), {
        timeoutMs: 60_000,
      });
      const ours = () =>
        dlq
          .on('order.pulled.dlq')
          .filter((m) => m.headers['dlq-consumer-group'] === groupId && m.key === key);
      await expectEventually(() => expect(ours()).toHaveLength(4));
      const byCode = Object.fromEntries(ours().map((m) => [m.headers['dlq-code'], m]));
      expect(Object.keys(byCode).sort()).toEqual([
        'invalid_data',
        'malformed_json',
        'refused',
        'unknown_version',
      ]);
      expect(byCode.invalid_data.headers['dlq-reason']).toContain(
        'data.order.packages.0.lines.0.units',
      );
      expect(byCode.unknown_version.headers['dlq-reason']).toContain(
        'knows order.pulled versions 1 only',
      );
      expect(byCode.refused.headers['dlq-reason']).toBe('the handler refuses this order');
      expect(byCode.malformed_json.value).toBe('{"this is": not json');
      expect(byCode.refused.headers['dlq-source-topic']).toBe('order.pulled');
      await expectEventually(() =>
        groupCaughtUp(admin, groupId, 'order.pulled').then((ok) => expect(ok).toBe(true)),
      );
    } finally {
      await consumer.stop();
      await dlq.stop();
    }
  });

  it('a redelivered event is known by its event-id header before its body is read; a header that lies is dead-lettered', async () => {
    const tenant = `dedupe-${suffix}`;
    const key = `shop-${tenant}:same-partition`;
    const first = orderEvent(tenant, 1);
    const lying = orderEvent(tenant, 2);
    const last = orderEvent(tenant, 3);
    const header = (id: string) => ({ 'event-id': id });
    await producer.send({
      topic: 'order.pulled',
      acks: -1,
      messages: [
        { key, value: encodeEvent(first), headers: header(first.id) },
        // The same id again with a body that would be dead-lettered if it were parsed.
        { key, value: '{"redelivered": not json', headers: header(first.id) },
        // A new id in the header, another event's id in the body.
        { key, value: encodeEvent(lying), headers: header(last.id.replace(/^./, 'a')) },
        { key, value: encodeEvent(last), headers: header(last.id) },
      ],
    });
    const dlq = await new TopicCollector(kafka, ['order.pulled.dlq']).start();
    const groupId = `dedupe-test-${suffix}`;
    const applied: string[] = [];
    const consumer = new EventConsumer({
      kafka,
      dataSource,
      schema,
      groupId,
      producer,
      logger,
      handlers: {
        'order.pulled': (event) => {
          if (event.tenantId === tenant) applied.push(event.id);
          return Promise.resolve();
        },
      },
    });
    await consumer.start();
    try {
      await expectEventually(() =>
        groupCaughtUp(admin, groupId, 'order.pulled').then((ok) => expect(ok).toBe(true)),
      );
      expect(applied).toEqual([first.id, last.id]);
      const ours = () =>
        dlq
          .on('order.pulled.dlq')
          .filter((m) => m.headers['dlq-consumer-group'] === groupId && m.key === key);
      await expectEventually(() => expect(ours()).toHaveLength(1));
      expect(ours()[0]?.headers['dlq-code']).toBe('invalid_envelope');
      expect(ours()[0]?.headers['dlq-reason']).toContain('differs from the event-id header');
    } finally {
      await consumer.stop();
      await dlq.stop();
    }
  });

  it('a consumer killed mid-batch reprocesses nothing twice', async () => {
    const tenant = `kill-${suffix}`;
    const events = Array.from({ length: 1000 }, (_, i) => orderEvent(tenant, 100_000 + i));
    await producer.send({
      topic: 'order.pulled',
      acks: -1,
      messages: events.map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
    });
    const groupId = `kill-test-${suffix}`;
    const env = {
      ...workerEnv,
      ROLE: 'consumer',
      GROUP_ID: groupId,
      TENANT_ID: tenant,
      CHUNK_SIZE: '50',
    };
    const doomed = new WorkerProcess(WORKER, { ...env, KILL_AFTER_CHUNKS: '4' });
    expect((await doomed.exited).signal).toBe('SIGKILL');
    const ids = new Set(events.map((event) => event.id));
    const countMine = async () => (await effects('')).filter((row) => ids.has(row.event_id));
    const beforeRestart = (await countMine()).length;
    expect(beforeRestart).toBeLessThan(1000);

    const consumer = new WorkerProcess(WORKER, env);
    await expectEventually(
      () => groupCaughtUp(admin, groupId, 'order.pulled').then((ok) => expect(ok).toBe(true)),
      {
        timeoutMs: 90_000,
      },
    );
    await consumer.stop();
    const rows = await countMine();
    expect(rows).toHaveLength(1000);
    expect(rows.filter((row) => row.n !== 1)).toEqual([]);
    // The killed chunk was committed in PostgreSQL but not in Kafka: it came again and the inbox
    // recognised it.
    expect(Number(/duplicates=(\d+)/.exec(consumer.output.join(''))?.[1] ?? 0)).toBeGreaterThan(0);
  });
});

describe('chunk handlers: one call and multi-row writes per chunk, same guarantees', () => {
  async function produce(events: EventOf<'order.pulled'>[]): Promise<void> {
    await producer.send({
      topic: 'order.pulled',
      acks: -1,
      messages: events.map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
    });
  }

  async function killedAndRestarted(tenant: string, killEnv: Record<string, string>) {
    const events = Array.from({ length: 1000 }, (_, i) => orderEvent(tenant, 200_000 + i));
    await produce(events);
    const groupId = `${tenant}-group`;
    const env = {
      ...workerEnv,
      ROLE: 'consumer',
      GROUP_ID: groupId,
      TENANT_ID: tenant,
      CHUNK_SIZE: '50',
      CHUNK_HANDLER: '1',
    };
    const doomed = new WorkerProcess(WORKER, { ...env, ...killEnv });
    expect((await doomed.exited).signal).toBe('SIGKILL');
    const ids = new Set(events.map((event) => event.id));
    const countMine = async () => (await effects('')).filter((row) => ids.has(row.event_id));
    const beforeRestart = (await countMine()).length;
    expect(beforeRestart).toBeLessThan(1000);

    const consumer = new WorkerProcess(WORKER, env);
    await expectEventually(
      () => groupCaughtUp(admin, groupId, 'order.pulled').then((ok) => expect(ok).toBe(true)),
      { timeoutMs: 90_000 },
    );
    await consumer.stop();
    const rows = await countMine();
    expect(rows).toHaveLength(1000);
    expect(rows.filter((row) => row.n !== 1)).toEqual([]);
    return {
      beforeRestart,
      duplicates: Number(/duplicates=(\d+)/.exec(consumer.output.join(''))?.[1] ?? 0),
    };
  }

  it('a consumer killed after a chunk committed and before its offset: the chunk handler gets only fresh events, each applied once', async () => {
    const { duplicates } = await killedAndRestarted(`ckill-${suffix}`, {
      KILL_AFTER_CHUNKS: '4',
    });
    // The last committed chunk came again; the inbox kept it from the handler.
    expect(duplicates).toBeGreaterThan(0);
  });

  it('a consumer killed inside a chunk handler, before the commit: the chunk is rolled back and applied once after restart', async () => {
    // Killed in the third chunk holding events of this test, after its insert: none of that
    // chunk's rows may survive, and the redelivered chunk must be applied (it is not in the inbox).
    const { beforeRestart } = await killedAndRestarted(`cmid-${suffix}`, { KILL_IN_CHUNK: '3' });
    expect(beforeRestart).toBeLessThanOrEqual(100);
  });

  it('a poison message in a chunk: the chunk falls back to one transaction per event, only the poison is dead-lettered, order kept', async () => {
    const tenant = `cpoison-${suffix}`;
    const key = `shop-${tenant}:same-partition`;
    const valid = Array.from({ length: 8 }, (_, i) => orderEvent(tenant, 300_000 + i));
    const refused = valid[4];
    await producer.send({
      topic: 'order.pulled',
      acks: -1,
      messages: [
        ...valid.slice(0, 2).map((event) => ({ key, value: encodeEvent(event) })),
        { key, value: '{"broken' },
        ...valid.slice(2).map((event) => ({ key, value: encodeEvent(event) })),
      ],
    });
    const dlq = await new TopicCollector(kafka, ['order.pulled.dlq']).start();
    const groupId = `cpoison-test-${suffix}`;
    const calls: number[] = [];
    const consumer = new EventConsumer({
      kafka,
      dataSource,
      schema,
      groupId,
      producer,
      logger,
      chunkHandlers: {
        'order.pulled': async (events, { manager, publish }) => {
          const mine = events.filter((event) => event.tenantId === tenant);
          if (mine.length === 0) return;
          calls.push(mine.length);
          await manager.query(
            `INSERT INTO "${schema}".effects (event_id, order_number)
             SELECT * FROM unnest($1::uuid[], $2::text[])`,
            [mine.map((event) => event.id), mine.map((event) => event.data.order.orderNumber)],
          );
          // An outbox write in the same transaction: rolled back with the refused chunk.
          await publish(mine.map((_, i) => orderEvent(`${tenant}-out`, i + 1)));
          if (mine.some((event) => event.id === refused.id)) {
            throw new PermanentError('refused', 'the handler refuses this order');
          }
        },
      },
    });
    await consumer.start();
    try {
      const expected = valid.filter((event) => event !== refused).map((event) => event.id);
      const appliedIds = async () =>
        (
          await dataSource.query<{ event_id: string }[]>(
            `SELECT event_id FROM "${schema}".effects WHERE event_id = ANY($1::uuid[]) ORDER BY seq`,
            [valid.map((event) => event.id)],
          )
        ).map((row) => row.event_id);
      await expectEventually(async () => expect(await appliedIds()).toEqual(expected), {
        timeoutMs: 60_000,
      });
      const ours = () =>
        dlq
          .on('order.pulled.dlq')
          .filter((m) => m.headers['dlq-consumer-group'] === groupId && m.key === key);
      await expectEventually(() => expect(ours()).toHaveLength(2));
      expect(
        ours()
          .map((m) => m.headers['dlq-code'])
          .sort(),
      ).toEqual(['malformed_json', 'refused']);
      expect(ours().find((m) => m.headers['dlq-code'] === 'refused')?.value).toBe(
        encodeEvent(refused),
      );
      // First the whole chunk, then one event at a time.
      expect(Math.max(...calls)).toBeGreaterThan(1);
      expect(calls.filter((n) => n === 1).length).toBeGreaterThanOrEqual(expected.length);
      // Only the applied events' outbox rows survived: the refused chunk's were rolled back.
      const [{ n }] = await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE message_key LIKE $1`,
        [`shop-${tenant}-out:%`],
      );
      expect(n).toBe(expected.length);
      await expectEventually(() =>
        groupCaughtUp(admin, groupId, 'order.pulled').then((ok) => expect(ok).toBe(true)),
      );
    } finally {
      await consumer.stop();
      await dlq.stop();
    }
  });

  it('a type cannot have both a handler and a chunk handler', () => {
    expect(
      () =>
        new EventConsumer({
          kafka,
          dataSource,
          schema,
          groupId: 'both',
          producer,
          logger,
          handlers: { 'order.pulled': () => Promise.resolve() },
          chunkHandlers: { 'order.pulled': () => Promise.resolve() },
        }),
    ).toThrow(/both a handler and a chunk handler: order.pulled/);
  });
});

describe('inbox retention', () => {
  it('prunes applied events past the window, in batches, and keeps the recent ones', async () => {
    await addInboxRetentionIndex(dataSource, schema);
    const group = `prune-${suffix}`;
    const rows = (days: number, count: number) =>
      dataSource.query(
        `INSERT INTO "${schema}".inbox (consumer_group, event_id, processed_at)
         SELECT $1, gen_random_uuid(), now() - ($2::int * interval '1 day') FROM generate_series(1, $3)`,
        [group, days, count],
      );
    await rows(45, 5);
    await rows(31, 2);
    await rows(29, 3);
    await rows(0, 4);
    const left = async () =>
      (
        await dataSource.query<{ age: number }[]>(
          `SELECT extract(day FROM now() - processed_at)::int AS age FROM "${schema}".inbox
            WHERE consumer_group = $1 ORDER BY age`,
          [group],
        )
      ).map((row) => row.age);
    // Batches of 2: the loop goes on until a batch comes back short.
    expect(await pruneInbox(dataSource, schema, 30, 2)).toBe(7);
    expect(await left()).toEqual([0, 0, 0, 0, 29, 29, 29]);
    expect(await pruneInbox(dataSource, schema, 30, 2)).toBe(0);
  });
});
