/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument --
   these tests read RMS wire JSON loosely on purpose: they assert on its exact shape. */
import { validateData } from '@smartship/contracts';
import { normalizeOrder, parseRemarksDelivery, type OrderModel } from '@smartship/rakuten';

import type { AddOrderSpec } from './sim-store';
import { simKit, SHOP, type WireBody } from './sim-test-kit';

/*
 * Orders as RMS renders and moves them (docs/rakuten-rms.md §2.2, §3, §4.9): version-gated fields,
 * null where RMS sends null, the 配送日時指定 remarks, cash on delivery, gifts, points and coupons,
 * and the moves Rakuten makes by itself as days pass on the simulator's clock. Titles start with
 * the fact's confidence tag and section; [NF] titles name a documented choice of the simulator.
 */

const DAY = 86_400_000;
const MINUTE = 60_000;

type Kit = ReturnType<typeof simKit>;

function kitWithCatalog(): Kit {
  const kit = simKit();
  kit.sim.store.generate(SHOP.shopId, { count: 1, seed: 1 }); // creates the default catalog
  return kit;
}

function add(kit: Kit, spec: Partial<AddOrderSpec> = {}): string {
  return (
    kit.sim.store.addOrder(SHOP.shopId, {
      lines: [{ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }],
      ...spec,
    }) as { orderNumber: string }
  ).orderNumber;
}

function get(kit: Kit, orderNumber: string, version = 10): WireBody {
  const response = kit.order('getOrder', { orderNumberList: [orderNumber], version });
  expect(response.status).toBe(200);
  return response.body.OrderModelList[0];
}

function ship(kit: Kit, orderNumber: string): void {
  const basketId = kit.sim.store.order(orderNumber).packages[0].basketId;
  const response = kit.order('updateOrderShipping', {
    orderNumber,
    BasketidModelList: [
      {
        basketId,
        ShippingModelList: [
          { deliveryCompany: '1001', shippingNumber: '123456789012', shippingDate: '2025-03-03' },
        ],
      },
    ],
  });
  expect(response.status).toBe(200);
}

function advance(kit: Kit, ms: number): void {
  kit.sim.store.clock.advance(ms);
  kit.sim.store.tick();
}

/** The order through the real normaliser and the order.pulled contract (throws if refused). */
function publishable(model: OrderModel) {
  const order = JSON.parse(JSON.stringify(normalizeOrder(model))) as unknown;
  return validateData('order.pulled', { marketplace: 'rakuten', order }).order;
}

describe('getOrder fields by version (§2.2)', () => {
  it('[H] each field appears from the version that adds it and goes with the one that drops it', () => {
    const kit = kitWithCatalog();
    const number = add(kit);
    const rows: [string, (o: WireBody) => unknown, number, number][] = [
      // field, reader, first version with it, last version with it
      ['ItemModel.priceTaxIncl', (o) => o.PackageModelList[0].ItemModelList[0].priceTaxIncl, 3, 10],
      ['ItemModel.taxRate', (o) => o.PackageModelList[0].ItemModelList[0].taxRate, 3, 10],
      ['PackageModel.postageTaxRate', (o) => o.PackageModelList[0].postageTaxRate, 3, 10],
      ['TaxSummaryModelList', (o) => o.TaxSummaryModelList, 3, 10],
      [
        'ItemModel.isSingleItemShipping',
        (o) => o.PackageModelList[0].ItemModelList[0].isSingleItemShipping,
        4,
        10,
      ],
      [
        'PackageModel.defaultDeliveryCompanyCode',
        (o) => o.PackageModelList[0].defaultDeliveryCompanyCode,
        4,
        10,
      ],
      ['receiptIssueCount', (o) => o.receiptIssueCount, 5, 10],
      ['DueDateModelList', (o) => o.DueDateModelList, 5, 10],
      ['cautionDisplayDetailType', (o) => ('cautionDisplayDetailType' in o ? 1 : undefined), 6, 10],
      ['ItemModel.SkuModelList', (o) => o.PackageModelList[0].ItemModelList[0].SkuModelList, 7, 10],
      ['goodsTax', (o) => o.goodsTax, 3, 7],
      ['PackageModel.goodsTax', (o) => o.PackageModelList[0].goodsTax, 3, 7],
      ['isTaxRecalc', (o) => o.isTaxRecalc, 3, 7],
      ['deliveryCertPrgFlag', (o) => o.deliveryCertPrgFlag, 8, 10],
      ['oneDayOperationFlag', (o) => o.oneDayOperationFlag, 8, 10],
      ['PackageModel.dropOffFlag', (o) => o.PackageModelList[0].dropOffFlag, 9, 10],
      ['socialGiftFlag', (o) => o.socialGiftFlag, 10, 10],
    ];
    for (let version = 3; version <= 10; version++) {
      const model = get(kit, number, version);
      for (const [field, read, from, to] of rows) {
        const present = read(model) !== undefined;
        expect({ field, version, present }).toEqual({
          field,
          version,
          present: version >= from && version <= to,
        });
      }
      // Every version's answer normalises and passes the order.pulled contract.
      expect(() => publishable(model)).not.toThrow();
    }
  });

  it('[H §4.9] goodsTax (外税合計) is 0 for tax-included prices, as in the real payloads; isTaxRecalc is 1', () => {
    const kit = kitWithCatalog();
    const model = get(kit, add(kit), 7);
    expect(model.goodsTax).toBe(0);
    expect(model.PackageModelList[0].goodsTax).toBe(0);
    expect(model.isTaxRecalc).toBe(1);
  });

  it('[M §4.9] an order flagged legacyItems has lines as v1/v2 recorded them: price only', () => {
    const kit = kitWithCatalog();
    const number = add(kit, { legacyItems: true });
    for (const version of [3, 10]) {
      const line = get(kit, number, version).PackageModelList[0].ItemModelList[0];
      for (const field of ['priceTaxIncl', 'taxRate', 'pointType', 'dealFlag', 'drugFlag'])
        expect(line).not.toHaveProperty(field);
      expect(line.price).toBe(2980);
    }
    const order = publishable(get(kit, number));
    expect(order.packages[0].lines[0]).toMatchObject({
      unitPrice: 2980,
      unitPriceTaxIncluded: true,
      taxRate: null,
    });
  });

  it('[NF §4.9] a tax-exclusive order (includeTaxFlag 0) shows the pre-tax price and its 外税合計', () => {
    const kit = kitWithCatalog();
    const number = add(kit, { taxExcluded: true, legacyItems: true });
    const model = get(kit, number, 7);
    const line = model.PackageModelList[0].ItemModelList[0];
    // 2,980 yen with 10 % tax: 2,709 before tax, 271 of tax.
    expect(line).toMatchObject({ includeTaxFlag: 0, price: 2709 });
    expect(model.goodsTax).toBe(271);
    expect(publishable(model).packages[0].lines[0]).toMatchObject({
      unitPrice: 2709,
      unitPriceTaxIncluded: false,
    });
  });
});

describe('null where RMS sends null (§4.9)', () => {
  it('[M] no remarks, のし, wrapping or coupon: null, not "" or []; PointModel is {usedPoint: 0}', () => {
    const kit = kitWithCatalog();
    const model = get(kit, add(kit));
    expect(model.remarks).toBeNull();
    expect(model.PackageModelList[0].noshi).toBeNull();
    expect(model.WrappingModel1).toBeNull();
    expect(model.WrappingModel2).toBeNull();
    expect(model.CouponModelList).toBeNull();
    expect(model.PointModel).toEqual({ usedPoint: 0 });
    expect(model.giftCheckFlag).toBe(0);
    expect(model.couponAllTotalPrice).toBe(0);
  });
});

describe('remarks (§4.9)', () => {
  it('[M] a requested date and time are written as the 配送日時指定 block, then the buyer comment', () => {
    const kit = kitWithCatalog();
    const number = add(kit, {
      requestedDelivery: { date: '2025-03-05', shippingTerm: 1416 },
      remarksText: '<b>至急</b> 🎁 [重要]',
    });
    const model = get(kit, number);
    expect(model.remarks).toBe(
      '[配送日時指定:]\n2025-03-05(水)\n14:00～16:00\n\n[備考:]\n<b>至急</b> 🎁 [重要]',
    );
    expect(model.deliveryDate).toBe('2025-03-05');
    expect(model.shippingTerm).toBe(1416);
    expect(parseRemarksDelivery(model.remarks)).toEqual({
      date: '2025-03-05',
      time: '14:00～16:00',
    });
    expect(publishable(model).remarksDelivery).toEqual({
      date: '2025-03-05',
      time: '14:00～16:00',
    });
  });

  it('[M] a block that names nothing is written as in the real 2018 payload: "[配送日時指定:]\\n\\n"', () => {
    const kit = kitWithCatalog();
    const model = get(kit, add(kit, { requestedDelivery: {} }));
    expect(model.remarks).toBe('[配送日時指定:]\n\n');
    expect(publishable(model).remarksDelivery).toEqual({ date: null, time: null });
    // A time without a date leaves the date line empty.
    const timeOnly = get(kit, add(kit, { requestedDelivery: { shippingTerm: 1 } }));
    expect(timeOnly.remarks).toBe('[配送日時指定:]\n\n午前中');
    expect(publishable(timeOnly).remarksDelivery).toEqual({ date: null, time: '午前中' });
  });
});

describe('cash on delivery, gifts, points and coupons (§4.2, §4.9)', () => {
  it('[M] COD: settlementMethodCode 2 (代金引換), deliveryPrice = the COD fee, requestPrice = total + fee − coupons − points', () => {
    const kit = kitWithCatalog();
    const number = add(kit, {
      cashOnDelivery: true,
      usedPoints: 100,
      coupons: [{ price: 200 }, { price: 50, capital: 'rakuten' }],
    });
    const model = get(kit, number);
    expect(model.SettlementModel).toMatchObject({
      settlementMethodCode: 2,
      settlementMethod: '代金引換',
    });
    expect(model).toMatchObject({
      goodsPrice: 2980,
      postagePrice: 0,
      deliveryPrice: 330,
      totalPrice: 2980,
      requestPrice: 2980 + 330 - 250 - 100,
      couponAllTotalPrice: 250,
      couponShopPrice: 200,
      couponOtherPrice: 50,
      PointModel: { usedPoint: 100 },
    });
    expect(model.PackageModelList[0].deliveryPrice).toBe(330);
    expect(
      model.CouponModelList.map((c: WireBody) => [c.couponCapitalCode, c.couponPrice]),
    ).toEqual([
      [1, 200],
      [3, 50],
    ]);
    expect(publishable(model)).toMatchObject({
      settlementMethodCode: 2,
      totals: { deliveryPrice: 330, requestPrice: 2960, usedPoints: 100, couponTotal: 250 },
    });
    expect(
      kit.sim.store.orderSummaries(SHOP.shopId).find((o) => o.orderNumber === number),
    ).toMatchObject({ cashOnDelivery: true, requestPrice: 2960 });
  });

  it('[H §4] a COD order whose postage is not fixed shows -9999 in postage, total and request price', () => {
    const kit = kitWithCatalog();
    const number = add(kit, { cashOnDelivery: true, amountsFixed: false, codFee: 440 });
    const model = get(kit, number);
    expect(model).toMatchObject({
      postagePrice: -9999,
      totalPrice: -9999,
      requestPrice: -9999,
      deliveryPrice: 440,
    });
    expect(publishable(model).totals).toMatchObject({
      postagePrice: null,
      totalPrice: null,
      requestPrice: null,
      deliveryPrice: 440,
    });
    expect(
      kit.sim.store.orderSummaries(SHOP.shopId).find((o) => o.orderNumber === number),
    ).toMatchObject({ cashOnDelivery: true, requestPrice: null });
  });

  it('[M] a gift order: giftCheckFlag 1, WrappingModel1 包装紙 / WrappingModel2 リボン, のし; wrapping counts in goods', () => {
    const kit = kitWithCatalog();
    const number = add(kit, {
      gift: true,
      noshi: '御歳暮 / 山田',
      wrappings: [
        { kind: 'paper', name: 'クリスマス包装', price: 220 },
        { kind: 'ribbon', name: 'リボン（赤）', price: 110, deleted: true },
      ],
    });
    const model = get(kit, number);
    expect(model.giftCheckFlag).toBe(1);
    expect(model.WrappingModel1).toMatchObject({
      title: 1,
      name: 'クリスマス包装',
      price: 220,
      includeTaxFlag: 1,
      deleteWrappingFlag: 0,
    });
    expect(model.WrappingModel2).toMatchObject({ title: 2, deleteWrappingFlag: 1 });
    expect(model.PackageModelList[0].noshi).toBe('御歳暮 / 山田');
    expect(model.goodsPrice).toBe(2980 + 220);
    const order = publishable(model);
    expect(order.gift).toBe(true);
    expect(order.wrappings).toEqual([
      { kind: 'paper', name: 'クリスマス包装', price: 220, taxIncluded: true },
    ]);
    expect(order.packages[0].noshi).toBe('御歳暮 / 山田');
  });

  it('[M §4.1] an order number can have an 8-digit serial; getOrder serves it and it normalises', () => {
    const kit = kitWithCatalog();
    const number = add(kit, { serialDigits: 8 });
    expect(number).toMatch(/^\d{6}-\d{8}-\d{8}$/);
    expect(publishable(get(kit, number)).orderNumber).toBe(number);
  });

  it('refuses a bad explicit order (negative points, unknown wrapping kind, 9-digit serial)', () => {
    const kit = kitWithCatalog();
    expect(() => add(kit, { usedPoints: -1 })).toThrow(/usedPoints/);
    expect(() => add(kit, { wrappings: [{ kind: 'box' as 'paper', name: 'x' }] })).toThrow(/kind/);
    expect(() => add(kit, { serialDigits: 9 as 8 })).toThrow(/serialDigits/);
  });
});

describe('moves Rakuten makes as days pass (§3.2)', () => {
  it('[H] an order not confirmed within 14 days is cancelled (900) by Rakuten', () => {
    const kit = kitWithCatalog();
    const number = add(kit, { progress: 100 });
    const confirmed = add(kit, { progress: 100 });
    kit.order('confirmOrder', { orderNumberList: [confirmed] });
    advance(kit, 14 * DAY - MINUTE);
    expect(kit.sim.store.order(number).progress).toBe(100);
    advance(kit, MINUTE);
    expect(kit.sim.store.order(number).progress).toBe(900);
    expect(kit.sim.store.order(confirmed).progress).toBe(300);
    const model = get(kit, number);
    expect(model.orderProgress).toBe(900);
    expect(model.ChangeReasonModelList.map((c: WireBody) => c.changeType)).toEqual([0, 1]);
    expect(
      kit.order('confirmOrder', { orderNumberList: [number] }).body.MessageModelList[0],
    ).toMatchObject({ messageType: 'ERROR' });
  });

  it('[NF] after the shipping report: 500, then 600 (支払手続き中) a day later, then 700 (支払手続き済) 5 days after it', () => {
    const kit = kitWithCatalog();
    const number = add(kit, { progress: 300 });
    ship(kit, number);
    expect(kit.sim.store.order(number).progress).toBe(500);
    advance(kit, DAY - MINUTE);
    expect(get(kit, number).orderProgress).toBe(500);
    advance(kit, MINUTE);
    expect(get(kit, number).orderProgress).toBe(600);
    advance(kit, 4 * DAY - MINUTE);
    expect(get(kit, number).orderProgress).toBe(600);
    advance(kit, MINUTE);
    expect(get(kit, number).orderProgress).toBe(700);
    advance(kit, 30 * DAY);
    expect(get(kit, number).orderProgress).toBe(700);
  });

  it('[NF] a clock jump past both steps moves 500 → 700 in one tick; the delays are settings', () => {
    const kit = kitWithCatalog();
    kit.sim.store.updateSettings({ settlementStartMs: 2 * DAY, settlementDoneMs: 3 * DAY });
    const number = add(kit, { progress: 300 });
    ship(kit, number);
    advance(kit, 2 * DAY);
    expect(kit.sim.store.order(number).progress).toBe(600);
    const other = add(kit, { progress: 300 });
    ship(kit, other);
    advance(kit, 10 * DAY);
    expect(kit.sim.store.order(other).progress).toBe(700);
  });

  it('[L] cancelDueDate is set until shipping (order date + 365 days, setting) and null once shipped', () => {
    const kit = kitWithCatalog();
    const number = add(kit, { progress: 300, orderedAt: '2025-03-01T01:00:00Z' });
    expect(get(kit, number).cancelDueDate).toBe('2026-03-01');
    ship(kit, number);
    expect(get(kit, number).cancelDueDate).toBeNull();
    advance(kit, 10 * DAY);
    expect(get(kit, number)).toMatchObject({ orderProgress: 700, cancelDueDate: null });
    expect(publishable(get(kit, number)).cancelDueDate).toBeNull();
  });

  it('[L] rakutenConfirmFlag (楽天確認中) is 1 only while Rakuten checks the order (200)', () => {
    const kit = kitWithCatalog();
    const number = add(kit, { progress: 100 });
    expect(get(kit, number).rakutenConfirmFlag).toBe(0);
    kit.order('confirmOrder', { orderNumberList: [number] });
    expect(get(kit, number)).toMatchObject({ orderProgress: 200, rakutenConfirmFlag: 1 });
    advance(kit, kit.sim.store.settings.processingDelayMs);
    expect(get(kit, number)).toMatchObject({ orderProgress: 300, rakutenConfirmFlag: 0 });
    ship(kit, number);
    expect(get(kit, number)).toMatchObject({ orderProgress: 500, rakutenConfirmFlag: 0 });
  });

  it('[NF] a generated order past its deadline keeps the state it was given; one before it moves on time', () => {
    const kit = simKit();
    const now = kit.sim.store.now();
    kit.sim.store.generate(SHOP.shopId, {
      count: 200,
      seed: 4,
      progress: 100,
      from: new Date(now - 20 * DAY).toISOString(),
      to: new Date(now).toISOString(),
    });
    const orders = kit.sim.store.shop(SHOP.shopId).orders;
    const old = orders.filter((o) => o.orderedAt <= now - 14 * DAY);
    const young = orders.filter((o) => o.orderedAt > now - 14 * DAY + DAY);
    expect(old.length).toBeGreaterThan(0);
    expect(young.length).toBeGreaterThan(0);
    kit.sim.store.tick();
    expect(new Set(old.map((o) => o.progress))).toEqual(new Set([100]));
    advance(kit, 14 * DAY);
    expect(new Set(young.map((o) => o.progress))).toEqual(new Set([900]));
    expect(new Set(old.map((o) => o.progress))).toEqual(new Set([100]));
  });
});

describe('order generator extras', () => {
  it('generates COD, unfixed COD, remarks, gifts, points, coupons and legacy lines, all publishable', () => {
    const kit = simKit();
    kit.sim.store.generate(SHOP.shopId, {
      count: 600,
      seed: 21,
      progress: { '100': 1, '300': 2 },
      unfixedShare: 0.3,
      codShare: 0.3,
      giftShare: 0.3,
      remarksShare: 0.3,
      pointsShare: 0.3,
      couponShare: 0.3,
      legacyItemsShare: 0.1,
      serialDigits: 8,
    });
    const numbers = kit.sim.store.shop(SHOP.shopId).orders.map((o) => o.orderNumber);
    const models: WireBody[] = [];
    for (let i = 0; i < numbers.length; i += 100) {
      const body = kit.order('getOrder', {
        orderNumberList: numbers.slice(i, i + 100),
        version: 10,
      }).body;
      models.push(...body.OrderModelList);
    }
    expect(models).toHaveLength(600);
    const count = (test: (m: WireBody) => boolean) => models.filter(test).length;
    const cod = (m: WireBody) => m.SettlementModel.settlementMethodCode === 2;
    expect(count(cod)).toBeGreaterThan(100);
    expect(count((m) => cod(m) && m.requestPrice === -9999)).toBeGreaterThan(5);
    expect(count((m) => /^\[配送日時指定:\]/.test(m.remarks ?? ''))).toBeGreaterThan(100);
    expect(count((m) => /\[備考:\]|ご要望/.test(m.remarks ?? ''))).toBeGreaterThan(50);
    expect(count((m) => m.giftCheckFlag === 1 && m.WrappingModel1 !== null)).toBeGreaterThan(50);
    expect(count((m) => m.PackageModelList[0].noshi !== null)).toBeGreaterThan(20);
    expect(count((m) => m.PointModel.usedPoint > 0)).toBeGreaterThan(50);
    expect(count((m) => m.CouponModelList !== null && m.couponAllTotalPrice > 0)).toBeGreaterThan(
      50,
    );
    expect(
      count((m) => m.PackageModelList[0].ItemModelList[0].priceTaxIncl === undefined),
    ).toBeGreaterThan(20);
    expect(numbers.every((n) => /^\d{6}-\d{8}-\d{8}$/.test(n))).toBe(true);
    for (const model of models) {
      const order = publishable(model);
      // COD amounts: the fee is in requestPrice, and points and coupons come off it.
      if (cod(model) && model.requestPrice !== -9999) {
        expect(model.requestPrice).toBe(
          model.totalPrice +
            model.deliveryPrice -
            model.couponAllTotalPrice -
            model.PointModel.usedPoint,
        );
      }
      if (model.remarks?.startsWith('[配送日時指定:]'))
        expect(order.remarksDelivery).not.toBeNull();
      if (model.deliveryDate) expect(order.remarksDelivery?.date).toBe(model.deliveryDate);
    }
  });

  it('keeps the extras deterministic from the seed and leaves the core of each order as before', () => {
    const window = { from: '2025-01-01T00:00:00Z', to: '2025-01-20T00:00:00Z' };
    const spec = { count: 300, seed: 13, giftShare: 0.5, pointsShare: 0.5, ...window };
    const a = simKit();
    const b = simKit();
    const plain = simKit();
    a.sim.store.generate(SHOP.shopId, spec);
    b.sim.store.generate(SHOP.shopId, spec);
    plain.sim.store.generate(SHOP.shopId, { count: 300, seed: 13, ...window });
    const render = (kit: Kit) =>
      kit.sim.store
        .shop(SHOP.shopId)
        .orders.map((o) => JSON.stringify(kit.sim.store.describeOrder(o.orderNumber)));
    expect(render(a)).toEqual(render(b));
    // The extras come from their own stream: numbers, states and lines do not depend on them.
    const core = (kit: Kit) =>
      kit.sim.store.orderSummaries(SHOP.shopId).map((o) => [o.orderNumber, o.progress, o.packages]);
    expect(core(a)).toEqual(core(plain));
  });
});
