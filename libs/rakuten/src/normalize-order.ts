import {
  MarketplaceOrder,
  OrderLine,
  OrderPackage,
  OrderTotals,
  Party,
  RAKUTEN_ORDER_PROGRESS_CODES,
  RemarksDeliveryRequest,
  RequestedDelivery,
  Wrapping,
  type RakutenOrderProgress,
  type WrappingKind,
} from '@smartship/contracts';

import { parseRemarksDelivery } from './remarks-delivery';
import { isRmsDate, rmsDateTimeToIso } from './rms-dates';
import type {
  ItemModel,
  OrderModel,
  OrdererModel,
  PackageModel,
  SenderModel,
  WrappingModel,
} from './types/order-api.types';

/*
 * RMS OrderModel (getOrder, any version 3–10, and orders recorded from older versions) → the
 * platform's MarketplaceOrder (libs/contracts), following the rules written on the contract: empty
 * RMS identifiers and texts become absent, `-9999` amounts ("not fixed yet") become null, `+0900`
 * date-times become ISO 8601 `+09:00`, deleted packages, lines and wrappings are left out. Fields a
 * version does not send (docs/rakuten-rms.md §2.2, §4.9) become null, never an error: the unit
 * price falls back to `price` when `priceTaxIncl` is missing.
 */

/** Longest remarks the contract takes (RMS: ≤ 32,767 bytes, so never longer in characters). */
const MAX_REMARKS = 32_767;
/** Longest のし / wrapping name the contract takes. */
const MAX_NAME = 1_000;

/** RMS's "amount not fixed yet" marker (docs/rakuten-rms.md §4). */
export const RMS_UNFIXED_AMOUNT = -9999;

export class OrderNormalizationError extends Error {
  constructor(
    readonly orderNumber: string,
    reason: string,
    /** The RMS field refused, as a path without its value (alerts and logs). */
    readonly field = 'order',
  ) {
    super(`order ${orderNumber}: ${reason}`);
    this.name = 'OrderNormalizationError';
  }
}

/** The normalised order. Throws OrderNormalizationError when the order has nothing to ship. */
export function normalizeOrder(model: OrderModel): MarketplaceOrder {
  if (!(RAKUTEN_ORDER_PROGRESS_CODES as readonly number[]).includes(model.orderProgress)) {
    throw new OrderNormalizationError(
      model.orderNumber,
      `unknown orderProgress ${model.orderProgress}`,
      'orderProgress',
    );
  }
  const packages = model.PackageModelList.filter((p) => p.packageDeleteFlag !== 1)
    .map((p) => toPackage(model, p))
    .filter((p) => p.lines.length > 0);
  if (packages.length === 0) {
    throw new OrderNormalizationError(
      model.orderNumber,
      'no package with a live line',
      'PackageModelList',
    );
  }
  const order = new MarketplaceOrder();
  order.orderNumber = model.orderNumber;
  order.orderProgress = model.orderProgress as RakutenOrderProgress;
  order.orderedAt = rmsDateTimeToIso(model.orderDatetime);
  order.confirmedAt = isoOrNull(model.shopOrderCfmDatetime);
  order.fixedAt = isoOrNull(model.orderFixDatetime);
  order.shippingInstructedAt = isoOrNull(model.shippingInstDatetime);
  order.shippingReportedAt = isoOrNull(model.shippingCmplRptDatetime);
  order.cancelDueDate = isRmsDate(model.cancelDueDate) ? model.cancelDueDate : null;
  order.settlementMethodCode = model.SettlementModel?.settlementMethodCode ?? null;
  order.settlementMethodName = present(model.SettlementModel?.settlementMethod);
  order.orderer = toParty(model.OrdererModel, model.OrdererModel.emailAddress);
  const totals = new OrderTotals();
  totals.goodsPrice = model.goodsPrice;
  totals.postagePrice = fixed(model.postagePrice);
  totals.totalPrice = fixed(model.totalPrice);
  totals.deliveryPrice = fixed(model.deliveryPrice);
  totals.requestPrice = fixed(model.requestPrice);
  totals.paymentCharge = yen(model.paymentCharge);
  // PointModel is `{usedPoint: 0}` when no points were used; absent only from odd payloads.
  totals.usedPoints = model.PointModel ? yen(model.PointModel.usedPoint) : null;
  totals.couponTotal = yen(model.couponAllTotalPrice);
  order.totals = totals;
  const remarks = present(model.remarks);
  order.remarks = remarks === null ? null : remarks.slice(0, MAX_REMARKS);
  order.remarksDelivery = toRemarksDelivery(remarks);
  order.gift = model.giftCheckFlag === 1;
  const wrappings = [
    toWrapping(model.WrappingModel1, 'paper'),
    toWrapping(model.WrappingModel2, 'ribbon'),
  ].filter((w): w is Wrapping => w !== null);
  order.wrappings = wrappings.length > 0 ? wrappings : null;
  order.packages = packages;
  return order;
}

function toRemarksDelivery(remarks: string | null): RemarksDeliveryRequest | null {
  const parsed = parseRemarksDelivery(remarks);
  if (!parsed) return null;
  const result = new RemarksDeliveryRequest();
  result.date = parsed.date;
  result.time = parsed.time === null ? null : parsed.time.slice(0, 200);
  return result;
}

/** A live wrapping; the kind comes from `title` (1 包装紙, 2 リボン), else from its slot. */
function toWrapping(
  source: WrappingModel | null | undefined,
  slotKind: WrappingKind,
): Wrapping | null {
  if (!source || source.deleteWrappingFlag === 1) return null;
  const wrapping = new Wrapping();
  wrapping.kind = source.title === 1 ? 'paper' : source.title === 2 ? 'ribbon' : slotKind;
  const fallbackName = wrapping.kind === 'paper' ? '包装紙' : 'リボン';
  wrapping.name = (present(source.name) ?? fallbackName).slice(0, MAX_NAME);
  wrapping.price = yen(source.price) ?? 0;
  wrapping.taxIncluded = source.includeTaxFlag === 1;
  return wrapping;
}

function toPackage(model: OrderModel, source: PackageModel): OrderPackage {
  const result = new OrderPackage();
  result.basketId = source.basketId;
  result.recipient = toParty(source.SenderModel);
  const delivery = new RequestedDelivery();
  delivery.carrierCode = /^\d{4}$/.test(source.defaultDeliveryCompanyCode ?? '')
    ? source.defaultDeliveryCompanyCode
    : null;
  delivery.methodName = present(model.DeliveryModel?.deliveryName);
  delivery.date = isRmsDate(model.deliveryDate) ? model.deliveryDate : null;
  delivery.timeSlot = model.shippingTerm ?? null;
  delivery.dropOffLocation = source.dropOffFlag === 1 ? present(source.dropOffLocation) : null;
  const asked = Object.values(delivery).some((value) => value !== null && value !== undefined);
  result.requestedDelivery = asked ? delivery : null;
  const noshi = present(source.noshi);
  result.noshi = noshi === null ? null : noshi.slice(0, MAX_NAME);
  result.lines = source.ItemModelList.filter((item) => item.deleteItemFlag !== 1).map(toLine);
  return result;
}

function toLine(item: ItemModel): OrderLine {
  const line = new OrderLine();
  const sku = item.SkuModelList?.[0];
  line.itemDetailId = item.itemDetailId;
  line.itemNumber = item.itemNumber ?? '';
  line.manageNumber = item.manageNumber;
  line.itemName = item.itemName;
  line.selectedChoice = item.selectedChoice ?? '';
  line.units = item.units;
  // priceTaxIncl came with getOrder v3; orders recorded from older versions carry only `price`,
  // which is tax-inclusive unless includeTaxFlag is 0 (docs/rakuten-rms.md §4.5, §4.9).
  const taxIncluded = typeof item.priceTaxIncl === 'number' ? item.priceTaxIncl : null;
  line.unitPrice = taxIncluded ?? item.price;
  line.unitPriceTaxIncluded = taxIncluded !== null || item.includeTaxFlag !== 0;
  line.taxRate =
    typeof item.taxRate === 'number' && item.taxRate >= 0 && item.taxRate <= 1
      ? item.taxRate
      : null;
  // Pre-migration orders carry empty SKU values (docs/rakuten-rms.md §4.5): absent, not "".
  line.variantId = present(sku?.variantId);
  line.merchantDefinedSkuId = present(sku?.merchantDefinedSkuId);
  line.skuInfo = present(sku?.skuInfo);
  return line;
}

function toParty(source: OrdererModel | SenderModel, email?: string | null): Party {
  const party = new Party();
  party.name = [source.familyName, source.firstName].filter((s) => s && s.trim()).join(' ');
  const kana = [source.familyNameKana, source.firstNameKana].filter((s) => s && s.trim()).join(' ');
  party.nameKana = kana || null;
  party.email = present(email);
  const phone = [source.phoneNumber1, source.phoneNumber2, source.phoneNumber3].filter(
    (s): s is string => !!s && s.trim() !== '',
  );
  party.phone = phone.length > 0 ? phone.join('-') : null;
  party.zipCode =
    source.zipCode1 && source.zipCode2 ? `${source.zipCode1}-${source.zipCode2}` : null;
  party.prefecture = present(source.prefecture);
  party.city = present(source.city);
  party.subAddress = present(source.subAddress);
  return party;
}

function present(value: string | null | undefined): string | null {
  return value !== null && value !== undefined && value.trim() !== '' ? value : null;
}

function fixed(amount: number | null | undefined): number | null {
  return amount === undefined || amount === null || amount === RMS_UNFIXED_AMOUNT ? null : amount;
}

/** A whole, non-negative yen amount; null for absent, -9999 ("not fixed") and anything odd. */
function yen(amount: number | null | undefined): number | null {
  return typeof amount === 'number' && Number.isInteger(amount) && amount >= 0 ? amount : null;
}

function isoOrNull(value: string | null | undefined): string | null {
  return value ? rmsDateTimeToIso(value) : null;
}
