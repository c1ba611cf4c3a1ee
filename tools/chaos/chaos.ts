/**
 * The chaos run: the whole platform as processes (private PostgreSQL cluster, its own Kafka
 * broker, the five services and the Rakuten simulator), N orders across a few shops pulled,
 * mapped, dispatched, shipped by a simulated warehouse through the gateway and reported back to
 * the simulator — while services are SIGKILLed and restarted at random moments, the broker and
 * PostgreSQL are restarted, and the simulator injects server errors, timeouts, throttling bursts
 * and a maintenance window. Then the checker (./checker.ts) compares both sides.
 *
 * Used by `npm run chaos` (tools/chaos/main.mts) and by the system spec
 * apps/system-tests/src/chaos.system-spec.ts (a shorter run). Plain TypeScript that Node runs
 * with its type stripping: no path aliases, no enums, no parameter properties.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { Kafka, logLevel } from 'kafkajs';

import {
  type ChaosReport,
  type PublishedMessage,
  type ShopInput,
  type StockLevelInput,
  checkChaos,
} from './checker.ts';
import { ALERT_KINDS } from '../scripts/alert-kinds.ts';
import { type MailCatcher, startMailCatcher } from '../scripts/mail-catcher.ts';
import { SERVICE_NODE_OPTIONS } from '../../libs/testing/src/node-options.ts';
import {
  SIM_CATALOG as CATALOG,
  SIM_STOCK_CODES as STOCK_CODES,
} from '../../libs/testing/src/sim-catalog.ts';
import {
  type NotificationCounts,
  type PublishedAlert,
  countNotifications,
  makeAlerts,
  publishAlerts,
} from './notifications.ts';
import { type WebhookReceiver, startWebhookReceiver } from '../scripts/webhook-receiver.ts';

export interface ChaosOptions {
  /** Orders generated in the simulator, spread over the shops and the waves. */
  orders: number;
  /** Simulator shops (the first tenant gets two of them, every other shop its own tenant). */
  shops: number;
  /** Generation waves: orders keep arriving while things are killed. */
  waves: number;
  /** Time between two waves, ms. */
  waveIntervalMs: number;
  /** SIGKILLs per service (gateway, credentials, ingestion, mapping, fulfillment, notifications). */
  killsPerService: number;
  /**
   * Alerts published on `shop.alert` per tenant with each wave; each must reach the tenant's
   * e-mail recipient and webhook endpoint exactly once (by Message-ID / webhook-id).
   */
  alertsPerTenantPerWave: number;
  /** Share of webhook requests the receiver answers 500 (the service retries them). */
  webhookFailureRate: number;
  brokerRestarts: number;
  postgresRestarts: number;
  /** Simulator faults: 5 % server errors, 2 % timeouts, throttling bursts, a maintenance window. */
  faults: boolean;
  maintenanceMs: number;
  throttleBursts: number;
  /** Longest wait for everything to settle after the last wave, ms. */
  settleTimeoutMs: number;
  /**
   * Candidate port bases: the run takes the first whose ports are all free (HTTP base … base+4,
   * the services' TCP ports base+10 … base+14, the simulator base+20). Free at the start is
   * the best one can do: these ports lie in Linux's ephemeral range, so an outgoing connection
   * may hold one for a while (a service then fails to listen and its supervisor retries).
   */
  portBases: number[];
  kafka: { port: number; dataDir: string; fresh: boolean };
  /** The private cluster (tools/chaos/pg.sh); `dir` defaults to one the `postgres` user can reach, outside the checkout. */
  postgres: { port: number; dir?: string };
  /** Repository root (tools/, node_modules/). */
  root: string;
  /** The built services (`dist/`, or a copy of it that other builds cannot change mid-run). */
  dist: string;
  /** Where the services' logs go. */
  logDir: string;
  seed: number;
  log: (line: string) => void;
  /** Aborts the run (Ctrl-C): everything started is stopped. */
  signal?: AbortSignal;
}

export function defaultOptions(overrides: Partial<ChaosOptions> = {}): ChaosOptions {
  const root = overrides.root ?? process.cwd();
  return {
    orders: 20_000,
    shops: 3,
    waves: 6,
    waveIntervalMs: 20_000,
    killsPerService: 3,
    alertsPerTenantPerWave: 25,
    webhookFailureRate: 0.1,
    brokerRestarts: 1,
    postgresRestarts: 1,
    faults: true,
    maintenanceMs: 60_000,
    throttleBursts: 4,
    settleTimeoutMs: 15 * 60_000,
    portBases: Array.from({ length: 10 }, (_, k) => 30_000 + 30 * k),
    kafka: { port: 19_492, dataDir: join(root, '.data', 'kafka-chaos'), fresh: true },
    postgres: { port: 55_433 },
    root,
    dist: join(root, 'dist'),
    logDir: join(root, '.data', 'chaos-logs'),
    seed: Date.now() % 100_000,
    log: (line) => console.log(line),
    ...overrides,
  };
}

export interface ChaosResult {
  report: ChaosReport;
  /** What was done to the platform. */
  disruptions: {
    kills: Record<string, number>;
    /** Processes that ended by themselves (e.g. during a database outage) and were restarted. */
    selfExits: Record<string, number>;
    brokerRestarts: number;
    postgresRestarts: number;
    maintenanceWindowMs: number;
    throttleBursts: number;
    /** RMS calls answered with an injected fault, by kind (from the simulator's call log). */
    injectedFaults: Record<string, number>;
    rmsCalls: number;
  };
  /** Alerts published and what reached the mail catcher and the webhook receiver. */
  notifications: NotificationCounts;
  /** Tenants' secrets found in the services' logs (must be 0). */
  secretsInLogs: number;
  warehouse: { shipped: number; retries: number };
  durationMs: number;
  settled: boolean;
  /** Disruptions that could not be carried out (e.g. a broker that did not come back). */
  failedDisruptions: string[];
  timeline: string[];
}

// ---------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small deterministic PRNG (mulberry32), so a run's schedule can be replayed by its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function http(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
  timeoutMs = 30_000,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: Json = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed };
}

/** A call that must succeed; retried while the platform is being disrupted. */
async function must(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
  attempts = 30,
): Promise<Json> {
  let last = '';
  for (let i = 0; i < attempts; i++) {
    try {
      const answer = await http(method, url, body, token);
      if (answer.status >= 200 && answer.status < 300) return answer.body;
      last = `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      if (answer.status < 500 && answer.status !== 404 && answer.status !== 409) break;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(1000);
  }
  throw new Error(`${method} ${url}: ${last}`);
}

/** A service run as a process under a supervisor that restarts it when it ends by itself. */
class Supervised {
  private child?: ChildProcess;
  private stopping = false;
  kills = 0;
  selfExits = 0;
  readonly name: string;
  readonly logFile: string;
  private readonly main: string;
  private readonly env: Record<string, string>;
  readonly httpPort: number;
  private readonly onEvent: (line: string) => void;

  constructor(args: {
    name: string;
    app: string;
    dist: string;
    logDir: string;
    httpPort: number;
    env: Record<string, string>;
    onEvent: (line: string) => void;
  }) {
    this.name = args.name;
    this.httpPort = args.httpPort;
    this.env = { ...args.env, HTTP_PORT: String(args.httpPort) };
    this.main = join(args.dist, 'apps', args.app, 'apps', args.app, 'src', 'main.js');
    this.logFile = join(args.logDir, `${args.name}.log`);
    this.onEvent = args.onEvent;
    if (!existsSync(this.main))
      throw new Error(`${this.main} missing: build first (npm run build)`);
  }

  spawn(): void {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [this.main], {
      env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: SERVICE_NODE_OPTIONS, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.once('exit', (code, signal) => {
      if (this.child !== child || this.stopping || signal === 'SIGKILL') return;
      this.selfExits++;
      this.onEvent(`${this.name} ended by itself (${signal ?? code}); restarting`);
      setTimeout(() => {
        if (!this.stopping && this.child === child) this.spawn();
      }, 1000);
    });
    this.child = child;
  }

  async ready(timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${this.httpPort}/health/ready`, {
          signal: AbortSignal.timeout(2000),
        });
        if (response.ok) return;
      } catch {
        // not up yet
      }
      await sleep(300);
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms; see ${this.logFile}`);
  }

  private lock: Promise<void> = Promise.resolve();

  /** SIGKILL, then a new process after `pauseMs` (no waiting for it to be ready). */
  killAndRestart(pauseMs: number): Promise<void> {
    // Two kills of one service never overlap (that would start two processes on one port).
    this.lock = this.lock.then(() => this.killNow(pauseMs));
    return this.lock;
  }

  private async killNow(pauseMs: number): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    this.kills++;
    await sleep(pauseMs);
    if (!this.stopping) this.spawn();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The SKU the first tenant has none of at the start and receives during the run: its packages
 * with other lines ship in two parts (split policy ship_available).
 */
const SPLIT_SKU = 'RICE-005';

const todayJst = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);

/** The warehouse's tracking numbers for a fulfillment order: the same on every retry. */
function trackingNumbers(fulfillmentOrderId: string): string[] {
  const digest = createHash('sha256').update(fulfillmentOrderId).digest();
  const first = (digest.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0');
  if (digest[8] % 10 !== 0) return [first];
  const second = (digest.readBigUInt64BE(9) % 10n ** 12n).toString().padStart(12, '0');
  return second === first ? [first] : [first, second];
}

// ---------------------------------------------------------------------------------------------

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const timeline: string[] = [];
  const say = (line: string) => {
    const stamped = `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`;
    timeline.push(stamped);
    options.log(stamped);
  };
  const random = prng(options.seed);
  const { root } = options;
  mkdirSync(options.logDir, { recursive: true });

  const kafkaEnv = {
    ...(process.env as Record<string, string>),
    KAFKA_PORT: String(options.kafka.port),
    KAFKA_DATA_DIR: options.kafka.dataDir,
    // A loaded machine can take minutes to start a broker; kafka.sh stops it after this long.
    KAFKA_START_TIMEOUT: process.env.KAFKA_START_TIMEOUT ?? '600',
  };
  const pgEnv = {
    ...(process.env as Record<string, string>),
    CHAOS_PG_PORT: String(options.postgres.port),
    ...(options.postgres.dir ? { CHAOS_PG_DIR: options.postgres.dir } : {}),
    // The cluster is deleted at the end; its server log stays with the run's logs.
    CHAOS_PG_KEEP_LOG: join(options.logDir, 'postgres.log'),
  };
  // Asynchronous on purpose: a blocked event loop would stall the warehouse, the supervisor and
  // the pipes the services log into while the broker restarts.
  const script = (file: string, args: string[], env: Record<string, string>) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('bash', [join(root, file), ...args], { env });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${file} ${args.join(' ')} failed: ${output}`)),
      );
    });
  const kafka = (action: string) => script('tools/kafka/kafka.sh', [action], kafkaEnv);
  const postgres = (action: string) => script('tools/chaos/pg.sh', [action], pgEnv);

  const base = await freePortBase(
    options.portBases,
    [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 20, 21, 22],
  );
  const SIM = `http://127.0.0.1:${base + 20}`;
  const API = `http://127.0.0.1:${base}/api/v1`;
  const databaseUrl = `postgres://postgres@127.0.0.1:${options.postgres.port}/smartship`;
  const brokers = `127.0.0.1:${options.kafka.port}`;
  const masterKeys = `chaos:${randomBytes(32).toString('base64')}`;
  const operatorToken = `op_${randomBytes(24).toString('base64url')}`;

  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    MASTER_KEYS: masterKeys,
    RAKUTEN_BASE_URL: SIM,
  };
  const tcp = (n: number) => String(base + 10 + n);
  const onEvent = (line: string) => say(line);
  const make = (name: string, httpPort: number, env: Record<string, string>) =>
    new Supervised({
      name,
      app: name,
      dist: options.dist,
      logDir: options.logDir,
      httpPort,
      env,
      onEvent,
    });
  const sim = make('rakuten-sim', base + 20, { NODE_ENV: 'test', LOG_LEVEL: 'warn' });
  const services = {
    credentials: make('credentials', base + 1, {
      ...common,
      TCP_PORT: tcp(1),
      LICENSE_KEY_ACTIVATION_MINUTES: '0',
      RAKUTEN_TIMEOUT_MS: '3000',
    }),
    ingestion: make('ingestion', base + 2, {
      ...common,
      TCP_PORT: tcp(2),
      RAKUTEN_ORDER_RPS: '50',
      RAKUTEN_INVENTORY_RPS: '50',
      RAKUTEN_TIMEOUT_MS: '2000',
      POLL_INTERVAL_MS: '4000',
      POLL_JITTER: '0',
      POLL_TICK_MS: '500',
      POLL_LEASE_MS: '10000',
      SHIPPING_TICK_MS: '1000',
      SHIPPING_RECONCILE_AFTER_MS: '5000',
      STOCK_PUSH_TICK_MS: '1000',
    }),
    mapping: make('mapping', base + 3, { ...common, TCP_PORT: tcp(3) }),
    fulfillment: make('fulfillment', base + 4, { ...common, TCP_PORT: tcp(4) }),
    // E-mail to the run's catcher (base + 21), webhooks to its HTTPS receiver (base + 22), whose
    // self-signed certificate is trusted through WEBHOOK_CA_FILE. Quick retries and a short
    // lease, so that what a SIGKILL interrupted is sent again within the run.
    notifications: make('notifications', base + 5, {
      ...common,
      TCP_PORT: tcp(5),
      SMTP_URL: `smtp://127.0.0.1:${base + 21}`,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_CA_FILE: join(options.logDir, 'webhook-ca.pem'),
      WEBHOOK_RETRY_BASE_MS: '500',
      WEBHOOK_RETRY_MAX_MS: '5000',
      DELIVERY_LEASE_MS: '10000',
    }),
    gateway: make('gateway', base, {
      ...common,
      OPERATOR_TOKEN: operatorToken,
      // The simulated warehouse confirms thousands of shipments a minute for one tenant: the run
      // measures the pipeline, not the per-tenant API limit (tested in rate-limits.int-spec.ts).
      RATE_LIMIT_API_PER_SECOND: '0',
      RATE_LIMIT_RAKUTEN_PER_MINUTE: '0',
      CREDENTIALS_TCP: `127.0.0.1:${tcp(1)}`,
      INGESTION_TCP: `127.0.0.1:${tcp(2)}`,
      MAPPING_TCP: `127.0.0.1:${tcp(3)}`,
      FULFILLMENT_TCP: `127.0.0.1:${tcp(4)}`,
      NOTIFICATIONS_TCP: `127.0.0.1:${tcp(5)}`,
    }),
  };
  const all = [sim, ...Object.values(services)];
  let catcher: MailCatcher | undefined;
  let receiver: WebhookReceiver | undefined;
  const alerts: PublishedAlert[] = [];
  const recipients: string[] = [];
  const alertKafka = new Kafka({
    clientId: 'chaos-alerts',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  });
  let kafkaUp = true;
  let postgresUp = true;
  let warehouseRunning = false;
  let warehouseLoop: Promise<void> = Promise.resolve();
  const shipped = new Set<string>();
  let warehouseRetries = 0;
  const secrets: string[] = [masterKeys.split(':')[1]];
  const shops: { sim: string; connectionId: string; tenantId: string; token: string }[] = [];
  const tenants: { id: string; token: string }[] = [];
  const disruptions: ChaosResult['disruptions'] = {
    kills: {},
    selfExits: {},
    brokerRestarts: 0,
    postgresRestarts: 0,
    maintenanceWindowMs: 0,
    throttleBursts: 0,
    injectedFaults: {},
    rmsCalls: 0,
  };
  const initialStock: Record<string, Record<string, number>> = {};
  const failedDisruptions: string[] = [];
  const stockPerSku = 90_000;
  let settled = false;

  try {
    // ---- infrastructure -------------------------------------------------------------------------
    say(`private PostgreSQL on :${options.postgres.port}, Kafka on :${options.kafka.port}`);
    await script('tools/chaos/pg.sh', ['start'], { ...pgEnv, CHAOS_PG_FRESH: '1' });
    spawnSync(
      process.execPath,
      [
        '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
        join(root, 'tools/scripts/prepare-db.mts'),
        databaseUrl,
        '--fresh',
      ],
      { encoding: 'utf8' },
    );
    if (options.kafka.fresh) {
      await script('tools/kafka/kafka.sh', ['start'], { ...kafkaEnv, KAFKA_FRESH: '1' });
    } else await kafka('start');

    catcher = await startMailCatcher({ port: base + 21, dir: join(options.logDir, 'mail') });
    receiver = await startWebhookReceiver({
      port: base + 22,
      failureRate: options.webhookFailureRate,
      random,
    });
    writeFileSync(join(options.logDir, 'webhook-ca.pem'), receiver.certificate);

    sim.spawn();
    await sim.ready();
    // Fast async shipping results; no bodies in the call log (memory).
    await must('PUT', `${SIM}/__sim/settings`, {
      asyncShippingDelayMs: 1000,
      callLogBodies: false,
      faultSeed: options.seed,
    });
    for (const service of Object.values(services)) service.spawn();
    await Promise.all(Object.values(services).map((service) => service.ready()));
    say(
      'services ready: gateway, credentials, ingestion, mapping, fulfillment, notifications, rakuten-sim',
    );

    // ---- tenants, shops, SKUs, stock ------------------------------------------------------------
    for (let i = 0; i < options.shops; i++) {
      if (i === 0 || i >= 2) {
        const created = await must(
          'POST',
          `${API}/tenants`,
          { name: `chaos tenant ${i}` },
          operatorToken,
        );
        tenants.push({ id: created.tenant.id as string, token: created.token.token as string });
      }
      const tenant = tenants[tenants.length - 1];
      const simShop = String(7001 + i);
      const serviceSecret = `SPchaos${i}${randomBytes(8).toString('hex')}`;
      const licenseKey = `SLchaos${i}${randomBytes(8).toString('hex')}`;
      secrets.push(serviceSecret, licenseKey);
      await must('POST', `${SIM}/__sim/shops`, { shopId: simShop, serviceSecret, licenseKey });
      const name = `chaos-shop-${i}-${options.seed}`;
      const registered = await must(
        'POST',
        `${API}/shops/rakuten`,
        {
          shopId: name,
          shopUrl: `https://www.rakuten.ne.jp/${name}`,
          serviceSecret,
          licenseKey,
          options: { autoOrderSync: true, autoOrderConfirm: false, autoFulfillmentDispatch: true },
        },
        tenant.token,
      );
      shops.push({
        sim: simShop,
        connectionId: registered.shop.id as string,
        tenantId: tenant.id,
        token: tenant.token,
      });
    }
    for (const [t, tenant] of tenants.entries()) {
      for (const sku of CATALOG) await must('POST', `${API}/skus`, sku, tenant.token);
      initialStock[tenant.id] = {};
      for (const code of STOCK_CODES) {
        // The first tenant's rice arrives during the run (see SPLIT_SKU): until then none.
        const late = t === 0 && code === SPLIT_SKU;
        await must(
          'PUT',
          `${API}/inventory/${code}`,
          { onHand: late ? 0 : stockPerSku },
          tenant.token,
        );
        initialStock[tenant.id][code] = stockPerSku;
      }
    }
    // Split shipments: the first tenant's shops ship what is there; a package with rice and
    // something else goes out in two parts (the rice as a back-order when it arrives).
    for (const shop of shops.filter((candidate) => candidate.tenantId === tenants[0].id)) {
      await must(
        'PUT',
        `${API}/shops/${shop.connectionId}/fulfillment-settings`,
        { splitPolicy: 'ship_available' },
        shop.token,
      );
    }
    say(
      `${tenants.length} tenants, ${shops.length} shops registered; ${STOCK_CODES.length} SKUs with ${stockPerSku} units each per tenant`,
    );
    // Each tenant: one e-mail recipient and one webhook endpoint for every alert kind.
    for (const [i, tenant] of tenants.entries()) {
      const email = `ops-${i}-${options.seed}@chaos.example`;
      await must(
        'POST',
        `${API}/notification-recipients`,
        { email, kinds: ALERT_KINDS },
        tenant.token,
      );
      recipients.push(email);
      const endpoint = await must(
        'POST',
        `${API}/webhook-endpoints`,
        { url: `https://127.0.0.1:${base + 22}/tenant-${i}`, kinds: ALERT_KINDS },
        tenant.token,
      );
      receiver.secrets.set(`/tenant-${i}`, endpoint.secret as string);
    }
    say(`notifications: ${recipients.length} recipients and webhook endpoints`);

    // ---- the warehouse --------------------------------------------------------------------------
    warehouseRunning = true;
    const shipDate = todayJst();
    warehouseLoop = (async () => {
      while (warehouseRunning) {
        // Tenants in parallel: one tenant's shipments contend for the same stock rows.
        await Promise.all(
          tenants.map(async (tenant) => {
            try {
              let cursor: string | null = null;
              const ready: Json[] = [];
              do {
                const page: Json = await http(
                  'GET',
                  `${API}/fulfillment-orders?status=ready&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
                  undefined,
                  tenant.token,
                  10_000,
                );
                if (page.status !== 200) break;
                ready.push(...(page.body.items as Json[]));
                cursor = page.body.nextCursor as string | null;
              } while (cursor && ready.length < 2000);
              for (let i = 0; i < ready.length && warehouseRunning; i += 24) {
                await Promise.all(
                  ready.slice(i, i + 24).map(async (fo: Json) => {
                    try {
                      const answer = await http(
                        'POST',
                        `${API}/fulfillment-orders/${fo.id}/ship`,
                        {
                          carrierCode: '1001',
                          trackingNumbers: trackingNumbers(fo.id as string),
                          shippingDate: shipDate,
                        },
                        tenant.token,
                        10_000,
                      );
                      if (answer.status === 200) shipped.add(fo.id as string);
                      else {
                        warehouseRetries++;
                        if (answer.status < 500 && answer.status !== 404) {
                          say(
                            `warehouse: ship ${fo.id} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
                          );
                        }
                      }
                    } catch {
                      warehouseRetries++;
                    }
                  }),
                );
              }
            } catch {
              // the gateway is down for the moment; the next round tries again
            }
          }),
        );
        await sleep(1000);
      }
    })();

    // ---- faults and the disruption schedule -----------------------------------------------------
    const activeMs = Math.max(1, options.waves) * options.waveIntervalMs + 10_000;
    const simNow = Date.parse(((await must('GET', `${SIM}/__sim/clock`)) as { now: string }).now);
    const bursts: { from: string; to: string }[] = [];
    // The faults: 5 % server errors and 2 % timeouts for the whole run; throttling bursts during
    // the waves; the maintenance window (and more bursts) at the start of the settle phase, when
    // pulls, shipping reports and stock pushes are surely under way (a window that fell while
    // the broker was down would meet no call at all).
    const faultRules = (windows: { from: string; to: string }[]) => [
      ...windows.map((burst) => ({ kind: 'throttle', ...burst })),
      { kind: 'http500', rate: 0.05 },
      // 2 % of all calls: the rule sees the 95 % the first one let through.
      { kind: 'timeout', rate: 0.02 / 0.95, delayMs: 3_000 },
    ];
    if (options.faults) {
      for (let i = 0; i < options.throttleBursts; i++) {
        const at = simNow + activeMs * (0.1 + 0.8 * random());
        bursts.push({ from: new Date(at).toISOString(), to: new Date(at + 5_000).toISOString() });
      }
      await must('PUT', `${SIM}/__sim/faults`, { rules: faultRules(bursts), maintenance: null });
      disruptions.throttleBursts = bursts.length;
      say(
        `faults on: 5 % HTTP 500, 2 % timeouts (answer held 3 s), ${bursts.length} throttling bursts of 5 s during the waves`,
      );
    }

    type Action = { at: number; what: string; infrastructure?: boolean; run: () => Promise<void> };
    const actions: Action[] = [];
    let infrastructure: Promise<void> = Promise.resolve();
    /** Brings the broker back, trying again if a start fails (the services wait for it). */
    const kafkaStart = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await kafka('start');
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
          say(`broker start failed (attempt ${attempt}), trying again`);
        }
      }
    };
    const running: Promise<void>[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (let k = 0; k < options.killsPerService; k++) {
        actions.push({
          at: activeMs * (0.05 + 0.9 * random()),
          what: `SIGKILL ${name}`,
          run: async () => {
            await service.killAndRestart(Math.round(500 + 2500 * random()));
            disruptions.kills[name] = (disruptions.kills[name] ?? 0) + 1;
          },
        });
      }
    }
    actions.push({
      at: activeMs * 0.6,
      what: `stock arrives: ${SPLIT_SKU} for the first tenant (back-orders go out)`,
      run: async () => {
        // The gateway may be down (a kill). The count is absolute: a second PUT after back-orders
        // shipped would give their units back, so a retry first looks whether the first one took.
        for (;;) {
          const levels = await http(
            'GET',
            `${API}/inventory?skuCode=${SPLIT_SKU}`,
            undefined,
            tenants[0].token,
            10_000,
          ).catch(() => undefined);
          if (levels?.status !== 200) {
            await sleep(1_000);
            continue;
          }
          const row = (levels.body.items as Json[]).find((item) => item.skuCode === SPLIT_SKU);
          if (row && Number(row.onHand) > 0) return;
          await http(
            'PUT',
            `${API}/inventory/${SPLIT_SKU}`,
            { onHand: stockPerSku, note: 'chaos: late arrival' },
            tenants[0].token,
            10_000,
          ).catch(() => undefined);
        }
      },
    });
    for (let k = 0; k < options.brokerRestarts; k++) {
      actions.push({
        at: activeMs * (0.15 + 0.7 * random()),
        what: 'restart the Kafka broker',
        infrastructure: true,
        run: async () => {
          kafkaUp = false;
          await kafka('stop');
          await sleep(3_000);
          await kafkaStart();
          kafkaUp = true;
          disruptions.brokerRestarts++;
        },
      });
    }
    for (let k = 0; k < options.postgresRestarts; k++) {
      actions.push({
        at: activeMs * (0.15 + 0.7 * random()),
        what: 'crash and restart PostgreSQL (immediate stop)',
        infrastructure: true,
        run: async () => {
          postgresUp = false;
          await postgres('crash');
          await sleep(3_000);
          await postgres('start');
          postgresUp = true;
          disruptions.postgresRestarts++;
        },
      });
    }
    actions.sort((a, b) => a.at - b.at);

    // Waves of orders, and the actions, on one clock.
    const waveStart = Date.now();
    const perWave = Math.ceil(options.orders / Math.max(1, options.waves));
    let generated = 0;
    let wave = 0;
    let nextAction = 0;
    while (wave < options.waves || nextAction < actions.length) {
      options.signal?.throwIfAborted();
      const now = Date.now() - waveStart;
      if (wave < options.waves && now >= wave * options.waveIntervalMs) {
        const count = Math.min(perWave, options.orders - generated);
        for (let s = 0; s < shops.length && count > 0; s++) {
          const share = Math.floor(count / shops.length) + (s < count % shops.length ? 1 : 0);
          if (share === 0) continue;
          await must('POST', `${SIM}/__sim/shops/${shops[s].sim}/orders/generate`, {
            count: share,
            seed: options.seed * 100 + wave * 10 + s,
            from: new Date(Date.now() - 3 * 86_400_000).toISOString(),
            to: new Date(Date.now() - 60_000).toISOString(),
            progress: 300,
            maxPackages: 2,
          });
        }
        generated += count;
        // Alerts too, published on their own (the broker may be down: they are retried).
        const waveAlerts = makeAlerts(
          tenants.map((tenant) => tenant.id),
          options.alertsPerTenantPerWave,
          options.seed,
          wave,
        );
        alerts.push(...waveAlerts);
        running.push(
          publishAlerts(alertKafka, waveAlerts, options.signal).catch((error: unknown) => {
            failedDisruptions.push(`publishing alerts: ${(error as Error).message}`);
          }),
        );
        wave++;
        say(
          `wave ${wave}/${options.waves}: ${count} orders (${generated} so far), ${waveAlerts.length} alerts`,
        );
        continue;
      }
      if (nextAction < actions.length && now >= actions[nextAction].at) {
        // Not awaited: a kill may land while the broker or the database is down. Restarts of the
        // infrastructure are chained so that one finishes before the next begins.
        const action = actions[nextAction++];
        say(action.what);
        const done = action.infrastructure
          ? (infrastructure = infrastructure.catch(() => undefined).then(action.run))
          : action.run();
        running.push(
          done.then(
            () => say(`${action.what}: done`),
            (error: unknown) => {
              failedDisruptions.push(`${action.what}: ${(error as Error).message}`);
              say(`${action.what} failed: ${(error as Error).message}`);
            },
          ),
        );
        continue;
      }
      await sleep(200);
    }
    await Promise.all(running);
    say(
      `every wave generated and every disruption done (kafka ${kafkaUp ? 'up' : 'down'}, postgres ${postgresUp ? 'up' : 'down'})`,
    );

    let faultWindowsMs = 0;
    if (options.faults && (options.maintenanceMs > 0 || options.throttleBursts > 0)) {
      const now = Date.parse(((await must('GET', `${SIM}/__sim/clock`)) as { now: string }).now);
      const maintenance =
        options.maintenanceMs > 0
          ? {
              from: new Date(now + 2_000).toISOString(),
              to: new Date(now + 2_000 + options.maintenanceMs).toISOString(),
            }
          : null;
      const after = now + 2_000 + options.maintenanceMs;
      const more = Array.from({ length: options.throttleBursts }, (_, i) => ({
        from: new Date(after + 10_000 + 20_000 * i).toISOString(),
        to: new Date(after + 15_000 + 20_000 * i).toISOString(),
      }));
      await must('PUT', `${SIM}/__sim/faults`, { rules: faultRules(more), maintenance });
      faultWindowsMs = Math.max(after - now, ...more.map((burst) => Date.parse(burst.to) - now));
      disruptions.maintenanceWindowMs = maintenance ? options.maintenanceMs : 0;
      disruptions.throttleBursts += more.length;
      say(
        `maintenance window ${maintenance ? `${maintenance.from} → ${maintenance.to}` : 'none'}, then ${more.length} more throttling bursts of 5 s`,
      );
    }

    // ---- settle ----------------------------------------------------------------------------------
    // Settled: every order shipped on Rakuten, nothing reserved, and Rakuten's stock unchanged over
    // two checks — counted only once the last injected fault window has ended, because a stock
    // push held up by maintenance or throttling leaves the stock still for a while too (a CI run
    // checked in the middle of a throttling burst and found 10 listings not pushed yet).
    const deadline = Date.now() + options.settleTimeoutMs;
    const faultsEnd = Date.now() + faultWindowsMs + 5_000;
    let stableChecks = 0;
    let lastStock = '';
    let lastProgress = '';
    while (Date.now() < deadline) {
      options.signal?.throwIfAborted();
      try {
        let open = 0;
        let total = 0;
        let stock = '';
        for (const shop of shops) {
          const orders = (await must('GET', `${SIM}/__sim/shops/${shop.sim}/orders`)) as Json[];
          total += orders.length;
          open += orders.filter((order) => order.progress !== 500).length;
          stock += JSON.stringify(await must('GET', `${SIM}/__sim/shops/${shop.sim}/stock`));
        }
        let reserved = 0;
        for (const tenant of tenants) {
          const levels = await http('GET', `${API}/inventory?limit=500`, undefined, tenant.token);
          if (levels.status !== 200) reserved++;
          else
            for (const level of levels.body.items as Json[]) reserved += level.reserved as number;
        }
        const progress = `${total - open}/${total} shipped on Rakuten, ${reserved} units reserved`;
        if (progress !== lastProgress) say(progress);
        lastProgress = progress;
        stableChecks = stock === lastStock ? stableChecks + 1 : 0;
        lastStock = stock;
        const quiet = Date.now() >= faultsEnd && stableChecks >= 2;
        const told = countNotifications({
          alerts,
          recipients,
          mails: catcher.messages,
          webhooks: receiver.requests,
        });
        const notified = told.emailsLost === 0 && told.webhooksLost === 0;
        if (!notified)
          say(
            `notifications: ${told.emailsReceived}/${told.emailsExpected} e-mails, ${told.webhooksExpected - told.webhooksLost}/${told.webhooksExpected} webhooks`,
          );
        if (open === 0 && reserved === 0 && total >= generated && quiet && notified) {
          settled = true;
          break;
        }
      } catch (error) {
        say(`settle check failed for now: ${(error as Error).message}`);
      }
      await sleep(3_000);
    }
    say(settled ? 'settled' : `did not settle within ${options.settleTimeoutMs / 1000} s`);
    warehouseRunning = false;
    await warehouseLoop;

    // ---- gather both sides and check -------------------------------------------------------------
    const calls = (await must('GET', `${SIM}/__sim/calls`)) as Json[];
    disruptions.rmsCalls = calls.length;
    for (const call of calls) {
      if (call.fault)
        disruptions.injectedFaults[call.fault] = (disruptions.injectedFaults[call.fault] ?? 0) + 1;
    }
    await must('DELETE', `${SIM}/__sim/faults`);
    const shopInputs: ShopInput[] = [];
    for (const shop of shops) {
      const orders = (await must('GET', `${SIM}/__sim/shops/${shop.sim}/orders`)) as Json[];
      shopInputs.push({
        simShopId: shop.sim,
        connectionId: shop.connectionId,
        tenantId: shop.tenantId,
        generated: orders.map((order) => order.orderNumber as string),
        orders,
        reports: await must('GET', `${SIM}/__sim/shops/${shop.sim}/shipping-reports`),
        stock: await must('GET', `${SIM}/__sim/shops/${shop.sim}/stock`),
      });
    }
    const stockLevels: StockLevelInput[] = [];
    for (const tenant of tenants) {
      const page = await must('GET', `${API}/inventory?limit=500`, undefined, tenant.token);
      for (const level of page.items as Json[]) stockLevels.push({ tenantId: tenant.id, ...level });
    }
    const connectionIds = new Set(shops.map((shop) => shop.connectionId));
    const messages = (
      await readTopics(brokers, [
        'order.pulled',
        'shipment.ready',
        'order.shipped',
        'listing.stock.changed',
        'shop.updated',
        'inventory.changed',
      ])
    ).filter((message) => {
      if (message.topic === 'inventory.changed') return true;
      try {
        return connectionIds.has((JSON.parse(message.value ?? '{}') as { shopId: string }).shopId);
      } catch {
        return false;
      }
    });
    const report = checkChaos({ shops: shopInputs, messages, initialStock, stockLevels });

    // No tenant secret nor the master key in the services' logs or on Kafka.
    let secretsInLogs = 0;
    const haystack =
      all.map((service) => readFileSync(service.logFile, 'utf8')).join('\n') +
      messages.map((message) => message.value).join('\n');
    for (const secret of secrets) if (haystack.includes(secret)) secretsInLogs++;

    for (const service of all) {
      disruptions.selfExits[service.name] = service.selfExits;
      disruptions.kills[service.name] ??= 0;
    }
    const notifications = countNotifications({
      alerts,
      recipients,
      mails: catcher.messages,
      webhooks: receiver.requests,
    });
    say(
      `notifications: ${notifications.alertsPublished} alerts; e-mails ${notifications.emailsReceived}/${notifications.emailsExpected} (${notifications.emailsDuplicate} sent twice); webhooks ${notifications.webhooksDelivered}/${notifications.webhooksExpected} (${notifications.webhooksDuplicate} twice, ${notifications.webhooksRefused} refused on purpose and retried, ${notifications.webhooksUnverified} bad signatures)`,
    );
    return {
      report,
      disruptions,
      notifications,
      secretsInLogs,
      warehouse: { shipped: shipped.size, retries: warehouseRetries },
      durationMs: Date.now() - started,
      settled,
      failedDisruptions,
      timeline,
    };
  } finally {
    warehouseRunning = false;
    await warehouseLoop.catch(() => undefined);
    await services.gateway.stop();
    await Promise.all(
      [
        services.credentials,
        services.ingestion,
        services.mapping,
        services.fulfillment,
        services.notifications,
      ].map((service) => service.stop()),
    );
    await sim.stop();
    await catcher?.close();
    await receiver?.close();
    try {
      if (options.kafka.fresh) await kafka('stop');
      // A broker the run does not own goes back up if the run ended during its restart.
      else if (!kafkaUp) await kafka('start');
    } catch (error) {
      options.log(`kafka stop: ${(error as Error).message}`);
    }
    try {
      await postgres('remove');
    } catch (error) {
      options.log(`postgres remove: ${(error as Error).message}`);
    }
  }
}

/** The first base whose ports (base + each offset) can all be listened on right now. */
async function freePortBase(bases: number[], offsets: number[]): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (const base of bases) {
    let all = true;
    for (const offset of offsets) if (!(await free(base + offset))) all = false;
    if (all) return base;
  }
  throw new Error(`no free port block among ${bases.join(', ')}`);
}

/** Every message of the topics, from the beginning to the end offsets at the time of the call. */
export async function readTopics(brokers: string, topics: string[]): Promise<PublishedMessage[]> {
  const kafka = new Kafka({
    clientId: 'chaos-checker',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const wanted = topics.filter((topic) => existing.has(topic));
  const remaining = new Map<string, bigint>();
  for (const topic of wanted) {
    for (const partition of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(partition.high) > BigInt(partition.low)) {
        remaining.set(`${topic}|${partition.partition}`, BigInt(partition.high));
      }
    }
  }
  await admin.disconnect();
  const messages: PublishedMessage[] = [];
  if (remaining.size === 0) return messages;
  const consumer = kafka.consumer({
    groupId: `chaos-checker-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    maxWaitTimeInMs: 200,
    maxBytes: 50 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: wanted, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`reading the topics timed out; ${remaining.size} partitions left`)),
      300_000,
    );
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            messages.push({
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              value: message.value?.toString() ?? null,
            });
          }
          const key = `${batch.topic}|${batch.partition}`;
          const high = remaining.get(key);
          if (high !== undefined && BigInt(batch.lastOffset()) + 1n >= high) remaining.delete(key);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return messages;
}
