import 'reflect-metadata';

import {
  decodeEvent,
  type FulfillmentOrderView,
  type ShipmentReadyDataV2,
} from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import {
  expectEventually,
  pdfText,
  readPdf,
  ServiceProcess,
  SIM_CATALOG,
  testInfrastructure,
  testKafka,
  TopicCollector,
  uniqueSuffix,
} from '@smartship/testing';

/**
 * What the warehouse gets for orders as Rakuten sends them, all services as processes: cash on
 * delivery with the amount the simulator bills, remarks / wrapping / のし on shipment.ready v2 and
 * on the packing slip, a split order shipped in two parts with each tracking number reported to
 * Rakuten once, an order recorded without priceTaxIncl, and a COD order whose amount Rakuten has
 * not fixed held for a person.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'w'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('wh1');
const SIM = 'http://127.0.0.1:25200';
const API = 'http://127.0.0.1:25000/api/v1';
const SIM_SHOP = '4001';
const SECRET = `SPwh${run}`;
const LICENSE = `SLwh${run}0042`;

const backend = {
  NODE_ENV: 'test',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  MASTER_KEYS,
  RAKUTEN_BASE_URL: SIM,
};
const processes = [
  new ServiceProcess({ app: 'rakuten-sim', httpPort: 25200, env: { NODE_ENV: 'test' } }),
  new ServiceProcess({
    app: 'credentials',
    httpPort: 25101,
    env: { ...backend, TCP_PORT: '25111' },
  }),
  new ServiceProcess({
    app: 'ingestion',
    httpPort: 25102,
    env: { ...backend, TCP_PORT: '25112', RAKUTEN_ORDER_RPS: '20', POLL_INTERVAL_MS: '3600000' },
  }),
  new ServiceProcess({ app: 'mapping', httpPort: 25103, env: { ...backend, TCP_PORT: '25113' } }),
  new ServiceProcess({
    app: 'fulfillment',
    httpPort: 25104,
    env: { ...backend, TCP_PORT: '25114' },
  }),
];
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 25000,
  env: {
    ...backend,
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: '127.0.0.1:25111',
    INGESTION_TCP: '127.0.0.1:25112',
    MAPPING_TCP: '127.0.0.1:25113',
    FULFILLMENT_TCP: '127.0.0.1:25114',
  },
});

async function http<T>(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

interface SimOrderSummary {
  orderNumber: string;
  cashOnDelivery: boolean;
  requestPrice: number | null;
  packages: {
    basketId: number;
    shipping: { deliveryCompany: string; shippingNumber: string }[];
  }[];
}

interface SimShippingReport {
  orderNumber: string;
  basketId: number;
  action: 'added' | 'updated' | 'deleted';
  shippingNumber: string | null;
}

let collector: TopicCollector;
let token: string;
let otherToken: string;
let shopId: string;
/** The simulator's order number of each case. */
const orders: Record<'cod' | 'gift' | 'split' | 'legacy' | 'unfixed', string> = {
  cod: '',
  gift: '',
  split: '',
  legacy: '',
  unfixed: '',
};

/**
 * shipment.ready payloads of this run's shop, by order number (a split order has two). The
 * simulator numbers orders the same way in every run, so the key's shop id tells them apart.
 */
function readyEvents(orderNumber: string): { version: number; data: ShipmentReadyDataV2 }[] {
  const ours = collector
    .on('shipment.ready')
    .filter((message) => message.key === `${shopId}:${orderNumber}`);
  return ours.flatMap((message) => {
    const decoded = decodeEvent(message.value ?? '');
    if (!decoded.ok || decoded.event.type !== 'shipment.ready') return [];
    const raw = JSON.parse(message.value ?? '{}') as {
      version: number;
      data: ShipmentReadyDataV2;
    };
    return [raw];
  });
}

async function fulfillmentOrders(orderNumber: string): Promise<FulfillmentOrderView[]> {
  const list = await http<{ items: FulfillmentOrderView[] }>(
    'GET',
    `${API}/fulfillment-orders?shopId=${shopId}&orderNumber=${orderNumber}&limit=50`,
    undefined,
    token,
  );
  expect(list.status).toBe(200);
  return list.body.items;
}

/** A date some days ahead in Japan, YYYY-MM-DD. */
function jstDate(daysAhead: number): string {
  return new Date(Date.now() + 9 * 3_600_000 + daysAhead * 86_400_000).toISOString().slice(0, 10);
}

const REMARK = 'ドアの前に置いてください <script>alert("x")</script> & ありがとう';
const DELIVERY_DATE = jstDate(5);

beforeAll(async () => {
  await Promise.all(processes.map((process) => process.start()));
  await gateway.start();
  collector = await new TopicCollector(testKafka(infra.kafkaBrokers), ['shipment.ready']).start();

  await http('POST', `${SIM}/__sim/shops`, {
    shopId: SIM_SHOP,
    serviceSecret: SECRET,
    licenseKey: LICENSE,
  });
  const tenant = await http<{ token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `warehouse-${run}` },
    OPERATOR_TOKEN,
  );
  token = tenant.body.token.token;
  const other = await http<{ token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `warehouse-other-${run}` },
    OPERATOR_TOKEN,
  );
  otherToken = other.body.token.token;

  const registered = await http<{ shop: { id: string }; connectionTest: { code: string } }>(
    'POST',
    `${API}/shops/rakuten`,
    {
      shopId: `wh-${run}`,
      shopUrl: `https://www.rakuten.ne.jp/wh-${run}`,
      serviceSecret: SECRET,
      licenseKey: LICENSE,
      options: { autoOrderSync: false, autoFulfillmentDispatch: true },
    },
    token,
  );
  expect(registered.status).toBe(201);
  shopId = registered.body.shop.id;
  for (const sku of SIM_CATALOG) {
    expect((await http('POST', `${API}/skus`, sku, token)).status).toBe(201);
  }
  expect((await http('PUT', `${API}/inventory/MUG-002`, { onHand: 100 }, token)).status).toBe(200);
  expect((await http('PUT', `${API}/inventory/RICE-005`, { onHand: 0 }, token)).status).toBe(200);
}, 300_000);

afterAll(async () => {
  await collector?.stop();
  await gateway.stop();
  await Promise.all(processes.map((process) => process.stop()));
});

it('fulfillment settings: a bad sender is refused naming the field, a good one is kept', async () => {
  const url = `${API}/shops/${shopId}/fulfillment-settings`;
  const bad = await http<{ code: string; details: { field: string }[] }>(
    'PUT',
    url,
    { splitPolicy: 'ship_available', sender: { name: 'スマートシップ商店', zipCode: '1500001' } },
    token,
  );
  expect(bad.status).toBe(400);
  expect(bad.body.details.map((detail) => detail.field)).toContain('sender.zipCode');
  // Nothing stored: the shop still holds whole packages and names no sender.
  const unchanged = await http<{ splitPolicy: string; sender: unknown }>(
    'GET',
    url,
    undefined,
    token,
  );
  expect(unchanged.body).toMatchObject({ splitPolicy: 'hold', sender: null });

  const sender = {
    name: 'スマートシップ商店',
    zipCode: '150-0001',
    prefecture: '東京都',
    city: '渋谷区神宮前',
    subAddress: '1-2-3',
    phone: '03-1234-5678',
    message: 'この度はお買い上げありがとうございます',
  };
  const good = await http('PUT', url, { splitPolicy: 'ship_available', sender }, token);
  expect(good.status).toBe(200);
  const kept = await http<{ splitPolicy: string; sender: unknown }>('GET', url, undefined, token);
  expect(kept.body).toMatchObject({ splitPolicy: 'ship_available', sender });
  // Another tenant cannot read or change them.
  expect((await http('GET', url, undefined, otherToken)).status).toBe(404);
});

it('orders as Rakuten sends them reach the warehouse with what it needs', async () => {
  const add = async (spec: object): Promise<string> => {
    const added = await http<{ orderNumber: string }>(
      'POST',
      `${SIM}/__sim/shops/${SIM_SHOP}/orders`,
      { progress: 300, ...spec },
      undefined,
    );
    expect(added.status).toBe(201);
    return added.body.orderNumber;
  };
  orders.cod = await add({
    lines: [{ manageNumber: 'mug-002', units: 2 }],
    cashOnDelivery: true,
    usedPoints: 100,
  });
  orders.gift = await add({
    lines: [{ manageNumber: 'mug-002' }],
    gift: true,
    wrappings: [
      { kind: 'paper', name: '包装紙（和柄）', price: 220 },
      { kind: 'ribbon', name: '赤リボン', price: 110 },
    ],
    noshi: '御歳暮 山田',
    requestedDelivery: { date: DELIVERY_DATE, time: '14:00～16:00' },
    remarksText: REMARK,
  });
  orders.split = await add({
    lines: [{ manageNumber: 'mug-002' }, { manageNumber: 'rice-005' }],
  });
  orders.legacy = await add({
    lines: [{ manageNumber: 'mug-002' }],
    legacyItems: true,
    serialDigits: 8,
  });
  orders.unfixed = await add({
    lines: [{ manageNumber: 'mug-002' }],
    cashOnDelivery: true,
    amountsFixed: false,
  });
  expect(orders.legacy).toMatch(/^\d+-\d{8}-\d{8}$/);

  // Ingestion learns the shop from shop.updated; until then the pull answers 404.
  const pull = await expectEventually(
    async () => {
      const answer = await http<{ complete: boolean; new: number }>(
        'POST',
        `${API}/shops/${shopId}/pull`,
        undefined,
        token,
      );
      expect(answer.status).toBe(200);
      return answer.body;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  expect(pull).toMatchObject({ complete: true, new: 5 });

  await expectEventually(
    async () => {
      for (const name of ['cod', 'gift', 'split', 'legacy'] as const) {
        expect(readyEvents(orders[name]).length).toBeGreaterThan(0);
      }
      const [held] = await fulfillmentOrders(orders.unfixed);
      expect(held?.hold?.code).toBe('cod_amount_unfixed');
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  const sim = await http<SimOrderSummary[]>('GET', `${SIM}/__sim/shops/${SIM_SHOP}/orders`);
  const simOrder = (orderNumber: string): SimOrderSummary =>
    sim.body.find((order) => order.orderNumber === orderNumber)!;

  // Cash on delivery: the carrier collects what Rakuten bills the buyer.
  const [cod] = readyEvents(orders.cod);
  expect(cod.version).toBe(2);
  expect(simOrder(orders.cod).requestPrice).toBeGreaterThan(0);
  expect(cod.data.payment).toMatchObject({
    cashOnDelivery: true,
    settlementMethodCode: 2,
    amountToCollect: simOrder(orders.cod).requestPrice,
  });
  expect(cod.data.totals.usedPoints).toBe(100);
  expect(cod.data.part.kind).toBe('whole');

  // Remarks, the requested delivery parsed from them, wrapping and のし; the shop as sender.
  const [gift] = readyEvents(orders.gift);
  expect(gift.data.remarks).toContain(REMARK);
  expect(gift.data.delivery.fromRemarks).toMatchObject({ date: DELIVERY_DATE });
  expect(gift.data.gift).toMatchObject({
    requested: true,
    noshi: '御歳暮 山田',
    wrappings: [
      expect.objectContaining({ kind: 'paper', name: '包装紙（和柄）', price: 220 }),
      expect.objectContaining({ kind: 'ribbon', name: '赤リボン', price: 110 }),
    ],
  });
  expect(gift.data.sender.name).toBe('スマートシップ商店');
  expect(gift.data.payment.amountToCollect).toBe(0);
  expect(gift.data.items[0]).toMatchObject({ manageNumber: 'mug-002', units: 1 });
  expect(gift.data.items[0].unitPrice).toBeGreaterThan(0);

  // An order recorded without priceTaxIncl is published, priced from `price`.
  const [legacy] = readyEvents(orders.legacy);
  expect(legacy.data.items[0].unitPrice).toBeGreaterThan(0);
  expect(legacy.data.items[0].taxRate).toBeNull();

  // Rakuten has not fixed the postage: the COD amount is unknown, so nothing goes out.
  expect(readyEvents(orders.unfixed)).toEqual([]);
  const [unfixed] = await fulfillmentOrders(orders.unfixed);
  expect(unfixed.status).toBe('awaiting_release');
  const release = await http<{ code: string }>(
    'POST',
    `${API}/fulfillment-orders/${unfixed.id}/release`,
    undefined,
    token,
  );
  expect(release.status).toBe(409);
  expect(release.body.code).toBe('COD_AMOUNT_UNFIXED');
});

it('the packing slip prints the gift order for its tenant only', async () => {
  const [fo] = await fulfillmentOrders(orders.gift);
  const url = `${API}/fulfillment-orders/${fo.id}/packing-slip.pdf`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/pdf');
  const pdf = readPdf(Buffer.from(await response.arrayBuffer()));
  // A4 in points.
  expect(Math.round(pdf.pages[0].width)).toBe(595);
  expect(Math.round(pdf.pages[0].height)).toBe(842);
  const text = pdfText(pdf);
  const squeeze = (value: string): string => value.replace(/\s+/g, '');
  for (const expected of [
    '納品書',
    'スマートシップ商店',
    '有田焼マグカップ300ml',
    '包装紙（和柄）',
    '赤リボン',
    '御歳暮山田',
    // The buyer's remark printed as text, the markup literally.
    squeeze(REMARK),
  ]) {
    expect(text).toContain(expected);
  }

  const foreign = await fetch(url, { headers: { authorization: `Bearer ${otherToken}` } });
  expect(foreign.status).toBe(404);
});

it('a split order ships in two parts, each tracking number reported to Rakuten once', async () => {
  const [inStock] = readyEvents(orders.split);
  expect(inStock.data.part.kind).toBe('in_stock');
  expect(inStock.data.lines.map((line) => line.skuCode)).toEqual(['MUG-002']);
  const backOrderId = inStock.data.part.otherFulfillmentOrderId!;
  expect(backOrderId).toBeTruthy();
  const waiting = (await fulfillmentOrders(orders.split)).find((fo) => fo.id === backOrderId)!;
  expect(waiting.status).toBe('awaiting_stock');
  expect(waiting.warehouse?.part.kind).toBe('back_order');

  // Rice arrives: the back order goes to the warehouse by itself.
  expect((await http('PUT', `${API}/inventory/RICE-005`, { onHand: 10 }, token)).status).toBe(200);
  const backOrder = await expectEventually(
    () => {
      const found = readyEvents(orders.split).find(
        (event) => event.data.fulfillmentOrderId === backOrderId,
      );
      expect(found).toBeDefined();
      return found!;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  expect(backOrder.data.part).toMatchObject({
    kind: 'back_order',
    otherFulfillmentOrderId: inStock.data.fulfillmentOrderId,
  });
  expect(backOrder.data.lines.map((line) => line.skuCode)).toEqual(['RICE-005']);
  expect(backOrder.data.shopRef.basketId).toBe(inStock.data.shopRef.basketId);

  const tracking = { [inStock.data.fulfillmentOrderId]: `WH${run}01`, [backOrderId]: `WH${run}02` };
  for (const [id, number] of Object.entries(tracking)) {
    const shipped = await http(
      'POST',
      `${API}/fulfillment-orders/${id}/ship`,
      { carrierCode: '1001', trackingNumbers: [number], shippingDate: jstDate(0) },
      token,
    );
    expect(shipped.status).toBe(200);
  }

  const numbers = Object.values(tracking);
  await expectEventually(
    async () => {
      const sim = await http<SimOrderSummary[]>('GET', `${SIM}/__sim/shops/${SIM_SHOP}/orders`);
      const order = sim.body.find((candidate) => candidate.orderNumber === orders.split)!;
      expect(order.packages).toHaveLength(1);
      expect(order.packages[0].shipping.map((record) => record.shippingNumber).sort()).toEqual(
        numbers,
      );
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  // Each number was added once, none sent again with the other part.
  const reports = await http<SimShippingReport[]>(
    'GET',
    `${SIM}/__sim/shops/${SIM_SHOP}/shipping-reports`,
  );
  const added = reports.body
    .filter((report) => report.orderNumber === orders.split && report.action === 'added')
    .map((report) => report.shippingNumber)
    .sort();
  expect(added).toEqual(numbers);
  // Both parts are shipped and reported.
  await expectEventually(
    async () => {
      const parts = await fulfillmentOrders(orders.split);
      expect(parts.map((fo) => fo.status)).toEqual(['shipped', 'shipped']);
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
});
