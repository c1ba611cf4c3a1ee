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
  IsCount,
  IsDateOnly,
  IsIsoDateTime,
  IsNonEmptyString,
  IsNullable,
  IsOrderRevision,
  IsYen,
  NestedArray,
  NestedObject,
} from '../../decorators';
import { RemarksDeliveryRequest, RequestedDelivery, Wrapping } from '../../models/order.model';
import { Party } from '../../models/party.model';
import { MarketplaceReference, ShipmentLine, type ShipmentReadyData } from './shipment-ready.event';

/*
 * `shipment.ready` v2: everything a Japanese warehouse needs to pick, pack, label and collect for
 * one parcel of a Rakuten order. Every field says where it comes from in RMS getOrder
 * (docs/rakuten-rms.md §4; "OrderModel.x" etc.). Amounts are whole yen, dates JST.
 *
 * v1 (fulfillmentOrderId, shopRef, recipient, lines, requested*, createdAt) is a subset: a v2
 * event carries every v1 field with the same meaning, so a consumer that reads only those can
 * read both. `decodeEvent` upgrades a v1 event to this shape (see `upgradeShipmentReadyV1`).
 */

/** Which part of its package a fulfillment order is (split shipments, docs/fulfillment.md). */
export const SHIPMENT_PARTS = ['whole', 'in_stock', 'back_order'] as const;
/**
 * `whole`: the package's every line; `in_stock`: the lines that had stock when the shop ships
 * what is there (policy `ship_available`); `back_order`: the rest of that package, sent when stock
 * arrives. Both parts carry the same basketId.
 */
export type ShipmentPart = (typeof SHIPMENT_PARTS)[number];

/** How the parcel relates to the other parcels of its package. */
export class ShipmentPartInfo {
  /** whole, in_stock or back_order (SHIPMENT_PARTS). */
  @IsIn(SHIPMENT_PARTS)
  kind: ShipmentPart;

  /** The other part's fulfillment order id, for a split package; null for `whole`. */
  @IsOptional()
  @IsNonEmptyString(200)
  otherFulfillmentOrderId?: string | null;
}

/** An SKU of the platform that a marketplace line is picked as, with units for this parcel. */
export class ShipmentItemSku {
  /** Seller-defined platform SKU code (the mapping service's resolution). */
  @IsNonEmptyString(200)
  skuCode: string;

  /** Units of this SKU for the line in this parcel (count ≥ 1). */
  @IsCount(1)
  quantity: number;
}

/** One marketplace order line in this parcel, as the buyer bought it: for the packing slip. */
export class ShipmentItem {
  /** 商品明細ID (ItemModel.itemDetailId). */
  @IsInt()
  @Min(1)
  itemDetailId: number;

  /** 商品番号 (ItemModel.itemNumber); may be empty. */
  @IsString()
  @MaxLength(255)
  itemNumber: string;

  /** 商品管理番号 (ItemModel.manageNumber). */
  @IsNonEmptyString(255)
  manageNumber: string;

  /** Item name as the buyer saw it (ItemModel.itemName). */
  @IsNonEmptyString(3072)
  itemName: string;

  /** Free options chosen (ItemModel.selectedChoice), lines joined by `\n`; may be empty. */
  @IsString()
  @MaxLength(10000)
  selectedChoice: string;

  /** Variation chosen (SkuModel.skuInfo), lines joined by `\n`; absent when none. */
  @IsOptional()
  @IsNonEmptyString(10000)
  skuInfo?: string | null;

  /** Units of this line in this parcel (ItemModel.units; the whole line, lines are not cut). */
  @IsCount(1)
  units: number;

  /** Tax-inclusive unit price in yen (ItemModel.priceTaxIncl, or price; see OrderLine.unitPrice). */
  @IsYen()
  unitPrice: number;

  /** Consumption-tax rate (ItemModel.taxRate): 0, 0.08 or 0.1; null when RMS sent none. */
  @IsNullable()
  @IsNumber({ maxDecimalPlaces: 4 })
  @Min(0)
  @Max(1)
  taxRate: number | null;

  /** The platform SKUs this line is picked as (a bundle has several). */
  @NestedArray(() => ShipmentItemSku, { min: 1 })
  skus: ShipmentItemSku[];
}

/** How the order is paid, and what the carrier must collect. */
export class ShipmentPayment {
  /** Rakuten settlement method code (SettlementModel.settlementMethodCode; 2 = 代金引換). */
  @IsNullable()
  @IsInt()
  settlementMethodCode: number | null;

  /** Settlement method name (SettlementModel.settlementMethod), e.g. `代金引換`. */
  @IsNullable()
  @IsNonEmptyString(200)
  settlementMethodName: string | null;

  /** true for cash on delivery (代引き, settlement method code 2). */
  @IsBoolean()
  cashOnDelivery: boolean;

  /**
   * Yen the carrier collects with this parcel: OrderModel.requestPrice (what the buyer is billed
   * after points and coupons) on the cash-on-delivery parcel; 0 on every other parcel and for
   * other payment methods. Never an estimate: a COD order whose amount is not fixed (RMS -9999)
   * is held, not sent.
   */
  @IsYen()
  amountToCollect: number;
}

/** The order's amounts in yen, for the packing slip (OrderModel; order level, not per parcel). */
export class ShipmentTotals {
  /** Goods, tax included (OrderModel.goodsPrice). */
  @IsYen()
  goodsPrice: number;

  /** Postage (OrderModel.postagePrice). */
  @IsYen()
  postagePrice: number;

  /** Cash-on-delivery fee (OrderModel.deliveryPrice); 0 when none. */
  @IsYen()
  deliveryPrice: number;

  /** Settlement fee (OrderModel.paymentCharge); 0 when none or not sent. */
  @IsYen()
  paymentCharge: number;

  /** Wrapping, the chosen wrappings' prices summed (WrappingModel1/2.price). */
  @IsYen()
  wrappingPrice: number;

  /** Total: goods + postage + COD fee + settlement fee + wrapping (OrderModel.totalPrice). */
  @IsYen()
  totalPrice: number;

  /** Rakuten points used (PointModel.usedPoint, 1 point = 1 yen). */
  @IsYen()
  usedPoints: number;

  /** Coupons used (OrderModel.couponAllTotalPrice). */
  @IsYen()
  couponTotal: number;

  /** Billed to the buyer: total − points − coupons (OrderModel.requestPrice). */
  @IsYen()
  requestPrice: number;
}

/** Gift details for the packer. */
export class ShipmentGift {
  /** The buyer marked the order as a gift (OrderModel.giftCheckFlag = 1): no prices in the box. */
  @IsBoolean()
  requested: boolean;

  /** Wrappings to apply (WrappingModel1 = paper, WrappingModel2 = ribbon, not deleted). */
  @NestedArray(() => Wrapping, { max: 2 })
  wrappings: Wrapping[];

  /** のし to put on the box (PackageModel.noshi); null when none. */
  @IsNullable()
  @IsNonEmptyString(1000)
  noshi: string | null;
}

/** Delivery the buyer asked for. */
export class ShipmentDelivery {
  /** Carrier, method, date, time slot, drop-off (see RequestedDelivery for the RMS fields). */
  @IsNullable()
  @NestedObject(() => RequestedDelivery)
  requested: RequestedDelivery | null;

  /** The `[配送日時指定:]` block of the remarks, parsed (date, time as written); null when none. */
  @IsNullable()
  @NestedObject(() => RemarksDeliveryRequest)
  fromRemarks: RemarksDeliveryRequest | null;
}

/** `shipment.ready` v2. Producer: fulfillment. Key `<shopId>:<orderNumber>`. */
export class ShipmentReadyDataV2 {
  /** Platform fulfillment order id. */
  @IsNonEmptyString(200)
  fulfillmentOrderId: string;

  /** The marketplace order and package (basketId = PackageModel.basketId) this parcel fulfils. */
  @NestedObject(() => MarketplaceReference)
  shopRef: MarketplaceReference;

  /**
   * The order revision (1 for the first pull; 2, 3, … after Rakuten changed the order). A later
   * revision's parcel supersedes an earlier one's: the earlier gets `shipment.canceled`.
   */
  @IsOrderRevision()
  revision: number;

  /** Whole package, or which part of a split package. */
  @NestedObject(() => ShipmentPartInfo)
  part: ShipmentPartInfo;

  /** Who receives the parcel (PackageModel.SenderModel, Rakuten's 送付者); personal data. */
  @NestedObject(() => Party)
  recipient: Party;

  /** Who placed the order (OrderModel.OrdererModel); personal data. */
  @NestedObject(() => Party)
  orderer: Party;

  /**
   * ご依頼主 on the label and the packing slip: the shop's sender block from its fulfillment
   * settings; the orderer when the shop has set none.
   */
  @NestedObject(() => Party)
  sender: Party;

  /** SKUs and units to pick for this parcel, one line per SKU (as in v1). */
  @NestedArray(() => ShipmentLine, { min: 1 })
  lines: ShipmentLine[];

  /** The marketplace lines in this parcel, for the packing slip. */
  @NestedArray(() => ShipmentItem, { min: 1 })
  items: ShipmentItem[];

  /** Payment and the amount to collect on delivery. */
  @NestedObject(() => ShipmentPayment)
  payment: ShipmentPayment;

  /** The order's amounts (order level). */
  @NestedObject(() => ShipmentTotals)
  totals: ShipmentTotals;

  /** Buyer remarks (OrderModel.remarks) as given; free text, escape it. Null when empty. */
  @IsNullable()
  @IsString()
  @MaxLength(32767)
  remarks: string | null;

  /** Gift flag, wrappings and のし. */
  @NestedObject(() => ShipmentGift)
  gift: ShipmentGift;

  /** What the buyer asked for about delivery. */
  @NestedObject(() => ShipmentDelivery)
  delivery: ShipmentDelivery;

  /** Carrier the buyer chose (as v1; = delivery.requested.carrierCode). */
  @IsOptional()
  @IsString()
  requestedCarrierCode?: string | null;

  /** Delivery date the buyer asked for (as v1; = delivery.requested.date). */
  @IsOptional()
  @IsDateOnly()
  requestedDeliveryDate?: string | null;

  /** Time slot code (as v1; = delivery.requested.timeSlot). */
  @IsOptional()
  @IsInt()
  @Min(0)
  requestedTimeSlot?: number | null;

  /** When the order was placed (OrderModel.orderDatetime), ISO-8601 with offset. */
  @IsIsoDateTime()
  orderedAt: string;

  /** When the fulfillment order was created, ISO-8601 with offset. */
  @IsIsoDateTime()
  createdAt: string;
}

/**
 * What a consumer sees of a `shipment.ready` v1 event after `decodeEvent` upgraded it: the v2
 * shape, where what v1 did not carry is stated as unknown (`null`) rather than guessed. A v1
 * event never says "not cash on delivery": `payment` is null, and a warehouse must not ship such
 * a parcel without asking.
 */
export type UpgradedShipmentReady = Omit<
  ShipmentReadyDataV2,
  'revision' | 'orderer' | 'sender' | 'items' | 'payment' | 'totals' | 'gift' | 'orderedAt'
> & {
  revision: number | null;
  orderer: Party | null;
  sender: Party | null;
  items: ShipmentItem[] | null;
  payment: ShipmentPayment | null;
  totals: ShipmentTotals | null;
  gift: ShipmentGift | null;
  orderedAt: string | null;
};

/** v1 data in the v2 shape (see UpgradedShipmentReady): consumers handle one shape. */
export function upgradeShipmentReadyV1(v1: ShipmentReadyData): UpgradedShipmentReady {
  return {
    fulfillmentOrderId: v1.fulfillmentOrderId,
    shopRef: v1.shopRef,
    revision: null,
    part: { kind: 'whole', otherFulfillmentOrderId: null },
    recipient: v1.recipient,
    orderer: null,
    sender: null,
    lines: v1.lines,
    items: null,
    payment: null,
    totals: null,
    remarks: null,
    gift: null,
    delivery: {
      requested:
        v1.requestedCarrierCode || v1.requestedDeliveryDate || v1.requestedTimeSlot != null
          ? {
              carrierCode: v1.requestedCarrierCode ?? null,
              date: v1.requestedDeliveryDate ?? null,
              timeSlot: v1.requestedTimeSlot ?? null,
            }
          : null,
      fromRemarks: null,
    },
    requestedCarrierCode: v1.requestedCarrierCode ?? null,
    requestedDeliveryDate: v1.requestedDeliveryDate ?? null,
    requestedTimeSlot: v1.requestedTimeSlot ?? null,
    orderedAt: null,
    createdAt: v1.createdAt,
  };
}
