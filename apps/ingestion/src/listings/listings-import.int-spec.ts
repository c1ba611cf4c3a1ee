/* eslint-disable @typescript-eslint/no-explicit-any -- database rows are untyped here. */
import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import { SecretBox } from '@smartship/crypto';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { randomInt } from 'node:crypto';
import type { Pool } from 'pg';

import {
  SimAdmin,
  TEST_MASTER_KEYS,
  connectProducer,
  eventsFor,
  ingestionEnv,
  newShop,
  produce,
  shopUpdated,
  startIngestion,
  testPool,
  type TestShop,
} from '../../test/harness';
import { ListingsImportService } from './listings-import.controller';

/*
 * The listings import against the simulator as a process: a shop first seen active is imported
 * at once; every item is published exactly once per run; the simulator's call log shows the
 * item budget of the key never exceeded; a restart resumes from the last recorded page.
 */
const infra = testInfrastructure();
const simPort = 24000 + randomInt(0, 900);
const sim = new SimAdmin(`http://127.0.0.1:${simPort}`);
const simProcess = new ServiceProcess({
  app: 'rakuten-sim',
  httpPort: simPort,
  env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
});
const box = SecretBox.fromEnv(TEST_MASTER_KEYS);
const ITEM_RPS = 5;
const env = () =>
  ingestionEnv(infra, sim.url, TEST_MASTER_KEYS, {
    KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
    RAKUTEN_ITEM_RPS: String(ITEM_RPS),
    LISTINGS_IMPORT_TICK_MS: '200',
  });

let app: INestApplication | undefined;
let collector: TopicCollector;
let producer: Producer;
let db: Pool;

beforeAll(async () => {
  await simProcess.start();
  app = await startIngestion(env());
  const kafka = testKafka(infra.kafkaBrokers);
  producer = await connectProducer(kafka);
  collector = await new TopicCollector(kafka, ['listings.imported']).start();
  db = testPool(infra.databaseUrl);
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await producer?.disconnect();
  await app?.close();
  await db?.end();
  await simProcess.stop();
});

interface Page {
  importId: string;
  page: number;
  last: boolean;
  items: { manageNumber: string; variants: { variantId: string; hidden: boolean }[] }[];
}

async function shopWithItems(count: number): Promise<TestShop> {
  // The simulator enforces the same item budget, so a call over it would show up as a 429.
  const shop = await newShop(sim, { rateLimits: { item: ITEM_RPS } });
  await sim.request('POST', `/shops/${shop.rakutenShopId}/catalog/generate`, { count });
  return shop;
}

async function importRow(shop: TestShop): Promise<Record<string, any>> {
  const { rows } = await db.query<Record<string, any>>(
    'SELECT * FROM ingestion.listing_imports WHERE shop_id = $1',
    [shop.id],
  );
  return rows[0];
}

/** Calls of each one-second window at the simulator never exceed the rate. */
function maxPerSecond(times: number[]): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('listings import', () => {
  it('imports a shop first seen active: every item once, within the item rate limit', async () => {
    const shop = await shopWithItems(1_250);
    await produce(producer, [shopUpdated(box, shop)]);
    await expectEventually(async () => expect((await importRow(shop))?.state).toBe('finished'), {
      timeoutMs: 30_000,
    });
    const row = await importRow(shop);
    expect(row).toMatchObject({ trigger: 'connect', pages: 13, items: 1_250, num_found: 1_250 });
    await expectEventually(() => {
      const pages = eventsFor<Page>(collector.on('listings.imported'), shop.id);
      expect(pages.filter((p) => p.data.last)).toHaveLength(1);
    });
    const pages = eventsFor<Page>(collector.on('listings.imported'), shop.id).map((e) => e.data);
    const items = pages.flatMap((p) => p.items.map((i) => i.manageNumber));
    expect(items).toHaveLength(1_250);
    expect(new Set(items).size).toBe(1_250);
    const calls = await sim.calls({ shopId: shop.rakutenShopId, function: 'itemSearch' });
    expect(calls.filter((c) => c.status !== 200)).toEqual([]);
    expect(calls).toHaveLength(13);
    expect(maxPerSecond(calls.map((c) => c.atMs))).toBeLessThanOrEqual(ITEM_RPS);
    // A second shop.updated of the same shop does not import again.
    await produce(producer, [shopUpdated(box, { ...shop, revision: 2 })]);
    await expectEventually(async () => {
      const { rows } = await db.query('SELECT revision FROM ingestion.shops WHERE id = $1', [
        shop.id,
      ]);
      expect(rows[0].revision).toBe(2);
    });
    expect((await importRow(shop)).pages).toBe(13);
  }, 60_000);

  it('resumes from the last recorded page after a restart: no page read or published twice', async () => {
    const shop = await shopWithItems(2_000);
    await produce(producer, [shopUpdated(box, shop)]);
    await expectEventually(
      async () => expect((await importRow(shop))?.pages).toBeGreaterThanOrEqual(4),
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    await app?.close();
    app = undefined;
    const stoppedAt = await importRow(shop);
    expect(stoppedAt.state).toBe('running');
    expect(stoppedAt.pages).toBeLessThan(20);
    app = await startIngestion(env());
    await expectEventually(async () => expect((await importRow(shop))?.state).toBe('finished'), {
      timeoutMs: 40_000,
    });
    const row = await importRow(shop);
    expect(row).toMatchObject({ pages: 20, items: 2_000 });
    await expectEventually(() => {
      const pages = eventsFor<Page>(collector.on('listings.imported'), shop.id);
      expect(pages.some((p) => p.data.last)).toBe(true);
    });
    const pages = eventsFor<Page>(collector.on('listings.imported'), shop.id).map((e) => e.data);
    expect(pages.map((p) => p.page)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(pages.map((p) => p.importId)).size).toBe(1);
    const calls = await sim.calls({ shopId: shop.rakutenShopId, function: 'itemSearch' });
    // A page read but not recorded when the app stopped is read again: at most one extra call.
    expect(calls.length).toBeGreaterThanOrEqual(20);
    expect(calls.length).toBeLessThanOrEqual(21);
    expect(maxPerSecond(calls.map((c) => c.atMs))).toBeLessThanOrEqual(ITEM_RPS);
  }, 90_000);

  it('starts on demand (a running import is kept), answers progress, and refuses another tenant', async () => {
    const shop = await shopWithItems(30);
    await produce(producer, [shopUpdated(box, { ...shop, status: 'suspended' })]);
    await expectEventually(async () => {
      const { rows } = await db.query('SELECT 1 FROM ingestion.shops WHERE id = $1', [shop.id]);
      expect(rows).toHaveLength(1);
    });
    const service = app?.get(ListingsImportService) as ListingsImportService;
    const actor = { tenantId: shop.tenantId, actorId: 'test' };
    expect(await service.status({ actor, shopId: shop.id })).toMatchObject({ state: 'never' });
    await expect(service.start({ actor, shopId: shop.id })).rejects.toMatchObject({
      code: 'SHOP_NOT_PULLABLE',
    });
    await produce(producer, [shopUpdated(box, { ...shop, revision: 2 })]);
    await expectEventually(async () => expect((await importRow(shop))?.state).toBe('finished'), {
      timeoutMs: 20_000,
    });
    const started = await service.start({ actor, shopId: shop.id });
    expect(started).toMatchObject({ state: 'queued', trigger: 'manual' });
    await expectEventually(
      async () =>
        expect(await service.status({ actor, shopId: shop.id })).toMatchObject({
          state: 'finished',
          trigger: 'manual',
          items: 30,
          pages: 1,
        }),
      { timeoutMs: 20_000 },
    );
    await expect(
      service.status({
        actor: { ...actor, tenantId: '00000000-0000-4000-8000-000000000000' },
        shopId: shop.id,
      }),
    ).rejects.toMatchObject({ code: 'SHOP_NOT_FOUND' });
  }, 60_000);

  it('figure: a 50,000-item import at the rate limit vs the call-count lower bound', async () => {
    const rps = Number(process.env.LISTINGS_BENCH_RPS ?? 20);
    await app?.close();
    app = await startIngestion({ ...env(), RAKUTEN_ITEM_RPS: String(rps) });
    const shop = await newShop(sim, { rateLimits: { item: rps } });
    await sim.request('POST', `/shops/${shop.rakutenShopId}/catalog/generate`, { count: 50_000 });
    await produce(producer, [shopUpdated(box, shop)]);
    await expectEventually(async () => expect((await importRow(shop))?.state).toBe('finished'), {
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    const row = await importRow(shop);
    expect(row).toMatchObject({ pages: 500, items: 50_000 });
    const calls = await sim.calls({ shopId: shop.rakutenShopId, function: 'itemSearch' });
    expect(calls.filter((c) => c.status !== 200)).toEqual([]);
    expect(maxPerSecond(calls.map((c) => c.atMs))).toBeLessThanOrEqual(rps);
    const spanMs = calls[calls.length - 1].atMs - calls[0].atMs;
    const lowerBoundMs = ((Math.ceil(50_000 / 100) - 1) / rps) * 1000;
    const wallMs = (row.finished_at as Date).getTime() - (row.started_at as Date).getTime();
    console.log(
      `listings import 50,000 items at ${rps} rps: ${calls.length} calls (lower bound 500), first→last call ${(spanMs / 1000).toFixed(1)} s vs lower bound ${(lowerBoundMs / 1000).toFixed(1)} s = ${(spanMs / lowerBoundMs).toFixed(3)}×; run ${(wallMs / 1000).toFixed(1)} s`,
    );
    expect(spanMs / lowerBoundMs).toBeLessThan(1.25);
  }, 180_000);
});
