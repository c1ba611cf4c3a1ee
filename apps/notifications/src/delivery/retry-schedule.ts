import { backoffDelay } from '@smartship/messaging';

/** How failed deliveries are retried (WEBHOOK_RETRY_*; e-mails use the same schedule). */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** Retried for this long after the delivery was created; then it is failed. */
  forMs: number;
}

/**
 * When to try a delivery again after its `attempts`-th attempt failed, or null when the next
 * attempt would fall after the retry period (the delivery is then failed). Exponential backoff
 * with jitter (half to all of base·2^(attempts−1), capped at maxMs), so endpoints that come back
 * after an outage are not hit by every delivery at once.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempts: number,
  createdAt: Date,
  now: Date,
): Date | null {
  const delay = backoffDelay(attempts, { initialMs: policy.baseMs, maxMs: policy.maxMs });
  const next = new Date(now.getTime() + delay);
  return next.getTime() - createdAt.getTime() > policy.forMs ? null : next;
}
