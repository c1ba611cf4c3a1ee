/*
 * The RMS functions this code base uses, with what the client and the simulator must agree on:
 * the permission name a licence key needs (RMS "利用機能編集"), whether a call only reads (and may
 * be retried), and which rate-limit group it counts against (docs/rakuten-rms.md §6).
 */

/** Rate-limit groups. Each licence key has one budget per group. */
export type RmsRateGroup = 'order' | 'inventory-bulk-get' | 'inventory' | 'item' | 'license';

/**
 * Requests per second per group. Order API: the published ~1 rps guideline. Inventory API:
 * 5 rps for the bulk gets, 1 rps for the rest (S7). Item API and LicenseManagementAPI: not
 * published [NF]; 1 rps is the cautious choice.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RmsRateGroup, number>> = {
  order: 1,
  'inventory-bulk-get': 5,
  inventory: 1,
  item: 1,
  license: 1,
};

/** Static facts about one RMS function. */
export interface RmsFunction {
  /** Permission name, e.g. `rpay.order.searchOrder`. */
  name: string;
  /** true for functions that change nothing on RMS (safe to retry). */
  read: boolean;
  /** Which rate budget the call uses. */
  rateGroup: RmsRateGroup;
}

function fn(name: string, read: boolean, rateGroup: RmsRateGroup): RmsFunction {
  return { name, read, rateGroup };
}

/** Every RMS function the client calls and the simulator serves. */
export const RMS_FUNCTIONS = {
  searchOrder: fn('rpay.order.searchOrder', true, 'order'),
  getOrder: fn('rpay.order.getOrder', true, 'order'),
  confirmOrder: fn('rpay.order.confirmOrder', false, 'order'),
  cancelOrder: fn('rpay.order.cancelOrder', false, 'order'),
  updateOrderShipping: fn('rpay.order.updateOrderShipping', false, 'order'),
  updateOrderShippingAsync: fn('rpay.order.updateOrderShippingAsync', false, 'order'),
  getResultUpdateOrderShippingAsync: fn(
    'rpay.order.getResultUpdateOrderShippingAsync',
    true,
    'order',
  ),
  inventoryVariantGet: fn('inventories.variants.get', true, 'inventory'),
  inventoryVariantUpsert: fn('inventories.variants.upsert', false, 'inventory'),
  inventoryVariantDelete: fn('inventories.variants.delete', false, 'inventory'),
  inventoryBulkGet: fn('inventories.bulk.get', true, 'inventory-bulk-get'),
  inventoryBulkGetRange: fn('inventories.bulk.get.range', true, 'inventory-bulk-get'),
  inventoryBulkUpsert: fn('inventories.bulk.upsert', false, 'inventory'),
  itemGet: fn('items.get', true, 'item'),
  itemSearch: fn('items.search', true, 'item'),
  licenseExpiryDate: fn('license-management.license-key.expiry-date', true, 'license'),
} as const satisfies Record<string, RmsFunction>;

/** Short name of an RMS function, e.g. `searchOrder`. */
export type RmsFunctionKey = keyof typeof RMS_FUNCTIONS;

/** Every permission name, e.g. for a simulator shop that may call everything. */
export const ALL_RMS_FUNCTION_NAMES: readonly string[] = Object.values(RMS_FUNCTIONS).map(
  (f) => f.name,
);

/** The order API path of a function: `/es/2.0/order/<name>/` with the documented trailing slash. */
export function orderApiPath(name: string): string {
  return `/es/2.0/order/${name}/`;
}

/** The official base URL. */
export const RMS_BASE_URL = 'https://api.rms.rakuten.co.jp';

/** Highest getOrder response version known (docs/rakuten-rms.md §2.2); the simulator serves 3..10. */
export const LATEST_ORDER_VERSION = 10;

/** Lowest getOrder version RMS still accepts. */
export const OLDEST_ORDER_VERSION = 3;

/** Documented limits (docs/rakuten-rms.md §0, §2, §5). */
export const RMS_LIMITS = {
  /** searchOrder results per page. */
  searchPageSize: 1000,
  /** searchOrder window length in days. */
  searchWindowDays: 63,
  /** searchOrder lookback in days. */
  searchLookbackDays: 730,
  /** Matches of one search that can be reached at all. */
  searchResultCap: 15_000,
  /** getOrder order numbers per call. */
  getOrderBatch: 100,
  /** confirmOrder order numbers per call. */
  confirmOrderBatch: 100,
  /** updateOrderShippingAsync orders per call. */
  shippingAsyncBatch: 100,
  /** ShippingModel entries per basket. */
  shippingModelsPerBasket: 20,
  /** Tracking number length. */
  shippingNumberMaxLength: 120,
  /** inventories.bulk.get keys per call. */
  inventoryBulkGetBatch: 1000,
  /** inventories.bulk.upsert rows per call. */
  inventoryBulkUpsertBatch: 400,
  /** Largest stock quantity. */
  inventoryMaxQuantity: 99_999,
  /** items.search hits per page. */
  itemSearchMaxHits: 100,
} as const;
