import { Type } from 'class-transformer';
import {
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { CallActor } from './shops.calls';

/**
 * The order timeline (`GET /orders/:orderNumber`): the gateway asks each service for its part of
 * an order's path and merges them by time. A service answers from its own data only. (The
 * fulfillment side is `FULFILLMENT_CALLS.timeline`, which answers its fulfillment orders with
 * their histories.)
 */
export const ORDER_TIMELINE_CALLS = {
  ingestion: 'ingestion.orders.timeline',
  mapping: 'mapping.orders.timeline',
} as const;

export class OrderTimelineCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  /** Rakuten order number (受注番号), e.g. 123456-20261129-0000000001. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  orderNumber: string;

  /** Narrows to one shop connection when the tenant has several. */
  @IsOptional()
  @IsUUID()
  shopId?: string;
}

/** One step of an order's path. */
export interface TimelineEntry {
  /** When it happened, ISO-8601. */
  at: string;
  /** The service that knows it. */
  service: 'ingestion' | 'mapping' | 'fulfillment';
  /** Machine-readable step, e.g. pulled, confirmed, mapped, dispatched, shipped, reported. */
  step: string;
  /** For a person: what happened (never a secret). */
  detail: string;
  /** false when the order stopped here (a failure, a hold, something a person must do). */
  ok: boolean;
}

/** A service's part of the timeline. */
export interface OrderTimelinePart {
  /** false when this service has never seen the order. */
  found: boolean;
  /** Shop connection id the order belongs to (when found). */
  shopId?: string;
  entries: TimelineEntry[];
}
