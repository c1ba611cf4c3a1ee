import { InMemoryRateLimiter } from './in-memory-rate-limiter';
import { rateRule, type RatePermit, type RateRule } from './rate-limiter';

const T0 = 1_000_000;

describe('InMemoryRateLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  /** Starts `count` acquisitions and records when each was granted (ms after T0) and its permit. */
  function burst(limiter: InMemoryRateLimiter, bucket: string, rule: RateRule, count: number) {
    const granted: { at: number; permit: RatePermit }[] = [];
    for (let i = 0; i < count; i++)
      void limiter
        .acquire(bucket, rule)
        .then((permit) => granted.push({ at: Date.now() - T0, permit }));
    return granted;
  }

  it('spreads departures window/limit apart while calls are answered at once; buckets are independent', async () => {
    const limiter = new InMemoryRateLimiter();
    const rule: RateRule = { limit: 4, windowMs: 200, holdMs: 10_000 };
    const granted = burst(limiter, 'k:order', rule, 5);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted.map((g) => g.at)).toEqual([0]);
    for (const g of granted) await g.permit.release();
    await jest.advanceTimersByTimeAsync(49);
    expect(granted).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted.map((g) => g.at)).toEqual([0, 50]);

    const other = burst(limiter, 'other:order', rule, 1);
    await jest.advanceTimersByTimeAsync(0);
    expect(other.map((g) => g.at)).toEqual([50]);
  });

  it('never lets limit + 1 calls in one window, counting calls in flight until a window after their answer', async () => {
    const limiter = new InMemoryRateLimiter();
    const rule: RateRule = { limit: 2, windowMs: 1000, holdMs: 60_000 };
    const granted = burst(limiter, 'k', rule, 3);
    await jest.advanceTimersByTimeAsync(600);
    // Two left (at 0 and 500) and neither is answered: the third waits however long they take.
    expect(granted.map((g) => g.at)).toEqual([0, 500]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(granted).toHaveLength(2);
    // The first is answered at 5,600 ms: it still counts for a whole window after that.
    await granted[0].permit.release();
    await jest.advanceTimersByTimeAsync(999);
    expect(granted).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(granted.map((g) => g.at)).toEqual([0, 500, 6_600]);
  });

  it('a call answered within the window keeps the next one out for the rest of it (1 rps)', async () => {
    const limiter = new InMemoryRateLimiter();
    const rule = rateRule(1, 25, 30_000);
    const first = await limiter.acquire('k', rule);
    jest.advanceTimersByTime(300); // answered after 300 ms
    await first.release();
    const granted = burst(limiter, 'k', rule, 1);
    await jest.advanceTimersByTimeAsync(1_024);
    expect(granted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted.map((g) => g.at)).toEqual([1_325]);
  });

  it('a permit never released stops counting after the hold time (its process died mid-call)', async () => {
    const limiter = new InMemoryRateLimiter();
    const rule: RateRule = { limit: 1, windowMs: 1000, holdMs: 5_000 };
    await limiter.acquire('k', rule); // never released
    const granted = burst(limiter, 'k', rule, 1);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(granted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted.map((g) => g.at)).toEqual([5_000]);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new InMemoryRateLimiter();
    const rule: RateRule = { limit: 1, windowMs: 10_000, holdMs: 60_000 };
    await limiter.acquire('k', rule);
    const controller = new AbortController();
    const waiting = limiter.acquire('k', rule, controller.signal);
    controller.abort(new Error('given up'));
    await expect(waiting).rejects.toThrow('given up');
  });
});

describe('rateRule', () => {
  it('turns requests per second into a limit per window with the margin', () => {
    expect(rateRule(1, 25, 30_000)).toEqual({ limit: 1, windowMs: 1025, holdMs: 31_025 });
    expect(rateRule(5, 25, 30_000)).toEqual({ limit: 5, windowMs: 1025, holdMs: 31_025 });
    expect(rateRule(2.5, 0, 1_000)).toEqual({ limit: 2, windowMs: 1000, holdMs: 2_000 });
    expect(rateRule(0.5, 25, 30_000)).toEqual({ limit: 1, windowMs: 2025, holdMs: 32_025 });
    expect(() => rateRule(0, 25, 30_000)).toThrow('rate must be positive');
  });
});
