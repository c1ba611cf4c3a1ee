import 'reflect-metadata';

import { SecretBox } from '@smartship/crypto';
import { Client } from 'pg';
import {
  expectEventually,
  ServiceProcess,
  SIM_CATALOG,
  testInfrastructure,
  testKafka,
  TopicCollector,
  uniqueSuffix,
} from '@smartship/testing';

/**
 * From a seller's registered shop to the warehouse: the shop is registered through the gateway,
 * the seller presses "pull now", and every order waiting for shipment in the simulator becomes
 * exactly one order.pulled and one shipment.ready per package — all services as processes.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'p'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('pull1');
const SIM = 'http://127.0.0.1:17200';
const API = 'http://127.0.0.1:17000/api/v1';
const SIM_SHOP = '3001';
const SECRET = `SPpull${run}`;
const LICENSE = `SLpull${run}0042`;

const backend = {
  NODE_ENV: 'test',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  MASTER_KEYS,
  RAKUTEN_BASE_URL: SIM,
};
const processes = [
  new ServiceProcess({ app: 'rakuten-sim', httpPort: 17200, env: { NODE_ENV: 'test' } }),
  new ServiceProcess({
    app: 'credentials',
    httpPort: 17101,
    env: { ...backend, TCP_PORT: '18101' },
  }),
  new ServiceProcess({
    app: 'ingestion',
    httpPort: 17102,
    // Rakuten's limit is 1 request/s; the simulator here allows more so the test stays short.
    env: { ...backend, TCP_PORT: '18102', RAKUTEN_ORDER_RPS: '20', POLL_INTERVAL_MS: '3600000' },
  }),
  new ServiceProcess({ app: 'mapping', httpPort: 17103, env: { ...backend, TCP_PORT: '18103' } }),
  new ServiceProcess({
    app: 'fulfillment',
    httpPort: 17104,
    env: { ...backend, TCP_PORT: '18104' },
  }),
];
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 17000,
  env: {
    ...backend,
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: '127.0.0.1:18101',
    INGESTION_TCP: '127.0.0.1:18102',
    MAPPING_TCP: '127.0.0.1:18103',
    FULFILLMENT_TCP: '127.0.0.1:18104',
  },
});

let collector: TopicCollector;

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

beforeAll(async () => {
  await Promise.all(processes.map((process) => process.start()));
  await gateway.start();
  collector = await new TopicCollector(testKafka(infra.kafkaBrokers), [
    'order.pulled',
    'shipment.ready',
  ]).start();
});

afterAll(async () => {
  await collector?.stop();
  await gateway.stop();
  await Promise.all(processes.map((process) => process.stop()));
});

it('a manual pull brings every waiting order to the warehouse exactly once', async () => {
  await http('POST', `${SIM}/__sim/shops`, {
    shopId: SIM_SHOP,
    serviceSecret: SECRET,
    licenseKey: LICENSE,
  });
  const generated = await http<unknown>('POST', `${SIM}/__sim/shops/${SIM_SHOP}/orders/generate`, {
    count: 300,
    seed: 7,
    progress: { '300': 2, '100': 1, '500': 1 },
  });
  expect(generated.status).toBe(201);

  const tenant = await http<{ token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `pull-${run}` },
    OPERATOR_TOKEN,
  );
  const token = tenant.body.token.token;
  const registered = await http<{ shop: { id: string }; connectionTest: { code: string } }>(
    'POST',
    `${API}/shops/rakuten`,
    {
      shopId: `pull-${run}`,
      shopUrl: `https://www.rakuten.ne.jp/pull-${run}`,
      serviceSecret: SECRET,
      licenseKey: LICENSE,
      options: { autoOrderSync: false, autoFulfillmentDispatch: true },
    },
    token,
  );
  expect(registered.status).toBe(201);
  expect(registered.body.connectionTest.code).toBe('OK');
  const shopId = registered.body.shop.id;
  for (const sku of SIM_CATALOG) {
    const created = await http('POST', `${API}/skus`, sku, token);
    expect(created.status).toBe(201);
  }

  // Pulled at once: the gateway waits for ingestion to learn of the shop (never a false 404).
  const answer = await http<{ complete: boolean; new: number; searched: number }>(
    'POST',
    `${API}/shops/${shopId}/pull`,
    undefined,
    token,
  );
  expect(answer.status).toBe(200);
  const pull = answer.body;
  expect(pull.complete).toBe(true);
  expect(pull.searched).toBeGreaterThan(0);
  expect(pull.new).toBe(pull.searched);

  const ours = (topic: string) =>
    collector
      .on(topic)
      .filter((message) => message.key?.startsWith(`${shopId}:`))
      .map((message) => message.key!.slice(shopId.length + 1));
  // Fulfillment holds orders whose SKUs have no stock (awaiting_stock): the warehouse counts in
  // stock for every SKU they wait for, and they go to the warehouse by themselves.
  const stocked = new Set<string>();
  await expectEventually(
    async () => {
      const held = await http<{ items: { hold: { shortLines: { skuCode: string }[] } }[] }>(
        'GET',
        `${API}/fulfillment-orders?shopId=${shopId}&status=awaiting_stock&limit=200`,
        undefined,
        token,
      );
      expect(held.status).toBe(200);
      for (const item of held.body.items) {
        for (const { skuCode } of item.hold.shortLines.filter((l) => !stocked.has(l.skuCode))) {
          const put = await http(
            'PUT',
            `${API}/inventory/${encodeURIComponent(skuCode)}`,
            { onHand: 100_000 },
            token,
          );
          expect(put.status).toBe(200);
          stocked.add(skuCode);
        }
      }
      expect(new Set(ours('shipment.ready')).size).toBe(pull.new);
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );

  // One order's timeline, assembled by the gateway from ingestion, mapping and fulfillment.
  const oneOrder = ours('shipment.ready')[0];
  const timeline = await http<{
    entries: { service: string; step: string }[];
    unavailable: string[];
  }>('GET', `${API}/orders/${oneOrder}`, undefined, token);
  expect(timeline.status).toBe(200);
  expect(timeline.body.unavailable).toEqual([]);
  expect(timeline.body.entries.map((entry) => `${entry.service}:${entry.step}`)).toEqual(
    expect.arrayContaining(['ingestion:pulled', 'mapping:mapped', 'fulfillment:dispatched']),
  );
  expect(
    (await http('GET', `${API}/orders/000000-00000000-0000000000`, undefined, token)).status,
  ).toBe(404);

  // A second pull finds nothing new and publishes nothing again.
  const again = await http<{ new: number; alreadyKnown: number }>(
    'POST',
    `${API}/shops/${shopId}/pull`,
    undefined,
    token,
  );
  expect(again.body).toMatchObject({ new: 0, alreadyKnown: pull.new });
  // The pull has answered, so what it wrote is in ingestion's outbox (rows stay 24 h): each
  // order once, nothing from the second pull.
  const db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  try {
    const written = await db.query<{ n: number; keys: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT message_key)::int AS keys
         FROM ingestion.outbox WHERE topic = 'order.pulled' AND message_key LIKE $1`,
      [`${shopId}:%`],
    );
    expect(written.rows[0]).toEqual({ n: pull.new, keys: pull.new });
  } finally {
    await db.end();
  }
  const pulled = ours('order.pulled');
  expect(pulled).toHaveLength(pull.new);
  expect(new Set(pulled).size).toBe(pull.new);
});

it('Rakuten refusing the keys during a pull marks the shop needs_reauth, through shop.alert', async () => {
  const tenant = await http<{ token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `reauth-${run}` },
    OPERATOR_TOKEN,
  );
  const token = tenant.body.token.token;
  await http('POST', `${SIM}/__sim/shops`, {
    shopId: '3002',
    serviceSecret: `${SECRET}b`,
    licenseKey: `${LICENSE}b`,
  });
  const registered = await http<{ shop: { id: string } }>(
    'POST',
    `${API}/shops/rakuten`,
    {
      shopId: `reauth-${run}`,
      shopUrl: `https://www.rakuten.ne.jp/reauth-${run}`,
      serviceSecret: `${SECRET}b`,
      licenseKey: `${LICENSE}b`,
      options: { autoOrderSync: false },
    },
    token,
  );
  const shopId = registered.body.shop.id;
  for (const sku of SIM_CATALOG) {
    const created = await http('POST', `${API}/skus`, sku, token);
    expect(created.status).toBe(201);
  }
  // The seller reissued the key in RMS: the stored one stops working.
  await http('POST', `${SIM}/__sim/shops/3002/keys`, {
    serviceSecret: 'SPreissued',
    licenseKey: 'SLreissued-7777',
    revokeOthers: true,
  });
  const pull = await expectEventually(
    async () => {
      const answer = await http<{ complete: boolean; error: { code: string } | null }>(
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
  expect(pull.complete).toBe(false);
  expect(pull.error?.code).toBe('AUTH_FAILED');
  await expectEventually(
    async () => {
      const shop = await http<{ status: string }>(
        'GET',
        `${API}/shops/${shopId}`,
        undefined,
        token,
      );
      expect(shop.body.status).toBe('needs_reauth');
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
});

it('a shop registered a moment ago answers every call about it at once: no false 404', async () => {
  const tenant = await http<{ token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `fresh-${run}` },
    OPERATOR_TOKEN,
  );
  const token = tenant.body.token.token;
  await http('POST', `${SIM}/__sim/shops`, {
    shopId: '3003',
    serviceSecret: `${SECRET}c`,
    licenseKey: `${LICENSE}c`,
  });
  const registered = await http<{ shop: { id: string } }>(
    'POST',
    `${API}/shops/rakuten`,
    {
      shopId: `fresh-${run}`,
      shopUrl: `https://www.rakuten.ne.jp/fresh-${run}`,
      serviceSecret: `${SECRET}c`,
      licenseKey: `${LICENSE}c`,
      options: { autoOrderSync: false },
    },
    token,
  );
  expect(registered.status).toBe(201);
  const shopId = registered.body.shop.id;
  // Each call about the new shop, made the moment the registration answered.
  const calls: [string, string][] = [
    ['POST', 'pull'],
    ['GET', 'last-pull'],
    ['GET', 'backfills'],
    ['GET', 'listings/import'],
    ['GET', 'stock-drift'],
  ];
  const answers = await Promise.all(
    calls.map(([method, path]) =>
      http<{ code?: string }>(method, `${API}/shops/${shopId}/${path}`, undefined, token),
    ),
  );
  expect(answers.map((a, i) => `${calls[i].join(' ')} ${a.status}`)).toEqual(
    calls.map((call) => `${call.join(' ')} 200`),
  );
  // A shop that does not exist is still a 404 (credentials says so), and another tenant's too.
  const unknown = await http<{ code: string }>(
    'POST',
    `${API}/shops/00000000-0000-4000-8000-000000000000/pull`,
    undefined,
    token,
  );
  expect(unknown.status).toBe(404);
  const other = await http<{ token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `fresh-other-${run}` },
    OPERATOR_TOKEN,
  );
  const foreign = await http(
    'GET',
    `${API}/shops/${shopId}/last-pull`,
    undefined,
    other.body.token.token,
  );
  expect(foreign.status).toBe(404);
});
