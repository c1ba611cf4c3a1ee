import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import {
  FULFILLMENT_CALLS,
  MAPPING_CALLS,
  createEvent,
  encodeEvent,
  eventKey,
  exampleOrderNumber,
  exampleOrderPulledData,
  exampleShopUpdatedData,
} from '@smartship/contracts';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  groupCaughtUp,
  testInfrastructure,
  testKafka,
} from '@smartship/testing';
import { internalCallClient } from '@smartship/service-kit';
import type { Kafka } from 'kafkajs';
import { firstValueFrom } from 'rxjs';
import { Client } from 'pg';

/**
 * The walking skeleton: order.pulled → mapping → order.mapped → fulfillment → shipment.ready,
 * with the services as real processes on the real broker and database. 2,000 orders are put on
 * Kafka at once and the mapping service is SIGKILLed while they are in flight: every order must
 * still yield exactly one shipment.ready.
 */
const infra = testInfrastructure();
const tenantId = randomUUID(); // a gateway tenant id: the fulfillment calls take UUIDs
const shopId = randomUUID(); // a shop connection id, as credentials issues them
const ORDERS = 2_000;

const baseEnv = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  // A killed member's partitions move after this long: short, so the test does not wait 30 s.
  KAFKA_SESSION_TIMEOUT_MS: '6000',
};

function mappingService(): ServiceProcess {
  return new ServiceProcess({
    app: 'mapping',
    httpPort: 13103,
    env: { ...baseEnv, TCP_PORT: '14103' },
  });
}

let kafka: Kafka;
let db: Client;
let fulfillment: ServiceProcess;
let mapping: ServiceProcess;
let collector: TopicCollector;

beforeAll(async () => {
  kafka = testKafka(infra.kafkaBrokers);
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  mapping = mappingService();
  fulfillment = new ServiceProcess({
    app: 'fulfillment',
    httpPort: 13104,
    env: { ...baseEnv, TCP_PORT: '14104' },
  });
  await Promise.all([mapping.start(), fulfillment.start()]);
  await createCatalog();
  collector = await new TopicCollector(kafka, ['shipment.ready']).start();
});

afterAll(async () => {
  await collector?.stop();
  await Promise.all([mapping?.stop(), fulfillment?.stop()]);
  await db?.end();
});

/**
 * The example orders' lines carry システム連携用SKU番号 SKU-001 and SKU-002 (post-migration
 * options): a tenant without a catalog would have every order held, so the seller's catalog is
 * set up first, through the same call the gateway's `POST /skus` makes.
 */
async function createCatalog(): Promise<void> {
  const client = internalCallClient(14103);
  try {
    await firstValueFrom(
      client.send(MAPPING_CALLS.createSku, {
        actor: { tenantId, actorId: 'walking-skeleton' },
        body: {
          code: 'SKELETON-TEE',
          name: 'Tシャツ',
          options: ['SKU-001', 'SKU-002'].map((code) => ({ code, name: code, sellerCode: code })),
        },
      }),
    );
  } finally {
    await client.close();
  }
}

function ours(): { orderNumber: string }[] {
  return collector
    .on('shipment.ready')
    .filter((message) => message.key?.startsWith(`${shopId}:`))
    .map(
      (message) =>
        (JSON.parse(message.value!) as { data: { shopRef: { orderNumber: string } } }).data.shopRef,
    );
}

it('a killed mapping service loses no order and duplicates none', async () => {
  const events = Array.from({ length: ORDERS }, (_, i) =>
    createEvent('order.pulled', {
      tenantId,
      shopId,
      data: exampleOrderPulledData({
        orderNumber: exampleOrderNumber(i + 1),
        packages: 1,
        linesPerPackage: 2,
      }),
    }),
  );
  // Fulfillment dispatches only for shops whose settings it knows (autoFulfillmentDispatch on)
  // and only what stock covers: the shop's settings and the warehouse's stock come first.
  const shop = createEvent('shop.updated', { tenantId, shopId, data: exampleShopUpdatedData() });
  const tcp = internalCallClient(14104);
  for (const skuCode of ['SKU-001', 'SKU-002']) {
    await firstValueFrom(
      tcp.send(FULFILLMENT_CALLS.inventorySet, {
        actor: { tenantId, actorId: 'walking-skeleton' },
        skuCode,
        body: { onHand: 10_000 },
      }),
    );
  }
  await tcp.close();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic: 'shop.updated',
    acks: -1,
    messages: [{ key: eventKey(shop), value: encodeEvent(shop) }],
  });
  for (let i = 0; i < events.length; i += 500) {
    await producer.send({
      topic: 'order.pulled',
      acks: -1,
      messages: events
        .slice(i, i + 500)
        .map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
    });
  }
  await producer.disconnect();

  // Kill mapping while the orders are in flight: some are through, most are not.
  await expectEventually(() => expect(ours().length).toBeGreaterThan(50), {
    timeoutMs: 120_000,
    intervalMs: 20,
  });
  await mapping.kill();
  const throughAtKill = ours().length;
  expect(throughAtKill).toBeLessThan(ORDERS);

  mapping = mappingService();
  await mapping.start();
  await expectEventually(() => expect(ours().length).toBeGreaterThanOrEqual(ORDERS), {
    timeoutMs: 300_000,
    intervalMs: 500,
  });
  // Both consumers have committed past the last order: whatever the killed mapping left to
  // redeliver has been applied. A duplicate would now be a second outbox row (rows stay 24 h).
  const admin = kafka.admin();
  await admin.connect();
  try {
    await expectEventually(
      async () => {
        expect(await groupCaughtUp(admin, 'mapping.order-pulled', 'order.pulled')).toBe(true);
        expect(await groupCaughtUp(admin, 'fulfillment.order-mapped', 'order.mapped')).toBe(true);
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
  } finally {
    await admin.disconnect();
  }
  for (const [schema, topic] of [
    ['mapping', 'order.mapped'],
    ['fulfillment', 'shipment.ready'],
  ]) {
    const written = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT message_key)::int AS keys
         FROM ${schema}.outbox WHERE topic = $1 AND message_key LIKE $2`,
      [topic, `${shopId}:%`],
    );
    expect({ schema, ...written.rows[0] }).toEqual({ schema, n: ORDERS, keys: ORDERS });
  }

  const perOrder = new Map<string, number>();
  for (const { orderNumber } of ours())
    perOrder.set(orderNumber, (perOrder.get(orderNumber) ?? 0) + 1);
  expect(perOrder.size).toBe(ORDERS);
  expect([...perOrder.entries()].filter(([, n]) => n !== 1)).toEqual([]);

  const mapped = await db.query(
    'SELECT count(*)::int AS n FROM mapping.mapped_orders WHERE shop_id = $1',
    [shopId],
  );
  expect(mapped.rows[0].n).toBe(ORDERS);
  const dispatched = await db.query(
    'SELECT count(*)::int AS n FROM fulfillment.fulfillment_orders WHERE shop_id = $1',
    [shopId],
  );
  expect(dispatched.rows[0].n).toBe(ORDERS);
});

it('SIGTERM drains the consumers before the database pool closes', async () => {
  const pid = fulfillment.pid;
  const sentAt = new Date().toISOString();
  const ended = await fulfillment.stop();
  expect(ended.signal ?? ended.code).toBe('SIGTERM');
  const shutdown = readFileSync(fulfillment.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; level: string; pid: number; time: string })
    .filter((line) => line.pid === pid && line.time >= sentAt);
  expect(shutdown.map((line) => line.msg)).toContain('messaging stopped');
  // Nothing failed on the way down: a consumer still running on a closed pool would log errors.
  expect(shutdown.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
});
