import { InMemoryRateLimiter } from './in-memory-rate-limiter';

describe('InMemoryRateLimiter', () => {
  it('gives callers of one bucket slots at least the interval apart, and buckets are independent', async () => {
    const limiter = new InMemoryRateLimiter();
    const times: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 5 }, () =>
        limiter.acquire('k:order', 50).then(() => times.push(Date.now() - started)),
      ),
    );
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++)
      expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(45);
    const other = Date.now();
    await limiter.acquire('other:order', 50);
    expect(Date.now() - other).toBeLessThan(20);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new InMemoryRateLimiter();
    await limiter.acquire('k', 10_000);
    await expect(limiter.acquire('k', 10_000, AbortSignal.timeout(20))).rejects.toBeDefined();
  });
});
