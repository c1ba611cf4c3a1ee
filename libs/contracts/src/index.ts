export * from './codec';
export * from './constants/alerts';
export * from './constants/catalog';
export * from './constants/fulfillment';
export * from './constants/shops';
export * from './contracts.errors';
export {
  IsCarrierCode,
  IsCount,
  IsDateOnly,
  IsIsoDateTime,
  IsNonEmptyString,
  IsNullable,
  IsYen,
  NestedArray,
  NestedObject,
  isDateOnly,
  isIsoDateTime,
} from './decorators';
export * from './envelope';
export * from './events/inventory-changed/inventory-changed.event';
export * from './events/listing-stock-changed/listing-stock-changed.event';
export * from './events/listings-imported/listings-imported.event';
export * from './events/order-canceled/order-canceled.event';
export * from './events/order-mapped/order-mapped.event';
export * from './events/order-pulled/order-pulled.event';
export * from './events/order-shipped/order-shipped.event';
export * from './events/shipment-canceled/shipment-canceled.event';
export * from './events/shipment-ready/shipment-ready.event';
export * from './events/shipment-ready/shipment-ready.v2.event';
export * from './events/shop-alert/shop-alert.event';
export * from './events/tenant-alert/tenant-alert.event';
export * from './events/shop-updated/shop-updated.event';
export * from './examples';
export * from './models/marketplace.model';
export * from './models/order.model';
export * from './models/party.model';
export * from './registry';
export * from './topics';
export * from './calls/rakuten-shop-url';
export * from './calls/service-error';
export * from './calls/shops.calls';
export * from './calls/account-emails.calls';
export * from './calls/ingestion.calls';
export * from './calls/backfill.calls';
export * from './calls/fulfillment.calls';
export * from './calls/mapping.calls';
export * from './calls/orders.calls';
export * from './calls/notifications.calls';
export * from './calls/operator.calls';
export * from './calls/listings.calls';
export * from './calls/stock-sync.calls';
