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

describe('normalizeOrder: orders as Rakuten really sends them', () => {
  /** An order recorded from getOrder before v3 (the 2019 payload of docs/rakuten-rms.md §4.9). */
  function recordedBeforeV3(): OrderModel {
    const {
      paymentCharge: _paymentCharge,
      paymentChargeTaxRate: _paymentChargeTaxRate,
      additionalFeeOccurAmountToUser: _toUser,
      additionalFeeOccurAmountToShop: _toShop,
      ...base
    } = order({
      orderNumber: '365811-20190406-00003803',
      orderProgress: 500,
      cancelDueDate: null,
      postagePrice: 0,
      totalPrice: 2598,
      requestPrice: 2598,
      goodsPrice: 2598,
      goodsTax: 0,
      isTaxRecalc: 1,
    });
    const {
      pointType: _pointType,
      dealFlag: _dealFlag,
      drugFlag: _drugFlag,
      taxRate: _taxRate,
      priceTaxIncl: _priceTaxIncl,
      isSingleItemShipping: _single,
      SkuModelList: _skus,
      ...line
    } = item({ price: 2598, units: 1, itemNumber: 'PA-PC3-XXSBR' });
    const {
      postageTaxRate: _postageTaxRate,
      deliveryTaxRate: _deliveryTaxRate,
      defaultDeliveryCompanyCode: _carrier,
      dropOffFlag: _dropOffFlag,
      dropOffLocation: _dropOffLocation,
      ...pack
    } = pkg({ goodsPrice: 2598, totalPrice: 2598, noshi: null });
    const { isolatedIslandFlag: _island, ...sender } = pack.SenderModel;
    return {
      ...base,
      SettlementModel: { settlementMethod: 'クレジットカード', cardName: 'VISA' },
      PointModel: { usedPoint: 0 },
      WrappingModel1: null,
      WrappingModel2: null,
      CouponModelList: null,
      PackageModelList: [{ ...pack, SenderModel: sender, ItemModelList: [line] }],
    };
  }

  it('takes `price` as the unit price when priceTaxIncl is absent, and passes the contract', () => {
    const result = normalizeOrder(recordedBeforeV3());
    expect(result.packages[0].lines[0]).toMatchObject({
      unitPrice: 2598,
      unitPriceTaxIncluded: true,
      taxRate: null,
      variantId: null,
    });
    expect(valid(result)).toEqual([]);
  });

  it('marks a fallback price with includeTaxFlag 0 as tax-exclusive; priceTaxIncl wins when sent', () => {
    const exclusive = normalizeOrder(
      order({
        PackageModelList: [
          pkg({
            ItemModelList: [item({ price: 1000, includeTaxFlag: 0, priceTaxIncl: undefined })],
          }),
        ],
      }),
    );
    expect(exclusive.packages[0].lines[0]).toMatchObject({
      unitPrice: 1000,
      unitPriceTaxIncluded: false,
    });
    const modern = normalizeOrder(
      order({
        PackageModelList: [
          pkg({ ItemModelList: [item({ price: 1000, includeTaxFlag: 0, priceTaxIncl: 1100 })] }),
        ],
      }),
    );
    expect(modern.packages[0].lines[0]).toMatchObject({
      unitPrice: 1100,
      unitPriceTaxIncluded: true,
      taxRate: 0.1,
    });
  });

  it('turns missing version-gated fields into null, not errors, and keeps an 8-digit serial', () => {
    const result = normalizeOrder(recordedBeforeV3());
    expect(result.orderNumber).toBe('365811-20190406-00003803');
    expect(result.orderNumber).toMatch(/^\d{6}-\d{8}-\d{8,10}$/);
    expect(result.settlementMethodCode).toBeNull();
    expect(result.settlementMethodName).toBe('クレジットカード');
    expect(result.cancelDueDate).toBeNull();
    expect(result.totals).toEqual({
      goodsPrice: 2598,
      postagePrice: 0,
      totalPrice: 2598,
      deliveryPrice: 0,
      requestPrice: 2598,
      paymentCharge: null,
      usedPoints: 0,
      couponTotal: 0,
    });
    expect(result.packages[0].requestedDelivery).toMatchObject({ carrierCode: null });
    expect(result).toMatchObject({
      remarks: null,
      remarksDelivery: null,
      gift: false,
      wrappings: null,
    });
    expect(result.packages[0].noshi).toBeNull();
  });

  it('carries remarks and their 配送日時指定 block, gift, live wrappings, のし, points, coupons and fees', () => {
    const remarks = '[配送日時指定:]\n2025-03-05(水)\n午前中\n\n[備考:]\nギフト用にお願いします。';
    const result = normalizeOrder(
      order({
        remarks,
        giftCheckFlag: 1,
        paymentCharge: 220,
        couponAllTotalPrice: 300,
        PointModel: { usedPoint: 500 },
        WrappingModel1: {
          title: 1,
          name: 'クリスマス包装',
          price: 220,
          includeTaxFlag: 1,
          deleteWrappingFlag: 0,
        },
        WrappingModel2: {
          title: 2,
          name: 'リボン（赤）',
          price: 110,
          includeTaxFlag: 1,
          deleteWrappingFlag: 1,
        },
        PackageModelList: [pkg({ noshi: '御歳暮 / 山田' })],
      }),
    );
    expect(result.remarks).toBe(remarks);
    expect(result.remarksDelivery).toEqual({ date: '2025-03-05', time: '午前中' });
    expect(result.gift).toBe(true);
    expect(result.wrappings).toEqual([
      { kind: 'paper', name: 'クリスマス包装', price: 220, taxIncluded: true },
    ]);
    expect(result.packages[0].noshi).toBe('御歳暮 / 山田');
    expect(result.totals).toMatchObject({ paymentCharge: 220, usedPoints: 500, couponTotal: 300 });
    expect(valid(result)).toEqual([]);
  });

  it('sends null, not "" or [], for empty remarks, empty のし, no wrapping, no PointModel and -9999 fees', () => {
    const result = normalizeOrder(
      order({
        remarks: '   ',
        paymentCharge: -9999,
        PointModel: undefined,
        WrappingModel1: {
          title: 1,
          name: '包装紙',
          price: 0,
          includeTaxFlag: 1,
          deleteWrappingFlag: 1,
        },
        WrappingModel2: null,
        PackageModelList: [pkg({ noshi: '' })],
      }),
    );
    expect(result.remarks).toBeNull();
    expect(result.remarksDelivery).toBeNull();
    expect(result.wrappings).toBeNull();
    expect(result.packages[0].noshi).toBeNull();
    expect(result.totals.usedPoints).toBeNull();
    expect(result.totals.paymentCharge).toBeNull();
    expect(valid(result)).toEqual([]);
  });

  it('names a wrapping without a name by its kind and a price of null as 0', () => {
    const result = normalizeOrder(
      order({
        WrappingModel2: {
          title: 2,
          name: '',
          price: null,
          includeTaxFlag: 0,
          deleteWrappingFlag: null,
        },
      }),
    );
    expect(result.wrappings).toEqual([
      { kind: 'ribbon', name: 'リボン', price: 0, taxIncluded: false },
    ]);
    expect(valid(result)).toEqual([]);
  });

  it('keeps hostile remarks as given (markup, brackets, emoji), never throws, and stays valid', () => {
    const hostile = [
      '<script>alert("x")</script>[配送日時指定:]',
      '[配送日時指定:]\n<img src=x onerror=alert(1)>\n]]]][[[\n🎁🙏👍🏻',
      '[配送日時指定:]\n\u0000\uFFFF\uD800\n{"a":1}',
      '[配送日時指定:]',
      '[配送日時指定:]'.repeat(5000),
      `${'あ'.repeat(40_000)}\n[配送日時指定:]\n2025-03-05(水)\n午前中`,
      '[[[配送日時指定:]]]\n2025-02-30(日)\n25時～99時',
    ];
    for (const remarks of hostile) {
      const result = normalizeOrder(order({ remarks }));
      expect(result.remarks).toBe(remarks.slice(0, 32_767));
      expect(valid(result)).toEqual([]);
    }
    expect(normalizeOrder(order({ remarks: hostile[1] })).remarksDelivery).toEqual({
      date: null,
      time: null,
    });
    expect(normalizeOrder(order({ remarks: hostile[5] })).remarksDelivery).toEqual({
      date: '2025-03-05',
      time: '午前中',
    });
  });
});
