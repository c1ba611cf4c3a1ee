import 'reflect-metadata';

import { SecretBox } from '@smartship/crypto';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import { Pool } from 'pg';

/**
 * A seller's backlog through the gateway API, every service a process: a shop registered with its
 * own poll interval, a backfill over 200 days started with `POST /shops/:id/backfill`, followed
 * with `GET /shops/:id/backfills` until done, while the shop's regular polls run beside it. Every
 * order waiting for shipment (300) in the simulator is published as order.pulled exactly once.
 * Ports 29000–29214 (docs/running-tests.md).
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'b'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('backfill1');
const SIM = 'http://127.0.0.1:29200';
const API = 'http://127.0.0.1:29000/api/v1';
const SIM_SHOP = '3901';
const SECRET = `SPbackfill${run}`;
const LICENSE = `SLbackfill${run}0042`;
const DAY = 86_400_000;
/** Rakuten's rate per key here: the simulator refuses more, so a backfill takes a few seconds. */
const RPS = 4;

const backend = {
  NODE_ENV: 'test',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  MASTER_KEYS,
  RAKUTEN_BASE_URL: SIM,
};
const processes = [
  new ServiceProcess({ app: 'rakuten-sim', httpPort: 29200, env: { NODE_ENV: 'test' } }),
  new ServiceProcess({
    app: 'credentials',
    httpPort: 29101,
    env: { ...backend, TCP_PORT: '29111' },
  }),
  new ServiceProcess({
    app: 'ingestion',
    httpPort: 29102,
    env: {
      ...backend,
      TCP_PORT: '29112',
      RAKUTEN_ORDER_RPS: String(RPS),
      SEARCH_PAGE_SIZE: '100',
      POLL_INTERVAL_MS: '60000',
    },
  }),
  new ServiceProcess({ app: 'mapping', httpPort: 29103, env: { ...backend, TCP_PORT: '29113' } }),
  new ServiceProcess({
    app: 'fulfillment',
    httpPort: 29104,
    env: { ...backend, TCP_PORT: '29114' },
  }),
];
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 29000,
  env: {
    ...backend,
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: '127.0.0.1:29111',
    INGESTION_TCP: '127.0.0.1:29112',
    MAPPING_TCP: '127.0.0.1:29113',
    FULFILLMENT_TCP: '127.0.0.1:29114',
  },
});

let collector: TopicCollector;
let db: Pool;

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
  collector = await new TopicCollector(testKafka(infra.kafkaBrokers), ['order.pulled']).start();
  db = new Pool({ connectionString: infra.databaseUrl, max: 2 });
});

afterAll(async () => {
  await collector?.stop();
  await db?.end();
  await gateway.stop();
  await Promise.all(processes.map((process) => process.stop()));
});

interface Backfill {
  id: string;
  kind: string;
  state: string;
  windows: { done: number; total: number };
  orders: { found: number; published: number; alreadyKnown: number; failed: number };
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

it('a backfill over 200 days pulls every 発送待ち order exactly once', async () => {
  await http('POST', `${SIM}/__sim/shops`, {
    shopId: SIM_SHOP,
    serviceSecret: SECRET,
    licenseKey: LICENSE,
    rateLimits: { order: RPS },
  });
  const generated = await http('POST', `${SIM}/__sim/shops/${SIM_SHOP}/orders/generate`, {
    count: 400,
    seed: 18,
    progress: { '300': 3, '100': 1, '500': 1, '900': 1 },
    from: new Date(Date.now() - 199 * DAY).toISOString(),
    to: new Date().toISOString(),
  });
  expect(generated.status).toBe(201);

  const tenant = await http<{ token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `backfill-${run}` },
    OPERATOR_TOKEN,
  );
  const token = tenant.body.token.token;
  const registered = await http<{
    shop: { id: string; options: Record<string, unknown> };
    connectionTest: { code: string };
  }>(
    'POST',
    `${API}/shops/rakuten`,
    {
      shopId: `backfill-${run}`,
      shopUrl: `https://www.rakuten.ne.jp/backfill-${run}`,
      serviceSecret: SECRET,
      licenseKey: LICENSE,
      // Polled every minute on its own schedule while the backfill runs.
      options: { autoOrderSync: true, pollIntervalMinutes: 1 },
    },
    token,
  );
  expect(registered.status).toBe(201);
  expect(registered.body.connectionTest.code).toBe('OK');
  expect(registered.body.shop.options).toMatchObject({
    autoOrderSync: true,
    pollIntervalMinutes: 1,
  });
  const shopId = registered.body.shop.id;

  // Bad input: a 400 naming the field; nothing is started.
  const tooOld = await http<{ code: string; details: { field: string }[] }>(
    'POST',
    `${API}/shops/${shopId}/backfill`,
    { from: '2001-01-01', to: new Date().toISOString() },
    token,
  );
  expect(tooOld.status).toBe(400);
  expect(tooOld.body.details.map((d) => d.field)).toEqual(['from']);

  // Ingestion learns the shop from shop.updated; until then the backfill answers 404.
  const from = new Date(Date.now() - 200 * DAY).toISOString();
  const started = await expectEventually(
    async () => {
      const answer = await http<Backfill>(
        'POST',
        `${API}/shops/${shopId}/backfill`,
        { from, to: new Date().toISOString() },
        token,
      );
      expect(answer.status).toBe(202);
      return answer.body;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  expect(started).toMatchObject({ kind: 'backfill', state: 'running', windows: { total: 4 } });

  // One at a time: a second is a 409 naming the first.
  const second = await http<{ code: string; message: string; details: { backfillId: string } }>(
    'POST',
    `${API}/shops/${shopId}/backfill`,
    { from, to: new Date().toISOString() },
    token,
  );
  expect(second.status).toBe(409);
  expect(second.body.code).toBe('BACKFILL_RUNNING');
  expect(second.body.details.backfillId).toBe(started.id);

  const done = await expectEventually(
    async () => {
      const list = await http<{ items: Backfill[] }>(
        'GET',
        `${API}/shops/${shopId}/backfills`,
        undefined,
        token,
      );
      expect(list.status).toBe(200);
      const item = list.body.items.find((b) => b.id === started.id);
      expect(item?.state).toBe('done');
      return item as Backfill;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  expect(done.windows).toEqual({ done: 4, total: 4 });
  expect(done.error).toBeNull();
  expect(done.finishedAt).not.toBeNull();

  const waiting = (
    await http<{ orderNumber: string }[]>(
      'GET',
      `${SIM}/__sim/shops/${SIM_SHOP}/orders?progress=300`,
    )
  ).body.map((order) => order.orderNumber);
  expect(waiting.length).toBeGreaterThan(150);
  // The backfill published what the polls had not pulled already; together, each order once.
  expect(done.orders.published + done.orders.alreadyKnown).toBe(waiting.length);

  // Everything ingestion recorded for the shop is published; then no more events can come.
  const recorded = await expectEventually(async () => {
    const { rows } = await db.query<{ total: string; pending: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE published_at IS NULL) AS pending
         FROM ingestion.outbox WHERE topic = 'order.pulled' AND message_key LIKE $1`,
      [`${shopId}:%`],
    );
    expect(Number(rows[0].pending)).toBe(0);
    return Number(rows[0].total);
  });
  const pulled = () =>
    collector
      .on('order.pulled')
      .filter((message) => message.key?.startsWith(`${shopId}:`))
      .map((message) => (message.key ?? '').slice(shopId.length + 1));
  await expectEventually(() => expect(pulled()).toHaveLength(recorded), { timeoutMs: 30_000 });
  expect(recorded).toBe(waiting.length);
  expect(new Set(pulled()).size).toBe(waiting.length);
  expect([...pulled()].sort()).toEqual([...waiting].sort());

  // Rakuten's rate was kept throughout: the simulator refused no call of the shop.
  const calls = await http<{ status: number }[]>('GET', `${SIM}/__sim/calls?shopId=${SIM_SHOP}`);
  expect(calls.body.filter((call) => call.status === 429)).toEqual([]);

  // The start is in the audit log.
  const audit = await http<{ items: { action: string; details: { backfillId?: string } }[] }>(
    'GET',
    `${API}/audit-log`,
    undefined,
    token,
  );
  expect(audit.body.items.find((entry) => entry.action === 'shop.backfill_started')).toMatchObject({
    details: { backfillId: started.id },
  });
});
