import type { EventEnvelope } from './envelope';
import { InventoryChangedData } from './events/inventory-changed/inventory-changed.event';
import { ListingsImportedData } from './events/listings-imported/listings-imported.event';
import { ListingStockChangedData } from './events/listing-stock-changed/listing-stock-changed.event';
import { OrderCanceledData } from './events/order-canceled/order-canceled.event';
import { OrderMappedData } from './events/order-mapped/order-mapped.event';
import { OrderPulledData } from './events/order-pulled/order-pulled.event';
import { OrderShippedData } from './events/order-shipped/order-shipped.event';
import { ShipmentCanceledData } from './events/shipment-canceled/shipment-canceled.event';
import { ShipmentReadyData } from './events/shipment-ready/shipment-ready.event';
import {
  ShipmentReadyDataV2,
  type UpgradedShipmentReady,
  upgradeShipmentReadyV1,
} from './events/shipment-ready/shipment-ready.v2.event';
import { ShopAlertData } from './events/shop-alert/shop-alert.event';
import { ShopUpdatedData } from './events/shop-updated/shop-updated.event';
import { TenantAlertData } from './events/tenant-alert/tenant-alert.event';
import { TOPICS, type EventType, type Topic, type TenantScopedEventType } from './topics';

/**
 * The data of each event type's current version: `EventDataMap['order.pulled']`. Where an older
 * version is upgraded on decoding (see `upgrades`), the type is the one both share:
 * `shipment.ready` is produced as ShipmentReadyDataV2 and read as UpgradedShipmentReady (v2, or
 * v1 with what it did not carry as null).
 */
export interface EventDataMap {
  [TOPICS.ORDER_PULLED]: OrderPulledData;
  [TOPICS.ORDER_MAPPED]: OrderMappedData;
  [TOPICS.SHIPMENT_READY]: UpgradedShipmentReady;
  [TOPICS.SHOP_UPDATED]: ShopUpdatedData;
  [TOPICS.ORDER_CANCELED]: OrderCanceledData;
  [TOPICS.SHIPMENT_CANCELED]: ShipmentCanceledData;
  [TOPICS.ORDER_SHIPPED]: OrderShippedData;
  [TOPICS.INVENTORY_CHANGED]: InventoryChangedData;
  [TOPICS.LISTING_STOCK_CHANGED]: ListingStockChangedData;
  [TOPICS.SHOP_ALERT]: ShopAlertData;
  [TOPICS.TENANT_ALERT]: TenantAlertData;
  [TOPICS.LISTINGS_IMPORTED]: ListingsImportedData;
}

/** The envelope's shopId for an event type: a string, or null for tenant-scoped types. */
export type ShopIdOf<K extends EventType> = K extends TenantScopedEventType ? null : string;

/** A fully typed event of one type: `EventOf<'order.pulled'>`. */
export type EventOf<K extends EventType> = EventEnvelope<EventDataMap[K]> & {
  type: K;
  shopId: ShopIdOf<K>;
};

/** A union of typed events, one member per type in `K`, discriminated on `type`. */
export type EventUnion<K extends EventType> = { [P in K]: EventOf<P> }[K];

/** Any event, discriminated on `type`: `switch (event.type)` narrows `data`. */
export type AnyEvent = EventUnion<EventType>;

/** A class whose instances are an event's data (what plainToInstance builds). */
export type DataClass<T = object> = new () => T;

/** What the platform knows about one event type. */
export interface EventDefinition<K extends EventType> {
  /** The event type. */
  readonly type: K;
  /** Topic the event is published on (equal to its type). */
  readonly topic: Topic;
  /** `shop` when the envelope names a shop connection, `tenant` when shopId is null. */
  readonly scope: K extends TenantScopedEventType ? 'tenant' : 'shop';
  /** Version producers emit now. */
  readonly currentVersion: number;
  /** Versions consumers accept, each with the class that validates its data. */
  readonly versions: Readonly<Record<number, DataClass>>;
  /**
   * How `decodeEvent` turns the validated data of an older version into the current shape, so
   * that consumers handle one shape while a deployment rolls (the envelope keeps its version).
   */
  readonly upgrades?: Readonly<Record<number, (data: never) => unknown>>;
  /** Kafka message key: events with the same key keep their order (one partition). */
  readonly key: (event: EventOf<K>) => string;
}

/** Key of order events: one order's events stay in order. */
function orderKey(shopId: string, orderNumber: string): string {
  return `${shopId}:${orderNumber}`;
}

/**
 * Every event type with its topic, versions and key. To add a version, add its class to
 * `versions` and move `currentVersion`; consumers keep accepting the old one until retired.
 */
export const EVENT_DEFINITIONS: { readonly [K in EventType]: EventDefinition<K> } = {
  [TOPICS.ORDER_PULLED]: {
    type: TOPICS.ORDER_PULLED,
    topic: TOPICS.ORDER_PULLED,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: OrderPulledData },
    key: (e) => orderKey(e.shopId, e.data.order.orderNumber),
  },
  [TOPICS.ORDER_MAPPED]: {
    type: TOPICS.ORDER_MAPPED,
    topic: TOPICS.ORDER_MAPPED,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: OrderMappedData },
    key: (e) => orderKey(e.shopId, e.data.order.orderNumber),
  },
  [TOPICS.SHIPMENT_READY]: {
    type: TOPICS.SHIPMENT_READY,
    topic: TOPICS.SHIPMENT_READY,
    scope: 'shop',
    currentVersion: 2,
    versions: { 1: ShipmentReadyData, 2: ShipmentReadyDataV2 },
    upgrades: { 1: upgradeShipmentReadyV1 },
    key: (e) => orderKey(e.shopId, e.data.shopRef.orderNumber),
  },
  [TOPICS.SHOP_UPDATED]: {
    type: TOPICS.SHOP_UPDATED,
    topic: TOPICS.SHOP_UPDATED,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: ShopUpdatedData },
    key: (e) => e.shopId,
  },
  [TOPICS.ORDER_CANCELED]: {
    type: TOPICS.ORDER_CANCELED,
    topic: TOPICS.ORDER_CANCELED,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: OrderCanceledData },
    key: (e) => orderKey(e.shopId, e.data.orderNumber),
  },
  [TOPICS.SHIPMENT_CANCELED]: {
    type: TOPICS.SHIPMENT_CANCELED,
    topic: TOPICS.SHIPMENT_CANCELED,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: ShipmentCanceledData },
    key: (e) => orderKey(e.shopId, e.data.orderNumber),
  },
  [TOPICS.ORDER_SHIPPED]: {
    type: TOPICS.ORDER_SHIPPED,
    topic: TOPICS.ORDER_SHIPPED,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: OrderShippedData },
    key: (e) => orderKey(e.shopId, e.data.orderNumber),
  },
  [TOPICS.INVENTORY_CHANGED]: {
    type: TOPICS.INVENTORY_CHANGED,
    topic: TOPICS.INVENTORY_CHANGED,
    scope: 'tenant',
    currentVersion: 1,
    versions: { 1: InventoryChangedData },
    key: (e) => `${e.tenantId}:${e.data.skuCode}`,
  },
  [TOPICS.LISTING_STOCK_CHANGED]: {
    type: TOPICS.LISTING_STOCK_CHANGED,
    topic: TOPICS.LISTING_STOCK_CHANGED,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: ListingStockChangedData },
    // Per listing rather than per tenant SKU: a bundle listing depends on several SKUs, and the
    // stock pushes for one Rakuten SKU must not overtake each other.
    key: (e) => `${e.shopId}:${e.data.manageNumber}:${e.data.variantId}`,
  },
  [TOPICS.SHOP_ALERT]: {
    type: TOPICS.SHOP_ALERT,
    topic: TOPICS.SHOP_ALERT,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: ShopAlertData },
    key: (e) => e.shopId,
  },
  [TOPICS.TENANT_ALERT]: {
    type: TOPICS.TENANT_ALERT,
    topic: TOPICS.TENANT_ALERT,
    scope: 'tenant',
    currentVersion: 1,
    versions: { 1: TenantAlertData },
    key: (e) => e.tenantId,
  },
  [TOPICS.LISTINGS_IMPORTED]: {
    type: TOPICS.LISTINGS_IMPORTED,
    topic: TOPICS.LISTINGS_IMPORTED,
    scope: 'shop',
    currentVersion: 1,
    versions: { 1: ListingsImportedData },
    // Per shop: one shop's pages stay in order (a later run's page never overtakes an earlier one).
    key: (e) => e.shopId,
  },
};
