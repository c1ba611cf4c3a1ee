import { RAKUTEN_CARRIER_CODES } from '@smartship/contracts';
import {
  formatRmsDate,
  formatRmsDateTime,
  type ChangeReasonModel,
  type CouponModel,
  type ItemModel,
  type OrderModel,
  type PackageModel,
  type SkuModel,
  type WrappingModel,
} from '@smartship/rakuten';

import { personFromSeed } from './japanese-data';
import type { SimSettings } from './sim-settings';
import type { SimLine, SimOrder, SimPackage, SimWrapping } from './sim-state';

/*
 * SimOrder → RMS OrderModel at a given getOrder version (docs/rakuten-rms.md §2.2 version table,
 * §4.9): v3 (the oldest served) has the tax fields, v4 adds defaultDeliveryCompanyCode /
 * isSingleItemShipping, v5 receipts and DueDateModelList, v6 cautionDisplayDetailType, v7
 * SkuModelList, v8 deliveryCertPrgFlag / oneDayOperationFlag and drops goodsTax and isTaxRecalc,
 * v9 drop-off, v10 social gift. An order flagged `legacyItems` renders its lines as orders recorded
 * from the withdrawn versions 1–2 show them: `price` only, no priceTaxIncl / taxRate / pointType /
 * dealFlag / drugFlag. RMS sends `null`, not `[]` or `""`, for no remarks, no のし, no wrapping and
 * no coupons; PointModel is `{usedPoint: 0}` when no points were used (the 2018/2019 payloads).
 */

const UNFIXED = -9999;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Cash-on-delivery fee when the order does not set one (yen, tax included). */
export const DEFAULT_COD_FEE = 330;
/** settlementMethodCode of 代金引換 (docs/rakuten-rms.md §4.3). */
export const COD = 2;

const SETTLEMENT_NAMES: Record<number, string> = {
  1: 'クレジットカード',
  2: '代金引換',
  8: 'ポイント',
  9: '銀行振込',
  13: 'セブンイレブン（前払）',
  17: 'PayPal',
  21: '後払い決済',
};

function dt(ms: number | null): string | null {
  return ms === null ? null : formatRmsDateTime(new Date(ms));
}

function lineTotal(line: SimLine): number {
  return line.deleted ? 0 : line.price * line.units;
}

function packageGoods(pkg: SimPackage): number {
  return pkg.lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

/** The pre-tax unit price of a line priced tax-exclusive (includeTaxFlag 0). */
function taxExclusivePrice(line: SimLine): number {
  return Math.round(line.price / (1 + line.taxRate));
}

/** 外税合計: the tax on tax-exclusive lines (0 when every price includes tax, as usual). */
function outsideTax(order: SimOrder, pkg?: SimPackage): number {
  if (!order.taxExcluded) return 0;
  const lines = (pkg ? [pkg] : order.packages.filter((p) => !p.deleted)).flatMap((p) => p.lines);
  return lines
    .filter((line) => !line.deleted)
    .reduce((sum, line) => sum + (line.price - taxExclusivePrice(line)) * line.units, 0);
}

/** The order's amounts as RMS computes them (docs/rakuten-rms.md §4.2, §4.9). */
export interface SimAmounts {
  /** Goods (tax included) plus live wrappings: goodsPrice. */
  goods: number;
  wrapping: number;
  /** postagePrice, or -9999 while not fixed. */
  postage: number;
  /** deliveryPrice: the COD fee (one per order, on its first live package). */
  delivery: number;
  paymentCharge: number;
  /** goods + postage, or -9999. */
  total: number;
  couponShop: number;
  couponOther: number;
  points: number;
  /** total + delivery + paymentCharge − coupons − points, or -9999: what the buyer pays. */
  request: number;
}

function wrappingPrice(wrapping: SimWrapping | null | undefined): number {
  return wrapping && !wrapping.deleted ? wrapping.price : 0;
}

export function orderAmounts(order: SimOrder): SimAmounts {
  const live = order.packages.filter((p) => !p.deleted);
  const wrapping = wrappingPrice(order.wrapping1) + wrappingPrice(order.wrapping2);
  const goods = live.reduce((sum, p) => sum + packageGoods(p), 0) + wrapping;
  const postage = order.amountsFixed ? live.reduce((sum, p) => sum + p.postagePrice, 0) : UNFIXED;
  const delivery = order.settlementMethodCode === COD ? (order.codFee ?? DEFAULT_COD_FEE) : 0;
  const paymentCharge = 0;
  const total = postage === UNFIXED ? UNFIXED : goods + postage;
  const coupons = order.coupons ?? [];
  const couponShop = coupons
    .filter((c) => c.capital === 'shop')
    .reduce((sum, c) => sum + c.price, 0);
  const couponOther = coupons
    .filter((c) => c.capital !== 'shop')
    .reduce((sum, c) => sum + c.price, 0);
  const points = order.usedPoints ?? 0;
  const request =
    total === UNFIXED
      ? UNFIXED
      : Math.max(0, total + delivery + paymentCharge - couponShop - couponOther - points);
  return {
    goods,
    wrapping,
    postage,
    delivery,
    paymentCharge,
    total,
    couponShop,
    couponOther,
    points,
    request,
  };
}

function renderWrapping(
  wrapping: SimWrapping | null | undefined,
  title: 1 | 2,
): WrappingModel | null {
  if (!wrapping) return null;
  return {
    title,
    name: wrapping.name,
    price: wrapping.price,
    includeTaxFlag: wrapping.taxIncluded ? 1 : 0,
    deleteWrappingFlag: wrapping.deleted ? 1 : 0,
    taxRate: 0.1,
  };
}

function renderLine(
  order: SimOrder,
  line: SimLine,
  version: number,
  settings: SimSettings,
): ItemModel {
  const item: ItemModel = {
    itemDetailId: line.itemDetailId,
    itemName: line.itemName,
    itemId: line.itemId,
    itemNumber: line.itemNumber,
    manageNumber: line.manageNumber,
    price: order.taxExcluded ? taxExclusivePrice(line) : line.price,
    units: line.units,
    includePostageFlag: 0,
    includeTaxFlag: order.taxExcluded ? 0 : 1,
    includeCashOnDeliveryPostageFlag: 0,
    selectedChoice: line.selectedChoice,
    pointRate: 1,
    inventoryType: line.inventoryType,
    delvdateInfo: '3営業日以内に発送',
    restoreInventoryFlag: 0,
    deleteItemFlag: line.deleted ? 1 : 0,
  };
  if (!order.legacyItems) {
    // Sent since v3 (consumption-tax release); orders recorded from v1/v2 lack them.
    item.pointType = 0;
    item.dealFlag = 0;
    item.drugFlag = 0;
    item.taxRate = line.taxRate;
    item.priceTaxIncl = line.price;
  }
  if (version >= 4) item.isSingleItemShipping = 0;
  if (version >= 7) {
    let skus: SkuModel[];
    if (line.sku) {
      skus = [{ ...line.sku }];
    } else {
      // Pre-migration order: "値は空" — empty strings, or an empty list ([NF], configurable).
      skus =
        settings.preMigrationSkuShape === 'empty-list'
          ? []
          : [{ variantId: '', merchantDefinedSkuId: '', skuInfo: '' }];
    }
    item.SkuModelList = skus;
  }
  return item;
}

function renderPackage(
  order: SimOrder,
  pkg: SimPackage,
  version: number,
  settings: SimSettings,
  amounts: SimAmounts,
): PackageModel {
  const person = personFromSeed(pkg.recipientSeed);
  // The first live package carries the order's wrapping and its one COD fee ([NF] choice).
  const first = order.packages.find((p) => !p.deleted) === pkg;
  const goods = packageGoods(pkg) + (first ? amounts.wrapping : 0);
  const postage = order.amountsFixed ? pkg.postagePrice : UNFIXED;
  const model: PackageModel = {
    basketId: pkg.basketId,
    postagePrice: postage,
    postageTaxRate: 0.1,
    deliveryPrice: first ? amounts.delivery : 0,
    deliveryTaxRate: 0.1,
    goodsPrice: goods,
    totalPrice: postage === UNFIXED ? UNFIXED : goods + postage,
    noshi: pkg.noshi || null,
    packageDeleteFlag: pkg.deleted ? 1 : 0,
    SenderModel: {
      zipCode1: person.zipCode1,
      zipCode2: person.zipCode2,
      prefecture: person.prefecture,
      city: person.city,
      subAddress: person.subAddress,
      familyName: person.familyName,
      firstName: person.firstName,
      familyNameKana: person.familyNameKana,
      firstNameKana: person.firstNameKana,
      phoneNumber1: person.phoneNumber1,
      phoneNumber2: person.phoneNumber2,
      phoneNumber3: person.phoneNumber3,
      isolatedIslandFlag: person.isolatedIsland ? 1 : 0,
    },
    ItemModelList: pkg.lines.map((line) => renderLine(order, line, version, settings)),
    ShippingModelList: pkg.shipping.map((s) => ({
      shippingDetailId: s.shippingDetailId,
      shippingNumber: s.shippingNumber,
      deliveryCompany: s.deliveryCompany,
      deliveryCompanyName:
        s.deliveryCompany && s.deliveryCompany in RAKUTEN_CARRIER_CODES
          ? RAKUTEN_CARRIER_CODES[s.deliveryCompany as keyof typeof RAKUTEN_CARRIER_CODES]
          : null,
      shippingDate: s.shippingDate,
    })),
    DeliveryCvsModel: null,
  };
  if (version <= 7) model.goodsTax = outsideTax(order, pkg);
  if (version >= 4) model.defaultDeliveryCompanyCode = pkg.defaultDeliveryCompanyCode;
  if (version >= 9) {
    model.dropOffFlag = pkg.dropOffLocation ? 1 : 0;
    model.dropOffLocation = pkg.dropOffLocation;
  }
  if (version >= 10) model.SocialGiftModel = null;
  return model;
}

function changeReasons(order: SimOrder): ChangeReasonModel[] {
  return order.changeReasons.map((change, index) => ({
    changeId: index + 1,
    changeType: change.changeType,
    changeTypeDetail: null,
    changeReason: change.reason ?? null,
    changeReasonDetail: change.reason ?? null,
    changeApplyDatetime: dt(change.at),
    changeFixDatetime: change.changeType === 8 ? dt(change.at) : null,
    changeCmplDatetime: null,
  }));
}

function renderCoupons(order: SimOrder): CouponModel[] | null {
  const coupons = order.coupons ?? [];
  if (coupons.length === 0) return null;
  const expiry = formatRmsDate(new Date(order.orderedAt + 30 * DAY_MS));
  return coupons.map((coupon) => ({
    couponCode: coupon.code,
    itemId: 0,
    couponName: coupon.name,
    couponSummary: `${coupon.price}円OFF`,
    couponCapital: coupon.capital === 'shop' ? 'ショップ' : 'サービス',
    couponCapitalCode: coupon.capital === 'shop' ? 1 : 3,
    expiryDate: expiry,
    couponPrice: coupon.price,
    couponUnit: 1,
    couponTotalPrice: coupon.price,
  }));
}

/** Shipped (500–700): RMS no longer shows a cancel due date ([L], the 2019 payload). */
function isShipped(order: SimOrder): boolean {
  return order.progress >= 500 && order.progress <= 700;
}

/** The order as getOrder returns it at `version`. */
export function renderOrderModel(
  order: SimOrder,
  version: number,
  settings: SimSettings,
): OrderModel {
  const person = personFromSeed(order.ordererSeed);
  const live = order.packages.filter((p) => !p.deleted);
  const amounts = orderAmounts(order);
  const { goods, postage, delivery, total } = amounts;
  const model: OrderModel = {
    orderNumber: order.orderNumber,
    orderProgress: order.progress,
    subStatusId: order.subStatusId,
    subStatusName: null,
    orderDatetime: formatRmsDateTime(new Date(order.orderedAt)),
    shopOrderCfmDatetime: dt(order.confirmedAt),
    orderFixDatetime: dt(order.fixedAt),
    shippingInstDatetime: dt(order.shippingInstructedAt),
    shippingCmplRptDatetime: dt(order.shippingReportedAt),
    cancelDueDate: isShipped(order)
      ? null
      : formatRmsDate(new Date(order.orderedAt + settings.cancelDueDays * DAY_MS)),
    deliveryDate: order.deliveryDate,
    shippingTerm: order.shippingTerm,
    remarks: order.remarks || null,
    giftCheckFlag: order.gift ? 1 : 0,
    severalSenderFlag: live.length > 1 ? 1 : 0,
    equalSenderFlag: live.every((p) => p.recipientSeed === order.ordererSeed) ? 1 : 0,
    isolatedIslandFlag: person.isolatedIsland ? 1 : 0,
    rakutenMemberFlag: 1,
    carrierCode: 0,
    emailCarrierCode: 0,
    orderType: order.orderType,
    reserveNumber: null,
    reserveDeliveryCount: null,
    cautionDisplayType: 0,
    // 楽天確認中フラグ: Rakuten is checking the order, i.e. 楽天処理中 ([L] inference; both real
    // payloads show 0 in 300 and 500).
    rakutenConfirmFlag: order.progress === 200 ? 1 : 0,
    goodsPrice: goods,
    postagePrice: postage,
    deliveryPrice: delivery,
    paymentCharge: amounts.paymentCharge,
    paymentChargeTaxRate: 0.1,
    totalPrice: total,
    requestPrice: amounts.request,
    couponAllTotalPrice: amounts.couponShop + amounts.couponOther,
    couponShopPrice: amounts.couponShop,
    couponOtherPrice: amounts.couponOther,
    additionalFeeOccurAmountToUser: 0,
    additionalFeeOccurAmountToShop: 0,
    asurakuFlag: 0,
    drugFlag: 0,
    dealFlag: 0,
    membershipType: 0,
    memo: null,
    operator: null,
    mailPlugSentence: null,
    modifyFlag: 0,
    OrdererModel: {
      zipCode1: person.zipCode1,
      zipCode2: person.zipCode2,
      prefecture: person.prefecture,
      city: person.city,
      subAddress: person.subAddress,
      familyName: person.familyName,
      firstName: person.firstName,
      familyNameKana: person.familyNameKana,
      firstNameKana: person.firstNameKana,
      phoneNumber1: person.phoneNumber1,
      phoneNumber2: person.phoneNumber2,
      phoneNumber3: person.phoneNumber3,
      emailAddress: `${(order.ordererSeed % 0xffffff).toString(16)}s1@pc.fw.rakuten.ne.jp`,
      sex: null,
      birthYear: null,
      birthMonth: null,
      birthDay: null,
    },
    SettlementModel: {
      settlementMethodCode: order.settlementMethodCode,
      settlementMethod: SETTLEMENT_NAMES[order.settlementMethodCode] ?? 'その他',
      rpaySettlementFlag: 1,
      cardName: order.settlementMethodCode === 1 ? 'VISA' : null,
      cardNumber: order.settlementMethodCode === 1 ? 'XXXX-XXXX-XXXX-1234' : null,
      cardOwner: null,
      cardYm: null,
      cardPayType: order.settlementMethodCode === 1 ? 0 : null,
      cardInstallmentDesc: null,
    },
    DeliveryModel: { deliveryName: order.deliveryName, deliveryClass: order.deliveryClass },
    PointModel: { usedPoint: amounts.points },
    WrappingModel1: renderWrapping(order.wrapping1, 1),
    WrappingModel2: renderWrapping(order.wrapping2, 2),
    PackageModelList: order.packages.map((p) =>
      renderPackage(order, p, version, settings, amounts),
    ),
    CouponModelList: renderCoupons(order),
    ChangeReasonModelList: changeReasons(order),
    TaxSummaryModelList: [
      {
        taxRate: 0.1,
        reqPrice: Math.max(0, amounts.request),
        reqPriceTax: Math.floor((Math.max(0, amounts.request) * 10) / 110),
        totalPrice: Math.max(0, total),
        paymentCharge: amounts.paymentCharge,
        couponPrice: amounts.couponShop + amounts.couponOther,
        point: 0,
      },
    ],
  };
  if (version <= 7) {
    // 外税合計 and 消費税再計算フラグ were dropped in v8 (docs/rakuten-rms.md §2.2).
    model.goodsTax = outsideTax(order);
    model.isTaxRecalc = 1;
  }
  if (version >= 5) {
    model.receiptIssueCount = 0;
    model.receiptIssueHistoryList = [];
    model.DueDateModelList = [];
  }
  if (version >= 6) model.cautionDisplayDetailType = null;
  if (version >= 8) {
    model.deliveryCertPrgFlag = 0;
    model.oneDayOperationFlag = 0;
  }
  if (version >= 10) model.socialGiftFlag = 0;
  return model;
}
