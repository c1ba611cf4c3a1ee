import type { PullErrorView } from '@smartship/contracts';
import { RakutenError, RakutenErrorCode } from '@smartship/rakuten';

import { ShopNotCallableError } from '../shops/rakuten-access';
import { LeaseLostError } from './poll-leases';

/** What one poll did (the body of the manual pull's answer, without shop and times). */
export interface PollCounts {
  complete: boolean;
  searched: number;
  new: number;
  alreadyKnown: number;
  failed: number;
  canceled: number;
  confirmed: number;
  calls: { searchOrder: number; getOrder: number; confirmOrder: number };
  error: PullErrorView | null;
}

export function emptyCounts(): PollCounts {
  return {
    complete: false,
    searched: 0,
    new: 0,
    alreadyKnown: 0,
    failed: 0,
    canceled: 0,
    confirmed: 0,
    calls: { searchOrder: 0, getOrder: 0, confirmOrder: 0 },
    error: null,
  };
}

/** A poll's failure as the caller sees it: a code and a message without secrets. */
export function describePollError(error: unknown, signal?: AbortSignal): PullErrorView {
  const cause: unknown = signal?.aborted ? signal.reason : error;
  if (cause instanceof LeaseLostError) return { code: 'LEASE_LOST', message: cause.message };
  if (cause instanceof ShopNotCallableError) {
    return { code: 'SHOP_NOT_CALLABLE', message: cause.message };
  }
  if (cause instanceof PollAbortedError) return { code: 'ABORTED', message: cause.message };
  if (error instanceof RakutenError) {
    const code = error.code === RakutenErrorCode.AUTHENTICATION ? 'AUTH_FAILED' : error.code;
    return { code, message: error.message };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** The service is shutting down: the poll stops and another instance takes over at once. */
export class PollAbortedError extends Error {
  constructor() {
    super('the ingestion instance is shutting down');
    this.name = 'PollAbortedError';
  }
}
