import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  type OrderMappedData,
  type UpgradedShipmentReady,
  createEvent,
  decodeEvent,
  exampleOrderMappedData,
  exampleParty,
  exampleShopUpdatedData,
} from '@smartship/contracts';
import { ServiceError, loadConfig } from '@smartship/service-kit';
import {
  publishAndAwaitApplied,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';

import { AppModule } from './app.module';
import { FulfillmentController } from './calls/fulfillment.controller';
import { FulfillmentConfig } from './config';
import { FulfillmentOrdersService } from './dispatch/fulfillment-orders.service';
import { InventoryService } from './stock/inventory.service';

/**
 * shipment.ready v2 through the fulfillment service in this process, on the real broker and
 * database: what a cash-on-delivery gift order tells the warehouse, a COD order whose amount
 * Rakuten has not fixed (held, never sent, nothing reserved, release refused, superseded by the
 * fixed revision), a row from before v2 (still sent, as v1), and the shop fulfillment-settings
 * calls. Outcomes are read from the service's outbox, its tables and its calls.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const tenantId = randomUUID();
const actor = { tenantId, actorId: 'shipment-ready-v2-int-spec' };
const SENDER = {
  name: 'スマートシップ雑貨店',
  zipCode: '150-0001',
  prefecture: '東京都',
  city: '渋谷区',
  subAddress: '神宮前1-2-3',
  phone: '03-1234-5678',
  message: 'ご注文ありがとうございました。',
};

let app: INestApplication;
let producer: Producer;
let db: DataSource;
let orders: FulfillmentOrdersService;
let inventory: InventoryService;
let calls: FulfillmentController;
let shopId: string;

beforeAll(async () => {
  const config = loadConfig('fulfillment', FulfillmentConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${run}`,
    LOG_LEVEL: 'warn',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  db = app.get(DataSource);
  orders = app.get(FulfillmentOrdersService);
  inventory = app.get(InventoryService);
  calls = app.get(FulfillmentController);
  producer = testKafka(infra.kafkaBrokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  shopId = randomUUID();
  const data = exampleShopUpdatedData();
  data.options.autoFulfillmentDispatch = true;
  await apply(createEvent('shop.updated', { tenantId, shopId, data }));
});

afterAll(async () => {
  await producer?.disconnect();
  await app?.close();
});

function apply(...events: AnyEvent[]): Promise<void> {
  return publishAndAwaitApplied(
    producer,
    (sql, params) => db.query(sql, params),
    'fulfillment',
    events,
  );
}

/** Units on hand for these SKUs. */
async function stock(levels: Record<string, number>): Promise<void> {
  for (const [skuCode, onHand] of Object.entries(levels)) {
    await inventory.set({ actor, skuCode, body: { onHand } });
  }
}

async function reserved(skuCode: string): Promise<number> {
  const [row] = await db.query<{ reserved: number }[]>(
    'SELECT reserved FROM fulfillment.stock WHERE tenant_id = $1 AND sku_code = $2',
    [tenantId, skuCode],
  );
  return row?.reserved ?? 0;
}

/** shipment.ready events the service wrote for the order, decoded as a consumer reads them. */
async function shipmentReady(
  orderNumber: string,
): Promise<{ version: number; data: UpgradedShipmentReady }[]> {
  const rows = await db.query<{ payload: string }[]>(
    `SELECT payload FROM fulfillment.outbox WHERE topic = 'shipment.ready' AND message_key = $1
      ORDER BY seq`,
    [`${shopId}:${orderNumber}`],
  );
  return rows.map((row) => {
    const decoded = decodeEvent(row.payload, ['shipment.ready']);
    if (!decoded.ok) throw new Error(`${decoded.code}: ${decoded.reason}`);
    return { version: decoded.event.version, data: decoded.event.data };
  });
}

/**
 * A cash-on-delivery gift order of two packages: package 1 (basket 10000001) a T-shirt (10 %)
 * and a bundle of two SKUs (8 %), package 2 one line; wrapping, のし on package 1, remarks with
 * a delivery request, points used.
 */
function codGiftOrder(
  orderNumber: string,
  skus: { tee: string; bundleA: string; bundleB: string; other: string },
  options: { requestPrice?: number | null; revision?: number } = {},
): AnyEvent {
  const data: OrderMappedData = exampleOrderMappedData({
    orderNumber,
    packages: 2,
    linesPerPackage: 2,
    revision: options.revision,
  });
  const order = data.order;
  const [first, second] = order.packages;
  first.lines[0].resolution.skus = [{ skuCode: skus.tee, quantity: first.lines[0].units }];
  first.lines[1].taxRate = 0.08;
  first.lines[1].resolution.skus = [
    { skuCode: skus.bundleA, quantity: first.lines[1].units },
    { skuCode: skus.bundleB, quantity: 2 * first.lines[1].units },
  ];
  first.noshi = '御祝 / 山田';
  second.lines = [second.lines[0]];
  second.lines[0].resolution.skus = [{ skuCode: skus.other, quantity: second.lines[0].units }];
  const goodsPrice = order.packages
    .flatMap((pkg) => pkg.lines)
    .reduce((sum, line) => sum + line.units * line.unitPrice, 0);
  order.settlementMethodCode = 2;
  order.settlementMethodName = '代金引換';
  order.totals = {
    goodsPrice,
    postagePrice: 1100,
    deliveryPrice: 330,
    totalPrice: goodsPrice + 1100 + 330 + 220,
    requestPrice:
      options.requestPrice === undefined
        ? goodsPrice + 1100 + 330 + 220 - 100
        : options.requestPrice,
    usedPoints: 100,
    couponTotal: 0,
  };
  order.remarks = '[配送日時指定:]\n2025-03-05(水)\n午前中\n\n[備考:]\n置き配希望です';
  order.remarksDelivery = { date: '2025-03-05', time: '午前中' };
  order.gift = true;
  order.wrappings = [{ kind: 'paper', name: '包装紙（赤）', price: 220, taxIncluded: true }];
  return createEvent('order.mapped', { tenantId, shopId, data });
}

/** The error a call fails with (calls validate their payload before anything is awaited). */
async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

function skuSet(name: string) {
  return {
    tee: `${name}-TEE-${run}`,
    bundleA: `${name}-BA-${run}`,
    bundleB: `${name}-BB-${run}`,
    other: `${name}-OT-${run}`,
  };
}

it('a cash-on-delivery gift order: v2 with the shop as sender, the amount to collect on the lowest basket only, items with tax rates, gift, remarks', async () => {
  await calls.shopSettingsPut({ actor, shopId, body: { splitPolicy: 'hold', sender: SENDER } });
  const skus = skuSet('GIFT');
  await stock({ [skus.tee]: 10, [skus.bundleA]: 10, [skus.bundleB]: 10, [skus.other]: 10 });
  const orderNumber = `v2-gift-${run}`;
  const event = codGiftOrder(orderNumber, skus);
  await apply(event);

  const events = await shipmentReady(orderNumber);
  expect(events.map((e) => [e.version, e.data.shopRef.basketId])).toEqual([
    [2, 10_000_001],
    [2, 10_000_002],
  ]);
  const order = (event.data as OrderMappedData).order;
  const requestPrice = order.totals.requestPrice as number;
  const [first, second] = events.map((e) => e.data);
  const { message: _message, ...senderParty } = SENDER;
  expect(first).toMatchObject({
    revision: 1,
    part: { kind: 'whole', otherFulfillmentOrderId: null },
    orderer: exampleParty(0),
    sender: senderParty,
    recipient: order.packages[0].recipient,
    payment: {
      settlementMethodCode: 2,
      settlementMethodName: '代金引換',
      cashOnDelivery: true,
      amountToCollect: requestPrice,
    },
    totals: {
      goodsPrice: order.totals.goodsPrice,
      postagePrice: 1100,
      deliveryPrice: 330,
      paymentCharge: 0,
      wrappingPrice: 220,
      totalPrice: order.totals.totalPrice,
      usedPoints: 100,
      couponTotal: 0,
      requestPrice,
    },
    remarks: order.remarks,
    gift: {
      requested: true,
      wrappings: [{ kind: 'paper', name: '包装紙（赤）', price: 220, taxIncluded: true }],
      noshi: '御祝 / 山田',
    },
    delivery: {
      requested: { carrierCode: '1001', methodName: '宅配便', timeSlot: 0 },
      fromRemarks: { date: '2025-03-05', time: '午前中' },
    },
    orderedAt: order.orderedAt,
  });
  const [tee, bundle] = order.packages[0].lines;
  expect(first.items).toEqual([
    {
      itemDetailId: tee.itemDetailId,
      itemNumber: tee.itemNumber,
      manageNumber: tee.manageNumber,
      itemName: tee.itemName,
      selectedChoice: tee.selectedChoice,
      skuInfo: tee.skuInfo,
      units: tee.units,
      unitPrice: tee.unitPrice,
      taxRate: 0.1,
      skus: [{ skuCode: skus.tee, quantity: tee.units }],
    },
    expect.objectContaining({
      itemDetailId: bundle.itemDetailId,
      units: bundle.units,
      unitPrice: bundle.unitPrice,
      taxRate: 0.08,
      skus: [
        { skuCode: skus.bundleA, quantity: bundle.units },
        { skuCode: skus.bundleB, quantity: 2 * bundle.units },
      ],
    }),
  ]);
  expect(first.lines).toEqual(
    [
      { skuCode: skus.bundleA, quantity: bundle.units },
      { skuCode: skus.bundleB, quantity: 2 * bundle.units },
      { skuCode: skus.tee, quantity: tee.units },
    ].sort((a, b) => (a.skuCode < b.skuCode ? -1 : 1)),
  );
  // The other package of the COD order collects nothing; it carries no のし.
  expect(second.payment).toEqual({ ...first.payment, amountToCollect: 0 });
  expect(second.gift?.noshi).toBeNull();
  expect(second.items?.map((item) => item.itemDetailId)).toEqual([
    order.packages[1].lines[0].itemDetailId,
  ]);

  // The view carries the same, with the slip message of the shop's settings.
  const page = await orders.list({ actor, filter: { shopId, orderNumber } });
  const view = page.items.find((item) => item.basketId === 10_000_001);
  expect(view?.warehouse).toMatchObject({
    part: first.part,
    sender: senderParty,
    payment: first.payment,
    totals: first.totals,
    items: first.items,
    slipMessage: SENDER.message,
  });
});

it('cash on delivery without a fixed amount is held (cod_amount_unfixed): no shipment.ready, no reservation, release refused; the fixed revision supersedes it', async () => {
  const skus = skuSet('UNF');
  await stock({ [skus.tee]: 10, [skus.bundleA]: 10, [skus.bundleB]: 10, [skus.other]: 10 });
  const orderNumber = `v2-unfixed-${run}`;
  await apply(codGiftOrder(orderNumber, skus, { requestPrice: null }));

  const page = await orders.list({ actor, filter: { shopId, orderNumber } });
  const items = page.items.sort((a, b) => a.basketId - b.basketId);
  expect(items.map((item) => [item.basketId, item.status, item.hold?.code])).toEqual([
    [10_000_001, 'awaiting_release', 'cod_amount_unfixed'],
    [10_000_002, 'awaiting_release', 'cod_amount_unfixed'],
  ]);
  const held = items[0];
  expect(held.hold?.message).toContain('-9999');
  expect(held.hold?.message).toContain('new revision');
  expect(held.stockReserved).toBe(false);
  expect(held.warehouse?.payment).toMatchObject({ cashOnDelivery: true, amountToCollect: null });
  expect(await shipmentReady(orderNumber)).toEqual([]);
  for (const sku of Object.values(skus)) expect(await reserved(sku)).toBe(0);

  const refused = await orders
    .release({ actor, fulfillmentOrderId: held.id })
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(ServiceError);
  expect((refused as ServiceError).toBody()).toMatchObject({
    statusCode: 409,
    code: 'COD_AMOUNT_UNFIXED',
    message: expect.stringContaining('new revision'),
  });
  expect(await shipmentReady(orderNumber)).toEqual([]);

  // The seller fixed the amount; Rakuten changed the order, which comes back as revision 2.
  await apply(codGiftOrder(orderNumber, skus, { revision: 2 }));
  const after = await orders.list({ actor, filter: { shopId, orderNumber } });
  expect(
    after.items
      .map((item) => [item.revision, item.basketId, item.status])
      .sort((a, b) => String(a).localeCompare(String(b))),
  ).toEqual([
    [1, 10_000_001, 'canceled'],
    [1, 10_000_002, 'canceled'],
    [2, 10_000_001, 'ready'],
    [2, 10_000_002, 'ready'],
  ]);
  const sent = await shipmentReady(orderNumber);
  expect(sent.map((e) => [e.data.revision, e.data.payment?.amountToCollect])).toEqual([
    [2, expect.any(Number)],
    [2, 0],
  ]);
  expect(sent[0].data.payment?.amountToCollect).toBeGreaterThan(0);
  // Revision 1 never reached the warehouse: no shipment.canceled for it.
  const canceled = await db.query(
    `SELECT 1 FROM fulfillment.outbox WHERE topic = 'shipment.canceled' AND message_key = $1`,
    [`${shopId}:${orderNumber}`],
  );
  expect(canceled).toHaveLength(0);
});

it('another payment method whose amounts are not fixed is held (shipment_data_invalid), naming the fields', async () => {
  const sku = `NOTFIXED-${run}`;
  await stock({ [sku]: 5 });
  const orderNumber = `v2-card-unfixed-${run}`;
  const data = exampleOrderMappedData({ orderNumber, linesPerPackage: 1 });
  data.order.packages[0].lines[0].resolution.skus = [{ skuCode: sku, quantity: 1 }];
  data.order.totals = {
    ...data.order.totals,
    postagePrice: null,
    totalPrice: null,
    requestPrice: null,
  };
  await apply(createEvent('order.mapped', { tenantId, shopId, data }));
  const [fo] = (await orders.list({ actor, filter: { shopId, orderNumber } })).items;
  expect(fo).toMatchObject({ status: 'awaiting_release', hold: { code: 'shipment_data_invalid' } });
  expect(fo.hold?.message).toContain('totals.requestPrice');
  expect(await reserved(sku)).toBe(0);
  expect(await shipmentReady(orderNumber)).toEqual([]);
  await expect(orders.release({ actor, fulfillmentOrderId: fo.id })).rejects.toMatchObject({
    code: 'SHIPMENT_DATA_INVALID',
  });
});

it('a fulfillment order created before v2 still goes to the warehouse when stock arrives, as shipment.ready v1', async () => {
  const sku = `OLD-${run}`;
  const orderNumber = `v2-old-row-${run}`;
  const id = randomUUID();
  // A row as the previous release wrote it: no v2 details.
  await db.query(
    `INSERT INTO fulfillment.fulfillment_orders
       (id, tenant_id, shop_id, order_number, basket_id, status, recipient, lines, hold)
     VALUES ($1, $2, $3, $4, 10000001, 'awaiting_stock', $5, $6, $7)`,
    [
      id,
      tenantId,
      shopId,
      orderNumber,
      JSON.stringify(exampleParty(1, false)),
      JSON.stringify([{ skuCode: sku, quantity: 2 }]),
      JSON.stringify({
        code: 'insufficient_stock',
        message: 'short',
        shortLines: [],
        since: new Date().toISOString(),
      }),
    ],
  );
  const arrival = await inventory.set({ actor, skuCode: sku, body: { onHand: 2 } });
  expect(arrival.released).toEqual([id]);
  const [sent] = await shipmentReady(orderNumber);
  expect(sent.version).toBe(1);
  expect(sent.data).toMatchObject({
    fulfillmentOrderId: id,
    lines: [{ skuCode: sku, quantity: 2 }],
    payment: null,
    items: null,
  });
  const detail = await orders.get({ actor, fulfillmentOrderId: id });
  expect(detail).toMatchObject({ status: 'ready', warehouse: null });
});

it('the shop settings calls: defaults, a bad postal code refused naming the field with nothing stored, another tenant refused', async () => {
  const shop = randomUUID();
  expect(await calls.shopSettingsGet({ actor, shopId: shop })).toEqual({
    shopId: shop,
    splitPolicy: 'hold',
    sender: null,
    updatedAt: null,
  });
  const bad = await failureOf(() =>
    calls.shopSettingsPut({
      actor,
      shopId: shop,
      body: { splitPolicy: 'ship_available', sender: { ...SENDER, zipCode: '1500001' } },
    }),
  );
  expect(bad).toBeInstanceOf(ServiceError);
  expect((bad as ServiceError).toBody()).toMatchObject({
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    details: [{ field: 'body.sender.zipCode', problems: [expect.stringContaining('150-0001')] }],
  });
  expect(
    await failureOf(() =>
      calls.shopSettingsPut({ actor, shopId: shop, body: { splitPolicy: 'split_everything' } }),
    ),
  ).toMatchObject({ details: [expect.objectContaining({ field: 'body.splitPolicy' })] });
  expect(
    await db.query('SELECT 1 FROM fulfillment.shop_fulfillment_settings WHERE shop_id = $1', [
      shop,
    ]),
  ).toHaveLength(0);

  const saved = await calls.shopSettingsPut({
    actor,
    shopId: shop,
    body: { splitPolicy: 'ship_available', sender: { name: '  テスト商店  ' } },
  });
  expect(saved).toMatchObject({
    shopId: shop,
    splitPolicy: 'ship_available',
    sender: { name: 'テスト商店' },
    updatedAt: expect.any(String),
  });
  expect(await calls.shopSettingsGet({ actor, shopId: shop })).toEqual(saved);
  const other = { tenantId: randomUUID(), actorId: 'someone-else' };
  await expect(calls.shopSettingsGet({ actor: other, shopId: shop })).rejects.toMatchObject({
    code: 'SHOP_NOT_FOUND',
  });
  await expect(
    calls.shopSettingsPut({ actor: other, shopId: shop, body: { splitPolicy: 'hold' } }),
  ).rejects.toMatchObject({ code: 'SHOP_NOT_FOUND' });
});
