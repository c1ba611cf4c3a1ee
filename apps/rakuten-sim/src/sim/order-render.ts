import { RAKUTEN_CARRIER_CODES } from '@smartship/contracts';
import {
  formatRmsDate,
  formatRmsDateTime,
  type ChangeReasonModel,
  type ItemModel,
  type OrderModel,
  type PackageModel,
  type SkuModel,
} from '@smartship/rakuten';

import { personFromSeed } from './japanese-data';
import type { SimSettings } from './sim-settings';
import type { SimLine, SimOrder, SimPackage } from './sim-state';

/*
 * SimOrder → RMS OrderModel at a given getOrder version (docs/rakuten-rms.md §2.2 version table):
 * v4 adds defaultDeliveryCompanyCode / isSingleItemShipping, v5 receipts and DueDateModelList,
 * v6 cautionDisplayDetailType, v7 SkuModelList, v8 deliveryCertPrgFlag / oneDayOperationFlag and
 * drops goodsTax, v9 drop-off, v10 social gift.
 */

const UNFIXED = -9999;
const DAY_MS = 24 * 60 * 60 * 1000;

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

function renderLine(line: SimLine, version: number, settings: SimSettings): ItemModel {
  const item: ItemModel = {
    itemDetailId: line.itemDetailId,
    itemName: line.itemName,
    itemId: line.itemId,
    itemNumber: line.itemNumber,
    manageNumber: line.manageNumber,
    price: line.price,
    units: line.units,
    includePostageFlag: 0,
    includeTaxFlag: 1,
    includeCashOnDeliveryPostageFlag: 0,
    selectedChoice: line.selectedChoice,
    pointRate: 1,
    pointType: 0,
    inventoryType: line.inventoryType,
    delvdateInfo: '3営業日以内に発送',
    restoreInventoryFlag: 0,
    dealFlag: 0,
    drugFlag: 0,
    deleteItemFlag: line.deleted ? 1 : 0,
    taxRate: line.taxRate,
    priceTaxIncl: line.price,
  };
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
): PackageModel {
  const person = personFromSeed(pkg.recipientSeed);
  const goods = packageGoods(pkg);
  const postage = order.amountsFixed ? pkg.postagePrice : UNFIXED;
  const model: PackageModel = {
    basketId: pkg.basketId,
    postagePrice: postage,
    postageTaxRate: 0.1,
    deliveryPrice: order.settlementMethodCode === 2 ? 330 : 0,
    deliveryTaxRate: 0.1,
    goodsPrice: goods,
    totalPrice: postage === UNFIXED ? UNFIXED : goods + postage,
    noshi: null,
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
    ItemModelList: pkg.lines.map((line) => renderLine(line, version, settings)),
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
  if (version <= 7) model.goodsTax = Math.floor((goods * 10) / 110);
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

/** The order as getOrder returns it at `version`. */
export function renderOrderModel(
  order: SimOrder,
  version: number,
  settings: SimSettings,
): OrderModel {
  const person = personFromSeed(order.ordererSeed);
  const live = order.packages.filter((p) => !p.deleted);
  const goods = live.reduce((sum, p) => sum + packageGoods(p), 0);
  const postage = order.amountsFixed ? live.reduce((sum, p) => sum + p.postagePrice, 0) : UNFIXED;
  const delivery = order.settlementMethodCode === 2 ? 330 : 0;
  const total = postage === UNFIXED ? UNFIXED : goods + postage;
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
    cancelDueDate: formatRmsDate(new Date(order.orderedAt + 14 * DAY_MS)),
    deliveryDate: order.deliveryDate,
    shippingTerm: order.shippingTerm,
    remarks: order.remarks,
    giftCheckFlag: 0,
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
    rakutenConfirmFlag: order.progress >= 300 && order.progress <= 700 ? 1 : 0,
    goodsPrice: goods,
    postagePrice: postage,
    deliveryPrice: delivery,
    paymentCharge: delivery,
    paymentChargeTaxRate: 0.1,
    totalPrice: total,
    requestPrice: total === UNFIXED ? UNFIXED : total + delivery,
    couponAllTotalPrice: 0,
    couponShopPrice: 0,
    couponOtherPrice: 0,
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
    PointModel: { usedPoint: 0 },
    WrappingModel1: null,
    WrappingModel2: null,
    PackageModelList: order.packages.map((p) => renderPackage(order, p, version, settings)),
    CouponModelList: [],
    ChangeReasonModelList: changeReasons(order),
    TaxSummaryModelList: [
      {
        taxRate: 0.1,
        reqPrice: Math.max(0, total),
        reqPriceTax: Math.floor((Math.max(0, total) * 10) / 110),
        totalPrice: Math.max(0, total),
        paymentCharge: delivery,
        couponPrice: 0,
        point: 0,
      },
    ],
  };
  if (version <= 7) model.goodsTax = Math.floor((goods * 10) / 110);
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
