import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsCount, IsDateOnly, IsNonEmptyString } from '../decorators';
import type { RakutenReportView } from './ingestion.calls';
import { MAX_PARCELS_PER_PACKAGE } from '../events/order-shipped/order-shipped.event';
import type { ShipmentLine } from '../events/shipment-ready/shipment-ready.event';
import type { ShipmentReadyDataV2 } from '../events/shipment-ready/shipment-ready.v2.event';
import { RAKUTEN_CARRIER_CODES, type Marketplace } from '../models/marketplace.model';
import type { Party } from '../models/party.model';
import { CallActor } from './shops.calls';
import {
  SPLIT_POLICIES,
  type SplitPolicy,
  FULFILLMENT_ORDER_STATUSES,
  type FulfillmentOrderStatus,
  type HoldCode,
} from '../constants/fulfillment';

/**
 * Calls the gateway makes to the fulfillment service over the TCP transport. The same classes
 * validate the HTTP request in the gateway and the call in the service.
 */
export const FULFILLMENT_CALLS = {
  /** The tenant's fulfillment orders, filtered, newest first. */
  list: 'fulfillment.orders.list',
  /** One fulfillment order with its status history. */
  get: 'fulfillment.orders.get',
  /** A person releases a fulfillment order that waits for release (autoFulfillmentDispatch off). */
  release: 'fulfillment.orders.release',
  /** The warehouse confirms a shipment: carrier, tracking number(s), shipping date. */
  ship: 'fulfillment.orders.ship',
  /** The fulfillment side of an order's timeline: its fulfillment orders with their histories. */
  timeline: 'fulfillment.orders.timeline',
  /** The tenant's stock per SKU. */
  inventoryList: 'fulfillment.inventory.list',
  /** Sets a SKU's on-hand count (stock-take or arrival); held orders it covers are released. */
  inventorySet: 'fulfillment.inventory.set',
  /** A shop's fulfillment settings: split policy and the packing slip's sender block. */
  shopSettingsGet: 'fulfillment.shop-settings.get',
  /** Replaces a shop's fulfillment settings. */
  shopSettingsPut: 'fulfillment.shop-settings.put',
} as const;

/** Seller-defined SKU code: 1..200 characters, no whitespace at either end. */
const SKU_CODE = /^\S(?:[\s\S]*\S)?$/;
/** A tracking number as Rakuten takes it: printable ASCII without spaces (no 機種依存文字). */
const TRACKING_NUMBER = /^[\x21-\x7e]+$/;
const CARRIER_CODES = Object.keys(RAKUTEN_CARRIER_CODES);

function trimmedEach({ value }: { value: unknown }): unknown {
  return Array.isArray(value)
    ? (value as unknown[]).map((item) => (typeof item === 'string' ? item.trim() : item))
    : value;
}

/** Query strings carry text; the TCP call carries the boolean itself. */
function toBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** `POST /fulfillment-orders/:id/ship`: what the warehouse handed to the carrier. */
export class ShipFulfillmentOrderBody {
  /** Rakuten delivery company code (four digits, e.g. `1001` ヤマト運輸), never the carrier's name. */
  @IsString()
  @IsIn(CARRIER_CODES, {
    message: `$property must be a Rakuten delivery company code (${CARRIER_CODES[0]}–${CARRIER_CODES.at(-1)}), e.g. 1001 for ヤマト運輸`,
  })
  carrierCode: string;

  /** One tracking number per parcel (1..20, Rakuten's per-package limit), each at most 120 characters. */
  @Transform(trimmedEach)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PARCELS_PER_PACKAGE)
  @ArrayUnique({ message: '$property must not list the same tracking number twice' })
  @IsString({ each: true })
  @MaxLength(120, { each: true })
  @Matches(TRACKING_NUMBER, {
    each: true,
    message: 'each of $property must be letters, digits or symbols without spaces',
  })
  trackingNumbers: string[];

  /** Day the parcels were handed to the carrier, `YYYY-MM-DD` in JST; not after today. */
  @IsDateOnly()
  shippingDate: string;
}

/** `PUT /inventory/:skuCode`: the SKU's units physically in the warehouse. */
export class SetInventoryBody {
  /** Units on hand after the stock-take or arrival (count, 0..10,000,000). */
  @IsCount(0, 10_000_000)
  onHand: number;

  /** Why the count changed, for the history (e.g. "arrival PO-1234"). */
  @IsOptional()
  @IsNonEmptyString(500)
  note?: string;
}

/** The shop's block on the packing slip (納品書) and as ご依頼主 on the label. */
export class PackingSlipSenderInput {
  /** Shop or company name, e.g. `スマートシップ雑貨店`. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsNonEmptyString(300)
  name: string;

  /** Postal code `NNN-NNNN`. */
  @IsOptional()
  @Matches(/^\d{3}-\d{4}$/, { message: '$property must be a postal code like 150-0001' })
  zipCode?: string | null;

  /** Prefecture, e.g. `東京都`. */
  @IsOptional()
  @IsNonEmptyString(20)
  prefecture?: string | null;

  /** City, ward, town or village. */
  @IsOptional()
  @IsNonEmptyString(200)
  city?: string | null;

  /** Rest of the address. */
  @IsOptional()
  @IsNonEmptyString(500)
  subAddress?: string | null;

  /** Phone number, digits and hyphens, e.g. `03-1234-5678`. */
  @IsOptional()
  @Matches(/^[0-9][0-9-]{8,14}$/, { message: '$property must be a phone number like 03-1234-5678' })
  phone?: string | null;

  /** A line printed under the totals of every slip, e.g. a thank-you note (≤ 500 characters). */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  message?: string | null;
}

/** `PUT /shops/:shopId/fulfillment-settings`. */
export class ShopFulfillmentSettingsBody {
  /** hold (default) or ship_available; see SPLIT_POLICIES. */
  @IsIn(SPLIT_POLICIES)
  splitPolicy: SplitPolicy;

  /** The packing slip's sender block; null or absent: the slip and label name the orderer. */
  @IsOptional()
  // @ValidateNested alone lets an array through (`"sender": []` reached the service).
  @IsObject()
  @ValidateNested()
  @Type(() => PackingSlipSenderInput)
  sender?: PackingSlipSenderInput | null;
}

export class ShopFulfillmentSettingsGetCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  /** Platform shop connection id (the gateway has checked it belongs to the tenant). */
  @IsUUID()
  shopId: string;
}

export class ShopFulfillmentSettingsPutCall extends ShopFulfillmentSettingsGetCall {
  @ValidateNested()
  @Type(() => ShopFulfillmentSettingsBody)
  body: ShopFulfillmentSettingsBody;
}

/** A shop's fulfillment settings as stored (defaults when never set). */
export interface ShopFulfillmentSettingsView {
  shopId: string;
  splitPolicy: SplitPolicy;
  sender: PackingSlipSenderInput | null;
  /** null while the shop uses the defaults. */
  updatedAt: string | null;
}

/** `GET /fulfillment-orders` filters. */
export class FulfillmentOrderFilter {
  /** Only this shop connection's fulfillment orders. */
  @IsOptional()
  @IsUUID()
  shopId?: string;

  /** Only fulfillment orders in this status. */
  @IsOptional()
  @IsIn(FULFILLMENT_ORDER_STATUSES)
  status?: FulfillmentOrderStatus;

  /** Only this marketplace order number. */
  @IsOptional()
  @IsNonEmptyString(400)
  orderNumber?: string;

  /** Only fulfillment orders with a line of this SKU. */
  @IsOptional()
  @IsNonEmptyString(200)
  skuCode?: string;

  /** true: only those flagged for a person (e.g. canceled after shipment). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  needsAttention?: boolean;

  /** Page size, 1..200 (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** `GET /inventory` filters. */
export class InventoryFilter {
  /** Only SKU codes starting with this text. */
  @IsOptional()
  @IsNonEmptyString(200)
  skuCode?: string;

  /** true: only SKUs that cannot cover what is asked of them (available < 0 or orders held). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  shortOnly?: boolean;

  /** Page size, 1..500 (default 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;
}

export class FulfillmentOrderRefCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsUUID()
  fulfillmentOrderId: string;
}

export class ShipFulfillmentOrderCall extends FulfillmentOrderRefCall {
  @ValidateNested()
  @Type(() => ShipFulfillmentOrderBody)
  body: ShipFulfillmentOrderBody;
}

export class ListFulfillmentOrdersCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @ValidateNested()
  @Type(() => FulfillmentOrderFilter)
  filter: FulfillmentOrderFilter;
}

/** The fulfillment side of `GET /orders/:orderNumber`. */
export class FulfillmentTimelineCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  /** Platform shop connection id. */
  @IsNonEmptyString(200)
  shopId: string;

  /** Marketplace order number. */
  @IsNonEmptyString(400)
  orderNumber: string;
}

export class ListInventoryCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @ValidateNested()
  @Type(() => InventoryFilter)
  filter: InventoryFilter;
}

export class SetInventoryCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  /** Seller-defined SKU code. */
  @IsString()
  @MaxLength(200)
  @Matches(SKU_CODE, { message: '$property must be a SKU code without spaces at either end' })
  skuCode: string;

  @ValidateNested()
  @Type(() => SetInventoryBody)
  body: SetInventoryBody;
}

/** A line that cannot be covered: how many units it needs and how many are free. */
export interface ShortLineView {
  skuCode: string;
  /** Units the fulfillment order needs. */
  needed: number;
  /** Units free when it was last tried (on hand − reserved; may be negative). */
  available: number;
}

/** Why a fulfillment order waits, for a person. */
export interface HoldView {
  code: HoldCode;
  message: string;
  /** For insufficient_stock: the short lines. */
  shortLines: ShortLineView[];
  /** Since when it waits for this reason, ISO-8601. */
  since: string;
}

/** What the warehouse confirmed. */
export interface ShipmentView {
  carrierCode: string;
  /** The carrier's name as Rakuten lists it, e.g. ヤマト運輸. */
  carrierName: string;
  trackingNumbers: string[];
  /** `YYYY-MM-DD` JST. */
  shippingDate: string;
  /** When the confirmation was recorded, ISO-8601. */
  shippedAt: string;
}

/** The marketplace's cancellation of the order, as recorded. */
export interface CancellationView {
  /** Rakuten orderProgress seen with the cancellation (900, 800, 400). */
  rakutenStatus: number;
  reason: string;
  /** When ingestion detected it, ISO-8601. */
  detectedAt: string;
  /** true when it arrived after the shipment left: a person must handle it. */
  afterShipment: boolean;
}

/** A fulfillment order (출하지시): one marketplace package. */
export interface FulfillmentOrderView {
  id: string;
  shopId: string;
  marketplace: Marketplace;
  orderNumber: string;
  /** Rakuten 送付先ID. */
  basketId: number;
  /**
   * The order revision this package belongs to: 1 for an order's first pull, 2, 3, … when Rakuten
   * changed the order and it was pulled again (each revision has fulfillment orders of its own).
   */
  revision: number;
  status: FulfillmentOrderStatus;
  /** Who receives the parcel; personal data. */
  recipient: Party;
  lines: ShipmentLine[];
  requestedCarrierCode: string | null;
  requestedDeliveryDate: string | null;
  requestedTimeSlot: number | null;
  /** Set while the fulfillment order waits. */
  hold: HoldView | null;
  /** true while its stock is reserved (status ready). */
  stockReserved: boolean;
  shipment: ShipmentView | null;
  cancellation: CancellationView | null;
  /** Flagged for a person, with the reason. */
  needsAttention: boolean;
  attentionReason: string | null;
  /**
   * What the warehouse is told beyond the SKU lines (the `shipment.ready` v2 fields: part of a
   * split package, orderer and sender, marketplace lines with prices, payment and the amount to
   * collect, totals, remarks, gift, delivery). null for fulfillment orders created before v2.
   */
  warehouse: WarehouseDetailsView | null;
  /**
   * Shipped orders, as the gateway answers them: the report to Rakuten (from the ingestion
   * service); null while ingestion has not recorded it yet; `unavailable` when ingestion could
   * not be asked. Not set on other statuses.
   */
  rakutenReport?: RakutenReportView | null | 'unavailable';
  createdAt: string;
  updatedAt: string;
}

/**
 * The `shipment.ready` v2 fields a fulfillment order carries besides those of the view. `sender`
 * and `slipMessage` are what was sent once dispatched, else what the shop's settings give now.
 * Amounts Rakuten has not fixed (RMS -9999) are null here — such an order is held
 * (`cod_amount_unfixed` or `shipment_data_invalid`) and never sent with them.
 */
export type WarehouseDetailsView = Pick<
  ShipmentReadyDataV2,
  'part' | 'orderer' | 'sender' | 'items' | 'remarks' | 'gift' | 'delivery' | 'orderedAt'
> & {
  /** As in shipment.ready; amountToCollect null while Rakuten has not fixed the COD amount. */
  payment: Omit<ShipmentReadyDataV2['payment'], 'amountToCollect'> & {
    amountToCollect: number | null;
  };
  /** As in shipment.ready; postage, total and billed amount null while not fixed (RMS -9999). */
  totals: Omit<ShipmentReadyDataV2['totals'], 'postagePrice' | 'totalPrice' | 'requestPrice'> & {
    postagePrice: number | null;
    totalPrice: number | null;
    requestPrice: number | null;
  };
  /** The shop's note for the packing slip (its fulfillment settings), if any. */
  slipMessage: string | null;
};

/** One step of a fulfillment order's path. */
export interface FulfillmentOrderHistoryView {
  /** created, held, released, dispatched, shipped, shipment_repeated, canceled, canceled_after_shipment. */
  event: string;
  /** Status after the step. */
  status: FulfillmentOrderStatus;
  /** What happened, for a person. */
  note: string | null;
  details: Record<string, unknown> | null;
  at: string;
}

export interface FulfillmentOrderDetailView extends FulfillmentOrderView {
  history: FulfillmentOrderHistoryView[];
}

export interface FulfillmentOrderPageView {
  items: FulfillmentOrderView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** The answer to a release. */
export interface ReleaseResultView {
  fulfillmentOrder: FulfillmentOrderView;
  /** false when it was already released before this call (nothing changed). */
  released: boolean;
}

/** The answer to a shipment confirmation. */
export interface ShipResultView {
  fulfillmentOrder: FulfillmentOrderView;
  /** true when the same confirmation had already been recorded (nothing changed). */
  alreadyShipped: boolean;
}

/** The fulfillment side of an order's timeline. */
export interface FulfillmentTimelineView {
  shopId: string;
  orderNumber: string;
  /**
   * The marketplace's cancellation that applies to the newest revision with fulfillment orders
   * (or to any revision, before there are some), if one arrived.
   */
  cancellation: Omit<CancellationView, 'afterShipment'> | null;
  fulfillmentOrders: FulfillmentOrderDetailView[];
}

/** A SKU's stock. */
export interface StockView {
  skuCode: string;
  /** Units physically in the warehouse. */
  onHand: number;
  /** Units reserved for fulfillment orders sent to the warehouse and not shipped yet. */
  reserved: number;
  /** onHand − reserved; negative when on hand was set below what is reserved. */
  available: number;
  /** Units that held fulfillment orders (awaiting_stock) want. */
  waiting: number;
  updatedAt: string;
}

export interface StockPageView {
  items: StockView[];
  nextCursor: string | null;
}

/** The answer to `PUT /inventory/:skuCode`. */
export interface SetInventoryResultView {
  stock: StockView;
  /** Fulfillment orders this stock released to the warehouse (shipment.ready sent). */
  released: string[];
}
