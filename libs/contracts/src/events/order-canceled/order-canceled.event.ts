import { IsIn } from 'class-validator';

import { IsIsoDateTime, IsNonEmptyString } from '../../decorators';
import {
  RAKUTEN_ORDER_PROGRESS_CODES,
  type RakutenOrderProgress,
} from '../../models/marketplace.model';

/**
 * `order.canceled` v1: the marketplace canceled an order (or started to: 800 awaiting
 * cancellation, 400 awaiting a change). Producer: ingestion. Consumers: fulfillment, which stops
 * the shipment if it can. Key `<shopId>:<orderNumber>`.
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
}
