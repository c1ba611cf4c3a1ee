import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import {
  IsCarrierCode,
  IsCount,
  IsDateOnly,
  IsIsoDateTime,
  IsNonEmptyString,
  IsNullable,
  IsYen,
  NestedArray,
  NestedObject,
} from '../decorators';
import { Party } from './party.model';
import { RAKUTEN_ORDER_PROGRESS_CODES, type RakutenOrderProgress } from './marketplace.model';

/*
 * The marketplace order as the platform sees it, normalised from Rakuten's getOrder (v7+)
 * OrderModel. Shared by `order.pulled` and `order.mapped`: the mapped order extends these classes
 * instead of redeclaring fields, so the two cannot drift. Raw RMS payloads are not carried; they
 * stay in the ingestion database.
 *
 * Normalisation rules the connector follows: RMS empty strings for identifiers (variantId,
 * merchantDefinedSkuId, skuInfo) become absent; RMS `-9999` ("not fixed yet") amounts become
 * `null`; RMS date-times (`+0900`) are written as ISO-8601 with offset `+09:00`.
 */

/** What the buyer asked for about delivery of one package. Every field is optional. */
export class RequestedDelivery {
  /** Carrier chosen at purchase: Rakuten delivery company code (PackageModel.defaultDeliveryCompanyCode). */
  @IsOptional()
  @IsCarrierCode()
  carrierCode?: string | null;

  /** Shop-defined delivery method name, e.g. `宅配便` or `メール便` (DeliveryModel.deliveryName). */
  @IsOptional()
  @IsNonEmptyString(200)
  methodName?: string | null;

  /** Requested delivery date, `YYYY-MM-DD` in JST (OrderModel.deliveryDate). */
  @IsOptional()
  @IsDateOnly()
  date?: string | null;

  /**
   * Requested time slot, Rakuten's shippingTerm code as given: 0 none, 1 morning, 2 afternoon,
   * 9 other, or `h1h2` for h1:00–h2:00 JST (e.g. 1214).
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  timeSlot?: number | null;

  /** Where the parcel may be left when nobody is home (置き配, PackageModel.dropOffLocation). */
  @IsOptional()
  @IsNonEmptyString(100)
  dropOffLocation?: string | null;
}

/** One order line (Rakuten ItemModel), with the marketplace's identifiers kept as given. */
export class OrderLine {
  /** Rakuten line id (商品明細ID, itemDetailId), unique within the order. */
  @IsInt()
  @Min(1)
  itemDetailId: number;

  /** 商品番号 as entered by the shop (not unique); may be an empty string. */
  @IsString()
  @MaxLength(255)
  itemNumber: string;

  /** 商品管理番号: the item URL key, unique per shop; the Inventory API's item key. */
  @IsNonEmptyString(255)
  manageNumber: string;

  /** Item name as shown to the buyer. */
  @IsNonEmptyString(3072)
  itemName: string;

  /** Selected free options (項目選択肢), lines `項目名:選択肢` joined by `\n`; may be empty. */
  @IsString()
  @MaxLength(10000)
  selectedChoice: string;

  /** Units ordered on this line (count, ≥ 1). */
  @IsCount(1)
  units: number;

  /**
   * Tax-inclusive price of one unit in yen: RMS `priceTaxIncl`; when a getOrder version does not
   * send it, ItemModel `price` (tax-inclusive when its includeTaxFlag is 1, which is how shops on
   * Rakuten price nearly always; see `unitPriceTaxIncluded`).
   */
  @IsYen()
  unitPrice: number;

  /**
   * false only when `unitPrice` had to come from ItemModel `price` with includeTaxFlag 0 (a
   * tax-exclusive price); absent or true otherwise.
   */
  @IsOptional()
  @IsBoolean()
  unitPriceTaxIncluded?: boolean | null;

  /** Consumption-tax rate of the line (ItemModel taxRate): 0, 0.08 or 0.1; absent when RMS has none. */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4 })
  @Min(0)
  @Max(1)
  taxRate?: number | null;

  /** SKU管理番号 (SkuModel.variantId); absent on orders placed before the shop's SKU migration. */
  @IsOptional()
  @IsNonEmptyString(40)
  variantId?: string | null;

  /** システム連携用SKU番号 (SkuModel.merchantDefinedSkuId), the shop's own SKU code if set. */
  @IsOptional()
  @IsNonEmptyString(400)
  merchantDefinedSkuId?: string | null;

  /** Variation choices (SkuModel.skuInfo), lines `項目名:選択肢` joined by `\n`; absent if none. */
  @IsOptional()
  @IsNonEmptyString(10000)
  skuInfo?: string | null;
}

/** Fields of a package (Rakuten PackageModel, one per destination) other than its lines. */
export abstract class OrderPackageBase {
  /** Rakuten 送付先ID (basketId): identifies the package in shipping reports (≤ 10 digits). */
  @IsInt()
  @Min(1)
  basketId: number;

  /** Who receives this package (SenderModel); personal data. */
  @NestedObject(() => Party)
  recipient: Party;

  /** Carrier, date and time slot the buyer asked for, when any. */
  @IsOptional()
  @NestedObject(() => RequestedDelivery)
  requestedDelivery?: RequestedDelivery | null;

  /** のし (gift paper on the box) as the buyer asked for it, e.g. `御歳暮 / 山田` (PackageModel.noshi). */
  @IsOptional()
  @IsNonEmptyString(1000)
  noshi?: string | null;
}

/** One package of a pulled order with its lines. Deleted RMS packages are left out. */
export class OrderPackage extends OrderPackageBase {
  /** The package's order lines (at least one). */
  @NestedArray(() => OrderLine, { min: 1 })
  lines: OrderLine[];
}

/** Order amounts in yen (OrderModel price fields). */
export class OrderTotals {
  /** Sum of line prices in yen (goodsPrice). */
  @IsYen()
  goodsPrice: number;

  /** Postage in yen; `null` while Rakuten has not fixed it (RMS -9999). */
  @IsNullable()
  @IsYen()
  postagePrice: number | null;

  /** Total in yen: goods + postage + wrapping (totalPrice); `null` while not fixed (RMS -9999). */
  @IsNullable()
  @IsYen()
  totalPrice: number | null;

  /** Cash-on-delivery fee in yen (deliveryPrice); absent when not applicable. */
  @IsOptional()
  @IsYen()
  deliveryPrice?: number | null;

  /** Amount the buyer is billed in yen after coupons and points (requestPrice); COD collects it. */
  @IsOptional()
  @IsYen()
  requestPrice?: number | null;

  /** Settlement fee in yen (paymentCharge; version-gated, absent when RMS does not send it). */
  @IsOptional()
  @IsYen()
  paymentCharge?: number | null;

  /** Rakuten points the buyer used, in yen (PointModel.usedPoint; 1 point = 1 yen). */
  @IsOptional()
  @IsYen()
  usedPoints?: number | null;

  /** Coupons used, in yen, shop and Rakuten coupons together (couponAllTotalPrice). */
  @IsOptional()
  @IsYen()
  couponTotal?: number | null;
}

/** What kind of wrapping: RMS WrappingModel title 1 = 包装紙 (paper), 2 = リボン (ribbon). */
export const WRAPPING_KINDS = ['paper', 'ribbon'] as const;
export type WrappingKind = (typeof WRAPPING_KINDS)[number];

/** One gift wrapping the buyer chose (RMS WrappingModel1 / WrappingModel2, not deleted). */
export class Wrapping {
  /** `paper` (包装紙, title 1) or `ribbon` (リボン, title 2). */
  @IsIn(WRAPPING_KINDS)
  kind: WrappingKind;

  /** The wrapping's name as the shop defined it (WrappingModel.name), e.g. `クリスマス包装`. */
  @IsNonEmptyString(1000)
  name: string;

  /** Its price in yen (WrappingModel.price); 0 when free. */
  @IsYen()
  price: number;

  /** Whether `price` includes consumption tax (WrappingModel.includeTaxFlag = 1). */
  @IsBoolean()
  taxIncluded: boolean;
}

/**
 * The delivery request Rakuten writes into the remarks (備考) as a `[配送日時指定:]` block, parsed.
 * Rakuten's own fields (deliveryDate, shippingTerm) are in RequestedDelivery; this is what the
 * buyer saw and wrote, which shops and warehouses read.
 */
export class RemarksDeliveryRequest {
  /** The requested date, `YYYY-MM-DD`; absent when the block names none. */
  @IsOptional()
  @IsDateOnly()
  date?: string | null;

  /** The requested time as written, e.g. `午前中` or `14:00～16:00`; absent when none. */
  @IsOptional()
  @IsNonEmptyString(200)
  time?: string | null;
}

/** Order fields other than its packages. */
export abstract class OrderBase {
  /** Rakuten order number, `{shopId}-{YYYYMMDD}-{serial}`, e.g. `123456-20250301-0001234567`. */
  @IsNonEmptyString(400)
  orderNumber: string;

  /** Rakuten orderProgress code at the time of the pull (100..900, see RAKUTEN_ORDER_PROGRESS). */
  @IsIn(RAKUTEN_ORDER_PROGRESS_CODES)
  orderProgress: RakutenOrderProgress;

  /** When the buyer placed the order (orderDatetime), ISO-8601 with offset (JST from RMS). */
  @IsIsoDateTime()
  orderedAt: string;

  /** When the shop confirmed the order (shopOrderCfmDatetime); null until confirmed. */
  @IsOptional()
  @IsIsoDateTime()
  confirmedAt?: string | null;

  /** When the order became fixed (orderFixDatetime); null until then. */
  @IsOptional()
  @IsIsoDateTime()
  fixedAt?: string | null;

  /** When shipping was instructed (shippingInstDatetime); null until then. */
  @IsOptional()
  @IsIsoDateTime()
  shippingInstructedAt?: string | null;

  /** When the shipping report completed (shippingCmplRptDatetime); null until shipped. */
  @IsOptional()
  @IsIsoDateTime()
  shippingReportedAt?: string | null;

  /** Last day the order can be canceled (cancelDueDate), `YYYY-MM-DD` JST. */
  @IsOptional()
  @IsDateOnly()
  cancelDueDate?: string | null;

  /** Rakuten settlement method code (settlementMethodCode; 2 = cash on delivery). */
  @IsOptional()
  @IsInt()
  settlementMethodCode?: number | null;

  /** Settlement method name as RMS gives it, e.g. `クレジットカード`. */
  @IsOptional()
  @IsNonEmptyString(200)
  settlementMethodName?: string | null;

  /** Who placed the order (OrdererModel); personal data. */
  @NestedObject(() => Party)
  orderer: Party;

  /** Order amounts in yen. */
  @NestedObject(() => OrderTotals)
  totals: OrderTotals;

  /**
   * The buyer's remarks (備考, OrderModel.remarks) as RMS sends them: free text from the buyer,
   * including Rakuten's `[配送日時指定:]` block. Never trust it as markup: escape it wherever it
   * is shown.
   */
  @IsOptional()
  @IsString()
  @MaxLength(32767)
  remarks?: string | null;

  /** The `[配送日時指定:]` block of the remarks, parsed; absent when there is none. */
  @IsOptional()
  @NestedObject(() => RemarksDeliveryRequest)
  remarksDelivery?: RemarksDeliveryRequest | null;

  /** The buyer marked the order as a gift (giftCheckFlag = 1). */
  @IsOptional()
  @IsBoolean()
  gift?: boolean | null;

  /** Gift wrappings chosen (WrappingModel1 and WrappingModel2 that are not deleted). */
  @IsOptional()
  @NestedArray(() => Wrapping, { max: 2 })
  wrappings?: Wrapping[] | null;
}

/** A pulled marketplace order, normalised. */
export class MarketplaceOrder extends OrderBase {
  /** The order's packages, one per destination (at least one). */
  @NestedArray(() => OrderPackage, { min: 1 })
  packages: OrderPackage[];
}

/**
 * The order revision an order event is about: its `revision`, or 1 when absent (an order's first
 * pull, or an event written before revisions existed). See `order.pulled`.
 */
export function orderRevision(data: { revision?: number }): number {
  return data.revision ?? 1;
}
