import { delay, type RateLimiter, type RatePermit, type RateRule } from './rate-limiter';

interface Bucket {
  /** No call leaves before this time (departures spread `windowMs / limit` apart). */
  nextDeparture: number;
  /** Calls sent and not yet answered, with the time each left. */
  inFlight: Map<number, number>;
  /** When recent calls were answered, oldest first. */
  answered: number[];
}

/**
 * A rate limiter for one process: tests, scripts, and tools that run alone. The same rule as the
 * PostgreSQL limiter (see RateLimiter): in flight + answered within the window < limit.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(bucket: string, rule: RateRule, signal?: AbortSignal): Promise<RatePermit> {
    for (;;) {
      signal?.throwIfAborted();
      const taken = this.tryTake(bucket, rule);
      if (typeof taken !== 'number') return taken;
      await delay(taken, signal);
    }
  }

  /** A permit, or how long to wait before asking again. */
  private tryTake(name: string, rule: RateRule): RatePermit | number {
    const now = this.now();
    const bucket = this.bucket(name);
    while (bucket.answered.length > 0 && bucket.answered[0] <= now - rule.windowMs)
      bucket.answered.shift();
    for (const [id, leftAt] of bucket.inFlight)
      if (leftAt <= now - rule.holdMs) bucket.inFlight.delete(id);

    if (now < bucket.nextDeparture) return bucket.nextDeparture - now;
    if (bucket.inFlight.size + bucket.answered.length >= rule.limit) {
      // The earliest a place frees up: the oldest answer leaving the window; a call still in
      // flight frees its place a whole window after its answer, at the earliest.
      const oldest = bucket.answered[0];
      return Math.max(1, oldest === undefined ? rule.windowMs : oldest + rule.windowMs - now);
    }

    const id = this.nextId++;
    bucket.inFlight.set(id, now);
    bucket.nextDeparture = now + rule.windowMs / rule.limit;
    return {
      release: () => {
        if (bucket.inFlight.delete(id)) bucket.answered.push(this.now());
        return Promise.resolve();
      },
    };
  }

  private bucket(name: string): Bucket {
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = { nextDeparture: 0, inFlight: new Map(), answered: [] };
      this.buckets.set(name, bucket);
    }
    return bucket;
  }
}
