import type {
  MappedOrder,
  MappedOrderPackage,
  PackingSlipSenderInput,
  Party,
  ShipmentDelivery,
  ShipmentGift,
  ShipmentItem,
  ShipmentLine,
  ShipmentPart,
  WarehouseDetailsView,
} from '@smartship/contracts';

import { mergeLines } from '../stock/stock-arithmetic';

/*
 * What a fulfillment order keeps for `shipment.ready` v2 beyond its SKU lines, taken from the
 * order.mapped it was created from (docs/fulfillment.md has the field → RMS source table), and
 * the pure rules built on it: cash on delivery, the parcel's part of its package, which lines
 * can go out now under the `ship_available` split policy.
 */

/** Rakuten settlementMethodCode of 代金引換 (cash on delivery). */
export const COD_SETTLEMENT_CODE = 2;

/** The payment of one parcel as stored: amountToCollect null = a COD amount Rakuten has not fixed. */
export interface StoredPayment {
  settlementMethodCode: number | null;
  settlementMethodName: string | null;
  cashOnDelivery: boolean;
  amountToCollect: number | null;
}

/** The order's amounts as stored; null where RMS said -9999 (not fixed yet) or sent nothing. */
export interface StoredTotals {
  goodsPrice: number;
  postagePrice: number | null;
  deliveryPrice: number;
  paymentCharge: number;
  wrappingPrice: number;
  totalPrice: number | null;
  usedPoints: number;
  couponTotal: number;
  requestPrice: number | null;
}

/** `fulfillment_orders.shipment_details`: null on rows created before shipment.ready v2. */
export interface StoredShipmentDetails {
  orderer: Party;
  /** The marketplace lines of this fulfillment order (all of the package's, or its part's). */
  items: ShipmentItem[];
  payment: StoredPayment;
  totals: StoredTotals;
  remarks: string | null;
  gift: ShipmentGift;
  delivery: ShipmentDelivery;
  orderedAt: string;
}

/**
 * The details of one package of a mapped order. Cash on delivery (settlementMethodCode 2): the
 * package with the lowest basketId collects the order's requestPrice (the whole order is billed
 * once), every other package collects 0; null when Rakuten has not fixed it.
 */
export function detailsForPackage(
  order: MappedOrder,
  pkg: MappedOrderPackage,
): StoredShipmentDetails {
  const cashOnDelivery = order.settlementMethodCode === COD_SETTLEMENT_CODE;
  const collector = Math.min(...order.packages.map((p) => p.basketId));
  const requestPrice = order.totals.requestPrice ?? null;
  const wrappings = order.wrappings ?? [];
  return {
    orderer: order.orderer,
    items: pkg.lines.map((line) => ({
      itemDetailId: line.itemDetailId,
      itemNumber: line.itemNumber,
      manageNumber: line.manageNumber,
      itemName: line.itemName,
      selectedChoice: line.selectedChoice,
      skuInfo: line.skuInfo ?? null,
      units: line.units,
      unitPrice: line.unitPrice,
      taxRate: line.taxRate ?? null,
      skus: line.resolution.skus.map(({ skuCode, quantity }) => ({ skuCode, quantity })),
    })),
    payment: {
      settlementMethodCode: order.settlementMethodCode ?? null,
      settlementMethodName: order.settlementMethodName ?? null,
      cashOnDelivery,
      amountToCollect: !cashOnDelivery ? 0 : pkg.basketId === collector ? requestPrice : 0,
    },
    totals: {
      goodsPrice: order.totals.goodsPrice,
      postagePrice: order.totals.postagePrice,
      deliveryPrice: order.totals.deliveryPrice ?? 0,
      paymentCharge: order.totals.paymentCharge ?? 0,
      wrappingPrice: wrappings.reduce((sum, wrapping) => sum + wrapping.price, 0),
      totalPrice: order.totals.totalPrice,
      usedPoints: order.totals.usedPoints ?? 0,
      couponTotal: order.totals.couponTotal ?? 0,
      requestPrice,
    },
    remarks: order.remarks ? order.remarks : null,
    gift: { requested: order.gift === true, wrappings, noshi: pkg.noshi ?? null },
    delivery: {
      requested: pkg.requestedDelivery ?? null,
      fromRemarks: order.remarksDelivery ?? null,
    },
    orderedAt: order.orderedAt,
  };
}

/**
 * A cash-on-delivery order whose billed amount Rakuten has not fixed (RMS -9999, e.g. postage
 * still to be set): every package of it is held, whichever collects, because the slip's totals
 * are unknown too and the order comes back as a new revision once the seller fixes the amount.
 */
export function codAmountUnfixed(details: StoredShipmentDetails | null): boolean {
  return details !== null && details.payment.cashOnDelivery && details.totals.requestPrice === null;
}

/** The packing slip's sender block as a Party (ご依頼主); the slip message is kept apart. */
export function senderParty(input: PackingSlipSenderInput): Party {
  const party: Party = { name: input.name };
  for (const key of ['zipCode', 'prefecture', 'city', 'subAddress', 'phone'] as const) {
    const value = input[key];
    if (value !== null && value !== undefined) party[key] = value;
  }
  return party;
}

/** The parcel's part of its package, as shipment.ready and the view show it. */
export function partOf(row: { part_kind: ShipmentPart; other_part_id: string | null }) {
  return { kind: row.part_kind, otherFulfillmentOrderId: row.other_part_id };
}

/** The warehouse fields of the view: what was sent, or would be sent now. */
export function warehouseView(
  row: {
    part_kind: ShipmentPart;
    other_part_id: string | null;
    shipment_details: StoredShipmentDetails | null;
  },
  sender: Party,
  slipMessage: string | null,
): WarehouseDetailsView | null {
  const details = row.shipment_details;
  if (!details) return null;
  return {
    part: partOf(row),
    orderer: details.orderer,
    sender,
    items: details.items,
    payment: details.payment,
    totals: details.totals,
    remarks: details.remarks,
    gift: details.gift,
    delivery: details.delivery,
    orderedAt: details.orderedAt,
    slipMessage,
  };
}

/** How a package's marketplace lines divide when only some have stock. */
export interface LineSplit {
  /** Lines that go out now, whole, with every SKU they need reserved. */
  inStock: ShipmentItem[];
  /** The rest, for the back order. */
  backOrder: ShipmentItem[];
}

/**
 * Which lines of a package can go out now, given what is available per SKU: first fit in line
 * order (itemDetailId as given), a line taken only when every one of its SKUs has all the units
 * it needs after the lines taken before it (a bundle needs all its components; a line is never
 * cut). null when nothing or everything fits (no split).
 */
export function splitLines(
  items: readonly ShipmentItem[],
  available: (skuCode: string) => number,
): LineSplit | null {
  const left = new Map<string, number>();
  const inStock: ShipmentItem[] = [];
  const backOrder: ShipmentItem[] = [];
  for (const item of items) {
    const needed = mergeLines(item.skus);
    const fits = needed.every(
      ({ skuCode, quantity }) => (left.get(skuCode) ?? available(skuCode)) >= quantity,
    );
    if (!fits) {
      backOrder.push(item);
      continue;
    }
    for (const { skuCode, quantity } of needed) {
      left.set(skuCode, (left.get(skuCode) ?? available(skuCode)) - quantity);
    }
    inStock.push(item);
  }
  return inStock.length === 0 || backOrder.length === 0 ? null : { inStock, backOrder };
}

/** The SKU lines to pick for these marketplace lines (one per SKU, in SKU-code order). */
export function linesOf(items: readonly ShipmentItem[]): ShipmentLine[] {
  return mergeLines(items.flatMap((item) => item.skus));
}
