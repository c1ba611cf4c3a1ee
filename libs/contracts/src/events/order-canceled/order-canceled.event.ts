import { IsIn } from 'class-validator';

import { IsIsoDateTime, IsNonEmptyString, IsOrderRevision } from '../../decorators';
import {
  RAKUTEN_ORDER_PROGRESS_CODES,
  type RakutenOrderProgress,
} from '../../models/marketplace.model';

/**
 * `order.canceled` v1: the marketplace canceled an order (or started to: 800 awaiting
 * cancellation, 400 awaiting a change). Producer: ingestion. Consumers: fulfillment, which stops
 * the shipment if it can; mapping, which takes the order off its unmapped queue. Key
 * `<shopId>:<orderNumber>`.
 */
export class OrderCanceledData {
  /** Marketplace order number. */
  @IsNonEmptyString(400)
  orderNumber: string;

  /** Rakuten orderProgress seen when the cancellation was detected, e.g. 900, 800 or 400. */
  @IsIn(RAKUTEN_ORDER_PROGRESS_CODES)
  rakutenStatus: RakutenOrderProgress;

  /** Human-readable reason, e.g. the RMS change reason or "not confirmed within 14 days". */
  @IsNonEmptyString(2000)
  reason: string;

  /** When ingestion detected the cancellation, ISO-8601 with offset. */
  @IsIsoDateTime()
  detectedAt: string;

  /**
   * The order revision canceled: the one ingestion held when the order left 発送待ち, 1 (or
   * absent) for an order's first pull, at most 1,000. It cancels that revision and older ones
   * only: a higher revision (the changed order pulled again) is not canceled by it, whichever of
   * `order.pulled`, `order.mapped` and this event a consumer sees first.
   */
  @IsOrderRevision()
  revision?: number;
}
