import { IsIn, IsInt, IsObject, IsOptional, IsUUID, Min } from 'class-validator';

import { IsIsoDateTime, IsNonEmptyString } from './decorators';
import { ALL_TOPICS, isEventType, isTenantScoped, type EventType } from './topics';

/**
 * The JSON envelope every Kafka message carries (docs/design.md, "Events (Kafka)").
 *
 * `shopId` decision: shop-scoped events (all but `inventory.changed`) must name the shop
 * connection; tenant-scoped events (`inventory.changed`, stock is held per tenant) carry
 * `shopId: null`. We chose `null` over a placeholder such as `'-'` so that the type system makes
 * a consumer handle the missing shop instead of storing a fake id. `EventOf<'…'>` narrows the
 * type per event.
 *
 * `data` is checked here only as an object; the codec validates it with the event's own data
 * class for the envelope's `version`, so that a bad envelope and bad data fail with different
 * codes.
 */
export class EventEnvelope<T = unknown> {
  /** Unique id of this event (UUID); consumers deduplicate on it, so a re-send keeps its id. */
  @IsUUID()
  id: string;

  /** Event type, equal to the topic name, e.g. `order.pulled`. */
  @IsIn(ALL_TOPICS)
  type: EventType;

  /** Version of the `data` shape (integer ≥ 1); bumped only when meaning changes. */
  @IsInt()
  @Min(1)
  version: number;

  /** When the fact happened at the producer: ISO-8601 with offset, written in UTC (`…Z`). */
  @IsIsoDateTime()
  occurredAt: string;

  /** Platform tenant (seller account) the event belongs to. */
  @IsNonEmptyString(200)
  tenantId: string;

  /**
   * Platform shop connection id (not Rakuten's shop id); `null` for tenant-scoped types. Whether
   * it is required depends on `type`, which a property decorator cannot see: `shopIdViolations`.
   */
  @IsOptional()
  @IsNonEmptyString(200)
  shopId: string | null;

  /** Id shared by every event caused by the same original fact (the first event's id by default). */
  @IsNonEmptyString(200)
  correlationId: string;

  /** The event's payload; its shape is given by `type` and `version` (see EVENT_DEFINITIONS). */
  @IsObject()
  data: T;
}

/**
 * Checks the envelope-level rule the decorators cannot express on their own: whether `shopId`
 * must be present or null depends on `type`. Returns violations in the same `path: message` form.
 */
export function shopIdViolations(envelope: { type: unknown; shopId: unknown }): string[] {
  if (!isEventType(envelope.type)) return [];
  if (isTenantScoped(envelope.type)) {
    return envelope.shopId === null || envelope.shopId === undefined
      ? []
      : [`shopId: shopId must be null for tenant-scoped event type ${envelope.type}`];
  }
  return envelope.shopId === null || envelope.shopId === undefined
    ? [`shopId: shopId must be a non-empty string for event type ${envelope.type}`]
    : [];
}
