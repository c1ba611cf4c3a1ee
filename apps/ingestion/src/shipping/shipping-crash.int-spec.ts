import 'reflect-metadata';

import { SecretBox } from '@smartship/crypto';
import { formatRmsDate } from '@smartship/rakuten';
import {
  ServiceProcess,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { execSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import type { Pool } from 'pg';

import {
  SimAdmin,
  TEST_MASTER_KEYS,
  connectProducer,
  ingestionEnv,
  newShop,
  orderShipped,
  produce,
  shopUpdated,
  testPool,
} from '../../test/harness';

/*
 * The built ingestion service as a process, killed (SIGKILL) right after Rakuten accepted a
 * shipping report and before the service recorded it. A second process must find the report's
 * outcome unknown, read the order back and send nothing twice.
 */
const infra = testInfrastructure();
const DAY = 86_400_000;
const base = 28000 + randomInt(0, 800);
const sim = new SimAdmin(`http://127.0.0.1:${base}`);
const simProcess = new ServiceProcess({
  app: 'rakuten-sim',
  httpPort: base,
  env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
});
const box = SecretBox.fromEnv(TEST_MASTER_KEYS);
const groupSuffix = `-${uniqueSuffix()}`;
const processes: ServiceProcess[] = [];

let producer: Producer;
let db: Pool;

function ingestion(index: number, extra: Record<string, string> = {}): ServiceProcess {
  const service = new ServiceProcess({
    app: 'ingestion',
    httpPort: base + 10 + index,
    env: ingestionEnv(infra, sim.url, TEST_MASTER_KEYS, {
      KAFKA_GROUP_SUFFIX: groupSuffix,
      TCP_PORT: String(base + 50 + index),
      SHIPPING_TICK_MS: '300',
      SHIPPING_RECONCILE_AFTER_MS: '1500',
      RAKUTEN_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'info',
      ...extra,
    }),
  });
  processes.push(service);
  return service;
}

beforeAll(async () => {
  execSync('npx nx run ingestion:build', { stdio: 'ignore' });
  await simProcess.start();
  await sim.settings({ asyncShippingDelayMs: 300 });
  producer = await connectProducer(testKafka(infra.kafkaBrokers));
  db = testPool(infra.databaseUrl);
}, 180_000);

afterAll(async () => {
  for (const service of processes) await service.stop();
  await producer?.disconnect();
  await db?.end();
  await simProcess.stop();
});

it('SIGKILL between sending a shipping report and recording it: reconciled with getOrder, no tracking number sent twice', async () => {
  const shop = await newShop(sim);
  await sim.generate(shop.rakutenShopId, {
    count: 1,
    progress: 700,
    from: new Date(Date.now() - 300 * DAY).toISOString(),
    to: new Date(Date.now() - 299 * DAY).toISOString(),
  });
  const orderNumber = await sim.addOrder(shop.rakutenShopId, { progress: 300 });
  const basketId = (await sim.order(orderNumber)).model.PackageModelList[0].basketId;
  const doomed = ingestion(0, { TEST_CRASH_POINT: 'shipping-after-send' });
  await doomed.start();
  const today = formatRmsDate(new Date());
  const parcels = [0, 1].map((i) => ({
    carrierCode: '1002',
    trackingNumber: `K${shop.rakutenShopId}${i}`,
    shippingDate: today,
  }));
  await produce(producer, [
    shopUpdated(box, shop),
    orderShipped(shop, orderNumber, basketId, parcels),
  ]);

  await expectEventually(
    async () => {
      const sends = await sim.calls({
        shopId: shop.rakutenShopId,
        function: 'updateOrderShippingAsync',
      });
      expect(sends.map((call) => call.status)).toEqual([200]);
    },
    { timeoutMs: 20_000 },
  );
  expect((await doomed.stop()).signal).toBe('SIGKILL');
  const { rows: left } = await db.query<{ state: string; request_id: string | null }>(
    'SELECT state, request_id FROM ingestion.shipping_reports WHERE shop_id = $1',
    [shop.id],
  );
  // Sent, but the requestId never made it to the database: the outcome is unknown.
  expect(left).toEqual([{ state: 'sending', request_id: null }]);

  const survivor = ingestion(1);
  await survivor.start();
  await expectEventually(
    async () => {
      const { rows } = await db.query<{ state: string }>(
        'SELECT state FROM ingestion.shipping_reports WHERE shop_id = $1',
        [shop.id],
      );
      expect(rows).toEqual([{ state: 'done' }]);
    },
    { timeoutMs: 20_000 },
  );
  const records = (await sim.shippingReports(shop.rakutenShopId)).filter(
    (record) => record.action === 'added',
  );
  expect(records.map((record) => record.shippingNumber).sort()).toEqual(
    parcels.map((parcel) => parcel.trackingNumber),
  );
  const sends = await sim.calls({
    shopId: shop.rakutenShopId,
    function: 'updateOrderShippingAsync',
  });
  expect(sends).toHaveLength(1);
  expect(
    (await sim.calls({ shopId: shop.rakutenShopId, function: 'getOrder' })).length,
  ).toBeGreaterThanOrEqual(1);
  expect((await sim.order(orderNumber)).model.orderProgress).toBe(500);
}, 90_000);
