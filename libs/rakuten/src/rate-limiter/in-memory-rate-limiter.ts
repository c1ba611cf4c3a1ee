import { delay, type RateLimiter } from './rate-limiter';

/**
 * A rate limiter for one process: tests, scripts, and tools that run alone. The same slot logic
 * as the PostgreSQL limiter: each caller takes `max(now, nextSlot)` and moves `nextSlot` on.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly nextSlot = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(bucket: string, intervalMs: number, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(bucket) ?? 0);
    this.nextSlot.set(bucket, slot + intervalMs);
    await delay(slot - now, signal);
  }

  settle(bucket: string, intervalMs: number): Promise<void> {
    const next = this.now() + intervalMs;
    this.nextSlot.set(bucket, Math.max(next, this.nextSlot.get(bucket) ?? 0));
    return Promise.resolve();
  }
}
