/**
 * Kafka topic names. Each event type has its own topic and the event's `type` equals its topic
 * name, so a consumer can tell from the topic alone which data class to expect.
 */
export const TOPICS = {
  ORDER_PULLED: 'order.pulled',
  ORDER_MAPPED: 'order.mapped',
  SHIPMENT_READY: 'shipment.ready',
  SHOP_UPDATED: 'shop.updated',
  ORDER_CANCELED: 'order.canceled',
  SHIPMENT_CANCELED: 'shipment.canceled',
  ORDER_SHIPPED: 'order.shipped',
  INVENTORY_CHANGED: 'inventory.changed',
  LISTING_STOCK_CHANGED: 'listing.stock.changed',
  SHOP_ALERT: 'shop.alert',
  TENANT_ALERT: 'tenant.alert',
  LISTINGS_IMPORTED: 'listings.imported',
} as const;

/** A topic name, e.g. `'order.pulled'`. */
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** An event type; identical to the name of the topic the event travels on. */
export type EventType = Topic;

/** Every topic name, in declaration order. */
export const ALL_TOPICS: readonly Topic[] = Object.values(TOPICS);

/** Every event type, in declaration order. */
export const EVENT_TYPES: readonly EventType[] = ALL_TOPICS;

/**
 * Event types that belong to a tenant as a whole rather than to one shop (stock is held per
 * tenant, not per marketplace shop). Their envelope carries `shopId: null`.
 */
export const TENANT_SCOPED_EVENT_TYPES = [TOPICS.INVENTORY_CHANGED, TOPICS.TENANT_ALERT] as const;

/** An event type whose envelope has no shop (`shopId: null`). */
export type TenantScopedEventType = (typeof TENANT_SCOPED_EVENT_TYPES)[number];

/** An event type whose envelope names the shop connection it concerns. */
export type ShopScopedEventType = Exclude<EventType, TenantScopedEventType>;

/** True when `value` is one of the known event types (and so a topic name). */
export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (ALL_TOPICS as readonly string[]).includes(value);
}

/** True when events of this type carry no shop (`shopId: null`). */
export function isTenantScoped(type: EventType): type is TenantScopedEventType {
  return (TENANT_SCOPED_EVENT_TYPES as readonly EventType[]).includes(type);
}

/** The dead-letter topic for a topic: `<topic>.dlq`. */
export function dlqTopic<T extends Topic>(topic: T): `${T}.dlq` {
  return `${topic}.dlq`;
}
