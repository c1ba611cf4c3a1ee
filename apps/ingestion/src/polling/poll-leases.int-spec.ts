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

/*
 * Scaling out: three ingestion instances (in this process, one database, one consumer group) and
 * 50 shops polled every 2 s. Each shop must be polled by one instance at a time, and every order
 * published once.
 */
const infra = testInfrastructure();
const DAY = 86_400_000;
const SHOPS = 50;
const ORDERS_PER_SHOP = 3;
const simPort = 26000 + randomInt(0, 900);
const sim = new SimAdmin(`http://127.0.0.1:${simPort}`);
const simProcess = new ServiceProcess({
  app: 'rakuten-sim',
  httpPort: simPort,
  env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
});
const masterKeys = TEST_MASTER_KEYS;
const box = SecretBox.fromEnv(masterKeys);

let apps: INestApplication[] = [];
let collector: TopicCollector;
let producer: Producer;
let db: Pool;
const shops: TestShop[] = [];

beforeAll(async () => {
  await simProcess.start();
  const env = ingestionEnv(infra, sim.url, masterKeys, {
    KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
    POLL_INTERVAL_MS: '2000',
    POLL_TICK_MS: '200',
    POLL_LEASE_MS: '3000',
    POLL_CONCURRENCY: '4',
  });
  apps = [await startIngestion(env), await startIngestion(env), await startIngestion(env)];
  const kafka = testKafka(infra.kafkaBrokers);
  producer = await connectProducer(kafka);
  collector = await new TopicCollector(kafka, ['order.pulled']).start();
  db = testPool(infra.databaseUrl);
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await producer?.disconnect();
  await Promise.all(apps.map((app) => app.close()));
  await db?.end();
  await simProcess.stop();
});

it('3 instances, 50 shops: each shop is polled by one instance at a time and every order is published once', async () => {
  for (let i = 0; i < SHOPS; i++) {
    const shop = await newShop(sim, { autoOrderSync: true });
    await sim.generate(shop.rakutenShopId, {
      count: ORDERS_PER_SHOP,
      progress: 300,
      seed: i + 1,
      from: new Date(Date.now() - 5 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    shops.push(shop);
  }
  await produce(
    producer,
    shops.map((shop) => shopUpdated(box, shop)),
  );
  const ids = shops.map((shop) => shop.id);
  const pulled = () => shops.flatMap((shop) => eventsFor(collector.on('order.pulled'), shop.id));
  await expectEventually(() => expect(pulled()).toHaveLength(SHOPS * ORDERS_PER_SHOP), {
    timeoutMs: 60_000,
  });
  // Let every shop be polled a few more times.
  await expectEventually(
    async () => {
      const { rows } = await db.query<{ n: string }>(
        `SELECT min(n) AS n FROM (SELECT count(*) AS n FROM ingestion.poll_runs
           WHERE shop_id = ANY($1) AND finished_at IS NOT NULL GROUP BY shop_id) c`,
        [ids],
      );
      expect(Number(rows[0].n)).toBeGreaterThanOrEqual(3);
    },
    { timeoutMs: 60_000 },
  );
  // Every finished poll's writes are in the outbox (rows stay 24 h): each order once.
  const { rows: written } = await db.query<{ n: number; keys: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT message_key)::int AS keys FROM ingestion.outbox
      WHERE topic = 'order.pulled' AND split_part(message_key, ':', 1) = ANY($1::text[])`,
    [ids],
  );
  expect(written[0]).toEqual({ n: SHOPS * ORDERS_PER_SHOP, keys: SHOPS * ORDERS_PER_SHOP });
  expect(pulled()).toHaveLength(SHOPS * ORDERS_PER_SHOP);
  expect(new Set(pulled().map((event) => event.id)).size).toBe(SHOPS * ORDERS_PER_SHOP);

  const { rows: runs } = await db.query<{
    shop_id: string;
    owner: string;
    started_at: Date;
    finished_at: Date | null;
  }>(
    `SELECT shop_id, owner, started_at, finished_at FROM ingestion.poll_runs
      WHERE shop_id = ANY($1) ORDER BY shop_id, started_at`,
    [ids],
  );
  let overlaps = 0;
  for (let i = 1; i < runs.length; i++) {
    const before = runs[i - 1];
    const after = runs[i];
    if (before.shop_id !== after.shop_id) continue;
    if (!before.finished_at || before.finished_at > after.started_at) overlaps++;
  }
  expect(overlaps).toBe(0);
  const owners = new Set(runs.map((run) => run.owner));
  expect(owners.size).toBe(3);
  // Every shop's calls came one poll at a time: no two searchOrder calls of a shop at once is
  // implied by the runs; here we check the simulator never throttled anyone.
  const throttled = (await sim.calls()).filter((call) => call.status === 429);
  expect(throttled).toEqual([]);
}, 180_000);
