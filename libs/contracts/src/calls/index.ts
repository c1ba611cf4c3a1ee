/*
 * `@smartship/contracts/calls`: the calls the gateway makes to the services over TCP (the same
 * classes validate the HTTP request in the gateway and the call in the service), the views they
 * answer with, the error body, and the validation decorators a DTO is written with.
 */
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
} from '../decorators';
export * from './rakuten-shop-url';
export * from './service-error';
export * from './shops.calls';
export * from './account-emails.calls';
export * from './ingestion.calls';
export * from './backfill.calls';
export * from './fulfillment.calls';
export * from './mapping.calls';
export * from './orders.calls';
export * from './notifications.calls';
export * from './operator.calls';
export * from './listings.calls';
export * from './stock-sync.calls';
