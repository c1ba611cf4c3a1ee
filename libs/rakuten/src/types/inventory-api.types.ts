/*
 * Inventory API 2.0 / 2.1 models (docs/rakuten-rms.md §5.1). Timestamps here are ISO 8601 with a
 * colon (`+09:00`), unlike the Order API. A SKU is keyed by (manageNumber, variantId):
 * manageNumber is lowercased by RMS, variantId is case-sensitive.
 */

/** ABSOLUTE sets the quantity; RELATIVE adds a (possibly negative) delta. New rows need ABSOLUTE. */
export type InventoryMode = 'ABSOLUTE' | 'RELATIVE';

/** The key of one SKU's stock row. */
export interface InventoryKey {
  /** 商品管理番号, 1–32 bytes `[a-zA-Z0-9_-]`, stored lowercase. */
  manageNumber: string;
  /** SKU管理番号, 1–32 bytes `[a-zA-Z0-9_-]`, case-sensitive. */
  variantId: string;
}

/** Lead-time settings (2.1). */
export interface OperationLeadTime {
  normalDeliveryTimeId?: number | null;
  backOrderDeliveryTimeId?: number | null;
}

/** One stock row as the get functions return it. */
export interface InventoryVariant extends InventoryKey {
  /** Units, 0..99999. */
  quantity: number;
  /** `+09:00` */
  created: string;
  /** `+09:00` */
  updated: string;
  /** 2.1 only */
  operationLeadTime?: OperationLeadTime | null;
  /** 2.1 only */
  shipFromIds?: number[] | null;
}

/** Body of `PUT /es/2.0/inventories/manage-numbers/{manageNumber}/variants/{variantId}`. */
export interface VariantUpsertRequest {
  mode: InventoryMode;
  /** ABSOLUTE: 0..99999; RELATIVE: a delta. */
  quantity: number;
  /** 2.1 only; a 2.1 upsert is a full replace, so an absent field is cleared. */
  operationLeadTime?: OperationLeadTime;
  /** 2.1 only */
  shipFromIds?: number[];
}

/** Body of `POST /es/2.0/inventories/bulk-get`: 1..1000 keys. */
export interface BulkGetRequest {
  inventories: InventoryKey[];
}

/** Response of bulk-get, bulk-get/range and (as a single row) variants.get. */
export interface BulkGetResponse {
  inventories: InventoryVariant[];
}

/** One row of a bulk upsert. */
export interface BulkUpsertItem extends InventoryKey, VariantUpsertRequest {}

/** Body of `POST /es/2.0/inventories/bulk-upsert`: 1..400 rows. Success is 204 with no body. */
export interface BulkUpsertRequest {
  inventories: BulkUpsertItem[];
}

/** Query of `GET /es/2.0/inventories/bulk-get/range`: at least one bound. */
export interface BulkGetRangeQuery {
  minQuantity?: number;
  maxQuantity?: number;
}
