import type { MessageModel } from './common.types';

/*
 * RakutenPay Order API 2.0 (楽天ペイ受注API) request and response models, as on the wire
 * (docs/rakuten-rms.md §2 and §4). Date-times are JST strings `YYYY-MM-DDThh:mm:ss+0900`, dates are
 * `YYYY-MM-DD`, amounts are whole yen; `-9999` on a price means "not fixed yet".
 *
 * Which fields a getOrder answer carries depends on the `version` asked for (docs/rakuten-rms.md
 * §2.2 table, §4.9), and orders recorded from older versions lack the tax fields altogether (the
 * 2018/2019 payloads of §4.9 have no priceTaxIncl, taxRate, settlementMethodCode, paymentCharge,
 * postageTaxRate, …). Every such field is optional here, with the version that adds or drops it;
 * code reading a model must handle it missing. `| null` marks fields RMS sends as null.
 */

/** A 0/1 flag as RMS sends it. */
export type Flag = 0 | 1;

/** searchOrder `dateType`: which date the window applies to. */
export const SEARCH_DATE_TYPE = {
  /** 注文日 */
  ORDER_DATE: 1,
  /** 注文確認日 */
  CONFIRM_DATE: 2,
  /** 注文確定日 */
  FIX_DATE: 3,
  /** 発送日 */
  SHIPPING_DATE: 4,
  /** 発送完了報告日 */
  SHIPPING_REPORT_DATE: 5,
  /** 決済確定日 */
  SETTLEMENT_DATE: 6,
} as const;

/** One of the searchOrder date types 1..6. */
export type SearchDateType = (typeof SEARCH_DATE_TYPE)[keyof typeof SEARCH_DATE_TYPE];

/** searchOrder sort: only column 1 (注文日時) exists; direction 1 ascending, 2 descending. */
export interface SortModel {
  sortColumn: 1;
  sortDirection: 1 | 2;
}

/** searchOrder paging. Official casing: capital P and S (docs/rakuten-rms.md §2.1). */
export interface PaginationRequestModel {
  /** Results per page, 1..1000 (RMS default 30). */
  requestRecordsAmount?: number;
  /** 1-based page number. */
  requestPage?: number;
  SortModelList?: SortModel[];
}

/** Body of `POST /es/2.0/order/searchOrder/`. */
export interface SearchOrderRequest {
  dateType: SearchDateType;
  /** Window start, `+0900`; at most 730 days back. */
  startDatetime: string;
  /** Window end, `+0900`; at most 63 days after the start. */
  endDatetime: string;
  orderProgressList?: number[];
  /** Shop-defined sub-status ids; `[-1]` = none (needs orderProgressList). */
  subStatusIdList?: number[];
  /** 1 通常購入, 4 定期購入, 5 頒布会, 6 予約商品 */
  orderTypeList?: number[];
  settlementMethod?: number;
  deliveryName?: string;
  shippingDateBlankFlag?: Flag;
  shippingNumberBlankFlag?: Flag;
  searchKeywordType?: number;
  searchKeyword?: string;
  mailSendType?: number;
  ordererMailAddress?: string;
  phoneNumberType?: number;
  phoneNumber?: string;
  reserveNumber?: string;
  purchaseSiteType?: number;
  asurakuFlag?: Flag;
  couponUseFlag?: Flag;
  drugFlag?: Flag;
  overseasFlag?: Flag;
  oneDayOperationFlag?: Flag;
  PaginationRequestModel?: PaginationRequestModel;
}

/** searchOrder paging result; all three fields are `null` when nothing matched. */
export interface PaginationResponseModel {
  totalRecordsAmount: number | null;
  totalPages: number | null;
  requestPage: number | null;
}

/** Response of searchOrder. On a request error both lists are `null` (HTTP 400). */
export interface SearchOrderResponse {
  orderNumberList: string[] | null;
  MessageModelList: MessageModel[];
  PaginationResponseModel: PaginationResponseModel | null;
}

/** Body of `POST /es/2.0/order/getOrder/`. */
export interface GetOrderRequest {
  /** 1..100 order numbers from the last 730 days. */
  orderNumberList: string[];
  /** Response version, required (3..10; ≥ 7 for SKU data). */
  version: number;
}

/** Response of getOrder. */
export interface GetOrderResponse {
  MessageModelList: MessageModel[];
  OrderModelList?: OrderModel[] | null;
  /** The version served (v6+). */
  version?: number;
}

/** The buyer (注文者). Personal data. */
export interface OrdererModel {
  zipCode1: string;
  zipCode2: string;
  prefecture: string;
  city: string;
  subAddress: string;
  familyName: string;
  firstName: string;
  familyNameKana?: string | null;
  firstNameKana?: string | null;
  phoneNumber1: string | null;
  phoneNumber2: string | null;
  phoneNumber3: string | null;
  /** Masked relay address ending in `@pc.fw.rakuten.ne.jp`. */
  emailAddress: string;
  sex?: string | null;
  birthYear?: number | null;
  birthMonth?: number | null;
  birthDay?: number | null;
}

/** Payment (決済). */
export interface SettlementModel {
  /** 1 クレジットカード, 2 代金引換, … (docs/rakuten-rms.md §4.3); absent from pre-v3 payloads. */
  settlementMethodCode?: number | null;
  settlementMethod: string;
  /** 1 = Rakuten common payment; absent from pre-v3 payloads. */
  rpaySettlementFlag?: Flag | null;
  cardName?: string | null;
  cardNumber?: string | null;
  cardOwner?: string | null;
  cardYm?: string | null;
  cardPayType?: number | null;
  cardInstallmentDesc?: string | null;
}

/** Delivery method chosen by the buyer. */
export interface DeliveryModel {
  /** Shop-defined, e.g. 宅配便, メール便. */
  deliveryName: string;
  /** 0 none, 1 普通, 2 冷蔵, 3 冷凍, 4–8 その他1–5. */
  deliveryClass?: number | null;
}

/** Points used. RMS sends `{"usedPoint": 0}` when none were used (never seen null). */
export interface PointModel {
  /** Points used, 1 point = 1 yen. */
  usedPoint: number;
}

/** Gift wrapping (ラッピング). WrappingModel1 / 2 are `null` when the buyer chose none. */
export interface WrappingModel {
  /** 1 包装紙 (paper), 2 リボン (ribbon). */
  title: number;
  /** Shop-defined name, e.g. `クリスマス包装`. */
  name: string;
  /** Price in yen; nullable in S1's model. */
  price: number | null;
  /** 0 tax excluded, 1 tax included. */
  includeTaxFlag: Flag;
  /** 1 = removed by the shop; nullable in S1's model. */
  deleteWrappingFlag?: Flag | null;
  /** v3+ */
  taxRate?: number | null;
}

/** Recipient of one package (送付者 in Rakuten's words). Personal data; no e-mail. */
export interface SenderModel {
  zipCode1: string;
  zipCode2: string;
  prefecture: string;
  city: string;
  subAddress: string;
  familyName: string;
  firstName: string;
  familyNameKana?: string | null;
  firstNameKana?: string | null;
  phoneNumber1: string | null;
  phoneNumber2: string | null;
  phoneNumber3: string | null;
  /** Absent from pre-v3 payloads. */
  isolatedIslandFlag?: Flag;
}

/** SKU data of an order line (v7+). Values are empty strings for pre-migration orders. */
export interface SkuModel {
  /** SKU管理番号 (≤ 40 bytes); empty before the shop's SKU migration. */
  variantId: string;
  /** システム連携用SKU番号, shop-editable. */
  merchantDefinedSkuId?: string | null;
  /** Variation lines `項目名:選択肢` joined by `\n`; empty for single-SKU items. */
  skuInfo?: string | null;
}

/** One order line (商品). */
export interface ItemModel {
  itemDetailId: number;
  itemName: string;
  itemId: number;
  /** 商品番号; before SKU migration with 横/縦 child codes appended. */
  itemNumber?: string | null;
  /** 商品管理番号, the item URL key (lowercase). */
  manageNumber: string;
  /** Unit price, tax included or not per includeTaxFlag. Always sent. */
  price: number;
  units: number;
  includePostageFlag: Flag;
  includeTaxFlag: Flag;
  includeCashOnDeliveryPostageFlag: Flag;
  /** 項目・選択肢 lines `項目名:選択肢` joined by `\n`. */
  selectedChoice?: string | null;
  pointRate: number;
  /** Absent from pre-v3 payloads. */
  pointType?: number;
  /** 0 none, 1 通常在庫, 2 項目選択肢在庫. */
  inventoryType: number;
  delvdateInfo?: string | null;
  restoreInventoryFlag: 0 | 1 | 2;
  /** Absent from pre-v3 payloads. */
  dealFlag?: Flag;
  /** Absent from pre-v3 payloads. */
  drugFlag?: Flag;
  deleteItemFlag: Flag;
  /** 0, 0.08 or 0.1 (v3+: absent from older versions' payloads). */
  taxRate?: number | null;
  /** Tax-inclusive unit price (v3+: older versions send only `price`). */
  priceTaxIncl?: number | null;
  /** v4+ */
  isSingleItemShipping?: Flag;
  /** v7+ */
  SkuModelList?: SkuModel[];
}

/** A shipping record of a package as getOrder returns it. */
export interface ShippingModel {
  /** Issued by Rakuten (≤ 12 digits). */
  shippingDetailId: number;
  shippingNumber?: string | null;
  /** Carrier code string, e.g. `1001`. */
  deliveryCompany?: string | null;
  deliveryCompanyName?: string | null;
  /** `YYYY-MM-DD`. */
  shippingDate?: string | null;
}

/** Convenience-store or post-office pickup. */
export interface DeliveryCvsModel {
  cvsCode?: number | null;
  storeGenreCode?: string | null;
  storeCode?: string | null;
  storeName?: string | null;
  storeZipCode?: string | null;
  storePrefecture?: string | null;
  storeAddress?: string | null;
  areaCode?: string | null;
  depo?: string | null;
  openTime?: string | null;
  closeTime?: string | null;
  cvsRemarks?: string | null;
}

/** A social gift (v10). */
export interface SocialGiftModel {
  receiverEntryStatus?: number | null;
  receiverEntryDeadline?: string | null;
}

/** One destination (送付先) of an order. */
export interface PackageModel {
  /** 送付先ID, used in shipping reports (≤ 10 digits). */
  basketId: number;
  postagePrice: number;
  /** v3+ */
  postageTaxRate?: number | null;
  /** Cash-on-delivery fee of the package. */
  deliveryPrice: number;
  /** v3+ */
  deliveryTaxRate?: number | null;
  /** 外税合計 (0 for tax-included prices); ≤ v7, dropped in v8. */
  goodsTax?: number;
  goodsPrice: number;
  totalPrice: number;
  /** のし text as the buyer asked for it; `null` when none. */
  noshi?: string | null;
  packageDeleteFlag: Flag;
  SenderModel: SenderModel;
  ItemModelList: ItemModel[];
  ShippingModelList?: ShippingModel[] | null;
  DeliveryCvsModel?: DeliveryCvsModel | null;
  /** Carrier chosen at purchase (v4+). */
  defaultDeliveryCompanyCode?: string | null;
  /** 置き配 (v9). */
  dropOffFlag?: Flag;
  dropOffLocation?: string | null;
  /** v10 */
  SocialGiftModel?: SocialGiftModel | null;
}

/** A coupon applied to the order. */
export interface CouponModel {
  couponCode: string;
  itemId: number;
  couponName: string;
  couponSummary: string;
  couponCapital: string;
  couponCapitalCode: number;
  expiryDate: string;
  couponPrice: number;
  couponUnit: number;
  couponTotalPrice: number;
  /** The line the coupon applies to (S3). */
  itemDetailId?: number | null;
}

/** A status change entry (cancel / change / confirm history). */
export interface ChangeReasonModel {
  changeId: number;
  /** 0 キャンセル申請 … 8 注文確認, 9 再決済手続き. */
  changeType: number;
  changeTypeDetail?: number | null;
  changeReason?: number | null;
  changeReasonDetail?: number | null;
  changeApplyDatetime?: string | null;
  changeFixDatetime?: string | null;
  changeCmplDatetime?: string | null;
}

/** Consumption tax summary per rate (v3+). */
export interface TaxSummaryModel {
  taxRate: number;
  reqPrice: number;
  reqPriceTax: number;
  totalPrice: number;
  paymentCharge: number;
  couponPrice: number;
  point: number;
}

/** Due dates (v5+). */
export interface DueDateModel {
  dueDateType: number;
  cardAuthorizationDueDate?: string | null;
}

/** One order as getOrder returns it (level 2, docs/rakuten-rms.md §4.2). */
export interface OrderModel {
  orderNumber: string;
  orderProgress: number;
  subStatusId?: number | null;
  subStatusName?: string | null;
  orderDatetime: string;
  shopOrderCfmDatetime?: string | null;
  orderFixDatetime?: string | null;
  shippingInstDatetime?: string | null;
  shippingCmplRptDatetime?: string | null;
  /** `YYYY-MM-DD` */
  cancelDueDate?: string | null;
  /** `YYYY-MM-DD` */
  deliveryDate?: string | null;
  shippingTerm?: number | null;
  /**
   * 備考: the buyer's comment with the blocks Rakuten writes, e.g. `[配送日時指定:]` (see
   * `parseRemarksDelivery`); `null` when empty. ≤ 32,767 bytes.
   */
  remarks?: string | null;
  giftCheckFlag: Flag;
  severalSenderFlag: Flag;
  equalSenderFlag: Flag;
  isolatedIslandFlag: Flag;
  rakutenMemberFlag: Flag;
  carrierCode: number;
  emailCarrierCode: number;
  /** 1 通常購入, 4 定期購入, 5 頒布会, 6 予約商品 */
  orderType: number;
  reserveNumber?: string | null;
  reserveDeliveryCount?: number | null;
  cautionDisplayType: number;
  /** v6 */
  cautionDisplayDetailType?: number | null;
  /** 楽天確認中フラグ: 1 while Rakuten is checking the order, else 0. */
  rakutenConfirmFlag: Flag;
  /** Goods plus wrapping; -9999 while not fixed. */
  goodsPrice: number;
  /** 外税合計 (0 for tax-included prices); ≤ v7, dropped in v8. */
  goodsTax?: number;
  postagePrice: number;
  /** Cash-on-delivery fee (代引手数料). */
  deliveryPrice: number;
  /** Settlement fee; absent from pre-v3 payloads. */
  paymentCharge?: number | null;
  /** v3+ */
  paymentChargeTaxRate?: number | null;
  /** Goods + postage (+ wrapping); -9999 while not fixed. */
  totalPrice: number;
  /** What the buyer is billed: total + fees − coupons − points; -9999 while not fixed. */
  requestPrice: number;
  couponAllTotalPrice: number;
  couponShopPrice: number;
  couponOtherPrice: number;
  /** Absent from the 2018/2019 payloads (docs/rakuten-rms.md §4.9). */
  additionalFeeOccurAmountToUser?: number | null;
  /** Absent from the 2018/2019 payloads (docs/rakuten-rms.md §4.9). */
  additionalFeeOccurAmountToShop?: number | null;
  asurakuFlag: Flag;
  drugFlag: Flag;
  dealFlag: Flag;
  membershipType: number;
  memo?: string | null;
  operator?: string | null;
  mailPlugSentence?: string | null;
  modifyFlag: Flag;
  /** 消費税再計算フラグ (0/1); ≤ v7, dropped in v8. */
  isTaxRecalc?: Flag;
  /** v5 */
  receiptIssueCount?: number;
  receiptIssueHistoryList?: string[] | null;
  /** v8 */
  deliveryCertPrgFlag?: Flag;
  /** v8 */
  oneDayOperationFlag?: Flag;
  /** v10 */
  socialGiftFlag?: Flag;
  OrdererModel: OrdererModel;
  SettlementModel?: SettlementModel | null;
  DeliveryModel: DeliveryModel;
  PointModel?: PointModel | null;
  WrappingModel1?: WrappingModel | null;
  WrappingModel2?: WrappingModel | null;
  PackageModelList: PackageModel[];
  CouponModelList?: CouponModel[] | null;
  ChangeReasonModelList?: ChangeReasonModel[] | null;
  TaxSummaryModelList?: TaxSummaryModel[] | null;
  /** v5 */
  DueDateModelList?: DueDateModel[] | null;
}

/** Body of `POST /es/2.0/order/confirmOrder/`. */
export interface ConfirmOrderRequest {
  /** 1..100 order numbers. */
  orderNumberList: string[];
}

/** Response of confirmOrder: one MessageModel per order, with its orderNumber. */
export interface ConfirmOrderResponse {
  MessageModelList: MessageModel[];
}

/** cancelOrder 在庫連動区分: 0 follow the item setting, 1 restore stock, 2 do not restore. */
export type InventoryRestoreType = 0 | 1 | 2;

/** Body of `POST /es/2.0/order/cancelOrder/`: one order per call, before shipping. */
export interface CancelOrderRequest {
  orderNumber: string;
  inventoryRestoreType: InventoryRestoreType;
  /** キャンセル理由: customer-caused 1–6, shop-caused 8, 10, 13, 14, 15. */
  changeReasonDetailApply: number;
}

/** Response of cancelOrder. */
export interface CancelOrderResponse {
  MessageModelList: MessageModel[];
}

/**
 * One shipping record in a shipping report. Omit `shippingDetailId` to add a record; set it to
 * update or delete one. For shippingNumber and shippingDate an absent key means "unchanged" and
 * an empty string means "delete the value".
 */
export interface ShippingUpdateModel {
  shippingDetailId?: number | null;
  /** Carrier code, e.g. `1001`; never a carrier name. */
  deliveryCompany?: string;
  /** Tracking number, ≤ 120 characters. */
  shippingNumber?: string;
  /** `YYYY-MM-DD` (JST). */
  shippingDate?: string;
  shippingDeleteFlag?: Flag;
}

/** One package of a shipping report. Note the wire casing `Basketid` (lowercase id). */
export interface BasketidModel {
  /** PackageModel.basketId from getOrder. */
  basketId: number;
  /** At most 20 per basket. */
  ShippingModelList: ShippingUpdateModel[];
}

/** Body of `POST /es/2.0/order/updateOrderShipping/` (one order). */
export interface UpdateOrderShippingRequest {
  orderNumber: string;
  BasketidModelList: BasketidModel[];
}

/** Response of updateOrderShipping: one MessageModel per ShippingModel, with dataNumber. */
export interface UpdateOrderShippingResponse {
  MessageModelList: MessageModel[];
}

/** Body of `POST /es/2.0/order/updateOrderShippingAsync/`: up to 100 distinct orders. */
export interface UpdateOrderShippingAsyncRequest {
  OrderShippingModelList: UpdateOrderShippingRequest[];
}

/** Response of updateOrderShippingAsync: a requestId when accepted, ERROR entries when not. */
export interface UpdateOrderShippingAsyncResponse {
  MessageModelList: MessageModel[];
}

/** Body of `POST /es/2.0/order/getResultUpdateOrderShippingAsync/`. */
export interface GetResultUpdateOrderShippingAsyncRequest {
  requestId: string;
}

/** Per-order result of an async shipping report (sync codes reused). */
export interface ResultShippingModel {
  /** Absent on the "no result (yet)" entry. */
  orderNumber?: string | null;
  MessageModelList: MessageModel[];
}

/** Response of getResultUpdateOrderShippingAsync. */
export interface GetResultUpdateOrderShippingAsyncResponse {
  ResultShippingModelList?: ResultShippingModel[] | null;
  /** Request-level errors (e.g. requestId missing). */
  MessageModelList?: MessageModel[] | null;
}
