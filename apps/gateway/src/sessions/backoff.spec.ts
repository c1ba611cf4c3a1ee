import { BackoffPolicy, backoffMs, retryAfterSeconds } from './backoff';

const policy: BackoffPolicy = { freeFailures: 5, baseMs: 1_000, maxMs: 900_000, lockAfter: 20 };

describe('backoff', () => {
  it('lets the first failures pass without a wait', () => {
    expect([0, 1, 2, 3, 4].map((n) => backoffMs(n, policy))).toEqual([0, 0, 0, 0, 0]);
  });

  it('waits 1 s after the 5th failure and doubles with each further one', () => {
    expect([5, 6, 7, 8, 9, 10].map((n) => backoffMs(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000,
    ]);
  });

  it('never waits longer than the cap, however many failures', () => {
    expect(backoffMs(15, policy)).toBe(900_000); // 1 s · 2^10 = 1024 s > 900 s
    expect(backoffMs(14, policy)).toBe(512_000);
    expect(backoffMs(1_000, policy)).toBe(900_000);
    expect(backoffMs(Number.MAX_SAFE_INTEGER, policy)).toBe(900_000);
  });

  it('answers Retry-After in whole seconds, rounded up, at least 1', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    expect(retryAfterSeconds(new Date(now.getTime() + 1_000), now)).toBe(1);
    expect(retryAfterSeconds(new Date(now.getTime() + 1_001), now)).toBe(2);
    expect(retryAfterSeconds(new Date(now.getTime() + 10), now)).toBe(1);
    expect(retryAfterSeconds(new Date(now.getTime() - 5_000), now)).toBe(1);
  });
});
