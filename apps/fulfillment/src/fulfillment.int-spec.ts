import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  type OrderMappedData,
  createEvent,
  encodeEvent,
  eventKey,
  exampleOrderMappedData,
  exampleShopUpdatedData,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import {
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';

import { AppModule } from './app.module';
import { FulfillmentError } from './calls/fulfillment.errors';
import { FulfillmentConfig } from './config';
import { FulfillmentOrdersService } from './dispatch/fulfillment-orders.service';
import { ShippingService } from './shipping/shipping.service';
import { InventoryService } from './stock/inventory.service';

/**
 * The fulfillment service on the real broker and database, as two instances in this process
 * sharing the consumer groups (each gets half of the partitions): reservations under
 * concurrency, holds and releases, shipment confirmation, cancellations.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const tenantId = randomUUID();
const actor = { tenantId, actorId: 'fulfillment-int-test' };
const groupSuffix = `-${run}`;

let apps: INestApplication[] = [];
let kafka: Kafka;
let producer: Producer;
let collector: TopicCollector;
let db: DataSource;
let orders: FulfillmentOrdersService;
let shipping: ShippingService;
let inventory: InventoryService;

async function startInstance(): Promise<INestApplication> {
  const config = loadConfig('fulfillment', FulfillmentConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: groupSuffix,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: 'warn',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  return app;
}

beforeAll(async () => {
  apps = [await startInstance(), await startInstance()];
  db = apps[0].get(DataSource);
  orders = apps[0].get(FulfillmentOrdersService);
  shipping = apps[1].get(ShippingService);
  inventory = apps[1].get(InventoryService);
  kafka = testKafka(infra.kafkaBrokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  collector = await new TopicCollector(kafka, [
    'shipment.ready',
    'shipment.canceled',
    'order.shipped',
    'inventory.changed',
  ]).start();
  // Both instances must be members of the order.mapped group before the race starts.
  const admin = kafka.admin();
  await admin.connect();
  await expectEventually(
    async () => {
      const [group] = (await admin.describeGroups([`fulfillment.order-mapped${groupSuffix}`]))
        .groups;
      expect(group.state).toBe('Stable');
      expect(group.members).toHaveLength(2);
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  await admin.disconnect();
});

afterAll(async () => {
  await collector?.stop();
  await producer?.disconnect();
  for (const app of apps) await app.close();
});

async function send(events: AnyEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    const byTopic = new Map<string, AnyEvent[]>();
    for (const event of batch) byTopic.set(event.type, [...(byTopic.get(event.type) ?? []), event]);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
      })),
    });
  }
}

function shopUpdated(shopId: string, auto: boolean, revision = 1): AnyEvent {
  const data = exampleShopUpdatedData({ revision });
  data.options.autoFulfillmentDispatch = auto;
  return createEvent('shop.updated', { tenantId, shopId, data });
}

/** An order of one package whose lines resolve to these SKUs and quantities. */
function orderMapped(shopId: string, orderNumber: string, skus: [string, number][]): AnyEvent {
  const data: OrderMappedData = exampleOrderMappedData({
    orderNumber,
    linesPerPackage: skus.length,
  });
  data.order.packages[0].lines.forEach((line, i) => {
    line.resolution.skus = [{ skuCode: skus[i][0], quantity: skus[i][1] }];
  });
  return createEvent('order.mapped', { tenantId, shopId, data });
}

function orderCanceled(shopId: string, orderNumber: string): AnyEvent {
  return createEvent('order.canceled', {
    tenantId,
    shopId,
    data: {
      orderNumber,
      rakutenStatus: 900,
      reason: 'Canceled on Rakuten (キャンセル確定).',
      detectedAt: new Date().toISOString(),
    },
  });
}

async function statuses(shopId: string): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }[]>(
    `SELECT status, count(*)::int AS n FROM fulfillment.fulfillment_orders
      WHERE shop_id = $1 GROUP BY status`,
    [shopId],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

async function stockOf(sku: string): Promise<{ on_hand: number; reserved: number }> {
  const [row] = await db.query<{ on_hand: number; reserved: number }[]>(
    'SELECT on_hand, reserved FROM fulfillment.stock WHERE tenant_id = $1 AND sku_code = $2',
    [tenantId, sku],
  );
  return row;
}

async function orderOf(shopId: string, orderNumber: string) {
  const page = await orders.list({ actor, filter: { shopId: undefined, orderNumber } });
  const found = page.items.find((item) => item.shopId === shopId);
  if (!found) throw new Error(`no fulfillment order for ${orderNumber} yet`);
  return found;
}

function published(topic: string, shopId: string): Record<string, unknown>[] {
  return collector
    .on(topic)
    .filter((message) => message.key?.startsWith(`${shopId}:`))
    .map(
      (message) => (JSON.parse(message.value ?? 'null') as { data: Record<string, unknown> }).data,
    );
}

function lastStockEvent(sku: string): Record<string, unknown> | undefined {
  return collector
    .on('inventory.changed')
    .filter((message) => message.key === `${tenantId}:${sku}`)
    .map(
      (message) => (JSON.parse(message.value ?? 'null') as { data: Record<string, unknown> }).data,
    )
    .at(-1);
}

it('two instances never reserve the same last unit; an arrival releases held orders oldest first', async () => {
  const shopId = randomUUID();
  const hot = `HOT-${run}`;
  const cold = `COLD-${run}`;
  await send([shopUpdated(shopId, true)]);
  await inventory.set({ actor, skuCode: hot, body: { onHand: 30 } });
  await inventory.set({ actor, skuCode: cold, body: { onHand: 1000 } });
  // 160 orders on every partition; half also want COLD, listed before or after HOT, so
  // transactions lock several rows in both line orders.
  const events = Array.from({ length: 160 }, (_, i) =>
    orderMapped(
      shopId,
      `race-${run}-${i}`,
      i % 2 === 0
        ? [[hot, 1]]
        : i % 4 === 1
          ? [
              [hot, 1],
              [cold, 2],
            ]
          : [
              [cold, 2],
              [hot, 1],
            ],
    ),
  );
  await send(events);
  await expectEventually(
    async () => expect(await statuses(shopId)).toEqual({ ready: 30, awaiting_stock: 130 }),
    { timeoutMs: 60_000, intervalMs: 300 },
  );
  expect(await stockOf(hot)).toEqual({ on_hand: 30, reserved: 30 });
  await expectEventually(() => expect(published('shipment.ready', shopId)).toHaveLength(30));
  const held = await orders.list({ actor, filter: { shopId, status: 'awaiting_stock', limit: 1 } });
  expect(held.items[0].hold).toMatchObject({
    code: 'insufficient_stock',
    shortLines: [{ skuCode: hot, needed: 1 }],
  });

  // 50 more units: exactly 50 held orders go, the oldest first, in the arrival's transaction.
  const arrival = await inventory.set({ actor, skuCode: hot, body: { onHand: 80 } });
  expect(arrival.released).toHaveLength(50);
  expect(arrival.stock).toMatchObject({ onHand: 80, reserved: 80, available: 0, waiting: 80 });
  expect(await statuses(shopId)).toEqual({ ready: 80, awaiting_stock: 80 });
  const releasedRows = await db.query<{ created_at: Date }[]>(
    'SELECT created_at FROM fulfillment.fulfillment_orders WHERE id = ANY($1::uuid[])',
    [arrival.released],
  );
  const stillHeld = await db.query<{ created_at: Date }[]>(
    `SELECT min(created_at) AS created_at FROM fulfillment.fulfillment_orders
      WHERE shop_id = $1 AND status = 'awaiting_stock'`,
    [shopId],
  );
  const newestReleased = Math.max(...releasedRows.map((row) => row.created_at.getTime()));
  expect(newestReleased).toBeLessThanOrEqual(stillHeld[0].created_at.getTime());
  await expectEventually(() => {
    expect(published('shipment.ready', shopId)).toHaveLength(80);
    expect(lastStockEvent(hot)).toMatchObject({ onHand: 80, reserved: 80, available: 0 });
  });
  const cold_ = await stockOf(cold);
  const coldReady = await db.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM fulfillment.fulfillment_orders
      WHERE shop_id = $1 AND status = 'ready' AND lines @> $2::jsonb`,
    [shopId, JSON.stringify([{ skuCode: cold }])],
  );
  expect(cold_.reserved).toBe(2 * coldReady[0].n);
});

it('without autoFulfillmentDispatch an order waits for a person; an unknown shop waits for its settings', async () => {
  const manual = randomUUID();
  const unknown = randomUUID();
  const sku = `MAN-${run}`;
  await inventory.set({ actor, skuCode: sku, body: { onHand: 5 } });
  await send([shopUpdated(manual, false)]);
  await expectEventually(async () =>
    expect(
      (await db.query('SELECT 1 FROM fulfillment.shop_settings WHERE shop_id = $1', [manual]))
        .length,
    ).toBe(1),
  );
  await send([
    orderMapped(manual, `manual-${run}`, [[sku, 2]]),
    orderMapped(unknown, `unknown-${run}`, [[sku, 1]]),
  ]);
  const waiting = await expectEventually(async () => {
    const found = await orderOf(manual, `manual-${run}`);
    expect(found.status).toBe('awaiting_release');
    return found;
  });
  expect(waiting.hold?.code).toBe('awaiting_release');
  await expectEventually(async () =>
    expect((await orderOf(unknown, `unknown-${run}`)).status).toBe('awaiting_shop'),
  );
  expect(await stockOf(sku)).toEqual({ on_hand: 5, reserved: 0 });

  const released = await orders.release({ actor, fulfillmentOrderId: waiting.id });
  expect(released).toMatchObject({ released: true, fulfillmentOrder: { status: 'ready' } });
  expect(await orders.release({ actor, fulfillmentOrderId: waiting.id })).toMatchObject({
    released: false,
  });
  expect(await stockOf(sku)).toEqual({ on_hand: 5, reserved: 2 });
  await expectEventually(() => expect(published('shipment.ready', manual)).toHaveLength(1));

  // The unknown shop's settings arrive (revision 2, then a stale revision 1 that is ignored).
  await send([shopUpdated(unknown, true, 2), shopUpdated(unknown, false, 1)]);
  await expectEventually(async () =>
    expect((await orderOf(unknown, `unknown-${run}`)).status).toBe('ready'),
  );
  expect(await stockOf(sku)).toEqual({ on_hand: 5, reserved: 3 });

  const detail = await orders.get({ actor, fulfillmentOrderId: waiting.id });
  expect(detail.history.map((step) => step.event)).toEqual([
    'created',
    'held',
    'released',
    'dispatched',
  ]);
  // Another tenant sees nothing.
  await expect(
    orders.get({ actor: { ...actor, tenantId: randomUUID() }, fulfillmentOrderId: waiting.id }),
  ).rejects.toMatchObject({ code: 'FULFILLMENT_ORDER_NOT_FOUND' });
});

it('a confirmation ships once; the same one again changes nothing; another tracking number is a 409', async () => {
  const shopId = randomUUID();
  const sku = `SHIP-${run}`;
  await inventory.set({ actor, skuCode: sku, body: { onHand: 10 } });
  await send([shopUpdated(shopId, true), orderMapped(shopId, `ship-${run}`, [[sku, 3]])]);
  const ready = await expectEventually(async () => {
    const found = await orderOf(shopId, `ship-${run}`);
    expect(found.status).toBe('ready');
    return found;
  });
  const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
  const body = {
    carrierCode: '1001',
    trackingNumbers: ['5001-0001', '5001-0002'],
    shippingDate: today,
  };
  const call = { actor, fulfillmentOrderId: ready.id, body };
  // Sent twice at once: one shipment, one repeat.
  const answers = await Promise.all([shipping.ship(call), shipping.ship(call)]);
  expect(answers.map((answer) => answer.alreadyShipped).sort()).toEqual([false, true]);
  expect(answers[0].fulfillmentOrder.shipment).toMatchObject({
    carrierCode: '1001',
    carrierName: 'ヤマト運輸',
    trackingNumbers: body.trackingNumbers,
  });
  expect(await stockOf(sku)).toEqual({ on_hand: 7, reserved: 0 });

  const conflict = await shipping
    .ship({ ...call, body: { ...body, trackingNumbers: ['9999-0000'] } })
    .catch((error: unknown) => error);
  expect(conflict).toBeInstanceOf(FulfillmentError);
  expect((conflict as FulfillmentError).toBody()).toMatchObject({
    statusCode: 409,
    code: 'ALREADY_SHIPPED',
    details: { existing: { carrierCode: '1001', trackingNumbers: body.trackingNumbers } },
  });
  await expectEventually(() => {
    expect(published('order.shipped', shopId)).toEqual([
      expect.objectContaining({
        orderNumber: `ship-${run}`,
        parcels: body.trackingNumbers.map((trackingNumber) => ({
          carrierCode: '1001',
          trackingNumber,
          shippingDate: today,
        })),
      }),
    ]);
    expect(lastStockEvent(sku)).toMatchObject({ onHand: 7, reserved: 0, reason: 'shipment' });
  });
  // The calls have returned, so everything they wrote is in the outbox: one order.shipped.
  const [{ n }] = await db.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM fulfillment.outbox WHERE topic = 'order.shipped' AND message_key = $1`,
    [`${shopId}:ship-${run}`],
  );
  expect(n).toBe(1);
  expect(published('order.shipped', shopId)).toHaveLength(1);
});

it('a cancellation before shipment frees the stock for a held order; after shipment it is flagged for a person', async () => {
  const shopId = randomUUID();
  const sku = `CXL-${run}`;
  await inventory.set({ actor, skuCode: sku, body: { onHand: 2 } });
  await send([shopUpdated(shopId, true)]);
  await expectEventually(async () =>
    expect(
      (await db.query('SELECT 1 FROM fulfillment.shop_settings WHERE shop_id = $1', [shopId]))
        .length,
    ).toBe(1),
  );
  await send([orderMapped(shopId, `cxl-a-${run}`, [[sku, 2]])]);
  const first = await expectEventually(async () => {
    const found = await orderOf(shopId, `cxl-a-${run}`);
    expect(found.status).toBe('ready');
    return found;
  });
  await send([orderMapped(shopId, `cxl-b-${run}`, [[sku, 1]])]);
  await expectEventually(async () =>
    expect((await orderOf(shopId, `cxl-b-${run}`)).status).toBe('awaiting_stock'),
  );

  await send([orderCanceled(shopId, `cxl-a-${run}`)]);
  await expectEventually(async () => {
    expect((await orderOf(shopId, `cxl-a-${run}`)).status).toBe('canceled');
    expect((await orderOf(shopId, `cxl-b-${run}`)).status).toBe('ready');
  });
  expect(await stockOf(sku)).toEqual({ on_hand: 2, reserved: 1 });
  await expectEventually(() =>
    expect(published('shipment.canceled', shopId)).toEqual([
      expect.objectContaining({ fulfillmentOrderId: first.id, reasonCode: 'order_canceled' }),
    ]),
  );

  // Shipped, then canceled on Rakuten: recorded and flagged; nothing goes to the warehouse.
  const second = await orderOf(shopId, `cxl-b-${run}`);
  const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
  await shipping.ship({
    actor,
    fulfillmentOrderId: second.id,
    body: { carrierCode: '1002', trackingNumbers: ['S-1'], shippingDate: today },
  });
  await send([orderCanceled(shopId, `cxl-b-${run}`)]);
  await expectEventually(async () => {
    const flagged = await orderOf(shopId, `cxl-b-${run}`);
    expect(flagged).toMatchObject({
      status: 'shipped',
      needsAttention: true,
      cancellation: { afterShipment: true },
    });
  });
  expect(published('shipment.canceled', shopId)).toHaveLength(1);
  const attention = await orders.list({ actor, filter: { shopId, needsAttention: true } });
  expect(attention.items.map((item) => item.id)).toEqual([second.id]);

  // A cancellation that overtakes its order.mapped: the package is created canceled.
  await send([orderCanceled(shopId, `cxl-c-${run}`)]);
  await expectEventually(async () =>
    expect(
      (
        await db.query(
          'SELECT 1 FROM fulfillment.order_cancellations WHERE shop_id = $1 AND order_number = $2',
          [shopId, `cxl-c-${run}`],
        )
      ).length,
    ).toBe(1),
  );
  await send([orderMapped(shopId, `cxl-c-${run}`, [[sku, 1]])]);
  await expectEventually(async () =>
    expect((await orderOf(shopId, `cxl-c-${run}`)).status).toBe('canceled'),
  );
  expect(published('shipment.ready', shopId)).toHaveLength(2);

  const timeline = await orders.timeline({ actor, shopId, orderNumber: `cxl-b-${run}` });
  expect(timeline.cancellation).toMatchObject({ rakutenStatus: 900 });
  expect(timeline.fulfillmentOrders[0].history.map((step) => step.event)).toEqual([
    'created',
    'held',
    'dispatched',
    'shipped',
    'canceled_after_shipment',
  ]);
});
