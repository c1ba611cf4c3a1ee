/*
 * Everything of the contracts in one import. Narrower entry points by audience:
 * `@smartship/contracts/events` (Kafka events), `@smartship/contracts/calls` (the gateway's calls
 * to the services) and `@smartship/contracts/constants` (no runtime dependencies: the console).
 */
export * from './events/index';
export * from './calls/index';
export * from './constants/alerts';
export * from './constants/catalog';
export * from './constants/fulfillment';
export * from './constants/paging';
export * from './constants/shops';
