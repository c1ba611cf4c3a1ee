/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   HTTP answers are untyped JSON here; the assertions are what checks their shape. */
import 'reflect-metadata';

import { readFileSync } from 'node:fs';

import { SecretBox } from '@smartship/crypto';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import fc from 'fast-check';
import { Client } from 'pg';

/**
 * Fuzz and abuse over the whole platform (issue 8), every service a process:
 *
 *  - property-based malformed requests (fast-check) on every gateway route that takes a body or
 *    a query, and on the `:id` parameters: never a 5xx, every 4xx names the field, and nothing
 *    is stored (every table of every service schema is the same before and after);
 *  - tenant isolation: a second tenant can neither see nor act on the first one's shops, SKUs,
 *    mapping rules, orders, fulfillment orders, stock, tokens or audit log;
 *  - secrets: no service secret, licence key or master key in any response, in any service's
 *    log output or in any Kafka event.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'f'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('fuzz1');
const MASTER_KEY = MASTER_KEYS.split(':')[1];
const SIM = 'http://127.0.0.1:28300';
const API = 'http://127.0.0.1:28310/api/v1';
const SIM_SHOP = '28301';
const SECRET = `SPfuzz${run}`;
const LICENSE = `SLfuzz${run}4242`;
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

const backend = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'debug',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  KAFKA_GROUP_SUFFIX: `.fuzz-${run}`,
  MASTER_KEYS,
  RAKUTEN_BASE_URL: SIM,
};
const processes = [
  new ServiceProcess({ app: 'rakuten-sim', httpPort: 28300, env: { NODE_ENV: 'test' } }),
  new ServiceProcess({
    app: 'credentials',
    httpPort: 28301,
    env: { ...backend, TCP_PORT: '28401', LICENSE_KEY_ACTIVATION_MINUTES: '0' },
  }),
  new ServiceProcess({
    app: 'ingestion',
    httpPort: 28302,
    env: { ...backend, TCP_PORT: '28402', RAKUTEN_ORDER_RPS: '20', POLL_INTERVAL_MS: '3600000' },
  }),
  new ServiceProcess({ app: 'mapping', httpPort: 28303, env: { ...backend, TCP_PORT: '28403' } }),
  new ServiceProcess({
    app: 'fulfillment',
    httpPort: 28304,
    env: { ...backend, TCP_PORT: '28404' },
  }),
];
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 28310,
  env: {
    ...backend,
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: '127.0.0.1:28401',
    INGESTION_TCP: '127.0.0.1:28402',
    MAPPING_TCP: '127.0.0.1:28403',
    FULFILLMENT_TCP: '127.0.0.1:28404',
    // Hundreds of requests of one tenant in seconds: the request limits would answer 429
    // (they are tested in apps/gateway/src/limits/rate-limits.int-spec.ts).
    RATE_LIMIT_API_PER_SECOND: '0',
    RATE_LIMIT_RAKUTEN_PER_MINUTE: '0',
    RATE_LIMIT_SHOP_REGISTRATIONS_PER_DAY: '0',
  },
});

/** Every response body the test saw, for the secrets check. */
const responses: string[] = [];

interface Answer {
  status: number;
  body: any;
}

async function call(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  options: { raw?: string; contentType?: string } = {},
): Promise<Answer> {
  const hasBody = body !== undefined || options.raw !== undefined;
  const response = await fetch(`${API}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(hasBody ? { 'content-type': options.contentType ?? 'application/json' } : {}),
    },
    body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  responses.push(text);
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the assertions say so
  }
  return { status: response.status, body: parsed };
}

async function simAdmin(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${SIM}/__sim${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`sim ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function tenant(name: string): Promise<{ id: string; token: string }> {
  const created = await call('POST', '/tenants', OPERATOR_TOKEN, { name });
  expect(created.status).toBe(201);
  return { id: created.body.tenant.id, token: created.body.token.token };
}

// ---- the first tenant's world: a shop, SKUs, stock, orders at the warehouse -------------------

const owner = {
  token: '',
  tenantId: '',
  shopId: '',
  skuId: '',
  ruleId: '',
  tokenId: '',
  foId: '',
  orderNumber: '',
  heldOrderNumber: '',
  heldItemDetailId: 0,
};
let db: Client;
let collector: TopicCollector;

beforeAll(async () => {
  // Generous: on a loaded two-core machine six processes take a while to boot.
  await Promise.all(processes.map((process) => process.start(180_000)));
  await gateway.start(180_000);
  collector = await new TopicCollector(testKafka(infra.kafkaBrokers), [
    'shop.updated',
    'order.pulled',
    'order.mapped',
    'shipment.ready',
    'inventory.changed',
    'listing.stock.changed',
  ]).start();
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();

  const a = await tenant(`fuzz-owner-${run}`);
  owner.token = a.token;
  owner.tenantId = a.id;
  await simAdmin('POST', '/shops', {
    shopId: SIM_SHOP,
    serviceSecret: SECRET,
    licenseKey: LICENSE,
  });
  const registered = await call('POST', '/shops/rakuten', owner.token, {
    shopId: `fuzz-${run}`.toLowerCase(),
    shopUrl: `https://www.rakuten.ne.jp/fuzz-${run}`.toLowerCase(),
    serviceSecret: SECRET,
    licenseKey: LICENSE,
    options: { autoOrderSync: false, autoOrderConfirm: false, autoFulfillmentDispatch: true },
  });
  expect(registered.status).toBe(201);
  owner.shopId = registered.body.shop.id;

  // The catalog covers the mug only: tee orders are held (needs_mapping), mug orders dispatched.
  const sku = await call('POST', '/skus', owner.token, {
    code: 'FUZZ-MUG',
    name: 'マグカップ',
    sellerCode: 'mug-002',
  });
  expect(sku.status).toBe(201);
  owner.skuId = sku.body.item.id;
  expect((await call('PUT', '/inventory/FUZZ-MUG', owner.token, { onHand: 1_000 })).status).toBe(
    200,
  );
  const rule = await call('POST', '/mappings', owner.token, {
    itemName: 'fuzz never matches this',
    optionText: '',
    skuCode: 'FUZZ-MUG',
  });
  expect(rule.status).toBe(201);
  owner.ruleId = rule.body.item.id;
  const issued = await call('POST', '/tokens', owner.token, { name: 'fuzz second token' });
  expect(issued.status).toBe(201);
  owner.tokenId = issued.body.id ?? issued.body.token?.id;

  await simAdmin('POST', `/shops/${SIM_SHOP}/orders/generate`, { count: 1 }); // default catalog
  for (const manageNumber of ['mug-002', 'mug-002', 'tee-001']) {
    await simAdmin('POST', `/shops/${SIM_SHOP}/orders`, {
      lines: [
        { manageNumber, ...(manageNumber === 'tee-001' ? { variantId: 'tee-001-m-bk' } : {}) },
      ],
      progress: 300,
    });
  }
  await expectEventually(
    async () => {
      const pulled = await call('POST', `/shops/${owner.shopId}/pull`, owner.token);
      expect(pulled.status).toBe(200);
    },
    // Ingestion knows the shop once it has read shop.updated: slow on a loaded machine.
    { timeoutMs: 180_000, intervalMs: 2_000 },
  );
  await expectEventually(
    async () => {
      const ready = await call('GET', '/fulfillment-orders?status=ready', owner.token);
      expect(ready.body.items.length).toBeGreaterThanOrEqual(2);
      owner.foId = ready.body.items[0].id;
      owner.orderNumber = ready.body.items[0].orderNumber;
      const held = await call('GET', '/orders?status=needs_mapping', owner.token);
      const items = Array.isArray(held.body) ? held.body : held.body.items;
      expect(items.length).toBeGreaterThanOrEqual(1);
      owner.heldOrderNumber = items[0].orderNumber;
      owner.heldItemDetailId = items[0].unmappedLines[0].itemDetailId;
    },
    { timeoutMs: 180_000, intervalMs: 2_000 },
  );
}, 480_000);

afterAll(async () => {
  await collector?.stop();
  await db?.end();
  await gateway.stop();
  await Promise.all(processes.map((process) => process.stop()));
});

// ---- "nothing stored": every table of every service schema, before and after -------------------

const SCHEMAS = ['gateway', 'credentials', 'ingestion', 'mapping', 'fulfillment'];
/** Columns rewritten by reads alone (a token's last use). */
const READ_TOUCHED = ['last_used_at'];

async function snapshot(): Promise<Map<string, string>> {
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
    [SCHEMAS],
  );
  const result = new Map<string, string>();
  for (const { schema, name } of tables.rows) {
    const strip = READ_TOUCHED.map((column) => ` - '${column}'`).join('');
    const row = await db.query<{ n: number; digest: string }>(
      `SELECT count(*)::int AS n,
              md5(coalesce(string_agg((to_jsonb(t)${strip})::text, '|' ORDER BY (to_jsonb(t)${strip})::text), '')) AS digest
         FROM "${schema}"."${name}" t`,
    );
    result.set(`${schema}.${name}`, `${row.rows[0].n}:${row.rows[0].digest}`);
  }
  return result;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((table) => before.get(table) !== after.get(table));
}

/**
 * A snapshot taken once the platform is quiet: events of the set-up (stock pushes, listing
 * updates) may still be flowing. Tables that keep changing on their own for 30 s are returned
 * as `volatile` and left out of the comparison (the business tables settle well before that).
 */
async function quietSnapshot(): Promise<{ snapshot: Map<string, string>; volatile: Set<string> }> {
  let previous = await snapshot();
  let volatile = new Set<string>();
  for (let i = 0; i < 15; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const next = await snapshot();
    volatile = new Set(changed(previous, next));
    previous = next;
    if (volatile.size === 0) break;
  }
  return { snapshot: previous, volatile };
}

/** Tables every malformed or foreign request must leave alone, whatever else is going on. */
const BUSINESS_TABLES = [
  'gateway.tenants',
  'gateway.api_tokens',
  'gateway.audit_log',
  'credentials.shops',
  'credentials.connection_tests',
  'mapping.skus',
  'mapping.sku_options',
  'mapping.mapping_rules',
  'mapping.held_orders',
  'mapping.mapped_orders',
  'fulfillment.fulfillment_orders',
  'fulfillment.stock',
];

// ---- the generators --------------------------------------------------------------------------

/** How a field is checked, so a generated value is surely wrong for it. */
type Kind =
  | 'code'
  | 'text'
  | 'optionalText'
  | 'bool'
  | 'count'
  | 'date'
  | 'carrier'
  | 'tracking'
  | 'apiKey'
  | 'url'
  | 'shopId'
  | 'options';

interface Route {
  name: string;
  method: string;
  path: () => string;
  /** A valid body (the mutation makes it invalid). */
  valid: () => Record<string, unknown>;
  fields: Record<string, { kind: Kind; required: boolean; max?: number }>;
}

const NOT_TEXT = ['a\u0001b', '\ud800x', 'x\u007f'];
const wrongTypes = fc.constantFrom<unknown>(42, true, [], {}, ['x'], 1.5);

function badValue(kind: Kind, required: boolean, max = 500): fc.Arbitrary<unknown> {
  const common: fc.Arbitrary<unknown>[] = [];
  if (required) common.push(fc.constant(null));
  switch (kind) {
    case 'bool':
      return fc.oneof(fc.constantFrom<unknown>('yes', 'true', 1, 0, [], {}, 'false'), ...common);
    case 'count':
      return fc.oneof(
        fc.constantFrom<unknown>(-1, 1.5, '5', 10_000_001, true, [], {}, 'NaN', ''),
        fc.integer({ max: -1 }),
        ...common,
      );
    case 'date':
      return fc.oneof(
        fc.constantFrom<unknown>(
          '2025/01/02',
          '2025-13-01',
          '2025-02-30',
          '20250102',
          20250102,
          '',
          'tomorrow',
        ),
        wrongTypes,
        ...common,
      );
    case 'carrier':
      return fc.oneof(
        fc.constantFrom<unknown>('ヤマト運輸', '0000', '99999', 1001, '', 'abcd'),
        ...common,
      );
    case 'tracking':
      return fc.oneof(
        fc.constantFrom<unknown>(
          [],
          'ABC123',
          [1],
          ['has space'],
          ['dup1', 'dup1'],
          ['x'.repeat(121)],
        ),
        fc.constant(Array.from({ length: 21 }, (_, i) => `T${i}`)),
        fc.constantFrom(...NOT_TEXT).map((text) => [text]),
        ...common,
      );
    case 'options':
      return fc.oneof(
        fc.constantFrom<unknown>('yes', 42, true, ['autoOrderSync']),
        fc
          .constantFrom('autoOrderSync', 'autoOrderConfirm', 'autoFulfillmentDispatch')
          .chain((key) =>
            fc.constantFrom<unknown>('yes', 1, 'false', [], {}).map((value) => ({ [key]: value })),
          ),
        fc.string({ minLength: 1, maxLength: 8 }).map((key) => ({ [`zz${key}`]: true })),
      );
    case 'code':
      return fc.oneof(
        // A code is 1–200 printable ASCII characters without spaces (PLATFORM_CODE), so 'a/b' or
        // '<script>' are valid codes, not malformed ones (a CI run drew 'a/b' and got a 201).
        fc.constantFrom<unknown>(
          '',
          'has space',
          'x'.repeat(300),
          'ü-code',
          'tab\there',
          'new\nline',
        ),
        wrongTypes,
        fc.constantFrom(...NOT_TEXT),
        ...common,
      );
    case 'apiKey':
      return fc.oneof(
        fc.constantFrom<unknown>('', '   ', 'SP with space', 'K'.repeat(300)),
        wrongTypes,
        fc.constantFrom(...NOT_TEXT),
        ...common,
      );
    case 'url':
      return fc.oneof(
        fc.constantFrom<unknown>(
          '',
          'rakuten shop',
          'javascript:alert(1)',
          'https://example.com/x',
          'https://www.rakuten.ne.jp/someone-else',
          'ftp://www.rakuten.ne.jp/x',
        ),
        wrongTypes,
        fc.constantFrom(...NOT_TEXT),
        ...common,
      );
    case 'shopId':
      return fc.oneof(
        fc.constantFrom<unknown>(
          '',
          'UPPER',
          'has space',
          "x'; DROP TABLE credentials.shops; --",
          'ショップ',
        ),
        wrongTypes,
        ...common,
      );
    case 'text':
    case 'optionalText':
      return fc.oneof(
        fc.constant('x'.repeat(max + 1)),
        wrongTypes,
        fc.constantFrom(...NOT_TEXT),
        ...(kind === 'text' ? [fc.constant('')] : []),
        ...common,
      );
  }
}

const today = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);

function routes(): Route[] {
  const keys = { serviceSecret: 'SPfuzzValid', licenseKey: 'SLfuzzValid-0000' };
  return [
    {
      name: 'register a shop',
      method: 'POST',
      path: () => '/shops/rakuten',
      valid: () => ({
        shopId: 'fuzz-never-stored',
        shopUrl: 'https://www.rakuten.ne.jp/fuzz-never-stored',
        ...keys,
        options: { autoOrderSync: false },
      }),
      fields: {
        shopId: { kind: 'shopId', required: true },
        shopUrl: { kind: 'url', required: true },
        serviceSecret: { kind: 'apiKey', required: true },
        licenseKey: { kind: 'apiKey', required: true },
        options: { kind: 'options', required: false },
      },
    },
    {
      name: 'update a shop',
      method: 'PATCH',
      path: () => `/shops/${owner.shopId}`,
      valid: () => ({ options: { autoOrderConfirm: true }, enabled: true }),
      fields: {
        options: { kind: 'options', required: false },
        enabled: { kind: 'bool', required: false },
      },
    },
    {
      name: 'renew keys',
      method: 'PUT',
      path: () => `/shops/${owner.shopId}/credentials`,
      valid: () => ({ ...keys }),
      fields: {
        serviceSecret: { kind: 'apiKey', required: true },
        licenseKey: { kind: 'apiKey', required: true },
      },
    },
    {
      name: 'create a SKU',
      method: 'POST',
      path: () => '/skus',
      valid: () => ({ code: 'FUZZ-NEVER', name: 'never stored', sellerCode: 'never' }),
      fields: {
        code: { kind: 'code', required: true },
        name: { kind: 'text', required: true, max: 500 },
        sellerCode: { kind: 'optionalText', required: false, max: 400 },
        barcode: { kind: 'optionalText', required: false, max: 100 },
      },
    },
    {
      name: 'update a SKU',
      method: 'PATCH',
      path: () => `/skus/${owner.skuId}`,
      valid: () => ({ name: 'renamed, never stored' }),
      fields: {
        name: { kind: 'text', required: false, max: 500 },
        sellerCode: { kind: 'optionalText', required: false, max: 400 },
      },
    },
    {
      name: 'create a mapping rule',
      method: 'POST',
      path: () => '/mappings',
      valid: () => ({ itemName: 'never stored', optionText: '', skuCode: 'FUZZ-MUG' }),
      fields: {
        itemName: { kind: 'text', required: true, max: 3072 },
        optionText: { kind: 'optionalText', required: true, max: 10_000 },
        skuCode: { kind: 'code', required: true },
      },
    },
    {
      name: 'dry-run a mapping rule',
      method: 'POST',
      path: () => '/mappings/dry-run',
      valid: () => ({ itemName: 'never stored', optionText: '', skuCode: 'FUZZ-MUG' }),
      fields: {
        itemName: { kind: 'text', required: true, max: 3072 },
        skuCode: { kind: 'code', required: true },
      },
    },
    {
      name: 'link an order line',
      method: 'POST',
      path: () => `/orders/${owner.heldOrderNumber}/lines/${owner.heldItemDetailId}/link`,
      valid: () => ({ skuCode: 'FUZZ-MUG' }),
      fields: { skuCode: { kind: 'code', required: true } },
    },
    {
      name: 'ship a fulfillment order',
      method: 'POST',
      path: () => `/fulfillment-orders/${owner.foId}/ship`,
      valid: () => ({ carrierCode: '1001', trackingNumbers: ['FUZZ0001'], shippingDate: today() }),
      fields: {
        carrierCode: { kind: 'carrier', required: true },
        trackingNumbers: { kind: 'tracking', required: true },
        shippingDate: { kind: 'date', required: true },
      },
    },
    {
      name: 'set stock',
      method: 'PUT',
      path: () => '/inventory/FUZZ-MUG',
      valid: () => ({ onHand: 5, note: 'never stored' }),
      fields: {
        onHand: { kind: 'count', required: true },
        note: { kind: 'optionalText', required: false, max: 500 },
      },
    },
    {
      name: 'issue a token',
      method: 'POST',
      path: () => '/tokens',
      valid: () => ({ name: 'never stored' }),
      fields: { name: { kind: 'text', required: true, max: 100 } },
    },
  ];
}

interface Malformed {
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  token: 'owner' | 'operator';
  /** The field the answer must name (in details[].field and in the message). */
  field: string;
  what: string;
}

function bodyCase(route: Route): fc.Arbitrary<Malformed> {
  const base = { method: route.method, token: 'owner' as const };
  const fieldNames = Object.keys(route.fields);
  const wrongValue = fc.constantFrom(...fieldNames).chain((field) => {
    const spec = route.fields[field];
    return badValue(spec.kind, spec.required, spec.max).map((value): Malformed => {
      const body = { ...route.valid(), [field]: value };
      return { ...base, path: route.path(), body, field, what: `${route.name}: bad ${field}` };
    });
  });
  const required = fieldNames.filter((field) => route.fields[field].required);
  const missing =
    required.length > 0
      ? [
          fc.constantFrom(...required).map((field): Malformed => {
            const body = route.valid();
            delete body[field];
            return {
              ...base,
              path: route.path(),
              body,
              field,
              what: `${route.name}: ${field} missing`,
            };
          }),
        ]
      : [];
  const unknown = fc
    .stringMatching(/^[a-z][a-zA-Z0-9]{0,15}$/)
    .filter(
      (key) =>
        !fieldNames.includes(key) &&
        ![
          'constructor',
          'note',
          'barcode',
          'sellerCode',
          'variantId',
          'components',
          'options',
          'enabled',
          'licenseKeyIssuedAt',
          'name',
          'code',
          'optionText',
        ].includes(key),
    )
    .map((key): Malformed => ({
      ...base,
      path: route.path(),
      body: { ...route.valid(), [`x${key}`]: 'surplus' },
      field: `x${key}`,
      what: `${route.name}: unknown field`,
    }));
  const notAnObject = fc
    .constantFrom<unknown>([], ['a'], 'text', 42, null, true)
    .map((body): Malformed => ({
      ...base,
      path: route.path(),
      raw: JSON.stringify(body),
      field: 'body',
      what: `${route.name}: body not an object`,
    }));
  const brokenJson = fc
    .constantFrom('{', '{"a":', "{'single': 'quotes'}", '{"a":1,}', '\u0000', '[1,2')
    .map((raw): Malformed => ({
      ...base,
      path: route.path(),
      raw,
      field: 'body',
      what: `${route.name}: not JSON`,
    }));
  const formBody = fc.constant<Malformed>({
    ...base,
    path: route.path(),
    raw: 'a=1&b=2',
    contentType: 'application/x-www-form-urlencoded',
    field: 'Content-Type',
    what: `${route.name}: a form body`,
  });
  return fc.oneof(
    { weight: 6, arbitrary: wrongValue },
    ...missing.map((arbitrary) => ({ weight: 2, arbitrary })),
    { weight: 2, arbitrary: unknown },
    { weight: 1, arbitrary: notAnObject },
    { weight: 1, arbitrary: brokenJson },
    { weight: 1, arbitrary: formBody },
  );
}

/** GET routes with a query, and the bad values of each parameter. */
const QUERIES: { path: string; params: Record<string, unknown[]> }[] = [
  {
    path: '/orders',
    params: {
      status: ['bogus', ''],
      shopId: ['not-a-uuid', '1'],
      limit: ['0', '501', 'abc', '-1', '1.5'],
      offset: ['-1', 'x'],
    },
  },
  {
    path: '/fulfillment-orders',
    params: {
      status: ['bogus', 'READY'],
      shopId: ['nope'],
      needsAttention: ['maybe', '2'],
      limit: ['0', '201', 'many'],
      cursor: ['c'.repeat(201)],
      orderNumber: ['o'.repeat(401)],
    },
  },
  {
    path: '/inventory',
    params: {
      limit: ['0', '501', 'x'],
      shortOnly: ['perhaps'],
      cursor: ['c'.repeat(401)],
      skuCode: ['s'.repeat(201)],
    },
  },
  {
    path: '/skus',
    params: { limit: ['0', '501', 'x'], offset: ['-5'], search: ['s'.repeat(201)] },
  },
  { path: '/shops', params: { status: ['sleeping', 'ACTIVE'] } },
  { path: '/audit-log', params: { limit: ['0', '501', 'ten'] } },
  { path: '/skus/import/template', params: { format: ['pdf', 'XLSX2'] } },
];

const queryCase: fc.Arbitrary<Malformed> = fc.constantFrom(...QUERIES).chain(({ path, params }) =>
  fc.oneof(
    fc.constantFrom(...Object.keys(params)).chain((param) =>
      fc.constantFrom(...params[param]).map((value): Malformed => ({
        method: 'GET',
        path: `${path}?${param}=${encodeURIComponent(String(value))}`,
        token: 'owner',
        field: param,
        what: `GET ${path}: bad ${param}`,
      })),
    ),
    fc.stringMatching(/^[a-z]{1,10}$/).map((param): Malformed => ({
      method: 'GET',
      path: `${path}?zz${param}=1`,
      token: 'owner',
      field: `zz${param}`,
      what: `GET ${path}: unknown parameter`,
    })),
  ),
);

/** `:id` parameters that are not UUIDs (or not numbers). */
const paramCase: fc.Arbitrary<Malformed> = fc
  .tuple(
    fc.constantFrom(
      ['GET', '/shops/%s', 'id'],
      ['PATCH', '/shops/%s', 'id'],
      ['POST', '/shops/%s/pull', 'id'],
      ['POST', '/shops/%s/connection-test', 'id'],
      ['GET', '/skus/%s', 'id'],
      ['DELETE', '/mappings/%s', 'id'],
      ['GET', '/fulfillment-orders/%s', 'id'],
      ['POST', '/fulfillment-orders/%s/release', 'id'],
      ['POST', '/fulfillment-orders/%s/ship', 'id'],
      ['DELETE', '/tokens/%s', 'id'],
      ['POST', '/orders/1-2-3/lines/%s/link', 'itemDetailId'],
    ),
    fc.constantFrom('not-a-uuid', '1', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', "1'OR'1'='1", '%00'),
  )
  // 1 is a fine line id (only the UUID parameters refuse it).
  .filter(([[, , field], value]) => !(field === 'itemDetailId' && value === '1'))
  .map(([[method, template, field], value]): Malformed => ({
    method,
    path: template.replace('%s', encodeURIComponent(value)),
    token: 'owner',
    // A valid body where the route takes one, so that only the parameter is wrong.
    body:
      method === 'PATCH'
        ? { enabled: true }
        : template.endsWith('/link')
          ? { skuCode: 'FUZZ-MUG' }
          : template.endsWith('/ship')
            ? { carrierCode: '1001', trackingNumbers: ['FUZZP001'], shippingDate: today() }
            : undefined,
    field,
    what: `${method} ${template}: ${field} = ${value}`,
  }));

const tenantCase: fc.Arbitrary<Malformed> = badValue('text', true, 200).map((name) => ({
  method: 'POST',
  path: '/tenants',
  body: { name },
  token: 'operator',
  field: 'name',
  what: 'create a tenant: bad name',
}));

// ---- the properties ---------------------------------------------------------------------------

describe('malformed requests (fast-check)', () => {
  it(`${RUNS} generated malformed requests: never a 5xx, every 4xx names the field, nothing stored`, async () => {
    const all = routes();
    const arbitrary = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...all).chain(bodyCase) },
      { weight: 3, arbitrary: queryCase },
      { weight: 2, arbitrary: paramCase },
      { weight: 1, arbitrary: tenantCase },
    );
    const { snapshot: before, volatile } = await quietSnapshot();
    expect(BUSINESS_TABLES.filter((table) => volatile.has(table))).toEqual([]);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        const token = request.token === 'operator' ? OPERATOR_TOKEN : owner.token;
        const answer = await call(request.method, request.path, token, request.body, {
          raw: request.raw,
          contentType: request.contentType,
        });
        seen.set(request.what.split(':')[0], (seen.get(request.what.split(':')[0]) ?? 0) + 1);
        const shown = { what: request.what, request, status: answer.status, body: answer.body };
        expect({ ...shown, fivexx: answer.status >= 500 }).toEqual({ ...shown, fivexx: false });
        expect({ ...shown, fourxx: answer.status >= 400 }).toEqual({ ...shown, fourxx: true });
        expect(Object.keys(answer.body ?? {}).sort()).toEqual([
          'code',
          'details',
          'message',
          'statusCode',
        ]);
        const message = String(answer.body.message);
        const fields: string[] = Array.isArray(answer.body.details)
          ? answer.body.details.map((detail: { field: string }) => detail.field)
          : [];
        const named =
          fields.some(
            (field) => field === request.field || field.startsWith(`${request.field}.`),
          ) ||
          (fields.length === 0 && message.toLowerCase().includes(request.field.toLowerCase()));
        expect({ ...shown, named }).toEqual({ ...shown, named: true });
        expect({
          ...shown,
          inMessage:
            message.includes(request.field) ||
            message.toLowerCase().includes(request.field.toLowerCase()),
        }).toEqual({ ...shown, inMessage: true });
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000), verbose: 1 },
    );
    // Nothing stored: every table of every service is as it was (beyond the tokens' last use
    // and the tables that were changing on their own before the run).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await snapshot();
    expect(changed(before, after).filter((table) => !volatile.has(table))).toEqual([]);
    expect(BUSINESS_TABLES.filter((table) => !after.has(table))).toEqual([]);
    expect([...seen.values()].reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(300);
  }, 600_000);
});

// ---- tenant isolation over the whole platform -------------------------------------------------

describe('tenant isolation', () => {
  it("a second tenant can neither see nor act on the first one's shops, SKUs, rules, orders, fulfillment orders, stock, tokens or audit log", async () => {
    const other = await tenant(`fuzz-other-${run}`);
    const { snapshot: before, volatile } = await quietSnapshot();
    const ship = { carrierCode: '1001', trackingNumbers: ['ISO0001'], shippingDate: today() };
    const attempts: [string, string, unknown?][] = [
      ['GET', `/shops/${owner.shopId}`],
      ['PATCH', `/shops/${owner.shopId}`, { enabled: false }],
      [
        'PUT',
        `/shops/${owner.shopId}/credentials`,
        { serviceSecret: 'SPx', licenseKey: 'SLx-0000' },
      ],
      ['POST', `/shops/${owner.shopId}/connection-test`],
      ['GET', `/shops/${owner.shopId}/connection-tests`],
      ['POST', `/shops/${owner.shopId}/pull`],
      ['DELETE', `/shops/${owner.shopId}`],
      ['GET', `/skus/${owner.skuId}`],
      ['PATCH', `/skus/${owner.skuId}`, { name: 'stolen' }],
      ['DELETE', `/mappings/${owner.ruleId}`],
      ['GET', `/orders/${owner.orderNumber}`],
      [
        'POST',
        `/orders/${owner.heldOrderNumber}/lines/${owner.heldItemDetailId}/link`,
        { skuCode: 'FUZZ-MUG' },
      ],
      ['GET', `/fulfillment-orders/${owner.foId}`],
      ['POST', `/fulfillment-orders/${owner.foId}/release`],
      ['POST', `/fulfillment-orders/${owner.foId}/ship`, ship],
      ['DELETE', `/tokens/${owner.tokenId}`],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await call(method, path, other.token, body);
      expect([method, path, answer.status]).toEqual([method, path, 404]);
    }
    // None of it changed anything (a refused request is not even audited).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(changed(before, await snapshot()).filter((table) => !volatile.has(table))).toEqual([]);
    // Lists show nothing of the owner's.
    const lists: [string, (body: any) => unknown[]][] = [
      ['/shops', (body) => body.items],
      ['/skus', (body) => body.items ?? body],
      ['/mappings', (body) => body.items ?? body],
      ['/orders?status=needs_mapping', (body) => body.items ?? body],
      ['/orders?status=mapped', (body) => body.items ?? body],
      [`/orders?shopId=${owner.shopId}&status=mapped`, (body) => body.items ?? body],
      ['/fulfillment-orders', (body) => body.items],
      [`/fulfillment-orders?shopId=${owner.shopId}`, (body) => body.items],
      ['/inventory', (body) => body.items],
      [
        '/tokens',
        (body) =>
          (body.items ?? body).filter((token: { id: string }) => token.id === owner.tokenId),
      ],
      [
        '/audit-log',
        (body) =>
          (body.items ?? body).filter((entry: unknown) =>
            JSON.stringify(entry).includes(owner.tenantId),
          ),
      ],
    ];
    for (const [path, items] of lists) {
      const answer = await call('GET', path, other.token);
      expect([path, answer.status]).toEqual([path, 200]);
      expect([path, items(answer.body)]).toEqual([path, []]);
    }
    // Its own stock under the same SKU code is its own: the owner's is untouched.
    expect((await call('PUT', '/inventory/FUZZ-MUG', other.token, { onHand: 7 })).status).toBe(200);
    const ownStock = await call('GET', '/inventory?skuCode=FUZZ-MUG', owner.token);
    expect(ownStock.body.items[0].onHand).toBe(1_000);
    const owned = await db.query(
      `SELECT count(*)::int AS n FROM fulfillment.stock WHERE tenant_id = $1 AND on_hand = 1000`,
      [owner.tenantId],
    );
    expect(owned.rows[0].n).toBe(1);
    // And the owner still sees everything of its own.
    expect((await call('GET', `/shops/${owner.shopId}`, owner.token)).status).toBe(200);
    expect((await call('GET', `/fulfillment-orders/${owner.foId}`, owner.token)).status).toBe(200);
    expect((await call('GET', `/orders/${owner.orderNumber}`, owner.token)).status).toBe(200);
  });

  it('a missing, malformed or revoked token is a 401 on every tenant route', async () => {
    for (const token of [null, 'sst_not-a-token', `${owner.token}x`, OPERATOR_TOKEN]) {
      for (const path of ['/shops', '/skus', '/fulfillment-orders', '/inventory', '/orders']) {
        const answer = await call('GET', path, token);
        expect([
          String(token).slice(0, 12),
          path,
          answer.status < 500,
          [401, 403].includes(answer.status),
        ]).toEqual([String(token).slice(0, 12), path, true, true]);
      }
    }
  });
});

// ---- secrets ----------------------------------------------------------------------------------

describe('secrets', () => {
  it('no service secret, licence key or master key in any response, service log or Kafka event', async () => {
    // Let the last events arrive.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const secrets = { serviceSecret: SECRET, licenseKey: LICENSE, masterKey: MASTER_KEY };
    const logs = [...processes, gateway]
      .map((process) => readFileSync(process.logFile, 'utf8'))
      .join('\n');
    const events = collector.messages
      .map((message) => `${message.value}${JSON.stringify(message.headers)}`)
      .join('\n');
    const answers = responses.join('\n');
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, where: 'responses', found: answers.includes(secret) }).toEqual({
        name,
        where: 'responses',
        found: false,
      });
      expect({ name, where: 'logs', found: logs.includes(secret) }).toEqual({
        name,
        where: 'logs',
        found: false,
      });
      expect({ name, where: 'kafka', found: events.includes(secret) }).toEqual({
        name,
        where: 'kafka',
        found: false,
      });
    }
    // The check would see them: the logs and the events are there, shop.updated carries ciphertext.
    expect(logs.length).toBeGreaterThan(10_000);
    expect(collector.messages.some((message) => message.topic === 'shop.updated')).toBe(true);
    expect(responses.length).toBeGreaterThan(300);
  });
});
