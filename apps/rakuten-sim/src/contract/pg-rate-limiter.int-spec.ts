import 'reflect-metadata';

import {
  ensureRateLimiterSchema,
  licenseKeyId,
  PgRateLimiter,
  RakutenClient,
  RATE_LIMITER_SCHEMA,
  type SqlQuery,
} from '@smartship/rakuten';
import { uniqueSuffix } from '@smartship/testing';
import { Pool } from 'pg';

import { startSimulator, type RunningSimulator } from '../simulator-app';

/*
 * The PostgreSQL rate limiter shared by processes: two limiters with separate pools (as two
 * service instances would have) share one licence key, and the simulator — which throttles at the
 * same rate — must never see more calls than allowed in any second, measured on its own log, even
 * when a call is held up between the limiter and the simulator.
 */

const databaseUrl = process.env.TEST_DATABASE_URL;
if (!databaseUrl)
  throw new Error('TEST_DATABASE_URL is not set (see apps/rakuten-sim/README.md, Tests)');

const RATE = 5; // requests per second: a short test; the production default is 1
const suffix = uniqueSuffix();
const SHOP = {
  shopId: '654321',
  serviceSecret: `SP654321_${suffix}`,
  licenseKey: `SL654321_${suffix}`,
};

let running: RunningSimulator;
const pools: Pool[] = [];

function queryOf(pool: Pool): SqlQuery {
  return async (sql, params) => (await pool.query(sql, params)).rows as Record<string, unknown>[];
}

function instance(fetchFn?: typeof fetch): RakutenClient {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pools.push(pool);
  return new RakutenClient({
    credentials: SHOP,
    baseUrl: running.url,
    rateLimiter: new PgRateLimiter(queryOf(pool)),
    rateLimits: { order: RATE },
    retry: { attempts: 1 },
    fetch: fetchFn,
  });
}

/** The simulator's getOrder log since `since` (ms): every call must have been accepted. */
function acceptedSince(since: number): number[] {
  const received = running.simulator
    .getCalls({ shopId: SHOP.shopId, function: 'getOrder' })
    .filter((c) => c.atMs >= since);
  expect(received.map((c) => c.status).filter((status) => status !== 200)).toEqual([]);
  return received.map((c) => c.atMs).sort((x, y) => x - y);
}

/** In every window of 1000 ms the simulator saw at most RATE calls. */
function expectWithinRate(times: number[]): void {
  const crowded = times
    .map((t, i) => (i >= RATE ? t - times[i - RATE] : Infinity))
    .filter((span) => span < 1000);
  expect(crowded).toEqual([]);
}

function addOrder(): string {
  return (
    running.simulator.store.addOrder(SHOP.shopId, { lines: [{ manageNumber: 'mug-002' }] }) as {
      orderNumber: string;
    }
  ).orderNumber;
}

beforeAll(async () => {
  running = await startSimulator();
  const setup = new Pool({ connectionString: databaseUrl, max: 1 });
  pools.push(setup);
  await ensureRateLimiterSchema(queryOf(setup));
  running.simulator.store.createShop({ ...SHOP, rateLimits: { order: RATE } });
});

afterAll(async () => {
  await running?.close();
  await Promise.all(pools.map((pool) => pool.end()));
});

describe('PgRateLimiter', () => {
  it('ensureRateLimiterSchema is idempotent and safe when many processes call it at once', async () => {
    const fresh = Array.from(
      { length: 5 },
      () => new Pool({ connectionString: databaseUrl, max: 1 }),
    );
    pools.push(...fresh);
    await Promise.all(fresh.map((pool) => ensureRateLimiterSchema(queryOf(pool))));
    await ensureRateLimiterSchema(queryOf(fresh[0]));
    const { rows } = await fresh[0].query(
      `SELECT to_regclass('${RATE_LIMITER_SCHEMA}.buckets') AS t`,
    );
    expect(rows[0].t).toBe(`${RATE_LIMITER_SCHEMA}.buckets`);
  });

  it('two instances with separate pools sharing one key never exceed the rate at the simulator', async () => {
    const a = instance();
    const b = instance();
    const orderNumber = addOrder();
    const burst = (client: RakutenClient) =>
      Array.from({ length: 12 }, () => client.getOrder([orderNumber]));
    const started = performance.timeOrigin + performance.now();
    const results = await Promise.allSettled([...burst(a), ...burst(b)]);
    const elapsed = performance.timeOrigin + performance.now() - started;

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const times = acceptedSince(started);
    expect(times).toHaveLength(24);
    expectWithinRate(times);
    // ...and the limiter did not over-throttle: 24 calls at 5 per 1025 ms take about 4.7 s.
    expect(elapsed).toBeLessThan(9000);
  });

  it('a call held up on its way does not let the calls after it crowd its window', async () => {
    // The first call of instance a spends 700 ms between leaving the limiter and reaching the
    // simulator (a loaded machine, a new connection): spacing departures alone would let five
    // more arrive within one second of it. Here the others count it until it is answered.
    let first = true;
    const slowFirst: typeof fetch = async (input, init) => {
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
      return fetch(input, init);
    };
    const a = instance(slowFirst);
    const b = instance();
    const orderNumber = addOrder();
    const started = performance.timeOrigin + performance.now();
    const held = a.getOrder([orderNumber]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const results = await Promise.allSettled([
      held,
      ...Array.from({ length: 9 }, () => b.getOrder([orderNumber])),
    ]);

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const times = acceptedSince(started);
    expect(times).toHaveLength(10);
    expectWithinRate(times);
  });

  it('stores a hash of the licence key, never the key', async () => {
    const { rows } = await pools[0].query(
      `SELECT bucket FROM ${RATE_LIMITER_SCHEMA}.buckets WHERE bucket LIKE $1`,
      [`${licenseKeyId(SHOP.licenseKey)}%`],
    );
    expect(rows).toEqual([{ bucket: `${licenseKeyId(SHOP.licenseKey)}:order` }]);
    const { rows: calls } = await pools[0].query(
      `SELECT DISTINCT bucket FROM ${RATE_LIMITER_SCHEMA}.calls WHERE bucket LIKE $1`,
      [`${licenseKeyId(SHOP.licenseKey)}%`],
    );
    expect(calls).toEqual([{ bucket: `${licenseKeyId(SHOP.licenseKey)}:order` }]);
    const { rows: leaked } = await pools[0].query(
      `SELECT (SELECT count(*) FROM ${RATE_LIMITER_SCHEMA}.buckets WHERE bucket LIKE $1)
            + (SELECT count(*) FROM ${RATE_LIMITER_SCHEMA}.calls WHERE bucket LIKE $1) AS n`,
      [`%${SHOP.licenseKey}%`],
    );
    expect(Number(leaked[0].n)).toBe(0);
  });
});
