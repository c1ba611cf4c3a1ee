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
 * same rate — must never see more calls than allowed in any second, measured on its own log.
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

function instance(): RakutenClient {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pools.push(pool);
  return new RakutenClient({
    credentials: SHOP,
    baseUrl: running.url,
    rateLimiter: new PgRateLimiter(queryOf(pool)),
    rateLimits: { order: RATE },
    retry: { attempts: 1 },
  });
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
    const order = running.simulator.store.addOrder(SHOP.shopId, {
      lines: [{ manageNumber: 'mug-002' }],
    }) as { orderNumber: string };
    const burst = (client: RakutenClient) =>
      Array.from({ length: 12 }, () => client.getOrder([order.orderNumber]));
    const started = Date.now();
    const results = await Promise.allSettled([...burst(a), ...burst(b)]);
    const elapsed = Date.now() - started;

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const received = running.simulator.getCalls({ shopId: SHOP.shopId, function: 'getOrder' });
    expect(received).toHaveLength(24);
    expect(received.every((c) => c.status === 200)).toBe(true);
    // In every window of 1000 ms the simulator saw at most RATE calls.
    const times = received.map((c) => c.atMs).sort((x, y) => x - y);
    for (let i = RATE; i < times.length; i++)
      expect(times[i] - times[i - RATE]).toBeGreaterThanOrEqual(1000);
    // ...and the limiter did not over-throttle: 24 calls at 5 rps take about 4.6 s.
    expect(elapsed).toBeLessThan(7000);
  });

  it('stores a hash of the licence key, never the key', async () => {
    const { rows } = await pools[0].query(
      `SELECT bucket FROM ${RATE_LIMITER_SCHEMA}.buckets WHERE bucket LIKE $1`,
      [`${licenseKeyId(SHOP.licenseKey)}%`],
    );
    expect(rows).toEqual([{ bucket: `${licenseKeyId(SHOP.licenseKey)}:order` }]);
    const { rows: leaked } = await pools[0].query(
      `SELECT count(*)::int AS n FROM ${RATE_LIMITER_SCHEMA}.buckets WHERE bucket LIKE $1`,
      [`%${SHOP.licenseKey}%`],
    );
    expect(leaked[0].n).toBe(0);
  });
});
