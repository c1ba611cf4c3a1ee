/**
 * Keeps the calls that share a bucket (one licence key and one rate group) within RMS's limit.
 * Implementations: `InMemoryRateLimiter` (one process) and `PgRateLimiter` (all processes that
 * share a PostgreSQL database).
 *
 * The guarantee is about arrivals at RMS, not departures: a call may leave only when fewer than
 * `limit` calls of its bucket are in flight or were answered less than `windowMs` ago. A call that
 * has been answered has surely arrived, so however long a call is held up on its way (a loaded
 * machine, a slow DNS lookup, a new TCP connection), no `limit + 1` calls can arrive at RMS inside
 * one window. Spacing departures alone cannot promise that: one call delayed on its way lands close
 * to the next. On top of it, departures are spread at least `windowMs / limit` apart, so a burst
 * does not go out all at once.
 */
export interface RateLimiter {
  /**
   * Resolves when the caller may send its call, with the permit that counts it; the caller must
   * `release()` the permit once the call is answered or given up. Rejects only if `signal` aborts.
   */
  acquire(bucket: string, rule: RateRule, signal?: AbortSignal): Promise<RatePermit>;
}

/** The limit of one bucket. */
export interface RateRule {
  /** At most this many calls... */
  limit: number;
  /** ...in any window of this many ms (at RMS's end). */
  windowMs: number;
  /**
   * A permit never released (its process died mid-call) stops counting as in flight after this
   * many ms: longer than any call can take, so nothing unanswered is forgotten early.
   */
  holdMs: number;
}

/** One call's place in its bucket. */
export interface RatePermit {
  /** The call has been answered (or given up): it counts for one more window, then not at all. */
  release(): Promise<void>;
}

/**
 * The rule for `perSecond` calls per second plus a safety margin: 5 rps → 5 calls per
 * 1000 + margin ms; 0.5 rps → 1 call per 2000 + margin ms. A call lasts at most `callTimeoutMs`,
 * so a permit never released stops counting a window after that.
 */
export function rateRule(perSecond: number, marginMs: number, callTimeoutMs: number): RateRule {
  if (!(perSecond > 0)) throw new RangeError(`rate must be positive, got ${perSecond}`);
  const windowMs = perSecond >= 1 ? 1000 + marginMs : Math.ceil(1000 / perSecond) + marginMs;
  const limit = perSecond >= 1 ? Math.floor(perSecond) : 1;
  return { limit, windowMs, holdMs: callTimeoutMs + windowMs };
}

/** Sleeps `ms`; rejects with the signal's reason if it aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    if (ms <= 0) return resolve();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
