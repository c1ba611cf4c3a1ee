/*
 * Item API 2.0, the parts an OMS needs to link listings to SKUs (docs/rakuten-rms.md §5.2).
 * Confidence is medium: shapes come from client libraries, not an official page.
 */

/** One value of a variation axis. */
export interface VariantSelectorValue {
  displayValue: string;
}

/** A variation axis (バリエーション項目), e.g. サイズ. Up to 6 per item after the SKU migration. */
export interface VariantSelector {
  /** Key used in `ItemVariant.selectorValues`. */
  key: string;
  displayName: string;
  values: VariantSelectorValue[];
}

/** One SKU of an item. */
export interface ItemVariant {
  /** システム連携用SKU番号, optional and shop-editable. */
  merchantDefinedSkuId?: string | null;
  /** selector key → display value. */
  selectorValues: Record<string, string>;
  hidden?: boolean;
  /** Price as a decimal string, e.g. `"1200"`. */
  standardPrice: string;
  restockOnCancel?: boolean;
  backOrderFlag?: boolean;
  normalDeliveryDateId?: number | null;
  backOrderDeliveryDateId?: number | null;
  orderQuantityLimit?: number | null;
  articleNumber?: Record<string, unknown> | null;
}

/** `NORMAL`, `PRE_ORDER` or `SUBSCRIPTION`. */
export type ItemType = 'NORMAL' | 'PRE_ORDER' | 'SUBSCRIPTION';

/** Response of `GET /es/2.0/items/manage-numbers/{manageNumber}`. */
export interface Item {
  manageNumber: string;
  itemNumber?: string | null;
  title: string;
  itemType: ItemType;
  hideItem: boolean;
  unlimitedInventoryFlag: boolean;
  variantSelectors?: VariantSelector[] | null;
  /** variantId → variant. A single-SKU item still has exactly one entry. */
  variants: Record<string, ItemVariant>;
  /** `+09:00` */
  created: string;
  /** `+09:00` */
  updated: string;
}

/** Query of `GET /es/2.0/items/search`. */
export interface ItemSearchQuery {
  manageNumber?: string;
  itemNumber?: string;
  variantId?: string;
  merchantDefinedSkuId?: string;
  title?: string;
  isHiddenItem?: boolean;
  isItemStockout?: boolean;
  isVariantStockout?: boolean;
  /** Results per page, ≤ 100. */
  hits?: number;
  offset?: number;
  /** `*` to start cursor paging. */
  cursorMark?: string;
  sortKey?: string;
  sortOrder?: 'asc' | 'desc';
  isInventoryIncluded?: boolean;
}

/** One hit of items.search. */
export interface ItemSearchResult {
  item: Item;
  inventory?: { variants: { variantId: string; quantity: number }[] } | null;
}

/** Response of items.search. */
export interface ItemSearchResponse {
  numFound: number;
  offset: number;
  nextCursorMark?: string | null;
  results: ItemSearchResult[];
}
