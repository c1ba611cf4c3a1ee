import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  type FulfillmentOrderView,
  type SplitPolicy,
  type UpgradedShipmentReady,
  createEvent,
  decodeEvent,
  exampleOrderMappedData,
  exampleShopUpdatedData,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import {
  publishAndAwaitApplied,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';

import { AppModule } from './app.module';
import { FulfillmentController } from './calls/fulfillment.controller';
import { FulfillmentConfig } from './config';
import { FulfillmentOrdersService } from './dispatch/fulfillment-orders.service';
import { ShippingService } from './shipping/shipping.service';
import { InventoryService } from './stock/inventory.service';

/**
 * Split shipments (split policy `ship_available`) through the fulfillment service in this
 * process, on the real broker and database: the lines in stock go out now, the rest as a back
 * order of the same package that goes by itself when stock arrives; the `hold` policy is
 * unchanged; each part ships on its own; a cancellation and a newer revision stop both parts.
 * Outcomes are read from the fulfillment orders, the stock and the service's outbox.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const tenantId = randomUUID();
const actor = { tenantId, actorId: 'split-shipments-int-spec' };
const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);

let app: INestApplication;
let producer: Producer;
let db: DataSource;
let orders: FulfillmentOrdersService;
let inventory: InventoryService;
let shipping: ShippingService;
let calls: FulfillmentController;

beforeAll(async () => {
  const config = loadConfig('fulfillment', FulfillmentConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${run}`,
    LOG_LEVEL: 'warn',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  db = app.get(DataSource);
  orders = app.get(FulfillmentOrdersService);
  inventory = app.get(InventoryService);
  shipping = app.get(ShippingService);
  calls = app.get(FulfillmentController);
  producer = testKafka(infra.kafkaBrokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await app?.close();
});

function apply(...events: AnyEvent[]): Promise<void> {
  return publishAndAwaitApplied(
    producer,
    (sql, params) => db.query(sql, params),
    'fulfillment',
    events,
  );
}

/** A shop with autoFulfillmentDispatch on and this split policy. */
async function newShop(policy: SplitPolicy): Promise<string> {
  const shopId = randomUUID();
  const data = exampleShopUpdatedData();
  data.options.autoFulfillmentDispatch = true;
  await apply(createEvent('shop.updated', { tenantId, shopId, data }));
  await calls.shopSettingsPut({ actor, shopId, body: { splitPolicy: policy } });
  return shopId;
}

/** Fresh SKU codes for one test: X, Y, Z, W. */
function skus(name: string) {
  return {
    x: `${name}-X-${run}`,
    y: `${name}-Y-${run}`,
    z: `${name}-Z-${run}`,
    w: `${name}-W-${run}`,
  };
}

async function stock(levels: Record<string, number>): Promise<void> {
  for (const [skuCode, onHand] of Object.entries(levels)) {
    await inventory.set({ actor, skuCode, body: { onHand } });
  }
}

async function reservedOf(...skuCodes: string[]): Promise<number[]> {
  const rows = await db.query<{ sku_code: string; reserved: number }[]>(
    'SELECT sku_code, reserved FROM fulfillment.stock WHERE tenant_id = $1 AND sku_code = ANY($2)',
    [tenantId, skuCodes],
  );
  return skuCodes.map((sku) => rows.find((row) => row.sku_code === sku)?.reserved ?? 0);
}

/**
 * One package of three lines: A = 2 × X, B = a bundle of 1 Y and 1 Z, C = 1 W (in that order).
 * Optionally cash on delivery.
 */
function order(
  shopId: string,
  orderNumber: string,
  s: ReturnType<typeof skus>,
  options: { revision?: number; cod?: boolean } = {},
): AnyEvent {
  const data = exampleOrderMappedData({
    orderNumber,
    linesPerPackage: 3,
    revision: options.revision,
  });
  const [a, b, c] = data.order.packages[0].lines;
  a.units = 2;
  a.resolution.skus = [{ skuCode: s.x, quantity: 2 }];
  b.units = 1;
  b.resolution.skus = [
    { skuCode: s.y, quantity: 1 },
    { skuCode: s.z, quantity: 1 },
  ];
  c.units = 1;
  c.resolution.skus = [{ skuCode: s.w, quantity: 1 }];
  if (options.cod) {
    data.order.settlementMethodCode = 2;
    data.order.settlementMethodName = '代金引換';
  }
  return createEvent('order.mapped', { tenantId, shopId, data });
}

/** The order's fulfillment orders: whole first, then in_stock, then back_order, by revision. */
async function partsOf(shopId: string, orderNumber: string): Promise<FulfillmentOrderView[]> {
  const rank = { whole: 0, in_stock: 1, back_order: 2 } as const;
  const page = await orders.list({ actor, filter: { shopId, orderNumber } });
  return page.items.sort(
    (a, b) =>
      a.revision - b.revision ||
      rank[a.warehouse?.part.kind ?? 'whole'] - rank[b.warehouse?.part.kind ?? 'whole'],
  );
}

function summary(items: FulfillmentOrderView[]) {
  return items.map((item) => [
    item.revision,
    item.warehouse?.part.kind,
    item.status,
    item.lines.map((line) => `${line.skuCode.split('-')[1]}:${line.quantity}`).join(','),
  ]);
}

/** Events of a topic the service wrote for the order, in order, as consumers decode them. */
async function published(
  topic: string,
  shopId: string,
  orderNumber: string,
): Promise<Record<string, unknown>[]> {
  const rows = await db.query<{ payload: string }[]>(
    'SELECT payload FROM fulfillment.outbox WHERE topic = $1 AND message_key = $2 ORDER BY seq',
    [topic, `${shopId}:${orderNumber}`],
  );
  return rows.map((row) => {
    const decoded = decodeEvent(row.payload);
    if (!decoded.ok) throw new Error(`${decoded.code}: ${decoded.reason}`);
    return decoded.event.data as unknown as Record<string, unknown>;
  });
}

async function ready(shopId: string, orderNumber: string): Promise<UpgradedShipmentReady[]> {
  return (await published(
    'shipment.ready',
    shopId,
    orderNumber,
  )) as unknown as UpgradedShipmentReady[];
}

it('ship_available: the lines in stock go now, the rest is a back order that goes by itself when stock arrives; each part ships with its own tracking numbers', async () => {
  const shopId = await newShop('ship_available');
  const s = skus('SPLIT');
  // Y is there but Z is not: the bundle line B waits whole (Y is not taken for it).
  await stock({ [s.x]: 5, [s.y]: 1, [s.z]: 0, [s.w]: 3 });
  const orderNumber = `split-${run}`;
  const mapped = order(shopId, orderNumber, s);
  await apply(mapped);

  const [inStock, backOrder] = await partsOf(shopId, orderNumber);
  expect(summary([inStock, backOrder])).toEqual([
    [1, 'in_stock', 'ready', 'W:1,X:2'],
    [1, 'back_order', 'awaiting_stock', 'Y:1,Z:1'],
  ]);
  expect(inStock.basketId).toBe(backOrder.basketId);
  expect(inStock.warehouse?.part.otherFulfillmentOrderId).toBe(backOrder.id);
  expect(backOrder.warehouse?.part.otherFulfillmentOrderId).toBe(inStock.id);
  expect(backOrder.hold).toMatchObject({
    code: 'insufficient_stock',
    shortLines: [{ skuCode: s.z, needed: 1, available: 0 }],
  });
  expect(await reservedOf(s.x, s.y, s.z, s.w)).toEqual([2, 0, 0, 1]);
  const lines = (mapped.data as { order: { packages: { lines: { itemDetailId: number }[] }[] } })
    .order.packages[0].lines;
  const first = await ready(shopId, orderNumber);
  expect(first).toHaveLength(1);
  expect(first[0]).toMatchObject({
    fulfillmentOrderId: inStock.id,
    part: { kind: 'in_stock', otherFulfillmentOrderId: backOrder.id },
  });
  expect(first[0].items?.map((item) => item.itemDetailId)).toEqual([
    lines[0].itemDetailId,
    lines[2].itemDetailId,
  ]);

  // The same order.mapped again creates nothing (the package exists, split or not).
  await apply(order(shopId, orderNumber, s));
  expect(await partsOf(shopId, orderNumber)).toHaveLength(2);

  // Z arrives: the back order goes by itself.
  const arrival = await inventory.set({ actor, skuCode: s.z, body: { onHand: 1 } });
  expect(arrival.released).toEqual([backOrder.id]);
  const second = await ready(shopId, orderNumber);
  expect(second).toHaveLength(2);
  expect(second[1]).toMatchObject({
    fulfillmentOrderId: backOrder.id,
    shopRef: { basketId: inStock.basketId },
    revision: 1,
    part: { kind: 'back_order', otherFulfillmentOrderId: inStock.id },
    lines: [
      { skuCode: s.y, quantity: 1 },
      { skuCode: s.z, quantity: 1 },
    ],
  });
  expect(second[1].items?.map((item) => item.itemDetailId)).toEqual([lines[1].itemDetailId]);

  // Each part ships on its own: two order.shipped for the same basket.
  await shipping.ship({
    actor,
    fulfillmentOrderId: inStock.id,
    body: { carrierCode: '1001', trackingNumbers: ['SPL-0001'], shippingDate: today },
  });
  await expect(
    shipping.ship({
      actor,
      fulfillmentOrderId: backOrder.id,
      body: { carrierCode: '1001', trackingNumbers: ['SPL-0001'], shippingDate: today },
    }),
  ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await shipping.ship({
    actor,
    fulfillmentOrderId: backOrder.id,
    body: { carrierCode: '1001', trackingNumbers: ['SPL-0002'], shippingDate: today },
  });
  const shipped = await published('order.shipped', shopId, orderNumber);
  expect(shipped.map((data) => [data.fulfillmentOrderId, data.basketId, data.parcels])).toEqual([
    [inStock.id, inStock.basketId, [expect.objectContaining({ trackingNumber: 'SPL-0001' })]],
    [backOrder.id, inStock.basketId, [expect.objectContaining({ trackingNumber: 'SPL-0002' })]],
  ]);
  expect(await reservedOf(s.x, s.y, s.z, s.w)).toEqual([0, 0, 0, 0]);
  const timeline = await orders.timeline({ actor, shopId, orderNumber });
  expect(timeline.fulfillmentOrders.map((fo) => fo.history.map((step) => step.event))).toEqual([
    ['created', 'split', 'dispatched', 'shipped'],
    ['created', 'held', 'dispatched', 'shipped'],
  ]);
});

it('hold (the default) keeps a short package whole and waiting; switching the shop to ship_available splits it at once', async () => {
  const shopId = await newShop('hold');
  const s = skus('HOLD');
  await stock({ [s.x]: 5, [s.y]: 1, [s.z]: 0, [s.w]: 3 });
  const orderNumber = `hold-${run}`;
  await apply(order(shopId, orderNumber, s));
  expect(summary(await partsOf(shopId, orderNumber))).toEqual([
    [1, 'whole', 'awaiting_stock', 'W:1,X:2,Y:1,Z:1'],
  ]);
  expect(await reservedOf(s.x, s.y, s.z, s.w)).toEqual([0, 0, 0, 0]);
  expect(await ready(shopId, orderNumber)).toEqual([]);

  await calls.shopSettingsPut({ actor, shopId, body: { splitPolicy: 'ship_available' } });
  expect(summary(await partsOf(shopId, orderNumber))).toEqual([
    [1, 'in_stock', 'ready', 'W:1,X:2'],
    [1, 'back_order', 'awaiting_stock', 'Y:1,Z:1'],
  ]);
  expect(await ready(shopId, orderNumber)).toEqual([
    expect.objectContaining({ part: expect.objectContaining({ kind: 'in_stock' }) }),
  ]);
});

it('ship_available splits nothing when no line has stock, nor a cash-on-delivery package', async () => {
  const shopId = await newShop('ship_available');
  const none = skus('NONE');
  const cod = skus('COD');
  await stock({ [cod.x]: 5, [cod.y]: 1, [cod.z]: 0, [cod.w]: 3 });
  await apply(order(shopId, `none-${run}`, none), order(shopId, `cod-${run}`, cod, { cod: true }));
  expect(summary(await partsOf(shopId, `none-${run}`))).toEqual([
    [1, 'whole', 'awaiting_stock', 'W:1,X:2,Y:1,Z:1'],
  ]);
  expect(summary(await partsOf(shopId, `cod-${run}`))).toEqual([
    [1, 'whole', 'awaiting_stock', 'W:1,X:2,Y:1,Z:1'],
  ]);
  expect(await reservedOf(cod.x, cod.y, cod.z, cod.w)).toEqual([0, 0, 0, 0]);
});

it('a cancellation stops both parts: the one sent gets shipment.canceled and its stock back, a shipped one is flagged', async () => {
  const shopId = await newShop('ship_available');
  const s = skus('CXL');
  await stock({ [s.x]: 5, [s.y]: 1, [s.z]: 0, [s.w]: 3 });
  const canceled = (orderNumber: string) =>
    createEvent('order.canceled', {
      tenantId,
      shopId,
      data: {
        orderNumber,
        rakutenStatus: 900,
        reason: 'Canceled on Rakuten (キャンセル確定).',
        detectedAt: new Date().toISOString(),
      },
    });

  // Not shipped: both parts canceled; the warehouse hears of the part it had.
  await apply(order(shopId, `cxl-a-${run}`, s));
  const [inStock, backOrder] = await partsOf(shopId, `cxl-a-${run}`);
  expect(await reservedOf(s.x, s.w)).toEqual([2, 1]);
  await apply(canceled(`cxl-a-${run}`));
  expect(summary(await partsOf(shopId, `cxl-a-${run}`))).toEqual([
    [1, 'in_stock', 'canceled', 'W:1,X:2'],
    [1, 'back_order', 'canceled', 'Y:1,Z:1'],
  ]);
  expect(await reservedOf(s.x, s.y, s.z, s.w)).toEqual([0, 0, 0, 0]);
  expect(
    (await published('shipment.canceled', shopId, `cxl-a-${run}`)).map((d) => d.fulfillmentOrderId),
  ).toEqual([inStock.id]);
  expect(backOrder.status).toBe('awaiting_stock');

  // The in-stock part shipped: it is flagged; the back order is canceled.
  await apply(order(shopId, `cxl-b-${run}`, s));
  const [shippedPart] = await partsOf(shopId, `cxl-b-${run}`);
  await shipping.ship({
    actor,
    fulfillmentOrderId: shippedPart.id,
    body: { carrierCode: '1002', trackingNumbers: ['CXL-1'], shippingDate: today },
  });
  await apply(canceled(`cxl-b-${run}`));
  const after = await partsOf(shopId, `cxl-b-${run}`);
  expect(after.map((fo) => [fo.warehouse?.part.kind, fo.status, fo.needsAttention])).toEqual([
    ['in_stock', 'shipped', true],
    ['back_order', 'canceled', false],
  ]);
  expect(await published('shipment.canceled', shopId, `cxl-b-${run}`)).toEqual([]);
  expect(await reservedOf(s.y, s.z)).toEqual([0, 0]);
});

it('a newer revision supersedes both parts of the older one', async () => {
  const shopId = await newShop('ship_available');
  const s = skus('REV');
  await stock({ [s.x]: 5, [s.y]: 1, [s.z]: 0, [s.w]: 3 });
  const orderNumber = `rev-${run}`;
  await apply(order(shopId, orderNumber, s));
  const [inStock, backOrder] = await partsOf(shopId, orderNumber);
  expect(inStock.status).toBe('ready');

  // Z arrives with the changed order: revision 2 has every line in stock after revision 1 stops.
  await stock({ [s.z]: 1 });
  // The arrival sent revision 1's back order first (oldest first).
  expect((await partsOf(shopId, orderNumber))[1].status).toBe('ready');
  await apply(order(shopId, orderNumber, s, { revision: 2 }));
  const after = await partsOf(shopId, orderNumber);
  expect(summary(after)).toEqual([
    [1, 'in_stock', 'canceled', 'W:1,X:2'],
    [1, 'back_order', 'canceled', 'Y:1,Z:1'],
    [2, 'whole', 'ready', 'W:1,X:2,Y:1,Z:1'],
  ]);
  expect(after[0].cancellation?.reason).toContain('superseded by revision 2');
  expect(
    (await published('shipment.canceled', shopId, orderNumber))
      .map((d) => d.fulfillmentOrderId)
      .sort(),
  ).toEqual([inStock.id, backOrder.id].sort());
  expect(await reservedOf(s.x, s.y, s.z, s.w)).toEqual([2, 1, 1, 1]);
});
