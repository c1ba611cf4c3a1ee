import { MarketplaceOrder } from '@smartship/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { normalizeOrder, OrderNormalizationError } from './normalize-order';
import type { ItemModel, OrderModel, PackageModel } from './types/order-api.types';

function item(overrides: Partial<ItemModel> = {}): ItemModel {
  return {
    itemDetailId: 90000011,
    itemName: 'Tシャツ',
    itemId: 10000004,
    itemNumber: 'tee-001',
    manageNumber: 'tee-001',
    price: 1200,
    units: 2,
    includePostageFlag: 0,
    includeTaxFlag: 1,
    includeCashOnDeliveryPostageFlag: 0,
    selectedChoice: 'ラッピング:希望しない',
    pointRate: 1,
    pointType: 0,
    inventoryType: 2,
    restoreInventoryFlag: 0,
    dealFlag: 0,
    drugFlag: 0,
    deleteItemFlag: 0,
    taxRate: 0.1,
    priceTaxIncl: 1320,
    isSingleItemShipping: 0,
    SkuModelList: [
      {
        variantId: 'sku-m-black',
        merchantDefinedSkuId: 'TEE001-M-BK',
        skuInfo: 'サイズ:M\nカラー:ブラック',
      },
    ],
    ...overrides,
  };
}

const person = {
  zipCode1: '150',
  zipCode2: '0001',
  prefecture: '東京都',
  city: '渋谷区',
  subAddress: '神宮前1-2-3',
  familyName: '山田',
  firstName: '太郎',
  familyNameKana: 'ヤマダ',
  firstNameKana: 'タロウ',
  phoneNumber1: '03',
  phoneNumber2: '1234',
  phoneNumber3: '5678',
};

function pkg(overrides: Partial<PackageModel> = {}): PackageModel {
  return {
    basketId: 10000001,
    postagePrice: 0,
    postageTaxRate: 0.1,
    deliveryPrice: 0,
    deliveryTaxRate: 0.1,
    goodsPrice: 2640,
    totalPrice: 2640,
    packageDeleteFlag: 0,
    SenderModel: { ...person, isolatedIslandFlag: 0 },
    ItemModelList: [item()],
    ShippingModelList: [],
    defaultDeliveryCompanyCode: '1001',
    dropOffFlag: 1,
    dropOffLocation: '宅配ボックス',
    ...overrides,
  };
}

function order(overrides: Partial<OrderModel> = {}): OrderModel {
  return {
    orderNumber: '123456-20250301-0001234567',
    orderProgress: 100,
    orderDatetime: '2025-03-01T10:15:00+0900',
    shopOrderCfmDatetime: null,
    cancelDueDate: '2025-03-15',
    deliveryDate: '2025-03-05',
    shippingTerm: 1416,
    giftCheckFlag: 0,
    severalSenderFlag: 0,
    equalSenderFlag: 1,
    isolatedIslandFlag: 0,
    rakutenMemberFlag: 1,
    carrierCode: 0,
    emailCarrierCode: 0,
    orderType: 1,
    cautionDisplayType: 0,
    rakutenConfirmFlag: 0,
    goodsPrice: 2640,
    postagePrice: -9999,
    deliveryPrice: 0,
    paymentCharge: 0,
    paymentChargeTaxRate: 0.1,
    totalPrice: -9999,
    requestPrice: -9999,
    couponAllTotalPrice: 0,
    couponShopPrice: 0,
    couponOtherPrice: 0,
    additionalFeeOccurAmountToUser: 0,
    additionalFeeOccurAmountToShop: 0,
    asurakuFlag: 0,
    drugFlag: 0,
    dealFlag: 0,
    membershipType: 0,
    modifyFlag: 0,
    OrdererModel: { ...person, emailAddress: 'abc@pc.fw.rakuten.ne.jp' },
    SettlementModel: {
      settlementMethodCode: 1,
      settlementMethod: 'クレジットカード',
      rpaySettlementFlag: 1,
    },
    DeliveryModel: { deliveryName: '宅配便', deliveryClass: 0 },
    PackageModelList: [pkg()],
    ...overrides,
  };
}

function valid(result: MarketplaceOrder): string[] {
  const instance = plainToInstance(MarketplaceOrder, JSON.parse(JSON.stringify(result)));
  return validateSync(instance, { whitelist: true, forbidUnknownValues: true }).map((e) =>
    e.toString(),
  );
}

describe('normalizeOrder', () => {
  it('produces a MarketplaceOrder that passes the contract validation', () => {
    const result = normalizeOrder(order());
    expect(result).toBeInstanceOf(MarketplaceOrder);
    expect(valid(result)).toEqual([]);
  });

  it('maps identifiers, people and dates as the contract says', () => {
    const result = normalizeOrder(order());
    expect(result.orderedAt).toBe('2025-03-01T10:15:00+09:00');
    expect(result.orderer).toMatchObject({
      name: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      phone: '03-1234-5678',
      zipCode: '150-0001',
      email: 'abc@pc.fw.rakuten.ne.jp',
    });
    expect(result.packages[0].recipient.email).toBeNull();
    expect(result.packages[0].lines[0]).toMatchObject({
      itemDetailId: 90000011,
      itemNumber: 'tee-001',
      manageNumber: 'tee-001',
      units: 2,
      unitPrice: 1320,
      variantId: 'sku-m-black',
      merchantDefinedSkuId: 'TEE001-M-BK',
      skuInfo: 'サイズ:M\nカラー:ブラック',
    });
    expect(result.packages[0].requestedDelivery).toMatchObject({
      carrierCode: '1001',
      methodName: '宅配便',
      date: '2025-03-05',
      timeSlot: 1416,
      dropOffLocation: '宅配ボックス',
    });
  });

  it('turns -9999 ("not fixed yet") into null', () => {
    const result = normalizeOrder(order());
    expect(result.totals).toMatchObject({
      goodsPrice: 2640,
      postagePrice: null,
      totalPrice: null,
      requestPrice: null,
    });
  });

  it('makes empty pre-migration SKU values absent, not empty strings', () => {
    const result = normalizeOrder(
      order({
        PackageModelList: [
          pkg({
            ItemModelList: [
              item({
                itemNumber: 'tee-001mbk',
                SkuModelList: [{ variantId: '', merchantDefinedSkuId: '', skuInfo: '' }],
              }),
            ],
          }),
        ],
      }),
    );
    expect(result.packages[0].lines[0]).toMatchObject({
      itemNumber: 'tee-001mbk',
      variantId: null,
      merchantDefinedSkuId: null,
      skuInfo: null,
    });
    expect(valid(result)).toEqual([]);
    const noList = normalizeOrder(
      order({ PackageModelList: [pkg({ ItemModelList: [item({ SkuModelList: [] })] })] }),
    );
    expect(noList.packages[0].lines[0].variantId).toBeNull();
  });

  it('leaves out deleted packages and lines, and refuses an order with nothing left', () => {
    const result = normalizeOrder(
      order({
        PackageModelList: [
          pkg(),
          pkg({ basketId: 2, packageDeleteFlag: 1 }),
          pkg({ basketId: 3, ItemModelList: [item({ deleteItemFlag: 1 })] }),
        ],
      }),
    );
    expect(result.packages.map((p) => p.basketId)).toEqual([10000001]);
    expect(() =>
      normalizeOrder(order({ PackageModelList: [pkg({ packageDeleteFlag: 1 })] })),
    ).toThrow(OrderNormalizationError);
  });

  it('keeps confirmation and shipping times as ISO with +09:00', () => {
    const result = normalizeOrder(
      order({
        orderProgress: 500,
        shopOrderCfmDatetime: '2025-03-01T11:00:00+0900',
        shippingCmplRptDatetime: '2025-03-03T09:00:00+0900',
      }),
    );
    expect(result.confirmedAt).toBe('2025-03-01T11:00:00+09:00');
    expect(result.shippingReportedAt).toBe('2025-03-03T09:00:00+09:00');
  });
});
