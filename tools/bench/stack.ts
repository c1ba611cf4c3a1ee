import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { SecretBox } from '@smartship/crypto';
import { ServiceProcess } from '@smartship/testing';
import { Client } from 'pg';

import { SIM_CATALOG, SIM_STOCK_CODES as STOCKED_CODES } from '@smartship/testing';
import { profileArgs } from './profile';
import { sleep } from './stats';

export const ROOT = join(__dirname, '..', '..');
export const LOG_DIR = join(ROOT, '.data', 'bench', 'logs');

/**
 * The bench's own ports (31000–31699, below Linux's ephemeral range so that no outgoing
 * connection holds one), so it runs beside `npm start` and the tests.
 */
export const PORTS = {
  gateway: 31000,
  sim: 31200,
  credentials: [31101, 31601],
  ingestion: [31102, 31602],
  ingestion2: [31112, 31612],
  mapping: [31103, 31603],
  fulfillment: [31104, 31604],
} as const;

export const SIM = `http://127.0.0.1:${PORTS.sim}`;
export const API = `http://127.0.0.1:${PORTS.gateway}/api/v1`;

/** A broker of the bench's own, on a fresh data directory; stopped at the end. */
export class BenchKafka {
  readonly env: NodeJS.ProcessEnv;

  constructor(port: number) {
    this.env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_DATA_DIR: join(ROOT, '.data', 'kafka-bench'),
    };
  }

  start(): void {
    execFileSync('bash', [join(ROOT, 'tools/kafka/kafka.sh'), 'start'], {
      env: { ...this.env, KAFKA_FRESH: '1' },
      stdio: 'inherit',
    });
  }

  stop(): void {
    execFileSync('bash', [join(ROOT, 'tools/kafka/kafka.sh'), 'stop'], {
      env: this.env,
      stdio: 'inherit',
    });
  }
}

export function freshDatabase(url: string): void {
  execFileSync(process.execPath, [join(ROOT, 'tools/scripts/prepare-db.mts'), url, '--fresh'], {
    stdio: 'inherit',
  });
}

/**
 * BENCH_NODE_ARGS (every service) and BENCH_NODE_ARGS_<APP> (one service, e.g.
 * BENCH_NODE_ARGS_MAPPING="--max-semi-space-size=8"): node flags for experiments.
 */
function extraNodeArgs(app: string): string[] {
  const all = process.env.BENCH_NODE_ARGS ?? '';
  const one = process.env[`BENCH_NODE_ARGS_${app.toUpperCase().replace(/-/g, '_')}`] ?? '';
  return `${all} ${one}`.split(' ').filter(Boolean);
}

export interface StackOptions {
  databaseUrl: string;
  brokers: string;
  /** Extra environment of the ingestion instances (rate, poll settings). */
  ingestionEnv?: Record<string, string>;
  /** Runs every service under node's CPU profiler (BENCH_PROFILE=1, see profile.ts). */
  profile?: boolean;
}

/**
 * The platform as processes: simulator, credentials, ingestion (one or two instances), mapping,
 * fulfillment and the gateway, each with its log in .data/bench/logs.
 */
export class BenchStack {
  readonly operatorToken = `operator-bench-${'b'.repeat(32)}`;
  readonly sim: ServiceProcess;
  readonly credentials: ServiceProcess;
  readonly mapping: ServiceProcess;
  readonly fulfillment: ServiceProcess;
  readonly gateway: ServiceProcess;
  ingestion: ServiceProcess[] = [];
  private readonly backend: Record<string, string>;
  private readonly nodeArgs: (name: string) => string[];
  private ingestionStarts = 0;

  constructor(private readonly options: StackOptions) {
    this.backend = {
      // Not production: production requires an https RAKUTEN_BASE_URL, and the bench calls the
      // simulator over http. Nothing the bench measures depends on NODE_ENV (it only decides
      // that, and whether session cookies are Secure).
      NODE_ENV: 'development',
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.brokers,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      MASTER_KEYS: SecretBox.generateKey('bench'),
      RAKUTEN_BASE_URL: SIM,
      // glibc malloc settings (MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, …) reach the services.
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (entry): entry is [string, string] => entry[0].startsWith('MALLOC_') && !!entry[1],
        ),
      ),
    };
    const nodeArgs = (name: string) => (options.profile ? profileArgs(name) : []);
    this.nodeArgs = nodeArgs;
    const service = (app: string, [http, tcp]: readonly [number, number]) =>
      new ServiceProcess({
        app,
        httpPort: http,
        env: { ...this.backend, TCP_PORT: String(tcp) },
        logFile: join(LOG_DIR, `${app}-${http}.log`),
        nodeArgs: [...nodeArgs(app), ...extraNodeArgs(app)],
      });
    this.sim = new ServiceProcess({
      app: 'rakuten-sim',
      httpPort: PORTS.sim,
      env: { NODE_ENV: 'production' },
      logFile: join(LOG_DIR, `rakuten-sim-${PORTS.sim}.log`),
      nodeArgs: [...nodeArgs('rakuten-sim'), ...extraNodeArgs('rakuten-sim')],
    });
    this.credentials = service('credentials', PORTS.credentials);
    this.mapping = service('mapping', PORTS.mapping);
    this.fulfillment = service('fulfillment', PORTS.fulfillment);
    this.gateway = new ServiceProcess({
      app: 'gateway',
      httpPort: PORTS.gateway,
      env: {
        ...this.backend,
        OPERATOR_TOKEN: this.operatorToken,
        // The bench measures the pipeline, not the per-tenant API limit.
        RATE_LIMIT_API_PER_SECOND: '0',
        RATE_LIMIT_RAKUTEN_PER_MINUTE: '0',
        CREDENTIALS_TCP: `127.0.0.1:${PORTS.credentials[1]}`,
        INGESTION_TCP: `127.0.0.1:${PORTS.ingestion[1]}`,
        MAPPING_TCP: `127.0.0.1:${PORTS.mapping[1]}`,
        FULFILLMENT_TCP: `127.0.0.1:${PORTS.fulfillment[1]}`,
      },
      logFile: join(LOG_DIR, `gateway-${PORTS.gateway}.log`),
      nodeArgs: [...nodeArgs('gateway'), ...extraNodeArgs('gateway')],
    });
  }

  async start(ingestionInstances = 1): Promise<void> {
    await this.sim.start(120_000);
    // One after the other: the first start of each runs its migrations.
    for (const process of [this.credentials, this.mapping, this.fulfillment]) {
      await process.start(120_000);
    }
    await this.startIngestion(ingestionInstances);
    await this.gateway.start(120_000);
  }

  /** (Re)starts ingestion with `instances` processes and the given extra environment. */
  async startIngestion(instances: number, env: Record<string, string> = {}): Promise<void> {
    await this.stopIngestion();
    const ports = [PORTS.ingestion, PORTS.ingestion2].slice(0, instances);
    this.ingestion = ports.map(
      ([http, tcp]) =>
        new ServiceProcess({
          app: 'ingestion',
          httpPort: http,
          env: {
            ...this.backend,
            TCP_PORT: String(tcp),
            PULL_WAIT_MS: '600000',
            ...this.options.ingestionEnv,
            ...env,
          },
          logFile: join(LOG_DIR, `ingestion-${http}.log`),
          // One profile per start: the many-shops section restarts ingestion.
          nodeArgs: [
            ...this.nodeArgs(`ingestion-${http}-${++this.ingestionStarts}`),
            ...extraNodeArgs('ingestion'),
          ],
        }),
    );
    for (const process of this.ingestion) await process.start(120_000);
  }

  async stopIngestion(): Promise<void> {
    await Promise.all(this.ingestion.map((process) => process.stop()));
    this.ingestion = [];
  }

  /** Process ids by service name, for the RSS sampler. */
  pids(): Record<string, number | undefined> {
    const pids: Record<string, number | undefined> = {
      'rakuten-sim': this.sim.pid,
      credentials: this.credentials.pid,
      mapping: this.mapping.pid,
      fulfillment: this.fulfillment.pid,
      gateway: this.gateway.pid,
    };
    this.ingestion.forEach((process, i) => {
      pids[i === 0 ? 'ingestion' : `ingestion-${i + 1}`] = process.pid;
    });
    return pids;
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    await this.stopIngestion();
    await Promise.all(
      [this.mapping, this.fulfillment, this.credentials, this.sim].map((p) => p.stop()),
    );
  }
}

export async function http<T>(
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
    signal: AbortSignal.timeout(900_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function ok<T>(what: string, call: Promise<{ status: number; body: T }>): Promise<T> {
  const answer = await call;
  if (answer.status >= 300) {
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  return answer.body;
}

export interface BenchShop {
  /** Platform shop connection id. */
  id: string;
  simShopId: string;
  token: string;
}

export interface ShopSpec {
  name: string;
  simShopId: string;
  orders: number;
  /** Simulator rate limit of the order functions, requests/s (none when absent). */
  orderRps?: number;
  autoOrderSync?: boolean;
  /** SKUs and stock, so the orders map and are dispatched. */
  catalog?: boolean;
}

/** A simulator shop with its orders, a tenant, the registered shop, its SKUs and stock. */
export async function setupShop(stack: BenchStack, spec: ShopSpec): Promise<BenchShop> {
  const secret = `SP${spec.name}`;
  const licence = `SL${spec.name}key0042`;
  await ok(
    'sim shop',
    http('POST', `${SIM}/__sim/shops`, {
      shopId: spec.simShopId,
      serviceSecret: secret,
      licenseKey: licence,
      ...(spec.orderRps ? { rateLimits: { order: spec.orderRps } } : {}),
    }),
  );
  if (spec.orders > 0) {
    await ok(
      'generate',
      http('POST', `${SIM}/__sim/shops/${spec.simShopId}/orders/generate`, {
        count: spec.orders,
        seed: Number(spec.simShopId),
        progress: 300,
        maxPackages: 1,
        // Inside ingestion's 30-day look-back, so every order is found: the count is known.
        from: new Date(Date.now() - 20 * 86_400_000).toISOString(),
        to: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    );
  }
  const tenant = await ok(
    'tenant',
    http<{ token: { token: string } }>(
      'POST',
      `${API}/tenants`,
      { name: spec.name },
      stack.operatorToken,
    ),
  );
  const token = tenant.token.token;
  const registered = await ok(
    'register',
    http<{ shop: { id: string }; connectionTest: { code: string } }>(
      'POST',
      `${API}/shops/rakuten`,
      {
        shopId: spec.name,
        shopUrl: `https://www.rakuten.ne.jp/${spec.name}`,
        serviceSecret: secret,
        licenseKey: licence,
        options: { autoOrderSync: spec.autoOrderSync ?? false, autoFulfillmentDispatch: true },
      },
      token,
    ),
  );
  if (registered.connectionTest.code !== 'OK') {
    throw new Error(`connection test of ${spec.name}: ${registered.connectionTest.code}`);
  }
  if (spec.catalog) {
    for (const sku of SIM_CATALOG) await ok('sku', http('POST', `${API}/skus`, sku, token));
    for (const code of STOCKED_CODES) {
      await ok(
        'stock',
        http('PUT', `${API}/inventory/${encodeURIComponent(code)}`, { onHand: 10_000_000 }, token),
      );
    }
  }
  return { id: registered.shop.id, simShopId: spec.simShopId, token };
}

/** Until ingestion and fulfillment know the shop (shop.updated reached them). */
export async function waitShopsKnown(databaseUrl: string, shops: BenchShop[]): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const ids = shops.map((shop) => shop.id);
    for (let i = 0; i < 600; i++) {
      const { rows } = await db.query<{ f: number }>(
        `SELECT count(*)::int AS f FROM fulfillment.shop_settings WHERE shop_id = ANY($1::text[])`,
        [ids],
      );
      if (rows[0].f === ids.length) return;
      await sleep(500);
    }
    throw new Error('the services did not learn the bench shops within 5 minutes');
  } finally {
    await db.end();
  }
}

/**
 * Starts a pull and does not wait for its answer (the gateway gives up after 180 s while a big
 * pull goes on): resolves once ingestion accepted it (the call did not fail at once with 404).
 */
export async function startPull(shop: BenchShop): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const answer = http('POST', `${API}/shops/${shop.id}/pull`, undefined, shop.token);
    const early = await Promise.race([answer, sleep(3_000).then(() => null)]);
    if (early === null) {
      answer.catch(() => undefined);
      return;
    }
    if (early.status === 200 || early.status === 503) return;
    if (early.status !== 404) {
      throw new Error(`pull ${shop.id}: HTTP ${early.status} ${JSON.stringify(early.body)}`);
    }
    await sleep(500);
  }
  throw new Error(`pull ${shop.id}: ingestion did not learn the shop`);
}

/** POST /shops/:id/pull until ingestion knows the shop; returns the pull's answer. */
export async function pull(
  shop: BenchShop,
): Promise<{ complete: boolean; new: number; searched: number }> {
  for (let i = 0; ; i++) {
    const answer = await http<{ complete: boolean; new: number; searched: number }>(
      'POST',
      `${API}/shops/${shop.id}/pull`,
      undefined,
      shop.token,
    );
    if (answer.status === 200) return answer.body;
    if (answer.status !== 404 || i > 120) {
      throw new Error(`pull ${shop.id}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    await sleep(500);
  }
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the results' order. */
export async function pooled<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}
