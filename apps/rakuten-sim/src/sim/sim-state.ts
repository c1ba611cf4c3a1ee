import type {
  ResultShippingModel,
  RmsRateGroup,
  UpdateOrderShippingRequest,
} from '@smartship/rakuten';

/*
 * The simulator's in-memory state. Orders are stored compactly (people as seeds, lines pointing at
 * catalog data) and rendered into RMS OrderModels only when getOrder asks, so 100,000 orders fit
 * in memory and generate in well under a second.
 */

/** One ESA credential pair of a shop. */
export interface SimKey {
  serviceSecret: string;
  licenseKey: string;
  /** Sim-clock ms. */
  issuedAt: number;
  /** Sim-clock ms; the key is refused from this instant on. */
  expiresAt: number;
  /** Sim-clock ms; a reissued key is refused until then (RMS: 10–30 min). */
  activeFrom: number;
}

/** A variant (SKU) of a catalog item. */
export interface SimVariant {
  variantId: string;
  merchantDefinedSkuId: string | null;
  /** selector key → display value. */
  selectorValues: Record<string, string>;
  price: number;
  /** Not shown to buyers (Item API `variants[].hidden`). */
  hidden?: boolean;
}

/** A pre-migration 項目選択肢 axis: 横軸 or 縦軸, with child codes appended to 商品番号. */
export interface SimLegacyAxis {
  name: string;
  choices: { code: string; label: string }[];
}

/** A catalog item. `kind` says how its order lines look (docs/rakuten-rms.md §4.7). */
export interface SimItem {
  manageNumber: string;
  itemNumber: string;
  itemId: number;
  title: string;
  /** single: one SKU; variants: SKU-migrated バリエーション; legacy: pre-migration 横/縦 options. */
  kind: 'single' | 'variants' | 'legacy';
  price: number;
  taxRate: number;
  variantSelectors: { key: string; displayName: string; values: string[] }[];
  variants: SimVariant[];
  horizontal?: SimLegacyAxis;
  vertical?: SimLegacyAxis;
  /** Free options (項目選択肢) that go into selectedChoice, e.g. `ラッピング:希望しない`. */
  freeOptions: string[];
  hidden: boolean;
  created: number;
  updated: number;
}

/** A shipping record of a package. */
export interface SimShipping {
  shippingDetailId: number;
  deliveryCompany: string | null;
  shippingNumber: string | null;
  shippingDate: string | null;
}

/** One order line. */
export interface SimLine {
  itemDetailId: number;
  itemId: number;
  itemName: string;
  itemNumber: string;
  manageNumber: string;
  /** Tax-inclusive unit price (ItemModel.priceTaxIncl). */
  price: number;
  taxRate: number;
  units: number;
  selectedChoice: string;
  inventoryType: number;
  /** null = pre-migration line: SkuModelList values are empty. */
  sku: { variantId: string; merchantDefinedSkuId: string | null; skuInfo: string | null } | null;
  deleted: boolean;
}

/** One destination (送付先). */
export interface SimPackage {
  basketId: number;
  recipientSeed: number;
  postagePrice: number;
  defaultDeliveryCompanyCode: string;
  dropOffLocation: string | null;
  /** のし text (PackageModel.noshi); null or absent = none. */
  noshi?: string | null;
  lines: SimLine[];
  shipping: SimShipping[];
  deleted: boolean;
}

/** A gift wrapping (WrappingModel1 = 包装紙, WrappingModel2 = リボン). */
export interface SimWrapping {
  name: string;
  price: number;
  taxIncluded: boolean;
  /** Removed by the shop: rendered with deleteWrappingFlag 1. */
  deleted: boolean;
}

/** A coupon used on the order (CouponModelList). */
export interface SimCoupon {
  code: string;
  name: string;
  /** Discount in yen for the whole order. */
  price: number;
  /** Who pays for it: the shop (couponShopPrice) or Rakuten (couponOtherPrice). */
  capital: 'shop' | 'rakuten';
}

/** One order. Times are sim-clock ms. */
export interface SimOrder {
  orderNumber: string;
  shopId: string;
  progress: number;
  subStatusId: number | null;
  orderedAt: number;
  confirmedAt: number | null;
  fixedAt: number | null;
  shippingInstructedAt: number | null;
  shippingReportedAt: number | null;
  canceledAt: number | null;
  /**
   * The next automatic move (200 → 300, 800 → 900, 100 → 900 after 14 days, 500 → 600 → 700 after
   * the shipping report).
   */
  pending: { to: number; at: number } | null;
  ordererSeed: number;
  orderType: number;
  settlementMethodCode: number;
  deliveryName: string;
  deliveryClass: number;
  shippingTerm: number;
  deliveryDate: string | null;
  /** false = postage not fixed: prices show -9999 and confirmOrder answers ERROR_105. */
  amountsFixed: boolean;
  /** OrderModel.remarks as RMS renders it (with the `[配送日時指定:]` block); null = none. */
  remarks: string | null;
  /** giftCheckFlag 1. */
  gift?: boolean;
  wrapping1?: SimWrapping | null;
  wrapping2?: SimWrapping | null;
  /** PointModel.usedPoint (default 0). */
  usedPoints?: number;
  coupons?: SimCoupon[];
  /** Cash-on-delivery fee (deliveryPrice) of a COD order; default 330. */
  codFee?: number;
  /** Lines rendered as orders recorded from getOrder before v3: no priceTaxIncl, taxRate, …. */
  legacyItems?: boolean;
  /** Lines priced tax-exclusive (includeTaxFlag 0): `price` is the pre-tax price. */
  taxExcluded?: boolean;
  packages: SimPackage[];
  changeReasons: { changeType: number; at: number; reason?: number }[];
}

/** A shipping change the simulator applied, for tests to read back. */
export interface SimShippingReport {
  at: string;
  via: 'sync' | 'async';
  orderNumber: string;
  basketId: number;
  shippingDetailId: number;
  action: 'added' | 'updated' | 'deleted';
  deliveryCompany: string | null;
  shippingNumber: string | null;
  shippingDate: string | null;
}

/** A stock row. */
export interface SimStock {
  manageNumber: string;
  variantId: string;
  quantity: number;
  created: number;
  updated: number;
  operationLeadTime: {
    normalDeliveryTimeId?: number | null;
    backOrderDeliveryTimeId?: number | null;
  } | null;
  shipFromIds: number[] | null;
  /** Upserted for an unknown SKU: accepted, invisible, deleted 24 h after the last update. */
  orphan: boolean;
}

/** A shop the simulator knows. */
export interface SimShop {
  shopId: string;
  keys: SimKey[];
  /** RMS permission names; `*` allows everything. */
  enabledFunctions: string[];
  /** Requests per second per rate group; absent = unlimited. */
  rateLimits: Partial<Record<RmsRateGroup, number>>;
  catalog: Map<string, SimItem>;
  /** Ascending by orderedAt (searchOrder sorts by 注文日時). */
  orders: SimOrder[];
  stock: Map<string, SimStock>;
  shippingReports: SimShippingReport[];
  nextSerial: number;
}

/** An accepted async shipping request. */
export interface SimAsyncRequest {
  requestId: string;
  shopId: string;
  acceptedAt: number;
  dueAt: number;
  orders: UpdateOrderShippingRequest[];
  results: ResultShippingModel[] | null;
}

/** One RMS call as the simulator received it. */
export interface SimCall {
  seq: number;
  /** Real wall-clock time (ms since epoch, sub-ms precision), for rate measurements. */
  atMs: number;
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Short function name, e.g. `searchOrder`; null for unknown routes. */
  function: string | null;
  shopId: string | null;
  /** Last four characters of the licence key used. */
  licenseKeyLast4: string | null;
  status: number;
  /** The fault that was injected, if any. */
  fault: string | null;
  /** The request body (JSON), for assertions on what the client sent. */
  body: unknown;
}
