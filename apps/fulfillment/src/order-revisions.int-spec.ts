import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  type FulfillmentOrderView,
  createEvent,
  exampleOrderMappedData,
  exampleShopUpdatedData,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import {
  testInfrastructure,
  testKafka,
  uniqueSuffix,
  publishAndAwaitApplied,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';

import { AppModule } from './app.module';
import { FulfillmentConfig } from './config';
import { FulfillmentOrdersService } from './dispatch/fulfillment-orders.service';
import { InventoryService } from './stock/inventory.service';

/**
 * Order revisions through the fulfillment service in this process, on the real broker and
 * database: `order.mapped` and `order.canceled` of revisions 1 and 2 go on their topics (two
 * topics, so the service may see them in any order), and the outcome is read from the
 * fulfillment orders, the stock and the service's outbox.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const tenantId = randomUUID();
const actor = { tenantId, actorId: 'fulfillment-revisions-int-spec' };
const sku = `REV-${run}`;

let app: INestApplication;
let producer: Producer;
let db: DataSource;
let orders: FulfillmentOrdersService;
let shopId: string;

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
  producer = testKafka(infra.kafkaBrokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  shopId = randomUUID();
  const data = exampleShopUpdatedData();
  data.options.autoFulfillmentDispatch = true;
  await apply(createEvent('shop.updated', { tenantId, shopId, data }));
  await app.get(InventoryService).set({ actor, skuCode: sku, body: { onHand: 10 } });
});

afterAll(async () => {
  await producer?.disconnect();
  await app?.close();
});

/** Sends the event and waits until the service has applied it (its id is in the inbox). */
function apply(event: AnyEvent): Promise<void> {
  return publishAndAwaitApplied(producer, (sql, params) => db.query(sql, params), 'fulfillment', [
    event,
  ]);
}

/** An order.mapped of the revision whose packages each want `units` of the test SKU. */
function mapped(orderNumber: string, revision: number, units: number[]): AnyEvent {
  const data = exampleOrderMappedData({
    orderNumber,
    packages: units.length,
    linesPerPackage: 1,
    revision,
  });
  data.order.packages.forEach((pkg, i) => {
    pkg.lines[0].resolution.skus = [{ skuCode: sku, quantity: units[i] }];
  });
  return createEvent('order.mapped', { tenantId, shopId, data });
}

function canceled(orderNumber: string, revision: number): AnyEvent {
  return createEvent('order.canceled', {
    tenantId,
    shopId,
    data: {
      orderNumber,
      rakutenStatus: 400,
      reason: 'the order was changed on Rakuten and awaits confirmation (400 変更確定待ち)',
      detectedAt: new Date().toISOString(),
      revision,
    },
  });
}

/** The order's fulfillment orders as the API shows them: revision, basket, status. */
async function fulfillmentOrders(orderNumber: string): Promise<FulfillmentOrderView[]> {
  const page = await orders.list({ actor, filter: { shopId, orderNumber } });
  return page.items.sort((a, b) => a.revision - b.revision || a.basketId - b.basketId);
}

function summary(items: FulfillmentOrderView[]): [number, number, string][] {
  return items.map((item) => [item.revision, item.basketId, item.status]);
}

/** Events of a topic the service published for the order (from its outbox, in order). */
async function publishedFor(
  topic: string,
  orderNumber: string,
): Promise<Record<string, unknown>[]> {
  const rows = await db.query<{ payload: string }[]>(
    'SELECT payload FROM fulfillment.outbox WHERE topic = $1 AND message_key = $2 ORDER BY seq',
    [topic, `${shopId}:${orderNumber}`],
  );
  return rows.map((row) => (JSON.parse(row.payload) as { data: Record<string, unknown> }).data);
}

async function reserved(): Promise<number> {
  const [row] = await db.query<{ reserved: number }[]>(
    'SELECT reserved FROM fulfillment.stock WHERE tenant_id = $1 AND sku_code = $2',
    [tenantId, sku],
  );
  return row.reserved;
}

it('revision 2 of a changed order gets fulfillment orders of its own; a late cancellation of revision 1 leaves them; repeating either revision creates nothing', async () => {
  const orderNumber = `rev-a-${run}`;
  await apply(mapped(orderNumber, 1, [1, 1]));
  const first = await fulfillmentOrders(orderNumber);
  expect(summary(first)).toEqual([
    [1, 10_000_001, 'ready'],
    [1, 10_000_002, 'ready'],
  ]);

  // Rakuten: changed (400). Revision 1 stops; the warehouse is told.
  await apply(canceled(orderNumber, 1));
  expect(summary(await fulfillmentOrders(orderNumber))).toEqual([
    [1, 10_000_001, 'canceled'],
    [1, 10_000_002, 'canceled'],
  ]);
  expect(await reserved()).toBe(0);

  // The changed order back in 発送待ち, mapped as revision 2: one package now, same basket id.
  await apply(mapped(orderNumber, 2, [3]));
  const second = await fulfillmentOrders(orderNumber);
  expect(summary(second)).toEqual([
    [1, 10_000_001, 'canceled'],
    [1, 10_000_002, 'canceled'],
    [2, 10_000_001, 'ready'],
  ]);
  expect(await reserved()).toBe(3);

  // A cancellation of revision 1 again (late, another event id): revision 2 stays as it is.
  await apply(canceled(orderNumber, 1));
  // order.mapped of revision 1 and of revision 2 again (other event ids): nothing new.
  await apply(mapped(orderNumber, 1, [1, 1]));
  await apply(mapped(orderNumber, 2, [3]));
  expect(await fulfillmentOrders(orderNumber)).toEqual(second);
  expect(await reserved()).toBe(3);
  const ready = await publishedFor('shipment.ready', orderNumber);
  expect(ready.map((data) => data.fulfillmentOrderId)).toEqual(second.map((fo) => fo.id));
  // The warehouse was told to stop revision 1's packages (in lock order), once each.
  const stopped = await publishedFor('shipment.canceled', orderNumber);
  expect(stopped.map((data) => [data.fulfillmentOrderId, data.reasonCode]).sort()).toEqual(
    [
      [first[0].id, 'order_changed'],
      [first[1].id, 'order_changed'],
    ].sort(),
  );
});

it('a cancellation of revision 1 that comes first does not stop revision 2; a late revision 1 is ignored; a cancellation of revision 2 stops it', async () => {
  const orderNumber = `rev-b-${run}`;
  await apply(canceled(orderNumber, 1));
  await apply(mapped(orderNumber, 2, [2]));
  expect(summary(await fulfillmentOrders(orderNumber))).toEqual([[2, 10_000_001, 'ready']]);

  // Revision 1 arriving after revision 2 was dispatched: older, ignored.
  await apply(mapped(orderNumber, 1, [1]));
  expect(summary(await fulfillmentOrders(orderNumber))).toEqual([[2, 10_000_001, 'ready']]);

  await apply(canceled(orderNumber, 2));
  const [fo] = await fulfillmentOrders(orderNumber);
  expect([fo.revision, fo.status, fo.cancellation]).toEqual([
    2,
    'canceled',
    expect.objectContaining({ rakutenStatus: 400, afterShipment: false }),
  ]);
  expect(await publishedFor('shipment.canceled', orderNumber)).toEqual([
    expect.objectContaining({ fulfillmentOrderId: fo.id, reasonCode: 'order_changed' }),
  ]);
  const timeline = await orders.timeline({ actor, shopId, orderNumber });
  expect(timeline.cancellation).toMatchObject({ rakutenStatus: 400 });
  expect(timeline.fulfillmentOrders[0].history.map((step) => [step.event, step.note])).toEqual([
    ['created', `one package of order ${orderNumber} (revision 2)`],
    ['dispatched', expect.any(String)],
    ['canceled', expect.stringContaining('canceled before shipment')],
  ]);
});

it('revision 2 arriving before the cancellation of revision 1 supersedes it: revision 1 stops at once, and the late cancellation finds nothing left to do', async () => {
  const orderNumber = `rev-c-${run}`;
  await apply(mapped(orderNumber, 1, [1, 2]));
  const first = await fulfillmentOrders(orderNumber);
  expect(summary(first)).toEqual([
    [1, 10_000_001, 'ready'],
    [1, 10_000_002, 'ready'],
  ]);
  const reservedBefore = await reserved();

  // Revision 2 first (the order.canceled of revision 1 is late): revision 1 is canceled as that
  // cancellation would cancel it, and revision 2 is dispatched. Sent twice in one request, so
  // that the chunk handler sees both copies in one chunk.
  const second = mapped(orderNumber, 2, [4]);
  const copy = mapped(orderNumber, 2, [4]);
  await publishAndAwaitApplied(producer, (sql, params) => db.query(sql, params), 'fulfillment', [
    second,
    copy,
  ]);
  const after = await fulfillmentOrders(orderNumber);
  expect(summary(after)).toEqual([
    [1, 10_000_001, 'canceled'],
    [1, 10_000_002, 'canceled'],
    [2, 10_000_001, 'ready'],
  ]);
  expect(after[0].cancellation).toMatchObject({
    rakutenStatus: 400,
    reason: expect.stringContaining('superseded by revision 2'),
  });
  expect(await reserved()).toBe(reservedBefore - 3 + 4);
  const stopped = await publishedFor('shipment.canceled', orderNumber);
  expect(stopped.map((data) => data.fulfillmentOrderId).sort()).toEqual(
    [first[0].id, first[1].id].sort(),
  );

  // The real cancellation of revision 1 arrives: nothing changes, nothing more is published.
  await apply(canceled(orderNumber, 1));
  expect(await fulfillmentOrders(orderNumber)).toEqual(after);
  expect(await publishedFor('shipment.canceled', orderNumber)).toHaveLength(2);
  expect(await publishedFor('shipment.ready', orderNumber)).toHaveLength(3);
});
