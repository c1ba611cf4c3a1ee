/** How failed attempts slow down the next ones. */
export interface BackoffPolicy {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** The first wait, after `freeFailures` failures (ms); it doubles with each further failure. */
  baseMs: number;
  /** The longest wait (ms). */
  maxMs: number;
  /** Failures that lock the account (0: never locks; per-address counters never lock). */
  lockAfter: number;
}

/**
 * How long to wait after the `failures`-th failure before the next attempt is heard: nothing up
 * to `freeFailures`, then base, 2·base, 4·base, … capped at `maxMs`.
 */
export function backoffMs(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = failures - policy.freeFailures;
  // 2^31 ms is 24 days: no cap is ever that large, and the shift stays in range.
  if (doublings >= 31) return policy.maxMs;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** doublings);
}

/** Retry-After in whole seconds, at least 1, rounded up. */
export function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1_000));
}
