import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  INGESTION_CALLS,
  jstDay,
  type BackfillListView,
  type BackfillView,
  type EventOf,
} from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import { internalCallClient } from '@smartship/service-kit';
import { parseRmsDateTime } from '@smartship/rakuten';
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
import { firstValueFrom } from 'rxjs';

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
import { PullService } from '../polling/pull.service';
import { BackfillService } from './backfill.service';

/*
 * Backfills and deep sweeps end to end: the simulator as a process, the ingestion app in this
 * process on the real PostgreSQL and Kafka (stopped and started again in the restart test).
 * Rakuten's rate is 5 requests/s per key here (the simulator refuses more with 429), so a
 * backfill (half of it: BACKFILL_RATE_SHARE 0.5) takes seconds and can be stopped part-way;
 * pages of 50 make every window take several pages.
 */
const infra = testInfrastructure();
const DAY = 86_400_000;
const RPS = 5;
const simPort = 24000 + randomInt(0, 900);
const tcpPort = 25000 + randomInt(0, 900);
const sim = new SimAdmin(`http://127.0.0.1:${simPort}`);
const simProcess = new ServiceProcess({
  app: 'rakuten-sim',
  httpPort: simPort,
  env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
});
const box = SecretBox.fromEnv(TEST_MASTER_KEYS);
const env = ingestionEnv(infra, sim.url, TEST_MASTER_KEYS, {
  KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
  RAKUTEN_ORDER_RPS: String(RPS),
  POLL_INTERVAL_MS: '2000',
  SEARCH_PAGE_SIZE: '50',
  // Sweeps are started by hand in their test (next_sweep_at), never by the clock here.
  DEEP_SWEEP_INTERVAL_HOURS: '24',
});

let app: INestApplication;
let collector: TopicCollector;
let producer: Producer;
let db: Pool;
let tcp: ClientProxy;

beforeAll(async () => {
  await simProcess.start();
  app = await startIngestion(env, tcpPort);
  const kafka = testKafka(infra.kafkaBrokers);
  producer = await connectProducer(kafka);
  collector = await new TopicCollector(kafka, ['order.pulled']).start();
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

/** A simulator shop (limited to RPS order calls a second) announced to ingestion. */
async function announcedShop(
  options: { autoOrderSync?: boolean; pollIntervalMinutes?: number | null } = {},
): Promise<TestShop> {
  const shop = await newShop(sim, {
    autoOrderSync: options.autoOrderSync ?? false,
    rateLimits: { order: RPS },
  });
  // Makes the default catalog; a settled order, never in 300.
  await sim.generate(shop.rakutenShopId, {
    count: 1,
    progress: 700,
    from: new Date(Date.now() - 20 * DAY).toISOString(),
    to: new Date(Date.now() - 19 * DAY).toISOString(),
  });
  await announce(shop, options.pollIntervalMinutes);
  await expectEventually(async () => {
    const { rows } = await db.query('SELECT revision FROM ingestion.shops WHERE id = $1', [
      shop.id,
    ]);
    expect(rows).toEqual([{ revision: shop.revision }]);
  });
  return shop;
}

/** Publishes the shop's state; `pollIntervalMinutes` undefined: an event from before it existed. */
async function announce(shop: TestShop, pollIntervalMinutes?: number | null): Promise<void> {
  const event = shopUpdated(box, shop) as EventOf<'shop.updated'>;
  if (pollIntervalMinutes !== undefined)
    event.data.options.pollIntervalMinutes = pollIntervalMinutes;
  await produce(producer, [event]);
}

function start(shop: TestShop, from: string, to: string): Promise<BackfillView> {
  return firstValueFrom(
    tcp.send<BackfillView>(INGESTION_CALLS.startBackfill, {
      actor: { tenantId: shop.tenantId, actorId: 'test' },
      shopId: shop.id,
      body: { from, to },
    }),
  );
}

function refusal(promise: Promise<unknown>): Promise<{
  statusCode: number;
  code: string;
  message: string;
  details: unknown;
}> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as never,
  );
}

function list(shop: TestShop): Promise<BackfillListView> {
  return firstValueFrom(
    tcp.send<BackfillListView>(INGESTION_CALLS.listBackfills, {
      actor: { tenantId: shop.tenantId, actorId: 'test' },
      shopId: shop.id,
    }),
  );
}

async function backfillRow(id: string) {
  const { rows } = await db.query<{
    state: string;
    windows_done: number;
    windows: unknown[];
    lease_owner: string | null;
    error: string | null;
    last_error: string | null;
    started_at: Date | null;
    finished_at: Date | null;
    orders_published: number;
  }>('SELECT * FROM ingestion.backfills WHERE id = $1', [id]);
  return rows[0];
}

async function untilFinished(id: string, timeoutMs = 90_000) {
  return expectEventually(
    async () => {
      const row = await backfillRow(id);
      expect(row.state).not.toBe('running');
      return row;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** Order numbers the simulator holds in 300 for the shop. */
async function waitingInSim(shop: TestShop): Promise<string[]> {
  const orders = await sim.request<{ orderNumber: string }[]>(
    'GET',
    `/shops/${shop.rakutenShopId}/orders?progress=300`,
  );
  return orders.map((order) => order.orderNumber);
}

/**
 * The shop's order.pulled events once everything its outbox holds has been published and
 * collected: after that point no further event of the shop can arrive (nothing else is pulling).
 */
async function settledPulls(shop: TestShop): Promise<string[]> {
  const count = await expectEventually(async () => {
    const { rows } = await db.query<{ total: string; pending: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE published_at IS NULL) AS pending
         FROM ingestion.outbox WHERE topic = 'order.pulled' AND message_key LIKE $1`,
      [`${shop.id}:%`],
    );
    expect(Number(rows[0].pending)).toBe(0);
    return Number(rows[0].total);
  });
  const pulled = () =>
    eventsFor<{ order: { orderNumber: string } }>(collector.on('order.pulled'), shop.id);
  await expectEventually(() => expect(pulled()).toHaveLength(count));
  return pulled().map((event) => event.data.order.orderNumber);
}

const daysAgo = (days: number) => jstDay(new Date(Date.now() - days * DAY));

interface SearchBody {
  startDatetime: string;
  endDatetime: string;
  PaginationRequestModel?: { requestPage?: number };
}

describe('backfill', () => {
  it('reads 200 days in four windows of ≤ 63 days, page by page, and publishes every order in 300 exactly once beside a regular pull', async () => {
    const shop = await announcedShop();
    // About 250 orders in 300 over 195 days: each full 63-day window holds more than one page of
    // 50 whatever the time of day the test runs (with 260 orders, about 50 a window, it did not).
    await sim.generate(shop.rakutenShopId, {
      count: 420,
      seed: 18,
      progress: { '300': 3, '100': 1, '500': 1 },
      from: new Date(Date.now() - 195 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    // A regular pull first: the last 30 days are already pulled when the backfill comes.
    const pull = await app
      .get(PullService)
      .pull({ actor: { tenantId: shop.tenantId, actorId: 'test' }, shopId: shop.id });
    expect(pull.complete).toBe(true);

    const callsBefore = (await sim.calls({ shopId: shop.rakutenShopId })).length;
    const started = await start(shop, daysAgo(200), daysAgo(0));
    expect(started).toMatchObject({
      kind: 'backfill',
      state: 'running',
      windows: { done: 0, total: 4 },
      orders: { found: 0, published: 0 },
      finishedAt: null,
    });
    const row = await untilFinished(started.id);
    expect(row).toMatchObject({ state: 'done', windows_done: 4, error: null });

    const waiting = await waitingInSim(shop);
    expect(waiting.length).toBeGreaterThan(100);
    const pulled = await settledPulls(shop);
    expect(pulled.sort()).toEqual([...waiting].sort());

    const [view] = (await list(shop)).items;
    expect(view).toMatchObject({
      id: started.id,
      state: 'done',
      windows: { done: 4, total: 4 },
      orders: {
        published: waiting.length - pull.new,
        alreadyKnown: pull.new,
        failed: 0,
      },
    });
    expect(view.orders.found).toBe(waiting.length);
    expect(view.startedAt).not.toBeNull();
    expect(view.finishedAt).not.toBeNull();

    // The searches: 300 by order date, windows of at most 63 days back to back, every page.
    // Nothing else searches this shop after the pull (autoOrderSync off): the last calls are the
    // backfill's.
    const searches = (await sim.calls({ shopId: shop.rakutenShopId, function: 'searchOrder' })).map(
      (call) => call.body as SearchBody & { orderProgressList: number[]; dateType: number },
    );
    const mine = searches.slice(-view.calls.searchOrder);
    expect(mine.every((body) => body.dateType === 1 && body.orderProgressList[0] === 300)).toBe(
      true,
    );
    const windows = [
      ...new Map(mine.map((body) => [body.startDatetime, body.endDatetime])).entries(),
    ];
    expect(windows).toHaveLength(4);
    for (const [i, [startAt, endAt]] of windows.entries()) {
      const length = parseRmsDateTime(endAt).getTime() - parseRmsDateTime(startAt).getTime();
      expect(length).toBeLessThanOrEqual(63 * DAY);
      if (i > 0) {
        expect(parseRmsDateTime(startAt).getTime()).toBe(
          parseRmsDateTime(windows[i - 1][1]).getTime() + 1000,
        );
      }
    }
    expect(view.calls.searchOrder).toBeGreaterThan(4); // pages of 50
    // Rakuten's rate was kept: the simulator refused nothing.
    const calls = (await sim.calls({ shopId: shop.rakutenShopId })).slice(callsBefore);
    expect(calls.filter((call) => call.status === 429)).toEqual([]);
  });

  it('refuses a second backfill of the shop while one runs (409 naming it), a bad range (400 naming the field, nothing stored), and a suspended shop (409 saying why)', async () => {
    const shop = await announcedShop();
    await sim.generate(shop.rakutenShopId, {
      count: 60,
      seed: 19,
      progress: 300,
      from: new Date(Date.now() - 700 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    const first = await start(shop, daysAgo(700), daysAgo(0));
    expect(first.windows.total).toBe(12);

    const second = await refusal(start(shop, daysAgo(10), daysAgo(0)));
    expect(second).toMatchObject({
      statusCode: 409,
      code: 'BACKFILL_RUNNING',
      details: { backfillId: first.id },
    });
    expect(second.message).toContain(first.id);

    const count = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            'SELECT count(*) AS n FROM ingestion.backfills WHERE shop_id = $1',
            [shop.id],
          )
        ).rows[0].n,
      );
    const tooOld = await refusal(start(shop, daysAgo(800), daysAgo(0)));
    expect(tooOld).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(tooOld.details)).toContain('body.from');
    expect(tooOld.message).toContain('730 days');
    const future = await refusal(start(shop, daysAgo(5), daysAgo(-2)));
    expect(JSON.stringify(future.details)).toContain('body.to');
    const backwards = await refusal(start(shop, daysAgo(5), daysAgo(9)));
    expect(backwards.message).toContain('to must be later than from');
    expect(await count()).toBe(1);

    expect((await untilFinished(first.id)).state).toBe('done');
    // Once it is done, the next one may start: it finds everything already pulled.
    const again = await start(shop, daysAgo(700), daysAgo(0));
    const done = await untilFinished(again.id);
    expect(done).toMatchObject({ state: 'done', orders_published: 0 });
    const pulled = await settledPulls(shop);
    expect(pulled.sort()).toEqual((await waitingInSim(shop)).sort());

    shop.status = 'suspended';
    shop.revision += 1;
    await announce(shop);
    await expectEventually(async () => {
      const { rows } = await db.query('SELECT status FROM ingestion.shops WHERE id = $1', [
        shop.id,
      ]);
      expect(rows[0].status).toBe('suspended');
    });
    const suspended = await refusal(start(shop, daysAgo(30), daysAgo(0)));
    expect(suspended).toMatchObject({ statusCode: 409, code: 'SHOP_NOT_PULLABLE' });
    expect(suspended.message).toContain('the shop is suspended');
    expect(await count()).toBe(2);
  });

  it('a backfill retrying a failing Rakuten shows the error; once the shop is suspended it stops with the reason and makes no more calls', async () => {
    const shop = await announcedShop();
    await sim.faults({
      rules: [
        { kind: 'http503', function: 'searchOrder', shopId: shop.rakutenShopId, count: 1000 },
      ],
    });
    const job = await start(shop, daysAgo(100), daysAgo(0));
    const retrying = await expectEventually(
      async () => {
        const [view] = (await list(shop)).items;
        expect(view.lastError).toMatch(/UNAVAILABLE/);
        return view;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(retrying).toMatchObject({ state: 'running', windows: { done: 0, total: 2 } });
    expect(retrying.nextAttemptAt).not.toBeNull();

    shop.status = 'suspended';
    shop.revision += 1;
    await announce(shop);
    const row = await untilFinished(job.id, 120_000);
    expect(row.state).toBe('failed');
    expect(row.error).toBe('the shop cannot be called: the shop is suspended');
    await sim.faults({ rules: [] });
    // The job is over (observable: state failed, no lease): no call of the shop comes after it.
    const calls = await sim.calls({ shopId: shop.rakutenShopId });
    const last = calls.at(-1)?.atMs ?? 0;
    expect(last).toBeLessThanOrEqual((row.finished_at as Date).getTime() + 50);
    expect(row.lease_owner).toBeNull();
  });

  it('a shop disabled by the seller while its backfill reads stops it at the next page, with the reason', async () => {
    const shop = await announcedShop();
    await sim.generate(shop.rakutenShopId, {
      count: 120,
      seed: 21,
      progress: 300,
      from: new Date(Date.now() - 700 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    const job = await start(shop, daysAgo(700), daysAgo(0));
    await expectEventually(
      async () => expect((await backfillRow(job.id)).windows_done).toBeGreaterThanOrEqual(1),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    shop.status = 'disabled';
    shop.revision += 1;
    await announce(shop);
    const row = await untilFinished(job.id);
    expect(row.state).toBe('failed');
    expect(row.error).toBe('the shop cannot be called: the shop is disabled');
    expect(row.windows_done).toBeLessThan(12);
    // The job is over: every call of the shop was answered before it ended.
    const calls = await sim.calls({ shopId: shop.rakutenShopId });
    expect(calls.at(-1)?.atMs ?? 0).toBeLessThanOrEqual((row.finished_at as Date).getTime() + 50);
  });

  it('resumes where it stopped after the app is stopped part-way and started again, with polls going on beside it and Rakuten never throttling', async () => {
    const shop = await announcedShop({ autoOrderSync: true });
    await sim.generate(shop.rakutenShopId, {
      count: 700,
      seed: 20,
      progress: { '300': 4, '500': 1 },
      from: new Date(Date.now() - 690 * DAY).toISOString(),
      to: new Date().toISOString(),
    });
    const backfills = app.get(BackfillService);
    const job = await backfills.start({
      actor: { tenantId: shop.tenantId, actorId: 'test' },
      shopId: shop.id,
      body: { from: daysAgo(700), to: daysAgo(0) },
    });
    expect(job.windows.total).toBe(12);
    await expectEventually(
      async () => expect((await backfillRow(job.id)).windows_done).toBeGreaterThanOrEqual(3),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await app.close();
    const stopped = await backfillRow(job.id);
    expect(stopped.state).toBe('running');
    expect(stopped.lease_owner).toBeNull();
    expect(stopped.windows_done).toBeLessThan(12);
    const { rows: checkpoint } = await db.query<{
      windows: [string, string][];
      page: number;
    }>('SELECT windows, page FROM ingestion.backfills WHERE id = $1', [job.id]);
    const resumeFrom = new Date(checkpoint[0].windows[stopped.windows_done][0]).getTime();
    const seqAtStop = (await sim.calls()).at(-1)?.seq ?? 0;

    app = await startIngestion(env, tcpPort);
    // A client of the new instance's TCP port (the old connection ended with the old app).
    await tcp.close();
    tcp = internalCallClient(tcpPort);
    const done = await untilFinished(job.id, 120_000);
    expect(done.state).toBe('done');

    // After the restart no window before the checkpoint was searched again, and the window
    // in progress went on from its saved page.
    const lookbackStart = Date.now() - 31 * DAY;
    const after = (await sim.calls({ shopId: shop.rakutenShopId, function: 'searchOrder' }))
      .filter((call) => call.seq > seqAtStop)
      .map((call) => call.body as SearchBody)
      .filter((body) => parseRmsDateTime(body.startDatetime).getTime() < lookbackStart);
    expect(after.length).toBeGreaterThan(0);
    for (const body of after) {
      expect(parseRmsDateTime(body.startDatetime).getTime()).toBeGreaterThanOrEqual(resumeFrom);
    }
    const firstAfter = after[0];
    expect(parseRmsDateTime(firstAfter.startDatetime).getTime()).toBe(resumeFrom);
    expect(firstAfter.PaginationRequestModel?.requestPage).toBe(checkpoint[0].page);

    // Every order in 300 once, whoever found it first (the polls or the backfill).
    const pulled = await settledPulls(shop);
    const waiting = await waitingInSim(shop);
    expect(pulled).toHaveLength(waiting.length);
    expect(pulled.sort()).toEqual([...waiting].sort());

    // The shop's polls went on while the backfill ran.
    const { rows: polls } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ingestion.poll_runs
        WHERE shop_id = $1 AND error IS NULL AND started_at > $2 AND finished_at < $3`,
      [shop.id, done.started_at, done.finished_at],
    );
    expect(Number(polls[0].n)).toBeGreaterThan(0);
    const throttled = (await sim.calls({ shopId: shop.rakutenShopId })).filter(
      (call) => call.status === 429,
    );
    expect(throttled).toEqual([]);
  });
});

describe('deep sweep', () => {
  it('pulls an old order that reached 300 late, which the regular look-back does not reach', async () => {
    const shop = await announcedShop({ autoOrderSync: true });
    // A pre-order placed 90 days ago, still in 100; it becomes 発送待ち today.
    const old = await sim.addOrder(shop.rakutenShopId, {
      progress: 100,
      orderedAt: new Date(Date.now() - 90 * DAY).toISOString(),
    });
    await sim.setState(old, { progress: 300 });
    const turnedAt = new Date();
    // A poll that began after the change and read its whole look-back did not pull it.
    await expectEventually(
      async () => {
        const { rows } = await db.query(
          `SELECT 1 FROM ingestion.poll_runs
            WHERE shop_id = $1 AND started_at > $2 AND finished_at IS NOT NULL AND error IS NULL`,
          [shop.id, turnedAt],
        );
        expect(rows.length).toBeGreaterThan(0);
      },
      { timeoutMs: 30_000 },
    );
    expect(await settledPulls(shop)).toEqual([]);

    await db.query('UPDATE ingestion.poll_state SET next_sweep_at = now() WHERE shop_id = $1', [
      shop.id,
    ]);
    const sweep = await expectEventually(
      async () => {
        const { items } = await list(shop);
        expect(items[0]).toMatchObject({ kind: 'sweep', state: 'done' });
        return items[0];
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(sweep.orders.published).toBe(1);
    expect(sweep.windows.total).toBe(12); // 730 days back to the 30-day look-back
    expect(await settledPulls(shop)).toEqual([old]);

    const listed = await list(shop);
    expect(listed.sweep).toMatchObject({ everyHours: 24, days: 730 });
    const next = new Date(listed.sweep?.nextAt as string).getTime();
    expect(next).toBeGreaterThan(Date.now() + 20 * 3_600_000);
  });
});

describe('poll interval per shop', () => {
  it('the scheduler waits the shop’s own pollIntervalMinutes after a poll; an event without it keeps the platform interval', async () => {
    const own = await announcedShop({ autoOrderSync: true, pollIntervalMinutes: 7 });
    const platform = await announcedShop({ autoOrderSync: true });
    const { rows: stored } = await db.query(
      'SELECT id, poll_interval_minutes FROM ingestion.shops WHERE id = ANY($1) ORDER BY id',
      [[own.id, platform.id]],
    );
    expect(Object.fromEntries(stored.map((r) => [r.id, r.poll_interval_minutes]))).toEqual({
      [own.id]: 7,
      [platform.id]: null,
    });
    const gapAfterPoll = (shopId: string) =>
      expectEventually(
        async () => {
          const { rows } = await db.query<{ gap_ms: number }>(
            `SELECT extract(epoch FROM next_poll_at - last_finished_at) * 1000 AS gap_ms
               FROM ingestion.poll_state WHERE shop_id = $1 AND last_finished_at IS NOT NULL
                AND lease_owner IS NULL`,
            [shopId],
          );
          expect(rows).toHaveLength(1);
          return Number(rows[0].gap_ms);
        },
        { timeoutMs: 30_000 },
      );
    const ownGap = await gapAfterPoll(own.id);
    expect(ownGap).toBeGreaterThan(7 * 60_000 * 0.89);
    expect(ownGap).toBeLessThan(7 * 60_000 * 1.11);
    expect(await gapAfterPoll(platform.id)).toBeLessThan(2_000 * 1.11 + 50);

    // Back to the platform's interval (null): the poll scheduled minutes away is brought forward.
    own.revision += 1;
    await announce(own, null);
    await expectEventually(async () => {
      const { rows } = await db.query<{ poll_interval_minutes: number | null; due_in_ms: number }>(
        `SELECT s.poll_interval_minutes,
                extract(epoch FROM p.next_poll_at - now()) * 1000 AS due_in_ms
           FROM ingestion.shops s JOIN ingestion.poll_state p ON p.shop_id = s.id
          WHERE s.id = $1`,
        [own.id],
      );
      expect(rows[0].poll_interval_minutes).toBeNull();
      expect(Number(rows[0].due_in_ms)).toBeLessThan(2_500);
    });
  });
});
