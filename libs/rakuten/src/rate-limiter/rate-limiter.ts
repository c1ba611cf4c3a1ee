/**
 * Spaces out calls that share a bucket (one licence key and one rate group). `acquire` resolves
 * when the caller may send; it reserves the caller's slot, so callers never race for the same one.
 * Implementations: `InMemoryRateLimiter` (one process) and `PgRateLimiter` (all processes that
 * share a PostgreSQL database).
 */
export interface RateLimiter {
  /**
   * Waits for the next free slot of `bucket`, slots being at least `intervalMs` apart.
   * Rejects only if `signal` aborts (the slot is then wasted, which errs on the safe side).
   */
  acquire(bucket: string, intervalMs: number, signal?: AbortSignal): Promise<void>;

  /**
   * The call that took a slot of `bucket` has been answered (or given up): the next slot is no
   * earlier than `intervalMs` from now. Spacing slots at the sender does not space arrivals — a
   * call delayed on its way lands close to the next one — while a call answered has surely
   * arrived, so a caller that sends one call after another never has two arrive too close.
   */
  settle?(bucket: string, intervalMs: number): Promise<void>;
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
