import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import { SecretBox } from '@smartship/crypto';
import { formatRmsDate } from '@smartship/rakuten';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { randomInt } from 'node:crypto';
import type { Pool } from 'pg';

import {
  SimAdmin,
  TEST_MASTER_KEYS,
  connectProducer,
  eventsFor,
  ingestionEnv,
  newShop,
  orderShipped,
  produce,
  shopUpdated,
  startIngestion,
  testPool,
  type TestShop,
} from '../../test/harness';
import { ReportStatusService } from './report-status.service';

/*
 * Shipping reports end to end: order.shipped on Kafka → ingestion (in this process) →
 * updateOrderShippingAsync on the simulator process → result read back. Outcomes are read from the
 * simulator's shipping records (each tracking number must be there exactly once), its call log,
 * the report rows and shop.alert.
 */
const infra = testInfrastructure();
const DAY = 86_400_000;
const simPort = 26000 + randomInt(0, 900);
const sim = new SimAdmin(`http://127.0.0.1:${simPort}`);
const simProcess = new ServiceProcess({
  app: 'rakuten-sim',
  httpPort: simPort,
  env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
});
const box = SecretBox.fromEnv(TEST_MASTER_KEYS);
const today = formatRmsDate(new Date());

let app: INestApplication;
let collector: TopicCollector;
let producer: Producer;
let db: Pool;

beforeAll(async () => {
  await simProcess.start();
  // Async results exist after 300 ms instead of RMS's seconds.
  await sim.settings({ asyncShippingDelayMs: 300 });
  app = await startIngestion(
    ingestionEnv(infra, sim.url, TEST_MASTER_KEYS, {
      KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
      SHIPPING_TICK_MS: '300',
      SHIPPING_RECONCILE_AFTER_MS: '1500',
      RAKUTEN_TIMEOUT_MS: '1500',
      STOCK_PUSH_TICK_MS: '60000',
    }),
  );
  const kafka = testKafka(infra.kafkaBrokers);
  producer = await connectProducer(kafka);
  collector = await new TopicCollector(kafka, ['shop.alert']).start();
  db = testPool(infra.databaseUrl);
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await producer?.disconnect();
  await app?.close();
  await db?.end();
  await simProcess.stop();
});

async function announcedShop(): Promise<TestShop> {
  const shop = await newShop(sim);
  // Makes the default catalog (an old, settled order).
  await sim.generate(shop.rakutenShopId, {
    count: 1,
    progress: 700,
    from: new Date(Date.now() - 300 * DAY).toISOString(),
    to: new Date(Date.now() - 299 * DAY).toISOString(),
  });
  await produce(producer, [shopUpdated(box, shop)]);
  await expectEventually(async () => {
    const { rows } = await db.query('SELECT 1 FROM ingestion.shops WHERE id = $1', [shop.id]);
    expect(rows).toHaveLength(1);
  });
  return shop;
}

/** A new order in 発送待ち (300) and its package's basketId. */
async function orderIn300(shop: TestShop): Promise<{ orderNumber: string; basketId: number }> {
  const orderNumber = await sim.addOrder(shop.rakutenShopId, { progress: 300 });
  const { model } = await sim.order(orderNumber);
  return { orderNumber, basketId: model.PackageModelList[0].basketId };
}

function parcels(prefix: string, count: number, carrierCode = '1001') {
  return Array.from({ length: count }, (_, i) => ({
    carrierCode,
    trackingNumber: `${prefix}${String(i).padStart(4, '0')}`,
    shippingDate: today,
  }));
}

/** Tracking numbers the simulator added for the shop, with how often each was added. */
async function addedTrackingNumbers(shop: TestShop): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const record of await sim.shippingReports(shop.rakutenShopId)) {
    if (record.action !== 'added' || !record.shippingNumber) continue;
    counts.set(record.shippingNumber, (counts.get(record.shippingNumber) ?? 0) + 1);
  }
  return counts;
}

async function reportOf(shop: TestShop, orderNumber: string) {
  const { rows } = await db.query<{
    state: string;
    error_code: string | null;
    error_message: string | null;
    request_id: string | null;
    reported: string[];
  }>(
    `SELECT state, error_code, error_message, request_id, reported
       FROM ingestion.shipping_reports WHERE shop_id = $1 AND order_number = $2`,
    [shop.id, orderNumber],
  );
  return rows[0];
}

/** Reports of the order the reporter would still send (it only sends `pending` ones). */
async function pendingReports(shop: TestShop, orderNumber: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ingestion.shipping_reports
      WHERE shop_id = $1 AND order_number = $2 AND state = 'pending'`,
    [shop.id, orderNumber],
  );
  return rows[0].n;
}

it('reports a shipped package once: every tracking number once, the order goes 300 → 500, a redelivered or repeated order.shipped changes nothing', async () => {
  const shop = await announcedShop();
  const { orderNumber, basketId } = await orderIn300(shop);
  const event = orderShipped(shop, orderNumber, basketId, parcels(`T${shop.rakutenShopId}`, 3));
  // The same event twice (a redelivery) and the same package again under a new event id.
  const again = orderShipped(shop, orderNumber, basketId, event.data.parcels);
  await produce(producer, [event, event, again]);

  await expectEventually(async () =>
    expect((await reportOf(shop, orderNumber)).state).toBe('done'),
  );
  expect((await sim.order(orderNumber)).model.orderProgress).toBe(500);
  const added = await addedTrackingNumbers(shop);
  expect([...added.entries()].sort()).toEqual(event.data.parcels.map((p) => [p.trackingNumber, 1]));
  const report = await reportOf(shop, orderNumber);
  expect(report.request_id).toMatch(/_\d{14}$/);
  expect(report.reported.sort()).toEqual(event.data.parcels.map((p) => p.trackingNumber));
  // Both event ids applied and no report of the order left pending: the reporter sends only
  // pending reports, so the calls below are all there will be.
  await expectEventually(async () => {
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(DISTINCT event_id)::int AS n FROM ingestion.inbox WHERE event_id = ANY($1::uuid[])',
      [[event.id, again.id]],
    );
    expect(rows[0].n).toBe(2);
  });
  expect(await pendingReports(shop, orderNumber)).toBe(0);
  const sends = await sim.calls({
    shopId: shop.rakutenShopId,
    function: 'updateOrderShippingAsync',
  });
  expect(sends.map((call) => call.status)).toEqual([200]);
  expect((await addedTrackingNumbers(shop)).size).toBe(3);
}, 30_000);

it('refuses a report with a carrier code Rakuten does not know: report_failed alert, no call', async () => {
  const shop = await announcedShop();
  const { orderNumber, basketId } = await orderIn300(shop);
  await produce(producer, [
    orderShipped(shop, orderNumber, basketId, parcels(`B${shop.rakutenShopId}`, 1, '9999')),
  ]);
  await expectEventually(async () => {
    const report = await reportOf(shop, orderNumber);
    expect(report).toMatchObject({ state: 'rejected', error_code: 'UNKNOWN_CARRIER' });
    expect(report.error_message).toContain('9999');
  });
  await expectEventually(() => {
    const alerts = eventsFor<{ kind: string; details: { orderNumbers: string[] } }>(
      collector.on('shop.alert'),
      shop.id,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0].data).toMatchObject({
      kind: 'report_failed',
      details: { orderNumbers: [orderNumber], errorCode: 'UNKNOWN_CARRIER' },
    });
  });
  // Rejected, and nothing pending: the reporter has nothing left to send for this order.
  expect(await pendingReports(shop, orderNumber)).toBe(0);
  expect(
    await sim.calls({ shopId: shop.rakutenShopId, function: 'updateOrderShippingAsync' }),
  ).toEqual([]);
  expect((await sim.order(orderNumber)).model.orderProgress).toBe(300);
}, 30_000);

it('retries a submit refused with 503 or throttling, reads back one that failed with 500, and sends each tracking number once', async () => {
  const shop = await announcedShop();
  const { orderNumber, basketId } = await orderIn300(shop);
  const target = { function: 'updateOrderShippingAsync', shopId: shop.rakutenShopId, count: 1 };
  await sim.faults({
    rules: [
      { kind: 'http503', ...target },
      { kind: 'throttle', ...target },
      { kind: 'http500', ...target },
    ],
  });
  const event = orderShipped(shop, orderNumber, basketId, parcels(`F${shop.rakutenShopId}`, 2));
  await produce(producer, [event]);
  await expectEventually(
    async () => expect((await reportOf(shop, orderNumber)).state).toBe('done'),
    { timeoutMs: 20_000 },
  );
  await sim.faults({ rules: [] });
  const sends = await sim.calls({
    shopId: shop.rakutenShopId,
    function: 'updateOrderShippingAsync',
  });
  expect(sends.map((call) => call.status)).toEqual([503, 429, 500, 200]);
  // The 500 left the outcome unknown: the order was read back before sending again.
  const reads = await sim.calls({ shopId: shop.rakutenShopId, function: 'getOrder' });
  expect(reads.length).toBeGreaterThanOrEqual(1);
  const added = await addedTrackingNumbers(shop);
  expect([...added.values()]).toEqual([1, 1]);
  expect((await sim.order(orderNumber)).model.orderProgress).toBe(500);
}, 40_000);

it('a submit that times out after Rakuten applied it is reconciled, not sent again; a maintenance window only delays the report', async () => {
  const shop = await announcedShop();
  const first = await orderIn300(shop);
  // Rakuten applies the request, the answer comes after the client's timeout (1.5 s here).
  await sim.faults({
    rules: [
      {
        kind: 'timeout',
        function: 'updateOrderShippingAsync',
        shopId: shop.rakutenShopId,
        count: 1,
        delayMs: 4000,
      },
    ],
  });
  await produce(producer, [
    orderShipped(shop, first.orderNumber, first.basketId, parcels(`T${shop.rakutenShopId}`, 2)),
  ]);
  await expectEventually(
    async () => expect((await reportOf(shop, first.orderNumber)).state).toBe('done'),
    { timeoutMs: 20_000 },
  );
  const sends = await sim.calls({
    shopId: shop.rakutenShopId,
    function: 'updateOrderShippingAsync',
  });
  expect(sends.map((call) => call.fault)).toEqual(['timeout']);
  expect([...(await addedTrackingNumbers(shop)).values()]).toEqual([1, 1]);

  // RMS in maintenance: every call answers a 503 HTML page until the window is over.
  const second = await orderIn300(shop);
  await sim.faults({
    rules: [],
    maintenance: {
      from: new Date(Date.now() - 1000).toISOString(),
      to: new Date(Date.now() + 3_600_000).toISOString(),
    },
  });
  await produce(producer, [
    orderShipped(shop, second.orderNumber, second.basketId, parcels(`M${shop.rakutenShopId}`, 1)),
  ]);
  // The simulator answers maintenance before it authenticates: those calls name no shop.
  await expectEventually(async () => {
    const refused = await sim.calls({ function: 'updateOrderShippingAsync' });
    expect(refused.filter((call) => call.fault === 'maintenance').length).toBeGreaterThanOrEqual(1);
  });
  expect((await reportOf(shop, second.orderNumber)).state).not.toBe('done');
  await sim.faults({ rules: [] });
  await expectEventually(
    async () => expect((await reportOf(shop, second.orderNumber)).state).toBe('done'),
    { timeoutMs: 60_000 },
  );
  const added = await addedTrackingNumbers(shop);
  expect(added.size).toBe(3);
  expect([...added.values()]).toEqual([1, 1, 1]);
  expect((await sim.order(second.orderNumber)).model.orderProgress).toBe(500);
}, 90_000);

/** order.shipped of one part of a split package: its own fulfillment order, the same basket. */
function partShipped(
  shop: TestShop,
  orderNumber: string,
  basketId: number,
  fulfillmentOrderId: string,
  list: { carrierCode: string; trackingNumber: string; shippingDate: string }[],
) {
  const event = orderShipped(shop, orderNumber, basketId, list);
  event.data.fulfillmentOrderId = fulfillmentOrderId;
  return event;
}

it('a split package: two order.shipped for one basket from two fulfillment orders end with both parts’ tracking numbers on the basket, each sent once', async () => {
  const shop = await announcedShop();
  const { orderNumber, basketId } = await orderIn300(shop);
  const first = partShipped(
    shop,
    orderNumber,
    basketId,
    `fo-a-${orderNumber}`,
    parcels(`A${shop.rakutenShopId}`, 2),
  );
  await produce(producer, [first]);
  await expectEventually(async () =>
    expect((await reportOf(shop, orderNumber)).state).toBe('done'),
  );
  expect((await sim.order(orderNumber)).model.orderProgress).toBe(500);
  // The back order ships days later, into an order Rakuten shows as shipped (500).
  const second = partShipped(
    shop,
    orderNumber,
    basketId,
    `fo-b-${orderNumber}`,
    parcels(`B${shop.rakutenShopId}`, 1),
  );
  await produce(producer, [second, first]);
  await expectEventually(async () => {
    const report = await reportOf(shop, orderNumber);
    expect(report.state).toBe('done');
    expect(report.reported).toHaveLength(3);
  });
  const all = [...first.data.parcels, ...second.data.parcels].map((p) => p.trackingNumber);
  const added = await addedTrackingNumbers(shop);
  expect([...added.entries()].sort()).toEqual(all.map((n) => [n, 1]).sort());
  const records = await sim.shippingReports(shop.rakutenShopId);
  expect(new Set(records.map((r) => r.basketId))).toEqual(new Set([basketId]));
  // Each part's report, as the gateway shows it on its fulfillment order.
  const { reports } = await app.get(ReportStatusService).reports({
    actor: { tenantId: shop.tenantId, actorId: 'test' },
    fulfillmentOrderIds: [first.data.fulfillmentOrderId, second.data.fulfillmentOrderId],
  });
  expect(
    reports
      .map((r) => [r.fulfillmentOrderId, r.state, r.trackingNumbers.length])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  ).toEqual([
    [first.data.fulfillmentOrderId, 'reported', 2],
    [second.data.fulfillmentOrderId, 'reported', 1],
  ]);
}, 30_000);

it('a split package whose first part’s report failed: the second part’s event sends both parts’ parcels, not only its own', async () => {
  const shop = await announcedShop();
  // Not in 発送待ち: Rakuten refuses the first part's report.
  const orderNumber = await sim.addOrder(shop.rakutenShopId, { progress: 100 });
  const basketId = (await sim.order(orderNumber)).model.PackageModelList[0].basketId;
  const first = partShipped(
    shop,
    orderNumber,
    basketId,
    `fo-a-${orderNumber}`,
    parcels(`C${shop.rakutenShopId}`, 1),
  );
  await produce(producer, [first]);
  await expectEventually(async () =>
    expect((await reportOf(shop, orderNumber)).state).toBe('failed'),
  );
  expect((await addedTrackingNumbers(shop)).size).toBe(0);

  await sim.setState(orderNumber, { progress: 300 });
  const second = partShipped(
    shop,
    orderNumber,
    basketId,
    `fo-b-${orderNumber}`,
    parcels(`D${shop.rakutenShopId}`, 1),
  );
  await produce(producer, [second]);
  await expectEventually(async () =>
    expect((await reportOf(shop, orderNumber)).state).toBe('done'),
  );
  const added = await addedTrackingNumbers(shop);
  expect([...added.entries()].sort()).toEqual(
    [first, second].map((e) => [e.data.parcels[0].trackingNumber, 1]).sort(),
  );
  expect((await sim.order(orderNumber)).model.orderProgress).toBe(500);
}, 30_000);

it('the second part shipped while the first part’s submission is in flight (outcome unknown) is sent after it, and nothing twice', async () => {
  const shop = await announcedShop();
  const { orderNumber, basketId } = await orderIn300(shop);
  await sim.faults({
    rules: [
      {
        kind: 'timeout',
        function: 'updateOrderShippingAsync',
        shopId: shop.rakutenShopId,
        count: 1,
        delayMs: 4000,
      },
    ],
  });
  const first = partShipped(
    shop,
    orderNumber,
    basketId,
    `fo-a-${orderNumber}`,
    parcels(`E${shop.rakutenShopId}`, 2),
  );
  await produce(producer, [first]);
  await expectEventually(
    async () => expect(['sending', 'unknown']).toContain((await reportOf(shop, orderNumber)).state),
    { timeoutMs: 10_000 },
  );
  const second = partShipped(
    shop,
    orderNumber,
    basketId,
    `fo-b-${orderNumber}`,
    parcels(`F${shop.rakutenShopId}`, 2),
  );
  await produce(producer, [second]);
  await expectEventually(
    async () => {
      const report = await reportOf(shop, orderNumber);
      expect(report.state).toBe('done');
      expect(report.reported).toHaveLength(4);
    },
    { timeoutMs: 20_000 },
  );
  await sim.faults({ rules: [] });
  const added = await addedTrackingNumbers(shop);
  expect([...added.values()]).toEqual([1, 1, 1, 1]);
  const sends = await sim.calls({
    shopId: shop.rakutenShopId,
    function: 'updateOrderShippingAsync',
  });
  // The first part's submission (timed out, applied) and the second part's, nothing more.
  expect(sends).toHaveLength(2);
}, 40_000);
