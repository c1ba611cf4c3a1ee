/**
 * What happens to a package when some of its lines have stock and others do not:
 * `hold` — nothing ships until every line has stock (the default);
 * `ship_available` — the lines in stock go out now as one fulfillment order, the rest as a
 * back-order fulfillment order of the same package when stock arrives. A line is never cut: it
 * goes whole into one part. A cash-on-delivery package is never split (one parcel collects).
 */
export const SPLIT_POLICIES = ['hold', 'ship_available'] as const;

export type SplitPolicy = (typeof SPLIT_POLICIES)[number];

/**
 * Where a fulfillment order stands: waiting for the shop's settings (no `shop.updated` seen yet),
 * waiting for a person to release it (autoFulfillmentDispatch off), released but short of stock,
 * sent to the warehouse with its stock reserved (`shipment.ready`), shipped, or canceled.
 */
export const FULFILLMENT_ORDER_STATUSES = [
  'awaiting_shop',
  'awaiting_release',
  'awaiting_stock',
  'ready',
  'shipped',
  'canceled',
] as const;

export type FulfillmentOrderStatus = (typeof FULFILLMENT_ORDER_STATUSES)[number];

/** Why a fulfillment order is held (see FULFILLMENT_ORDER_STATUSES). */
export const HOLD_CODES = [
  'shop_settings_unknown',
  'awaiting_release',
  'insufficient_stock',
  /** Cash on delivery whose amount Rakuten has not fixed (postage -9999): never sent with a guess. */
  'cod_amount_unfixed',
  /**
   * The fulfillment order cannot make a valid `shipment.ready` v2 (e.g. a non-COD order whose
   * amounts Rakuten has not fixed); the message names the fields. Never sent as it is.
   */
  'shipment_data_invalid',
] as const;

export type HoldCode = (typeof HOLD_CODES)[number];
