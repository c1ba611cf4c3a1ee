import {
  MarketplaceOrder,
  OrderLine,
  OrderPackage,
  OrderTotals,
  Party,
  RAKUTEN_ORDER_PROGRESS_CODES,
  RequestedDelivery,
  type RakutenOrderProgress,
} from '@smartship/contracts';

import { isRmsDate, rmsDateTimeToIso } from './rms-dates';
import type {
  ItemModel,
  OrderModel,
  OrdererModel,
  PackageModel,
  SenderModel,
} from './types/order-api.types';

/*
 * RMS OrderModel (getOrder v7+) → the platform's MarketplaceOrder (libs/contracts), following the
 * rules written on the contract: empty RMS identifiers become absent, `-9999` amounts ("not fixed
 * yet") become null, `+0900` date-times become ISO 8601 `+09:00`, deleted packages and deleted
 * lines are left out.
 */

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
  order.totals = totals;
  order.packages = packages;
  return order;
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
  line.unitPrice = item.priceTaxIncl;
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

function isoOrNull(value: string | null | undefined): string | null {
  return value ? rmsDateTimeToIso(value) : null;
}
