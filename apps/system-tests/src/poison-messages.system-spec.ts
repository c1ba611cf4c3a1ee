import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import {
  ALL_TOPICS,
  type AnyEvent,
  type EventType,
  createEvent,
  dlqTopic,
  encodeEvent,
  eventKey,
  exampleData,
  exampleOrderNumber,
  exampleOrderMappedData,
  exampleOrderPulledData,
  exampleShopUpdatedData,
  isTenantScoped,
} from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';

/**
 * Malformed and unknown-version messages on every topic a service consumes (issue 8): each is
 * dead-lettered to `<topic>.dlq` with its reason, by every consumer group of the topic, and the
 * consumer goes on — the valid event sent right after, on the same key and so the same
 * partition, is applied and its offset committed. The services run as processes with consumer
 * groups of their own (KAFKA_GROUP_SUFFIX).
 *
 * shipment.ready and shipment.canceled have no consumer in the platform (the warehouse reads
 * them), so nothing there can dead-letter; the test says so explicitly.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const SUFFIX = `.poison-${run}`;
const MASTER_KEYS = SecretBox.generateKey('poison1');
const tenantId = randomUUID();
const shopId = randomUUID();

const backend = {
  NODE_ENV: 'test',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  KAFKA_GROUP_SUFFIX: SUFFIX,
  MASTER_KEYS,
  RAKUTEN_BASE_URL: 'http://127.0.0.1:28599',
};
const services = [
  new ServiceProcess({
    app: 'credentials',
    httpPort: 28501,
    env: { ...backend, TCP_PORT: '28511' },
  }),
  new ServiceProcess({
    app: 'ingestion',
    httpPort: 28502,
    env: { ...backend, TCP_PORT: '28512', POLL_INTERVAL_MS: '3600000' },
  }),
  new ServiceProcess({ app: 'mapping', httpPort: 28503, env: { ...backend, TCP_PORT: '28513' } }),
  new ServiceProcess({
    app: 'fulfillment',
    httpPort: 28504,
    env: { ...backend, TCP_PORT: '28514' },
  }),
  new ServiceProcess({
    app: 'notifications',
    httpPort: 28505,
    env: { ...backend, TCP_PORT: '28515' },
  }),
];

/** Every consumer group of the platform, by the topic it reads (see each service's consumers). */
const CONSUMERS: Partial<Record<EventType, string[]>> = {
  'order.pulled': ['mapping.order-pulled'],
  'order.mapped': ['fulfillment.order-mapped'],
  'shop.updated': [
    'ingestion.shop-updated',
    'fulfillment.shop-updated',
    'notifications.shop-updated',
  ],
  'order.canceled': ['fulfillment.order-canceled', 'mapping.order-canceled'],
  'order.shipped': ['ingestion.order-shipped'],
  'inventory.changed': ['mapping.inventory-changed'],
  'listing.stock.changed': ['ingestion.listing-stock-changed'],
  'listings.imported': ['mapping.listings-imported'],
  'shop.alert': ['credentials.shop-alert', 'notifications.alerts'],
  'tenant.alert': ['notifications.alerts'],
};
const NOT_CONSUMED: EventType[] = ['shipment.ready', 'shipment.canceled'];

let kafka: Kafka;
let db: Client;
let dlq: TopicCollector;

beforeAll(async () => {
  kafka = testKafka(infra.kafkaBrokers);
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  await Promise.all(services.map((service) => service.start(180_000)));
  dlq = await new TopicCollector(
    kafka,
    Object.keys(CONSUMERS).map((topic) => dlqTopic(topic as EventType)),
  ).start();
}, 300_000);

afterAll(async () => {
  await dlq?.stop();
  await db?.end();
  await Promise.all(services.map((service) => service.stop()));
});

/** The valid event for a topic: the contracts' example data, for this test's tenant and shop. */
function validEvent(type: EventType, n: number): AnyEvent {
  const orderNumber = exampleOrderNumber(9_000 + n);
  const data =
    type === 'order.pulled'
      ? exampleOrderPulledData({ orderNumber })
      : type === 'order.mapped'
        ? exampleOrderMappedData({ orderNumber })
        : type === 'shop.updated'
          ? exampleShopUpdatedData({ rakutenShopId: `poison-${run}`.toLowerCase() })
          : exampleData(type);
  return createEvent(type, {
    tenantId,
    shopId: isTenantScoped(type) ? null : shopId,
    data,
  }) as AnyEvent;
}

it('covers every topic of the contracts: consumed ones here, the others named', () => {
  expect([...Object.keys(CONSUMERS), ...NOT_CONSUMED].sort()).toEqual([...ALL_TOPICS].sort());
});

it('dead-letters malformed and unknown-version messages with the reason on every consumed topic, and each consumer goes on', async () => {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const sent: { topic: EventType; validId: string; partition: number; validOffset: bigint }[] = [];
  try {
    let n = 0;
    for (const topic of Object.keys(CONSUMERS) as EventType[]) {
      const valid = validEvent(topic, n++);
      const key = eventKey(valid);
      const envelope = JSON.parse(encodeEvent(valid)) as Record<string, unknown>;
      const marker = `poison-${run}-${topic}`;
      const poison = [
        // not JSON at all
        `{"${marker}": not json`,
        // a version this consumer does not know
        JSON.stringify({ ...envelope, id: randomUUID(), version: 99, correlationId: marker }),
        // the right version with data that breaks the contract
        JSON.stringify({ ...envelope, id: randomUUID(), data: { marker }, correlationId: marker }),
        // another event type on this topic
        JSON.stringify({
          ...envelope,
          id: randomUUID(),
          type: topic === 'shop.alert' ? 'order.pulled' : 'shop.alert',
          correlationId: marker,
        }),
      ];
      const answers = await producer.send({
        topic,
        acks: -1,
        messages: [...poison, encodeEvent(valid)].map((value) => ({ key, value })),
      });
      // One send, one partition (same key): the valid message is the fifth from the base offset.
      sent.push({
        topic,
        validId: valid.id,
        partition: answers[0].partition,
        validOffset: BigInt(answers[0].baseOffset ?? '-10') + 4n,
      });
    }

    // Every group dead-letters the four, with a reason and a code.
    await expectEventually(
      () => {
        for (const { topic } of sent) {
          const marker = `poison-${run}-${topic}`;
          for (const group of CONSUMERS[topic] ?? []) {
            const lettered = dlq
              .on(dlqTopic(topic))
              .filter(
                (message) =>
                  message.value?.includes(marker) &&
                  message.headers['dlq-consumer-group'] === `${group}${SUFFIX}`,
              );
            expect([topic, group, lettered.length]).toEqual([topic, group, 4]);
            for (const message of lettered) {
              expect(message.headers['dlq-reason']?.length ?? 0).toBeGreaterThan(5);
              expect(message.headers['dlq-code']?.length ?? 0).toBeGreaterThan(0);
              expect(message.headers['dlq-source-topic']).toBe(topic);
            }
            const unknownVersion = lettered.find((message) =>
              message.value?.includes('"version":99'),
            );
            expect(unknownVersion?.headers['dlq-reason']).toMatch(/version/i);
          }
        }
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );

    // …and goes on: its committed offset is past the valid message that followed.
    await expectEventually(
      async () => {
        for (const { topic, partition, validOffset } of sent) {
          for (const group of CONSUMERS[topic] ?? []) {
            const [offsets] = await admin.fetchOffsets({
              groupId: `${group}${SUFFIX}`,
              topics: [topic],
            });
            const committed = offsets.partitions.find((p) => p.partition === partition);
            expect([topic, group, BigInt(committed?.offset ?? '-1') > validOffset]).toEqual([
              topic,
              group,
              true,
            ]);
          }
        }
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }

  // The valid events were applied, not dead-lettered.
  const validIds = new Set(sent.map((entry) => entry.validId));
  expect(
    dlq.messages.filter((message) => [...validIds].some((id) => message.value?.includes(id))),
  ).toEqual([]);
  const mapped = await db.query(
    `SELECT count(*)::int AS n FROM (
       SELECT order_number FROM mapping.mapped_orders WHERE shop_id = $1
       UNION ALL SELECT order_number FROM mapping.held_orders WHERE shop_id = $1) o`,
    [shopId],
  );
  expect(mapped.rows[0].n).toBeGreaterThanOrEqual(1);
  const dispatched = await db.query(
    'SELECT count(*)::int AS n FROM fulfillment.fulfillment_orders WHERE shop_id = $1',
    [shopId],
  );
  expect(dispatched.rows[0].n).toBeGreaterThanOrEqual(1);
});
