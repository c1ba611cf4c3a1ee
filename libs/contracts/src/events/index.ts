/*
 * `@smartship/contracts/events`: what a service that produces or consumes the platform's Kafka
 * events needs — the envelope, every event type and version, the codec that checks them
 * (createEvent, decodeEvent), the registry, topics and example events. Nothing of the
 * gateway's calls to the services.
 */
export * from '../codec';
export * from '../contracts.errors';
export * from '../envelope';
export * from './inventory-changed/inventory-changed.event';
export * from './listing-stock-changed/listing-stock-changed.event';
export * from './listings-imported/listings-imported.event';
export * from './order-canceled/order-canceled.event';
export * from './order-mapped/order-mapped.event';
export * from './order-pulled/order-pulled.event';
export * from './order-shipped/order-shipped.event';
export * from './shipment-canceled/shipment-canceled.event';
export * from './shipment-ready/shipment-ready.event';
export * from './shipment-ready/shipment-ready.v2.event';
export * from './shop-alert/shop-alert.event';
export * from './tenant-alert/tenant-alert.event';
export * from './shop-updated/shop-updated.event';
export * from '../examples';
export * from '../models/marketplace.model';
export * from '../models/order.model';
export * from '../models/party.model';
export * from '../registry';
export * from '../topics';
