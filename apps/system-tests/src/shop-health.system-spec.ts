import 'reflect-metadata';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SecretBox } from '@smartship/crypto';
import {
  ServiceProcess,
  expectEventually,
  testInfrastructure,
  uniqueSuffix,
} from '@smartship/testing';
import { parse } from 'yaml';

// The thresholds of the rules must be the services' defaults: read from their config classes.
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test reads the defaults, nothing runs
import { IngestionConfig } from '../../ingestion/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test reads the defaults, nothing runs
import { MappingConfig } from '../../mapping/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test reads the defaults, nothing runs
import { EXPIRY_WARNING_DAYS } from '../../credentials/src/shops/shop-status';

/**
 * Per-shop health for operators with the built services as processes (ports 22000–22099): two
 * tenants set up their shops through the gateway; one shop holds an unmapped order and an
 * unpublishable one, the other's pulls fail (the simulator's faults). The operator API shows
 * both with those numbers (a tenant token gets 403), each service's /metrics serves them, and
 * deploy/ (Prometheus rules, Grafana dashboard) uses only metric names the services really
 * export, with the services' default thresholds.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const ROOT = join(__dirname, '..', '..', '..');
const OPERATOR_TOKEN = `operator-${run}-${'y'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('health');
const SIM = 'http://127.0.0.1:22050';
const API = 'http://127.0.0.1:22000/api/v1';
const METRICS = {
  credentials: 'http://127.0.0.1:22001/metrics',
  ingestion: 'http://127.0.0.1:22002/metrics',
  mapping: 'http://127.0.0.1:22003/metrics',
};

const backend = {
  NODE_ENV: 'test',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  MASTER_KEYS,
  RAKUTEN_BASE_URL: SIM,
};
const processes = [
  new ServiceProcess({ app: 'rakuten-sim', httpPort: 22050, env: { NODE_ENV: 'test' } }),
  new ServiceProcess({
    app: 'credentials',
    httpPort: 22001,
    env: { ...backend, TCP_PORT: '22011' },
  }),
  new ServiceProcess({
    app: 'ingestion',
    httpPort: 22002,
    env: { ...backend, TCP_PORT: '22012', RAKUTEN_ORDER_RPS: '20', POLL_INTERVAL_MS: '3600000' },
  }),
  new ServiceProcess({ app: 'mapping', httpPort: 22003, env: { ...backend, TCP_PORT: '22013' } }),
];
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 22000,
  env: {
    ...backend,
    CREDENTIALS_TCP: '127.0.0.1:22011',
    INGESTION_TCP: '127.0.0.1:22012',
    MAPPING_TCP: '127.0.0.1:22013',
    FULFILLMENT_TCP: '127.0.0.1:22014',
    OPERATOR_TOKEN,
  },
});

beforeAll(async () => {
  await Promise.all(processes.map((process) => process.start()));
  await gateway.start();
}, 180_000);

afterAll(async () => {
  await gateway.stop();
  await Promise.all(processes.map((process) => process.stop()));
});

async function http<T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

async function sim<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const answer = await http<T>(method, `${SIM}/__sim${path}`, body);
  if (answer.status >= 300) throw new Error(`sim ${path}: ${answer.status}`);
  return answer.body;
}

/** A tenant with one shop registered through the gateway (keys in the simulator). */
async function tenantWithShop(simShop: string, autoOrderSync: boolean) {
  const secret = `SP${simShop}_${run}`;
  const licence = `SL${simShop}_${run}`;
  await sim('POST', '/shops', { shopId: simShop, serviceSecret: secret, licenseKey: licence });
  // The default catalog (one settled order far back).
  await sim('POST', `/shops/${simShop}/orders/generate`, {
    count: 1,
    progress: 700,
    from: new Date(Date.now() - 300 * 86_400_000).toISOString(),
    to: new Date(Date.now() - 299 * 86_400_000).toISOString(),
  });
  const tenant = await http<{ tenant: { id: string }; token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `health-${simShop}-${run}` },
    OPERATOR_TOKEN,
  );
  const token = tenant.body.token.token;
  const registered = await http<{ shop: { id: string } }>(
    'POST',
    `${API}/shops/rakuten`,
    {
      shopId: `h${simShop}-${run}`.toLowerCase(),
      shopUrl: `https://www.rakuten.ne.jp/h${simShop}-${run}`.toLowerCase(),
      serviceSecret: secret,
      licenseKey: licence,
      options: { autoOrderSync },
    },
    token,
  );
  expect(registered.status).toBe(201);
  return { tenantId: tenant.body.tenant.id, token, shopId: registered.body.shop.id, simShop };
}

/** A manual pull through the gateway, once ingestion knows the shop. */
function pull(shop: { shopId: string; token: string }) {
  return expectEventually(
    async () => {
      const answer = await http<{ complete: boolean; error: { code: string } | null }>(
        'POST',
        `${API}/shops/${shop.shopId}/pull`,
        undefined,
        shop.token,
      );
      expect(answer.status).toBe(200);
      return answer.body;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
}

interface OperatorShop {
  tenantId: string;
  shopId: string;
  shopName: string;
  status: string;
  licenceKeyDaysLeft: number;
  needsReauth: boolean;
  lastSuccessfulPullAt: string | null;
  secondsSinceLastPull: number | null;
  pullFailingSince: string | null;
  unmappedLines: number;
  unpublishableOrders: number;
  pendingShippingReports: number;
  failingStockListings: number;
  throttledCalls24h: number;
  problems: string[];
}

/** Metric names a /metrics text declares (`# TYPE name kind`). */
async function exportedNames(url: string): Promise<Map<string, string>> {
  const text = await (await fetch(url)).text();
  const names = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) names.set(match[1], match[2]);
  return names;
}

/** Metric names used in a PromQL expression (functions, keywords and labels left out). */
function metricsIn(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  return [...new Set(withoutLabels.match(/\bsmartship_[a-z0-9_]+\b/g) ?? [])];
}

/** A series name as its metric declares it: histogram and counter suffixes removed. */
function declared(name: string, exported: Map<string, string>): boolean {
  if (exported.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count|total)$/, '');
  return exported.has(base) || exported.has(`${base}_total`);
}

let shopA: Awaited<ReturnType<typeof tenantWithShop>>;
let shopB: Awaited<ReturnType<typeof tenantWithShop>>;
let unpublishable: string;

it('the operator sees the shops of two tenants with their health; a tenant token gets 403', async () => {
  shopA = await tenantWithShop(`71${String(Date.now()).slice(-4)}`, true);
  shopB = await tenantWithShop(`72${String(Date.now()).slice(-4)}`, false);

  // Shop A: an order whose line matches no SKU (held unmapped), one with its package deleted
  // (unpublishable).
  await sim('POST', `/shops/${shopA.simShop}/orders`, {
    lines: [{ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }],
    progress: 300,
  });
  const broken = await sim<{ orderNumber: string }>('POST', `/shops/${shopA.simShop}/orders`, {
    lines: [{ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }],
    progress: 300,
  });
  unpublishable = broken.orderNumber;
  const { model } = await sim<{ model: { PackageModelList: { basketId: number }[] } }>(
    'GET',
    `/orders/${unpublishable}`,
  );
  await sim('POST', `/orders/${unpublishable}/state`, {
    deletePackage: model.PackageModelList[0].basketId,
  });
  expect(await pull(shopA)).toMatchObject({ complete: true });

  // Shop B: every search fails.
  await sim('PUT', '/faults', {
    rules: [{ kind: 'http500', function: 'searchOrder', shopId: shopB.simShop }],
    maintenance: null,
  });
  expect((await pull(shopB)).error?.code).toBe('UNAVAILABLE');

  const forbidden = await http<{ code: string }>(
    'GET',
    `${API}/operator/shops`,
    undefined,
    shopA.token,
  );
  expect(forbidden.status).toBe(403);
  expect(forbidden.body.code).toBe('OPERATOR_ONLY');

  const listed = await expectEventually(async () => {
    const answer = await http<{ items: OperatorShop[] }>(
      'GET',
      `${API}/operator/shops`,
      undefined,
      OPERATOR_TOKEN,
    );
    expect(answer.status).toBe(200);
    const a = answer.body.items.find((shop) => shop.shopId === shopA.shopId);
    expect(a?.unmappedLines).toBe(1);
    return answer.body.items;
  });
  const a = listed.find((shop) => shop.shopId === shopA.shopId)!;
  const b = listed.find((shop) => shop.shopId === shopB.shopId)!;
  expect(a).toMatchObject({
    tenantId: shopA.tenantId,
    status: 'active',
    needsReauth: false,
    pullFailingSince: null,
    unmappedLines: 1,
    unpublishableOrders: 1,
    pendingShippingReports: 0,
    throttledCalls24h: 0,
    problems: ['unmapped_lines', 'unpublishable_orders'],
  });
  expect(a.licenceKeyDaysLeft).toBeGreaterThanOrEqual(89);
  expect(a.lastSuccessfulPullAt).not.toBeNull();
  expect(a.secondsSinceLastPull).toBeLessThan(120);
  expect(b).toMatchObject({
    tenantId: shopB.tenantId,
    lastSuccessfulPullAt: null,
    unmappedLines: 0,
    unpublishableOrders: 0,
    problems: ['pull_failing'],
  });
  expect(b.pullFailingSince).not.toBeNull();
  expect(JSON.stringify(listed)).not.toMatch(/SL7\d+_|SP7\d+_/);

  const onlyB = await http<{ items: OperatorShop[] }>(
    'GET',
    `${API}/operator/shops?tenantId=${shopB.tenantId}`,
    undefined,
    OPERATOR_TOKEN,
  );
  expect(onlyB.body.items.map((shop) => shop.shopId)).toEqual([shopB.shopId]);
  const healthy = await http<{ items: OperatorShop[] }>(
    'GET',
    `${API}/operator/shops?problem=false`,
    undefined,
    OPERATOR_TOKEN,
  );
  expect(healthy.body.items.map((shop) => shop.shopId)).not.toContain(shopA.shopId);
  const bad = await http('GET', `${API}/operator/shops?tenantId=nope`, undefined, OPERATOR_TOKEN);
  expect(bad.status).toBe(400);
  await sim('PUT', '/faults', { rules: [], maintenance: null });
}, 120_000);

it("each service's /metrics serves its per-shop metrics with tenant_id and shop_id", async () => {
  const series = async (url: string) => (await fetch(url)).text();
  const labels = (shop: { tenantId: string; shopId: string }) =>
    `{tenant_id="${shop.tenantId}",shop_id="${shop.shopId}"}`;
  await expectEventually(async () => {
    const text = await series(METRICS.mapping);
    expect(text).toContain(`smartship_shop_unmapped_lines${labels(shopA)} 1`);
  });
  const ingestion = await series(METRICS.ingestion);
  expect(ingestion).toContain(`smartship_shop_unpublishable_orders${labels(shopA)} 1`);
  expect(ingestion).toContain(`smartship_shop_unpublishable_orders${labels(shopB)} 0`);
  expect(ingestion).toMatch(
    new RegExp(`smartship_shop_seconds_since_last_pull\\{tenant_id="${shopA.tenantId}"`),
  );
  const credentials = await series(METRICS.credentials);
  expect(credentials).toContain(`smartship_shop_needs_reauth${labels(shopB)} 0`);
  expect(credentials).toMatch(
    new RegExp(`smartship_shop_license_key_days_left\\{[^}]*shop_id="${shopA.shopId}"\\} (89|90)`),
  );
});

it('deploy/: the alert rules and the dashboard are well formed and use only metrics the services export', async () => {
  const exported = new Map<string, string>();
  for (const url of Object.values(METRICS)) {
    for (const [name, kind] of await exportedNames(url)) exported.set(name, kind);
  }

  const rules = parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: Record<string, unknown>[] }[];
  };
  const allRules = rules.groups.flatMap((group) => group.rules);
  expect(allRules.length).toBeGreaterThanOrEqual(10);
  const used = new Set<string>();
  for (const rule of allRules) {
    expect(rule).toEqual(
      expect.objectContaining({
        alert: expect.any(String),
        expr: expect.any(String),
        for: expect.stringMatching(/^\d+[smh]$/),
        labels: expect.objectContaining({
          severity: expect.stringMatching(/^(warning|critical)$/),
        }),
        annotations: expect.objectContaining({ summary: expect.any(String) }),
      }),
    );
    const names = metricsIn(rule.expr as string);
    expect(names.length).toBeGreaterThan(0);
    names.forEach((name) => used.add(name));
  }

  const dashboard = JSON.parse(
    readFileSync(join(ROOT, 'deploy/grafana/smartship-shops.json'), 'utf8'),
  ) as {
    templating: { list: { name: string; type: string }[] };
    panels: { title: string; type: string; targets: { expr: string }[] }[];
  };
  expect(dashboard.templating.list).toContainEqual(
    expect.objectContaining({ name: 'datasource', type: 'datasource' }),
  );
  expect(dashboard.panels.map((panel) => panel.type)).toContain('table');
  for (const panel of dashboard.panels) {
    expect(panel.targets.length).toBeGreaterThan(0);
    for (const target of panel.targets) metricsIn(target.expr).forEach((name) => used.add(name));
  }

  const unknown = [...used].filter((name) => !declared(name, exported));
  expect(unknown).toEqual([]);
  // Every per-shop metric is on the dashboard.
  const shopMetrics = [...exported.keys()].filter((name) => name.startsWith('smartship_shop_'));
  expect(shopMetrics.length).toBeGreaterThanOrEqual(10);
  expect(
    shopMetrics.filter((name) => !declared(name, new Map([...used].map((u) => [u, ''])))),
  ).toEqual([]);
});

it("deploy/: the rules' thresholds are the services' defaults", () => {
  const rules = (
    parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
      groups: {
        rules: { alert: string; expr: string; for: string; labels: Record<string, string> }[];
      }[];
    }
  ).groups.flatMap((group) => group.rules);
  const rule = (name: string) => rules.find((r) => r.alert === name)!;
  const ingestion = Object.assign(new IngestionConfig(), {});
  const mapping = new MappingConfig();
  const minutes = (duration: string) =>
    Number(duration.slice(0, -1)) *
    { s: 1 / 60, m: 1, h: 60 }[duration.slice(-1) as 's' | 'm' | 'h'];

  expect(rule('SmartshipNoSuccessfulPull').expr).toContain(
    `> ${ingestion.PULL_FAILING_ALERT_MINUTES * 60}`,
  );
  expect(Number(rule('SmartshipPullFailing').labels.threshold_minutes)).toBe(
    ingestion.PULL_FAILING_ALERT_MINUTES,
  );
  expect(rule('SmartshipUnmappedLinesHeld').expr).toContain(
    `> ${mapping.UNMAPPED_ALERT_MINUTES * 60}`,
  );
  expect(minutes(rule('SmartshipStockPushFailing').for)).toBe(
    ingestion.STOCK_PUSH_FAILING_ALERT_MINUTES,
  );
  expect(rule('SmartshipLicenceKeyExpiringSoon').expr).toContain(`<= ${EXPIRY_WARNING_DAYS[0]}`);
  expect(EXPIRY_WARNING_DAYS).toContain(3);
  expect(rule('SmartshipLicenceKeyExpiresIn3Days').expr).toContain('<= 3');
  expect(rule('SmartshipLicenceKeyExpired').expr).toContain('<= 0');
});
