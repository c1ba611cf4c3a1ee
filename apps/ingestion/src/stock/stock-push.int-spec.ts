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
  produceTogether,
  startIngestion,
  testPool,
  type TestShop,
} from '../../test/harness';

/*
 * Stock pushes end to end: listing.stock.changed on Kafka → ingestion (in this process) →
 * Inventory API bulk-upsert on the simulator process. The simulator's stock rows and call log
 * are the outcome. Re-assert runs every 4 s here (daily by default).
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
const REASSERT_MS = 4_000;

let app: INestApplication;
let producer: Producer;
let db: Pool;

beforeAll(async () => {
  await simProcess.start();
  app = await startIngestion(
    ingestionEnv(infra, sim.url, TEST_MASTER_KEYS, {
      KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
      STOCK_PUSH_TICK_MS: '200',
      STOCK_REASSERT_INTERVAL_MS: String(REASSERT_MS),
      SHIPPING_TICK_MS: '60000',
    }),
  );
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

/**
 * The quantities of `manageNumber` in each bulk-upsert call the simulator received that named it,
 * by status. Calls for other listings only are left out: listings are keyed to different
 * partitions, so a busy machine may push another listing in a call of its own first.
 */
async function pushesOf(shop: TestShop, manageNumber: string) {
  const calls = await sim.calls({ shopId: shop.rakutenShopId, function: 'inventoryBulkUpsert' });
  return calls
    .map((call) => ({
      status: call.status,
      quantities: (
        call.body as { inventories: { manageNumber: string; mode: string; quantity: number }[] }
      ).inventories
        .filter((row) => row.manageNumber === manageNumber)
        .map((row) => `${row.mode}:${row.quantity}`),
    }))
    .filter((push) => push.quantities.length > 0);
}

it('several changes of one listing become one push of the last quantity (ABSOLUTE); another listing is pushed too', async () => {
  const shop = await announcedShop();
  const events = [5, 4, 3, 2, 7].map((quantity) => stockChanged(shop, 'tee-001', quantity));
  await produceTogether(producer, [...events, stockChanged(shop, 'cap-002', 9)]);
  await expectEventually(async () => expect(await quantityInSim(shop, 'tee-001')).toBe(7));
  await expectEventually(async () => expect(await quantityInSim(shop, 'cap-002')).toBe(9));
  // The push is recorded after Rakuten answered: wait for it, then nothing is left to push.
  await expectEventually(async () => {
    const { rows } = await db.query<{ quantity: number; dirty: boolean }>(
      `SELECT quantity, desired_seq > pushed_seq AS dirty FROM ingestion.listing_stock
        WHERE shop_id = $1 AND manage_number = 'tee-001'`,
      [shop.id],
    );
    expect(rows).toEqual([{ quantity: 7, dirty: false }]);
  });
  expect(await pushesOf(shop, 'tee-001')).toEqual([{ status: 204, quantities: ['ABSOLUTE:7'] }]);
}, 30_000);

it('a push that fails (500) is pushed again later', async () => {
  const shop = await announcedShop();
  await sim.faults({
    rules: [
      { kind: 'http500', function: 'inventoryBulkUpsert', shopId: shop.rakutenShopId, count: 1 },
    ],
  });
  await produce(producer, [stockChanged(shop, 'mug-003', 12)]);
  await expectEventually(async () => expect(await quantityInSim(shop, 'mug-003')).toBe(12), {
    timeoutMs: 15_000,
  });
  await sim.faults({ rules: [] });
  expect(await pushesOf(shop, 'mug-003')).toEqual([
    { status: 500, quantities: ['ABSOLUTE:12'] },
    { status: 204, quantities: ['ABSOLUTE:12'] },
  ]);
}, 30_000);

it('the periodic re-assert repairs a quantity changed on Rakuten behind our back', async () => {
  const shop = await announcedShop();
  await produce(producer, [stockChanged(shop, 'bag-004', 30)]);
  await expectEventually(async () => expect(await quantityInSim(shop, 'bag-004')).toBe(30));
  // As if a push had silently not happened, or someone edited the stock in RMS.
  await sim.putStock(shop.rakutenShopId, [
    { manageNumber: 'bag-004', variantId: 'v-1', quantity: 0 },
  ]);
  expect(await quantityInSim(shop, 'bag-004')).toBe(0);
  await expectEventually(async () => expect(await quantityInSim(shop, 'bag-004')).toBe(30), {
    timeoutMs: REASSERT_MS + 5_000,
  });
  const pushes = await pushesOf(shop, 'bag-004');
  expect(pushes.map((push) => push.quantities)).toEqual([['ABSOLUTE:30'], ['ABSOLUTE:30']]);
}, 30_000);
