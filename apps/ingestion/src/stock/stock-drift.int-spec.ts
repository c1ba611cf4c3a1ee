import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import { SecretBox } from '@smartship/crypto';
import {
  ServiceProcess,
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
  announceNewShop,
  stockChanged,
  connectProducer,
  ingestionEnv,
  produce,
  startIngestion,
  testPool,
  type TestShop,
} from '../../test/harness';
import { StockDriftChecker } from './stock-drift';

/*
 * Inventory read-back and drift repair, and coalesced pushes: listing.stock.changed on Kafka →
 * ingestion (in this process) → the simulator process's Inventory API. The simulator's stock and
 * call log are the outcome. The periodic check is off here (0); checks run on demand.
 */
const infra = testInfrastructure();
const simPort = 29000 + randomInt(0, 900);
const sim = new SimAdmin(`http://127.0.0.1:${simPort}`);
const simProcess = new ServiceProcess({
  app: 'rakuten-sim',
  httpPort: simPort,
  env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
});
const box = SecretBox.fromEnv(TEST_MASTER_KEYS);
const COALESCE_MS = 1_500;

let app: INestApplication;
let producer: Producer;
let db: Pool;
let drift: StockDriftChecker;

beforeAll(async () => {
  await simProcess.start();
  app = await startIngestion(
    ingestionEnv(infra, sim.url, TEST_MASTER_KEYS, {
      KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
      STOCK_PUSH_TICK_MS: '200',
      STOCK_PUSH_COALESCE_MS: String(COALESCE_MS),
      STOCK_DRIFT_CHECK_INTERVAL_MS: '0',
      SHIPPING_TICK_MS: '60000',
    }),
  );
  drift = app.get(StockDriftChecker);
  producer = await connectProducer(testKafka(infra.kafkaBrokers));
  db = testPool(infra.databaseUrl);
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await app?.close();
  await db?.end();
  await simProcess.stop();
});

const announcedShop = () => announceNewShop(sim, producer, db, box);
const quantityInSim = (shop: TestShop, manageNumber: string) =>
  sim.quantityOf(shop.rakutenShopId, manageNumber);

async function pushesOf(shop: TestShop, manageNumber: string): Promise<string[][]> {
  const calls = await sim.calls({ shopId: shop.rakutenShopId, function: 'inventoryBulkUpsert' });
  return calls
    .map((call) =>
      (call.body as { inventories: { manageNumber: string; quantity: number }[] }).inventories
        .filter((row) => row.manageNumber === manageNumber)
        .map((row) => `${call.status}:${row.quantity}`),
    )
    .filter((quantities) => quantities.length > 0);
}

/** Pushed and recorded as pushed (nothing left to push). */
async function settled(shop: TestShop, manageNumber: string, quantity: number): Promise<void> {
  await expectEventually(async () => {
    const { rows } = await db.query<{ quantity: number; dirty: boolean }>(
      `SELECT quantity, desired_seq > pushed_seq AS dirty FROM ingestion.listing_stock
        WHERE shop_id = $1 AND manage_number = $2`,
      [shop.id, manageNumber],
    );
    expect(rows).toEqual([{ quantity, dirty: false }]);
  });
}

const actor = (shop: TestShop) => ({ tenantId: shop.tenantId, actorId: 'test' });

it('changes of one listing spread over a short time become one push of the latest value', async () => {
  const shop = await announcedShop();
  // One at a time, each in its own produce request (so not in one consumer batch).
  await produce(
    producer,
    [9, 8, 7, 6, 5].map((quantity) => stockChanged(shop, 'cup-010', quantity)),
  );
  await expectEventually(async () => expect(await quantityInSim(shop, 'cup-010')).toBe(5), {
    timeoutMs: 15_000,
  });
  await settled(shop, 'cup-010', 5);
  expect(await pushesOf(shop, 'cup-010')).toEqual([['204:5']]);
}, 30_000);

it('a quantity changed in RMS behind our back is found, recorded, repaired and alerted', async () => {
  const shop = await announcedShop();
  await sim.addOrder(shop.rakutenShopId); // creates the simulator's default catalog
  await produce(producer, [
    stockChanged(shop, 'mug-002', 30, 'mug-002'),
    stockChanged(shop, 'socks-004', 4, 'socks-004-25'),
    stockChanged(shop, 'ghost-009', 7), // not an item of the shop: RMS shows no row for it
  ]);
  await settled(shop, 'mug-002', 30);
  await settled(shop, 'socks-004', 4);
  await settled(shop, 'ghost-009', 7);
  const clean = await drift.checkNow({ actor: actor(shop), shopId: shop.id });
  expect(clean.check).toMatchObject({ listings: 3, differences: 0, calls: 1, error: null });
  expect(clean.drifts).toEqual([]);

  await sim.putStock(shop.rakutenShopId, [
    { manageNumber: 'mug-002', variantId: 'mug-002', quantity: 3 },
  ]);
  const found = await drift.checkNow({ actor: actor(shop), shopId: shop.id });
  expect(found.check).toMatchObject({ trigger: 'manual', listings: 3, differences: 1, calls: 1 });
  expect(found.drifts).toEqual([
    expect.objectContaining({
      manageNumber: 'mug-002',
      variantId: 'mug-002',
      rakutenQuantity: 3,
      ourQuantity: 30,
      repairedAt: null,
    }),
  ]);
  // Repaired: the simulator shows ours again, and the drift says when.
  await expectEventually(async () => expect(await quantityInSim(shop, 'mug-002')).toBe(30));
  await expectEventually(async () => {
    const last = await drift.last({ actor: actor(shop), shopId: shop.id });
    expect(last.drifts[0]?.repairedAt).toEqual(expect.any(String));
  });
  expect(await pushesOf(shop, 'mug-002')).toEqual([['204:30'], ['204:30']]);
  expect(await pushesOf(shop, 'socks-004')).toEqual([['204:4']]);
  // Reported once, with the count.
  const { rows } = await db.query<{ count: number }>(
    `SELECT (payload::jsonb -> 'data' -> 'details' ->> 'count')::int AS count FROM ingestion.outbox
      WHERE topic = 'shop.alert' AND message_key = $1
        AND payload::jsonb -> 'data' ->> 'kind' = 'stock_drift'`,
    [shop.id],
  );
  expect(rows).toEqual([{ count: 1 }]);
  // One bulk-get per check, through the simulator.
  const gets = await sim.calls({ shopId: shop.rakutenShopId, function: 'inventoryBulkGet' });
  expect(gets).toHaveLength(2);
}, 40_000);

it("another tenant's shop is not found", async () => {
  const shop = await announcedShop();
  await expect(
    drift.last({ actor: { tenantId: crypto.randomUUID(), actorId: 'x' }, shopId: shop.id }),
  ).rejects.toMatchObject({ code: 'SHOP_NOT_FOUND' });
  await expect(drift.last({ actor: actor(shop), shopId: shop.id })).resolves.toEqual({
    check: null,
    drifts: [],
  });
});
