/*
 * The part of the contracts with no runtime dependencies: event and topic names, marketplace and
 * carrier codes, enumerations and limits. The web console imports it (`@smartship/contracts/
 * constants`) instead of copying lists; nothing here may import class-validator,
 * class-transformer or any other package (a unit test loads it and checks).
 */
export * from './alerts';
export * from './catalog';
export * from './fulfillment';
export * from './paging';
export * from './shops';
export * from '../models/marketplace.model';
export * from '../topics';
