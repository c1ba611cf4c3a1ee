import 'reflect-metadata';

import type { ClientProxy } from '@nestjs/microservices';
import { INGESTION_CALLS, type PullResultView } from '@smartship/contracts';
import { internalCallClient } from '@smartship/service-kit';
import { SecretBox } from '@smartship/crypto';
import { ensureTopics } from '@smartship/messaging';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import { execSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
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
  testPool,
} from '../../test/harness';

/*
 * The built ingestion service as a real process (as in production), against the simulator
 * process: a large backlog at a limited rate, and a SIGKILL in the middle of a poll.
 */
const infra = testInfrastructure();
const DAY = 86_400_000;
const base = 27000 + randomInt(0, 800);
const sim = new SimAdmin(`http://127.0.0.1:${base}`);
const simProcess = new ServiceProcess({
  app: 'rakuten-sim',
  httpPort: base,
  env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
});
const box = SecretBox.fromEnv(TEST_MASTER_KEYS);
const groupSuffix = `-${uniqueSuffix()}`;
const processes: ServiceProcess[] = [];

let collector: TopicCollector;
let producer: Producer;
let db: Pool;

function ingestion(index: number, extra: Record<string, string>): ServiceProcess {
  const process = new ServiceProcess({
    app: 'ingestion',
    httpPort: base + 10 + index,
    env: ingestionEnv(infra, sim.url, TEST_MASTER_KEYS, {
      KAFKA_GROUP_SUFFIX: groupSuffix,
      TCP_PORT: String(base + 50 + index),
      LOG_LEVEL: 'info',
      ...extra,
    }),
  });
  processes.push(process);
  return process;
}

beforeAll(async () => {
  execSync('npx nx run ingestion:build --skip-nx-cache', { stdio: 'ignore' });
  await simProcess.start();
  // The simulator's own log of calls would hold every body of a 10,000-order run.
  await sim.settings({ callLogBodies: false });
  const kafka = testKafka(infra.kafkaBrokers);
  producer = await connectProducer(kafka);
  // On a fresh broker no service has created the topic yet: create it as they would.
  await ensureTopics(kafka, { topics: ['order.pulled'], partitions: 6 }, pino({ level: 'silent' }));
  collector = await new TopicCollector(kafka, ['order.pulled']).start();
  db = testPool(infra.databaseUrl);
}, 180_000);

afterAll(async () => {
  for (const process of processes) await process.stop();
  await collector?.stop();
  await producer?.disconnect();
  await db?.end();
  await simProcess.stop();
});

it('a 10,000-order backlog at Rakuten’s 1 request/s is pulled exactly once with the fewest calls and no throttling', async () => {
  // The simulator throttles above 1 request/s per licence key, as RMS does: ~2 minutes.
  const shop = await newShop(sim, { rateLimits: { order: 1 } });
  await sim.generate(shop.rakutenShopId, {
    count: 10_000,
    seed: 42,
    progress: 300,
    from: new Date(Date.now() - 25 * DAY).toISOString(),
    to: new Date().toISOString(),
  });
  const service = ingestion(0, { RAKUTEN_ORDER_RPS: '1' });
  await service.start();
  await produce(producer, [shopUpdated(box, shop)]);
  const tcp: ClientProxy = internalCallClient(base + 50);
  const started = Date.now();
  const result = await expectEventually(() =>
    firstValueFrom(
      tcp.send<PullResultView>(INGESTION_CALLS.pull, {
        actor: { tenantId: shop.tenantId, actorId: 'backlog' },
        shopId: shop.id,
      }),
    ),
  );
  const elapsedMs = Date.now() - started;
  await tcp.close();
  expect(result).toMatchObject({ complete: true, searched: 10_000, new: 10_000, failed: 0 });
  // Lower bound: 25 days fit one 63-day window; 10,000 numbers are 10 pages of 1,000 and
  // 100 getOrder chunks of 100. Plus one search of 100 for the 12-day confirmation warning.
  expect(result.calls).toEqual({ searchOrder: 10 + 1, getOrder: 100, confirmOrder: 0 });
  const calls = await sim.calls({ shopId: shop.rakutenShopId });
  expect(calls.filter((call) => call.function === 'searchOrder')).toHaveLength(11);
  expect(calls.filter((call) => call.function === 'getOrder')).toHaveLength(100);
  expect(calls.filter((call) => call.status !== 200)).toEqual([]);
  await expectEventually(
    () => expect(eventsFor(collector.on('order.pulled'), shop.id)).toHaveLength(10_000),
    {
      timeoutMs: 60_000,
    },
  );
  const numbers = new Set(
    eventsFor<{ order: { orderNumber: string } }>(collector.on('order.pulled'), shop.id).map(
      (event) => event.data.order.orderNumber,
    ),
  );
  expect(numbers.size).toBe(10_000);
  // At 1 request/s the pull cannot be faster than its calls; it should not be much slower.
  expect(elapsedMs).toBeGreaterThanOrEqual((calls.length - 1) * 1000);
  process.stdout.write(
    `backlog: 10,000 orders pulled in ${elapsedMs} ms, ${calls.length} calls (lower bound ${(calls.length - 1) * 1000} ms)\n`,
  );
  await service.stop();
}, 420_000);

it('SIGKILL during a poll: another instance takes the shop over within a lease period, every order published once', async () => {
  const shop = await newShop(sim, { autoOrderSync: true, rateLimits: { order: 10 } });
  await sim.generate(shop.rakutenShopId, {
    count: 3_000,
    seed: 7,
    progress: 300,
    from: new Date(Date.now() - 20 * DAY).toISOString(),
    to: new Date().toISOString(),
  });
  const env = { RAKUTEN_ORDER_RPS: '10', POLL_INTERVAL_MS: '2000', POLL_LEASE_MS: '4000' };
  const first = ingestion(1, env);
  await first.start();
  await produce(producer, [shopUpdated(box, shop)]);
  const stored = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          'SELECT count(*) AS n FROM ingestion.orders WHERE shop_id = $1',
          [shop.id],
        )
      ).rows[0].n,
    );
  await expectEventually(async () => expect(await stored()).toBeGreaterThanOrEqual(800), {
    timeoutMs: 60_000,
    intervalMs: 50,
  });
  await first.kill();
  const killedAt = new Date();
  const atKill = await stored();
  expect(atKill).toBeLessThan(3_000);

  const second = ingestion(2, env);
  await second.start();
  const secondReadyAt = Date.now();
  await expectEventually(async () => expect(await stored()).toBe(3_000), { timeoutMs: 90_000 });
  const { rows: takeover } = await db.query<{ started_at: Date }>(
    `SELECT min(started_at) AS started_at FROM ingestion.poll_runs
      WHERE shop_id = $1 AND started_at > $2`,
    [shop.id, killedAt],
  );
  const takeoverMs = takeover[0].started_at.getTime() - killedAt.getTime();
  process.stdout.write(`kill: ${atKill} stored at SIGKILL, taken over after ${takeoverMs} ms\n`);
  // Within one lease period (4 s) of the new instance being up, plus a scheduler tick.
  expect(takeover[0].started_at.getTime()).toBeLessThanOrEqual(
    Math.max(secondReadyAt, killedAt.getTime() + 4_000) + 1_000,
  );

  await expectEventually(
    () =>
      expect(eventsFor(collector.on('order.pulled'), shop.id).length).toBeGreaterThanOrEqual(3_000),
    { timeoutMs: 60_000 },
  );
  const events = eventsFor<{ order: { orderNumber: string } }>(
    collector.on('order.pulled'),
    shop.id,
  );
  // The relay may re-send a batch the killed process had sent but not marked (same event ids);
  // consumers drop those by id. What must hold: one event id per order, one order per event id.
  const idsByOrder = new Map<string, Set<string>>();
  for (const event of events) {
    const ids = idsByOrder.get(event.data.order.orderNumber) ?? new Set<string>();
    ids.add(event.id);
    idsByOrder.set(event.data.order.orderNumber, ids);
  }
  expect(idsByOrder.size).toBe(3_000);
  expect([...idsByOrder.values()].every((ids) => ids.size === 1)).toBe(true);
}, 240_000);
