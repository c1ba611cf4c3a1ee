import pino from 'pino';
import type { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import type { OrderPoller } from './order-poller';
import { emptyCounts } from './poll-counts';
import type { PollLeases } from './poll-leases';
import { PollScheduler } from './poll-scheduler';

/*
 * When the scheduler looks for due shops (unit test with fake timers; the leases' SQL is covered
 * by poll-leases.int-spec.ts). A poll takes 2.5 s here (a poll with new orders takes about 2 s at
 * Rakuten's 1 request/s); the tick is 2 s.
 */
describe('PollScheduler', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  function scheduler(concurrency: number, due: string[]) {
    const claims: { at: number; shops: string[] }[] = [];
    const leases = {
      owner: 'test',
      claimDue: (limit: number) => {
        const shops = due.splice(0, limit);
        claims.push({ at: Date.now(), shops });
        return Promise.resolve(shops);
      },
      hold: () => ({ signal: new AbortController().signal, stopRenewing: () => undefined }),
      release: () => Promise.resolve(),
      failuresOf: () => Promise.resolve(0),
    } as unknown as PollLeases;
    const poller = {
      poll: () => new Promise((resolve) => setTimeout(() => resolve(emptyCounts()), 2_500)),
    } as unknown as OrderPoller;
    const dataSource = {
      query: () => Promise.resolve([{ id: 'run' }]),
    } as unknown as DataSource;
    const config = Object.assign(new IngestionConfig(), {
      POLL_CONCURRENCY: concurrency,
      POLL_TICK_MS: 2_000,
    });
    const instance = new PollScheduler(
      dataSource,
      config,
      pino({ enabled: false }),
      leases,
      poller,
    );
    return { instance, claims };
  }

  it('claims due shops again as soon as a poll ends, not at the next tick', async () => {
    const due = Array.from({ length: 6 }, (_, i) => `shop-${i}`);
    const { instance, claims } = scheduler(2, due);
    instance.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_000); // first tick at 1 s: two polls start
    expect(claims.map((c) => c.shops)).toEqual([['shop-0', 'shop-1']]);
    // They end at 3.5 s: the next two start at once, not at the tick after (5 s).
    await jest.advanceTimersByTimeAsync(2_600);
    const started = claims.filter((c) => c.shops.length > 0);
    expect(started.map((c) => c.shops)).toEqual([
      ['shop-0', 'shop-1'],
      ['shop-2', 'shop-3'],
    ]);
    expect(started[1].at).toBeGreaterThanOrEqual(3_500);
    expect(started[1].at).toBeLessThan(3_600);
    await jest.advanceTimersByTimeAsync(2_500);
    // All six started by 6 s with two slots; waiting for ticks, the last two started at 9 s.
    expect(due).toEqual([]);
    const stopping = instance.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(3_000);
    await stopping;
  });

  it('stops claiming once it is shutting down', async () => {
    const { instance, claims } = scheduler(1, ['a', 'b']);
    instance.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_000);
    const stopping = instance.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(10_000);
    await stopping;
    expect(claims.flatMap((c) => c.shops)).toEqual(['a']);
  });
});
