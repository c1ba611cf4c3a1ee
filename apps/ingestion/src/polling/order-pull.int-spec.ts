import 'reflect-metadata';

import { randomBytes, randomInt, randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { INGESTION_CALLS, type PullResultView } from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import { internalCallClient } from '@smartship/service-kit';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  publishAndAwaitApplied,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
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
  startIngestion,
  testPool,
  type TestShop,
} from '../../test/harness';
import { PullService } from './pull.service';

/*
 * Pulling orders end to end: the simulator runs as a process (the built app), the ingestion app
 * in this process on the real PostgreSQL and Kafka. Shops are announced with shop.updated on
 * Kafka, as credentials does. Outcomes are read from the topics, the tables and the simulator's
 * call log.
 */
const infra = testInfrastructure();
const DAY = 86_400_000;
const simPort = 24000 + randomInt(0, 900);
const tcpPort = 25000 + randomInt(0, 900);
const sim = new SimAdmin(`http://127.0.0.1:${simPort}`);
const simProcess = new ServiceProcess({
  app: 'rakuten-sim',
  httpPort: simPort,
  env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
});
const masterKeys = TEST_MASTER_KEYS;
const box = SecretBox.fromEnv(masterKeys);

let app: INestApplication;
let pulls: PullService;
let collector: TopicCollector;
let producer: Producer;
let db: Pool;
let tcp: ClientProxy;

beforeAll(async () => {
  await simProcess.start();
  // Confirmed orders reach 300 half a second later instead of RMS's ~5 minutes.
  await sim.settings({ processingDelayMs: 500 });
  app = await startIngestion(
    ingestionEnv(infra, sim.url, masterKeys, {
      KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
      POLL_INTERVAL_MS: '2000',
    }),
    tcpPort,
  );
  pulls = app.get(PullService);
  const kafka = testKafka(infra.kafkaBrokers);
  producer = await connectProducer(kafka);
  collector = await new TopicCollector(kafka, [
    'order.pulled',
    'order.canceled',
    'shop.alert',
  ]).start();
  db = testPool(infra.databaseUrl);
  tcp = internalCallClient(tcpPort);
}, 120_000);

afterAll(async () => {
  await tcp?.close();
  await collector?.stop();
  await producer?.disconnect();
  await app?.close();
  await db?.end();
  await simProcess.stop();
});

/** A simulator shop announced to ingestion, with the default catalog made. */
async function announcedShop(options: Parameters<typeof newShop>[1] = {}): Promise<TestShop> {
  const shop = await newShop(sim, options);
  // Makes the default catalog; the order is far outside the look-back and already settled.
  await sim.generate(shop.rakutenShopId, {
    count: 1,
    progress: 700,
    from: new Date(Date.now() - 300 * DAY).toISOString(),
    to: new Date(Date.now() - 299 * DAY).toISOString(),
  });
  await produce(producer, [shopUpdated(box, shop)]);
  await expectEventually(async () => {
    const { rows } = await db.query('SELECT 1 FROM ingestion.shops WHERE id = $1', [shop.id]);
    expect(rows).toHaveLength(1);
  });
  return shop;
}

/** `shopRevision`: the revision the caller knows, as the gateway sends it from credentials. */
function pull(shop: TestShop, shopRevision?: number): Promise<PullResultView> {
  return pulls.pull({
    actor: { tenantId: shop.tenantId, actorId: 'test' },
    shopId: shop.id,
    shopRevision,
  });
}

async function ordersInSim300(shop: TestShop): Promise<number> {
  const calls = await sim.calls({ shopId: shop.rakutenShopId, function: 'getOrder' });
  return calls.length;
}

const pulledOf = (shop: TestShop) =>
  eventsFor<{ order: { orderNumber: string } }>(collector.on('order.pulled'), shop.id);

describe('pulling', () => {
  it('publishes every order in 300 exactly once, also when the pull is repeated', async () => {
    const shop = await announcedShop();
    await sim.generate(shop.rakutenShopId, {
      count: 400,
      seed: 5,
      progress: { '300': 3, '100': 1, '500': 1 },
      from: new Date(Date.now() - 20 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    const first = await pull(shop);
    expect(first.complete).toBe(true);
    expect(first.error).toBeNull();
    expect(first.new).toBe(first.searched);
    expect(first.searched).toBeGreaterThan(150);
    expect(first.alreadyKnown).toBe(0);
    expect(first.calls.getOrder).toBe(Math.ceil(first.searched / 100));

    const second = await pull(shop);
    expect(second).toMatchObject({ complete: true, new: 0, alreadyKnown: first.searched });
    expect(second.calls.getOrder).toBe(0);

    await expectEventually(() => expect(pulledOf(shop)).toHaveLength(first.searched));
    const numbers = pulledOf(shop).map((event) => event.data.order.orderNumber);
    expect(new Set(numbers).size).toBe(first.searched);
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ingestion.orders WHERE shop_id = $1 AND state = 'pulled'`,
      [shop.id],
    );
    expect(Number(rows[0].n)).toBe(first.searched);
    expect(await ordersInSim300(shop)).toBe(first.calls.getOrder);
    const [state] = (
      await db.query<{ checkpoint_at: Date | null; cycle_to: Date | null }>(
        'SELECT checkpoint_at, cycle_to FROM ingestion.poll_state WHERE shop_id = $1',
        [shop.id],
      )
    ).rows;
    expect(state.checkpoint_at).not.toBeNull();
    expect(state.cycle_to).toBeNull();
  });

  it('answers the TCP call ingestion.shops.pull, and refuses a bad payload naming the field', async () => {
    const shop = await announcedShop();
    await sim.addOrder(shop.rakutenShopId, { progress: 300 });
    const result = await firstValueFrom(
      tcp.send<PullResultView>(INGESTION_CALLS.pull, {
        actor: { tenantId: shop.tenantId, actorId: 'tcp-test' },
        shopId: shop.id,
      }),
    );
    expect(result).toMatchObject({ shopId: shop.id, complete: true, new: 1, searched: 1 });

    const refused = await firstValueFrom(
      tcp.send(INGESTION_CALLS.pull, { actor: { tenantId: shop.tenantId, actorId: 'x' } }),
    ).catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(refused)).toContain('shopId');

    const otherTenant = await firstValueFrom(
      tcp.send(INGESTION_CALLS.pull, {
        actor: { tenantId: '00000000-0000-4000-8000-000000000000', actorId: 'x' },
        shopId: shop.id,
      }),
    ).catch((error: unknown) => error);
    expect(otherTenant).toMatchObject({ statusCode: 404, code: 'SHOP_NOT_FOUND' });

    // A shop the caller knows (credentials registered it) that shop.updated has not brought here
    // yet is "not synced" — the gateway waits for it — never a false "not found".
    const unknownShopId = randomUUID();
    const notYet = await firstValueFrom(
      tcp.send(INGESTION_CALLS.pull, {
        actor: { tenantId: shop.tenantId, actorId: 'x' },
        shopId: unknownShopId,
        shopRevision: 1,
      }),
    ).catch((error: unknown) => error);
    expect(notYet).toMatchObject({
      statusCode: 503,
      code: 'SHOP_NOT_SYNCED',
      details: { shopId: unknownShopId, revision: null, expected: 1 },
    });

    // Calls without the internal-call MAC, or signed with another key, are refused before any
    // handler runs (a handler would have answered 200, 400 or 404).
    const unsigned = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: tcpPort },
    });
    const wrongKey = internalCallClient(tcpPort, randomBytes(32));
    try {
      for (const client of [unsigned, wrongKey]) {
        const answer = await firstValueFrom(
          client.send(INGESTION_CALLS.pull, {
            actor: { tenantId: shop.tenantId, actorId: 'intruder' },
            shopId: shop.id,
          }),
        ).catch((error: unknown) => error);
        expect(answer).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED_CALL' });
      }
    } finally {
      unsigned.close();
      wrongKey.close();
    }
  });

  it('turns known orders cancelled (900, 800) or changed (400) on Rakuten into order.canceled of their revision, once; a changed order back in 300 is pulled again as revision 2', async () => {
    const shop = await announcedShop();
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++)
      numbers.push(await sim.addOrder(shop.rakutenShopId, { progress: 300 }));
    expect((await pull(shop)).new).toBe(5);
    await sim.setState(numbers[0], { progress: 900 });
    await sim.setState(numbers[1], { progress: 800 });
    await sim.setState(numbers[2], { progress: 400 });
    await sim.setState(numbers[3], { progress: 500 }); // shipped outside the platform: no event

    const result = await pull(shop);
    expect(result).toMatchObject({ complete: true, canceled: 3, new: 0 });
    expect((await pull(shop)).canceled).toBe(0);

    await expectEventually(() =>
      expect(eventsFor(collector.on('order.canceled'), shop.id)).toHaveLength(3),
    );
    const canceled = eventsFor<{ orderNumber: string; rakutenStatus: number; revision?: number }>(
      collector.on('order.canceled'),
      shop.id,
    ).map((event) => [event.data.orderNumber, event.data.rakutenStatus, event.data.revision]);
    expect(canceled.sort()).toEqual(
      [
        [numbers[0], 900, 1],
        [numbers[1], 800, 1],
        [numbers[2], 400, 1],
      ].sort(),
    );
    const { rows } = await db.query<{ order_number: string; state: string }>(
      'SELECT order_number, state FROM ingestion.orders WHERE shop_id = $1 ORDER BY order_number',
      [shop.id],
    );
    expect(Object.fromEntries(rows.map((r) => [r.order_number, r.state]))).toEqual({
      [numbers[0]]: 'canceled',
      [numbers[1]]: 'canceled',
      [numbers[2]]: 'changed',
      [numbers[3]]: 'shipped',
      [numbers[4]]: 'pulled',
    });

    // The change is confirmed on Rakuten and the order is back in 発送待ち: pulled again, once,
    // as revision 2 with what it holds now.
    await sim.setState(numbers[2], { progress: 300 });
    expect(await pull(shop)).toMatchObject({ complete: true, new: 1 });
    expect(await pull(shop)).toMatchObject({ complete: true, new: 0 });
    await expectEventually(() => {
      const again = eventsFor<{ order: { orderNumber: string }; revision?: number }>(
        collector.on('order.pulled'),
        shop.id,
      ).filter((event) => event.data.order.orderNumber === numbers[2]);
      expect(again.map((event) => event.data.revision ?? 1)).toEqual([1, 2]);
    });
    const { rows: after } = await db.query<{ state: string; revision: number }>(
      'SELECT state, revision FROM ingestion.orders WHERE shop_id = $1 AND order_number = $2',
      [shop.id, numbers[2]],
    );
    expect(after).toEqual([{ state: 'pulled', revision: 2 }]);

    // Changed again: the order.canceled names revision 2, so that revision 3 will not be stopped.
    await sim.setState(numbers[2], { progress: 400 });
    expect(await pull(shop)).toMatchObject({ complete: true, canceled: 1 });
    await expectEventually(() => {
      const stops = eventsFor<{ orderNumber: string; revision?: number }>(
        collector.on('order.canceled'),
        shop.id,
      ).filter((event) => event.data.orderNumber === numbers[2]);
      expect(stops.map((event) => event.data.revision)).toEqual([1, 2]);
    });
  });

  it('scheduled polls pull shops with autoOrderSync and leave the others alone', async () => {
    const synced = await announcedShop({ autoOrderSync: true });
    const manual = await announcedShop({ autoOrderSync: false });
    await sim.addOrder(synced.rakutenShopId, { progress: 300 });
    await sim.addOrder(manual.rakutenShopId, { progress: 300 });
    await expectEventually(() => expect(pulledOf(synced)).toHaveLength(1), { timeoutMs: 20_000 });
    expect(pulledOf(manual)).toHaveLength(0);
    expect(await sim.calls({ shopId: manual.rakutenShopId, function: 'searchOrder' })).toEqual([]);
  });
});

describe('suspension', () => {
  it('a shop suspended by an operator is neither polled, confirmed nor pulled by hand; lifting it resumes', async () => {
    const shop = await announcedShop({ autoOrderSync: true, autoOrderConfirm: true });
    // A second shop polled on the same schedule shows when later poll rounds have run.
    const control = await announcedShop({ autoOrderSync: true });
    await sim.addOrder(shop.rakutenShopId, { progress: 300 });
    await expectEventually(() => expect(pulledOf(shop)).toHaveLength(1), { timeoutMs: 20_000 });

    shop.status = 'suspended';
    shop.revision += 1;
    await produce(producer, [shopUpdated(box, shop)]);
    await expectEventually(async () => {
      const { rows } = await db.query('SELECT status FROM ingestion.shops WHERE id = $1', [
        shop.id,
      ]);
      expect(rows[0].status).toBe('suspended');
    });
    await sim.addOrder(shop.rakutenShopId, { progress: 300 });
    await sim.addOrder(shop.rakutenShopId, { progress: 100 });
    // A round that had already claimed the shop before the suspension may still finish: wait for
    // one later round of the control shop, count the suspended shop's calls, then wait for another.
    await sim.addOrder(control.rakutenShopId, { progress: 300 });
    await expectEventually(() => expect(pulledOf(control)).toHaveLength(1), {
      timeoutMs: 20_000,
    });
    const callsWhileSuspended = (await sim.calls({ shopId: shop.rakutenShopId })).length;
    await sim.addOrder(control.rakutenShopId, { progress: 300 });
    await expectEventually(() => expect(pulledOf(control)).toHaveLength(2), {
      timeoutMs: 20_000,
    });
    expect((await sim.calls({ shopId: shop.rakutenShopId })).length).toBe(callsWhileSuspended);
    expect(await sim.calls({ shopId: shop.rakutenShopId, function: 'confirmOrder' })).toEqual([]);
    expect(pulledOf(shop)).toHaveLength(1);
    await expect(pull(shop)).rejects.toMatchObject({ code: 'SHOP_NOT_PULLABLE' });

    // The operator enables the tenant again: credentials publishes the shop active.
    shop.status = 'active';
    shop.revision += 1;
    await produce(producer, [shopUpdated(box, shop)]);
    await expectEventually(() => expect(pulledOf(shop)).toHaveLength(3), { timeoutMs: 30_000 });
    await expectEventually(async () =>
      expect(
        await sim.calls({ shopId: shop.rakutenShopId, function: 'confirmOrder' }),
      ).toHaveLength(1),
    );
  });
});

describe('confirming', () => {
  it('auto-confirm on: confirms orders in 100, records each result, pulls them once in 300', async () => {
    const shop = await announcedShop({ autoOrderConfirm: true });
    const fixed = [];
    for (let i = 0; i < 3; i++)
      fixed.push(await sim.addOrder(shop.rakutenShopId, { progress: 100 }));
    const unfixed = await sim.addOrder(shop.rakutenShopId, { progress: 100, amountsFixed: false });
    const first = await pull(shop);
    expect(first).toMatchObject({ complete: true, confirmed: 3, new: 0 });
    const { rows } = await db.query<{
      order_number: string;
      ok: boolean;
      final: boolean;
      code: string;
    }>('SELECT order_number, ok, final, code FROM ingestion.confirmations WHERE shop_id = $1', [
      shop.id,
    ]);
    const byNumber = Object.fromEntries(rows.map((r) => [r.order_number, r]));
    for (const number of fixed) expect(byNumber[number]).toMatchObject({ ok: true, final: true });
    expect(byNumber[unfixed]).toMatchObject({
      ok: false,
      final: false,
      code: 'ORDER_EXT_API_CONFIRM_ORDER_ERROR_105',
    });
    // Rakuten moves confirmed orders 200 → 300 (here after 0.5 s); the next poll pulls them.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const second = await pull(shop);
    expect(second).toMatchObject({ new: 3, confirmed: 0 });
    // The unfixed order is not retried before CONFIRM_RETRY_AFTER_MS.
    const confirmCalls = await sim.calls({ shopId: shop.rakutenShopId, function: 'confirmOrder' });
    expect(confirmCalls).toHaveLength(1);
    expect(pulledOf(shop).length).toBeLessThanOrEqual(3);
  });

  it('auto-confirm off: orders 12+ days in 100 raise one confirmation_deadline alert, nothing is confirmed', async () => {
    const shop = await announcedShop({ autoOrderConfirm: false });
    const late = [
      await sim.addOrder(shop.rakutenShopId, {
        progress: 100,
        orderedAt: new Date(Date.now() - 13 * DAY).toISOString(),
      }),
      await sim.addOrder(shop.rakutenShopId, {
        progress: 100,
        orderedAt: new Date(Date.now() - 12.5 * DAY).toISOString(),
      }),
    ];
    await sim.addOrder(shop.rakutenShopId, {
      progress: 100,
      orderedAt: new Date(Date.now() - 3 * DAY).toISOString(),
    });
    await pull(shop);
    await pull(shop);
    await expectEventually(() =>
      expect(eventsFor(collector.on('shop.alert'), shop.id)).toHaveLength(1),
    );
    const [alert] = eventsFor<{ kind: string; details: { orderNumbers: string[] } }>(
      collector.on('shop.alert'),
      shop.id,
    );
    expect(alert.data.kind).toBe('confirmation_deadline');
    expect(alert.data.details.orderNumbers.sort()).toEqual(late.sort());
    expect(await sim.calls({ shopId: shop.rakutenShopId, function: 'confirmOrder' })).toEqual([]);
    // The pulls have returned: every alert they raised is in the outbox, and there is one.
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ingestion.outbox WHERE topic = 'shop.alert' AND message_key = $1`,
      [shop.id],
    );
    expect(rows[0].n).toBe(1);
    expect(eventsFor(collector.on('shop.alert'), shop.id)).toHaveLength(1);
  });
});

describe('failures', () => {
  it('an authentication failure raises one auth_failed alert and stops calls until new keys arrive', async () => {
    const shop = await announcedShop();
    await sim.addOrder(shop.rakutenShopId, { progress: 300 });
    const renewed = {
      serviceSecret: `${shop.serviceSecret}-2`,
      licenseKey: `${shop.licenseKey}-2`,
    };
    await sim.addKey(shop.rakutenShopId, renewed); // revokes the keys ingestion has

    const refused = await pull(shop);
    expect(refused.complete).toBe(false);
    expect(refused.error?.code).toBe('AUTH_FAILED');
    await expectEventually(() =>
      expect(eventsFor(collector.on('shop.alert'), shop.id)).toHaveLength(1),
    );
    expect(eventsFor(collector.on('shop.alert'), shop.id)[0].data).toMatchObject({
      kind: 'auth_failed',
      severity: 'critical',
      details: { operation: 'searchOrder', errorCode: 'ES01-01' },
    });
    const callsAfterRefusal = (await sim.calls({ shopId: shop.rakutenShopId })).length;
    await expect(pull(shop)).rejects.toMatchObject({ code: 'SHOP_NOT_PULLABLE' });
    // A shop.updated that changes nothing about the keys does not lift the block.
    shop.revision += 1;
    await publishAndAwaitApplied(
      producer,
      async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
      'ingestion',
      [shopUpdated(box, shop)],
    );
    await expect(pull(shop)).rejects.toMatchObject({ code: 'SHOP_NOT_PULLABLE' });
    expect((await sim.calls({ shopId: shop.rakutenShopId })).length).toBe(callsAfterRefusal);

    // Renewed keys: a pull that names the new revision (as the gateway does, from credentials)
    // before shop.updated has arrived is not answered from the blocked copy.
    Object.assign(shop, renewed, { revision: shop.revision + 1 });
    await expect(pull(shop, shop.revision)).rejects.toMatchObject({
      code: 'SHOP_NOT_SYNCED',
      details: { revision: shop.revision - 1, expected: shop.revision },
    });
    await produce(producer, [shopUpdated(box, shop)]);
    const resumed = await expectEventually(() => pull(shop, shop.revision));
    expect(resumed).toMatchObject({ complete: true, new: 1 });
    expect(eventsFor(collector.on('shop.alert'), shop.id)).toHaveLength(1);
  });

  it('5xx, HTML maintenance pages and throttling are retried; a poll that gives up resumes: nothing lost or doubled', async () => {
    const shop = await announcedShop();
    await sim.generate(shop.rakutenShopId, {
      count: 500,
      seed: 9,
      progress: 300,
      from: new Date(Date.now() - 10 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    await sim.faults({
      rules: [
        { kind: 'http503', function: 'getOrder', shopId: shop.rakutenShopId, count: 2 },
        { kind: 'html', function: 'searchOrder', shopId: shop.rakutenShopId, count: 1 },
        { kind: 'throttle', function: 'getOrder', shopId: shop.rakutenShopId, count: 1 },
      ],
    });
    const first = await pull(shop);
    expect(first).toMatchObject({ complete: true, new: 500 });

    await sim.generate(shop.rakutenShopId, {
      count: 300,
      seed: 10,
      progress: 300,
      from: new Date(Date.now() - 5 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    // More failures in a row than the client retries: the poll stops part-way.
    await sim.faults({
      rules: [{ kind: 'http500', function: 'getOrder', shopId: shop.rakutenShopId, count: 6 }],
    });
    const broken = await pull(shop);
    expect(broken.complete).toBe(false);
    expect(broken.error?.code).toBe('UNAVAILABLE');
    await sim.faults({ rules: [] });
    const resumed = await pull(shop);
    expect(resumed.complete).toBe(true);
    expect(broken.new + resumed.new).toBe(300);

    await expectEventually(() => expect(pulledOf(shop)).toHaveLength(800));
    const numbers = new Set(pulledOf(shop).map((event) => event.data.order.orderNumber));
    expect(numbers.size).toBe(800);
  });

  it('timeouts are retried, a maintenance window stops the poll and the next one resumes: nothing lost or doubled', async () => {
    const shop = await announcedShop();
    await sim.generate(shop.rakutenShopId, {
      count: 250,
      seed: 11,
      progress: 300,
      from: new Date(Date.now() - 8 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    // Answers held past the client's timeout (RAKUTEN_TIMEOUT_MS 5 s here): reads are retried.
    await sim.faults({
      rules: [
        {
          kind: 'timeout',
          function: 'searchOrder',
          shopId: shop.rakutenShopId,
          count: 1,
          delayMs: 8000,
        },
        {
          kind: 'timeout',
          function: 'getOrder',
          shopId: shop.rakutenShopId,
          count: 2,
          delayMs: 8000,
        },
      ],
    });
    const first = await pull(shop);
    expect(first).toMatchObject({ complete: true, new: 250 });
    const timedOut = (await sim.calls({ shopId: shop.rakutenShopId })).filter(
      (call) => call.fault === 'timeout',
    );
    expect(timedOut).toHaveLength(3);

    // RMS goes into maintenance (every call answers a 503 HTML page) while new orders arrive.
    await sim.generate(shop.rakutenShopId, {
      count: 120,
      seed: 12,
      progress: 300,
      from: new Date(Date.now() - 2 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    await sim.faults({
      rules: [],
      maintenance: {
        from: new Date(Date.now() - 1000).toISOString(),
        to: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const during = await pull(shop);
    expect(during.complete).toBe(false);
    expect(during.error?.code).toBe('UNAVAILABLE');
    expect(during.new).toBe(0);

    // The window ends: the next poll picks up where the last complete one stopped.
    await sim.faults({ rules: [] });
    const after = await pull(shop);
    expect(after).toMatchObject({ complete: true, new: 120 });

    await expectEventually(() => expect(pulledOf(shop)).toHaveLength(370));
    const numbers = new Set(pulledOf(shop).map((event) => event.data.order.orderNumber));
    expect(numbers.size).toBe(370);
    const { rows } = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM ingestion.orders WHERE shop_id = $1',
      [shop.id],
    );
    expect(Number(rows[0].n)).toBe(370);
  });
});
