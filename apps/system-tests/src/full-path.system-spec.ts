import 'reflect-metadata';

import { join } from 'node:path';

import {
  type AnyEvent,
  type FulfillmentOrderDetailView,
  type FulfillmentOrderPageView,
  type FulfillmentOrderView,
  type RakutenReportView,
  type StockPageView,
  type TimelineEntry,
  decodeEvent,
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

// The demo story is a tool script, not a library: `npm start` runs it and this test asserts on it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type DemoResult, runDemo } from '../../../tools/scripts/demo';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type MailCatcher, startMailCatcher } from '../../../tools/scripts/mail-catcher';

/**
 * The full path, all services as processes, driven only through public HTTP APIs (the demo story
 * `npm start` runs): orders in the simulator → pulled, confirmed, mapped → shipment.ready → the
 * warehouse confirms → the simulator holds every tracking number exactly once and the new stock
 * values. Then the checks a seller would make: nothing reported twice, the stock Rakuten shows is
 * what the warehouse has left, a cancelled order never shipped, and every shipped fulfillment
 * order shows Rakuten's answer to its report.
 */
const infra = testInfrastructure();
const root = join(__dirname, '..', '..', '..');
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'f'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('full1');
const SIM = 'http://127.0.0.1:20200';
const API = 'http://127.0.0.1:20000/api/v1';

const backend = {
  NODE_ENV: 'test',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  MASTER_KEYS,
  RAKUTEN_BASE_URL: SIM,
};
const processes = [
  new ServiceProcess({ app: 'rakuten-sim', httpPort: 20200, env: { NODE_ENV: 'test' } }),
  new ServiceProcess({
    app: 'credentials',
    httpPort: 20101,
    // The demo's second shop has a key that expires in 10 days: checked every 2 s here.
    env: { ...backend, TCP_PORT: '21101', LICENSE_CHECK_INTERVAL_MS: '2000' },
  }),
  new ServiceProcess({
    app: 'ingestion',
    httpPort: 20102,
    // Only the pulls the demo asks for; Rakuten's 1 request/s would make this test ~5 minutes.
    env: {
      ...backend,
      TCP_PORT: '21102',
      RAKUTEN_ORDER_RPS: '20',
      RAKUTEN_INVENTORY_RPS: '20',
      POLL_INTERVAL_MS: '3600000',
    },
  }),
  new ServiceProcess({ app: 'mapping', httpPort: 20103, env: { ...backend, TCP_PORT: '21103' } }),
  new ServiceProcess({
    app: 'fulfillment',
    httpPort: 20104,
    env: { ...backend, TCP_PORT: '21104' },
  }),
  new ServiceProcess({
    app: 'notifications',
    httpPort: 20105,
    env: { ...backend, TCP_PORT: '21105', SMTP_URL: 'smtp://127.0.0.1:20125' },
  }),
];
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 20000,
  env: {
    ...backend,
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: '127.0.0.1:21101',
    INGESTION_TCP: '127.0.0.1:21102',
    MAPPING_TCP: '127.0.0.1:21103',
    FULFILLMENT_TCP: '127.0.0.1:21104',
    NOTIFICATIONS_TCP: '127.0.0.1:21105',
  },
});

/** What the simulator's admin API answers (apps/rakuten-sim). */
interface SimShippingReport {
  orderNumber: string;
  action: 'added' | 'updated' | 'deleted';
  deliveryCompany: string | null;
  shippingNumber: string | null;
}
interface SimStockRow {
  variantId: string;
  quantity: number;
  orphan?: boolean;
}

async function get<T>(url: string, token?: string): Promise<T> {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function listFulfillmentOrders(
  token: string,
  shopId: string,
): Promise<FulfillmentOrderView[]> {
  const items: FulfillmentOrderView[] = [];
  let cursor: string | null = null;
  do {
    const page: FulfillmentOrderPageView = await get(
      `${API}/fulfillment-orders?shopId=${shopId}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      token,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

let collector: TopicCollector;
let catcher: MailCatcher;
let demo: DemoResult;
const demoLog: string[] = [];

beforeAll(async () => {
  catcher = await startMailCatcher({
    port: 20125,
    dir: join(root, 'test-output', 'full-path-mail'),
  });
  await Promise.all(processes.map((process) => process.start()));
  await gateway.start();
  collector = await new TopicCollector(testKafka(infra.kafkaBrokers), [
    'order.pulled',
    'shipment.ready',
    'order.shipped',
    'shipment.canceled',
  ]).start();
  demo = await runDemo({
    gateway: API,
    simulator: SIM,
    operatorToken: OPERATOR_TOKEN,
    log: (line) => demoLog.push(line),
    waitForMail: (to, text, timeoutMs) =>
      catcher
        .waitFor((mail) => mail.to.includes(to) && mail.text.includes(text), timeoutMs)
        .catch(() => undefined),
  });
});

afterAll(async () => {
  await catcher?.close();
  await collector?.stop();
  await gateway.stop();
  await Promise.all(processes.map((process) => process.stop()));
});

/**
 * The events of one topic that belong to the demo's simulator shop. The broker is shared with the
 * other system tests, which put poison messages on these topics on purpose: those are skipped.
 */
function eventsOf(topic: string, simShop: string): AnyEvent[] {
  return collector
    .on(topic)
    .flatMap((message) => {
      const decoded = decodeEvent(message.value ?? '');
      return decoded.ok ? [decoded.event] : [];
    })
    .filter((event) => orderNumberOf(event).startsWith(`${simShop}-`));
}

/** order.pulled carries the whole order, shipment.ready its reference; the others name it. */
function orderNumberOf(event: AnyEvent): string {
  const data = event.data as {
    orderNumber?: string;
    order?: { orderNumber: string };
    shopRef?: { orderNumber: string };
  };
  return data.orderNumber ?? data.order?.orderNumber ?? data.shopRef?.orderNumber ?? '';
}

function shopRefOf(event: AnyEvent): string {
  const { shopRef } = event.data as { shopRef: { orderNumber: string; basketId: number } };
  return `${shopRef.orderNumber}/${shopRef.basketId}`;
}

it('runs the story to the end: pulled, mapped, shipped, reported in time', () => {
  // The demo log says what happened if something below fails.
  expect({ reportedInTime: demo.reportedInTime, log: demoLog }).toMatchObject({
    reportedInTime: true,
  });
  expect(demo.shipErrors).toEqual([]);
  expect(demo.pulledNew).toBeGreaterThan(100);
  expect(demo.shipments.length).toBeGreaterThan(100);
  // demo-rice has no SKU: exactly that order waits in the unmapped queue.
  expect(demo.needsMapping).toHaveLength(1);
  expect(demo.cancelSeen).toBe(true);
});

it('tells the owner, in Korean, that the second shop’s licence key expires in 10 days', () => {
  expect({ licenceAlert: demo.licenceAlert, log: demoLog }).toMatchObject({
    licenceAlert: { listed: true, email: { subject: expect.stringContaining('라이선스') } },
  });
  // Exactly one e-mail about the second shop (the first shop's orders may bring others, e.g. a
  // confirmation deadline), with the link to the page where the key is renewed.
  const aboutShop = catcher.messages.filter(
    (mail) =>
      mail.to.includes(demo.licenceAlert.email!.to) &&
      mail.text.includes(`/shops/${demo.expiringShopId}`),
  );
  expect(aboutShop.map((mail) => mail.subject)).toEqual([demo.licenceAlert.email!.subject]);
  expect(aboutShop[0].html).toContain('10일 후 만료됩니다');
});

it('publishes one order.pulled per order and one shipment.ready per package', async () => {
  const pulled = eventsOf('order.pulled', demo.simShop);
  const pulledNumbers = pulled.map(orderNumberOf);
  expect(new Set(pulledNumbers).size).toBe(pulledNumbers.length);
  expect(pulledNumbers.length).toBe(demo.pulledNew);

  const fos = await listFulfillmentOrders(demo.token, demo.shopId);
  const dispatched = fos.filter((fo) => ['ready', 'shipped', 'canceled'].includes(fo.status));
  const ready = eventsOf('shipment.ready', demo.simShop);
  const readyKeys = ready.map(shopRefOf);
  expect(new Set(readyKeys).size).toBe(readyKeys.length);
  expect(new Set(readyKeys)).toEqual(
    new Set(dispatched.map((fo) => `${fo.orderNumber}/${fo.basketId}`)),
  );
});

it('the simulator holds every tracking number exactly once, on the right order', async () => {
  const reports = await get<SimShippingReport[]>(
    `${SIM}/__sim/shops/${demo.simShop}/shipping-reports`,
  );
  const held = reports.filter((report) => report.action !== 'deleted' && report.shippingNumber);
  const numbers = held.map((report) => report.shippingNumber);
  // Each tracking number sent to Rakuten once: no duplicates, none missing, none extra.
  expect(numbers.length).toBe(new Set(numbers).size);
  const sent = demo.shipments.flatMap((shipment) =>
    shipment.trackingNumbers.map((number) => [number, shipment.orderNumber]),
  );
  expect(new Map(held.map((report) => [report.shippingNumber, report.orderNumber]))).toEqual(
    new Map(sent.map(([number, order]) => [number, order])),
  );
  // ヤマト運輸 as the warehouse said, on every report.
  expect(new Set(held.map((report) => String(report.deliveryCompany)))).toEqual(new Set(['1001']));
  // The topic agrees: one order.shipped per confirmed shipment.
  expect(eventsOf('order.shipped', demo.simShop)).toHaveLength(demo.shipments.length);
});

it('the stock values in the simulator are what the warehouse has available', async () => {
  const stock = await get<SimStockRow[]>(`${SIM}/__sim/shops/${demo.simShop}/stock`);
  const inventory = await get<StockPageView>(`${API}/inventory?limit=200`, demo.token);
  const available = new Map(inventory.items.map((row) => [row.skuCode, row.available]));
  // What each listing can show: the tee's variants their option SKU (one linked by variantId),
  // the mug DMUG, the gift set as many sets as two mugs and a face towel allow.
  const expected = (variantId: string): number | undefined => {
    if (variantId === 'demo-mug') return available.get('DMUG');
    if (variantId === 'demo-giftset') {
      return Math.min(
        Math.floor((available.get('DMUG') ?? 0) / 2),
        available.get('DTOWEL-WF') ?? 0,
      );
    }
    const tee = /^demo-tee-(\w)-(\w+)$/.exec(variantId);
    return tee ? available.get(`DTEE-${tee[1]}-${tee[2]}`.toUpperCase()) : undefined;
  };
  const pushed = stock.filter((row) => !row.orphan);
  expect(pushed.map((row) => row.variantId)).toEqual(
    expect.arrayContaining(['demo-mug', 'demo-giftset', 'demo-tee-s-bk', 'demo-tee-l-wh']),
  );
  for (const row of pushed) {
    expect({ variant: row.variantId, quantity: row.quantity }).toEqual({
      variant: row.variantId,
      quantity: expected(row.variantId),
    });
  }
  // Shipping took stock: the mug (single orders and gift sets) is below its first count of 500.
  const mug = pushed.find((row) => row.variantId === 'demo-mug');
  expect(mug?.quantity).toBeLessThan(500);
  // on hand − reserved = available, and on hand fell by exactly what was shipped.
  const fos = await listFulfillmentOrders(demo.token, demo.shopId);
  const shippedUnits = new Map<string, number>();
  for (const fo of fos.filter((fo) => fo.status === 'shipped')) {
    for (const line of fo.lines) {
      shippedUnits.set(line.skuCode, (shippedUnits.get(line.skuCode) ?? 0) + line.quantity);
    }
  }
  for (const row of inventory.items) {
    expect({ sku: row.skuCode, onHand: row.onHand }).toEqual({
      sku: row.skuCode,
      onHand: 500 - (shippedUnits.get(row.skuCode) ?? 0),
    });
    expect(row.available).toBe(row.onHand - row.reserved);
  }
});

it('the cancelled order was stopped before the warehouse shipped it', async () => {
  const canceled = demo.canceledOrder ?? '';
  expect(canceled).not.toBe('');
  expect(demo.shipments.some((shipment) => shipment.orderNumber === canceled)).toBe(false);
  const page = await get<FulfillmentOrderPageView>(
    `${API}/fulfillment-orders?shopId=${demo.shopId}&orderNumber=${canceled}`,
    demo.token,
  );
  expect(page.items.length).toBeGreaterThan(0);
  expect(page.items.map((fo) => fo.status)).toEqual(page.items.map(() => 'canceled'));
  expect(eventsOf('shipment.canceled', demo.simShop).map(orderNumberOf)).toContain(canceled);
});

it('a shipped fulfillment order shows Rakuten’s answer to its report', async () => {
  const shipment = demo.shipments[0];
  const detail = await expectEventually(
    async () => {
      const fo = await get<FulfillmentOrderDetailView>(
        `${API}/fulfillment-orders/${shipment.fulfillmentOrderId}`,
        demo.token,
      );
      expect(fo.rakutenReport).toMatchObject({ state: 'reported' });
      return fo.rakutenReport as RakutenReportView;
    },
    { timeoutMs: 30_000, intervalMs: 1000 },
  );
  expect(detail.trackingNumbers).toEqual(shipment.trackingNumbers);
  const timeline = await get<{ entries: TimelineEntry[] }>(
    `${API}/orders/${shipment.orderNumber}`,
    demo.token,
  );
  const steps = timeline.entries.map((entry) => entry.step);
  for (const step of ['pulled', 'mapped', 'dispatched', 'shipped', 'reported']) {
    expect(steps).toContain(step);
  }
});
