import { InMemoryRateLimiter } from './in-memory-rate-limiter';

describe('InMemoryRateLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('gives callers of one bucket slots the interval apart, and buckets are independent', async () => {
    const limiter = new InMemoryRateLimiter();
    const granted: number[] = [];
    for (let i = 0; i < 5; i++) {
      void limiter.acquire('k:order', 50).then(() => granted.push(Date.now()));
    }
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([1_000_000]);
    await jest.advanceTimersByTimeAsync(49);
    expect(granted).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(200);
    expect(granted).toEqual([1_000_000, 1_000_050, 1_000_100, 1_000_150, 1_000_200]);

    const other: number[] = [];
    void limiter.acquire('other:order', 50).then(() => other.push(Date.now()));
    await jest.advanceTimersByTimeAsync(0);
    expect(other).toEqual([Date.now()]);
  });

  it('after settle, the next slot is a whole interval after the answer', async () => {
    const limiter = new InMemoryRateLimiter();
    await limiter.acquire('k', 1000);
    // The call took 300 ms to be answered: the next slot moves from +1000 to +1300.
    jest.advanceTimersByTime(300);
    await limiter.settle('k', 1000);
    const granted: number[] = [];
    void limiter.acquire('k', 1000).then(() => granted.push(Date.now()));
    await jest.advanceTimersByTimeAsync(999);
    expect(granted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([1_001_300]);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new InMemoryRateLimiter();
    await limiter.acquire('k', 10_000);
    const controller = new AbortController();
    const waiting = limiter.acquire('k', 10_000, controller.signal);
    controller.abort(new Error('given up'));
    await expect(waiting).rejects.toThrow('given up');
  });
});
