import { createHash } from 'node:crypto';

import { createEvent } from './codec';
import type { InventoryChangeReason } from './events/inventory-changed/inventory-changed.event';
import type { InventoryChangedData } from './events/inventory-changed/inventory-changed.event';
import type { ListingStockChangedData } from './events/listing-stock-changed/listing-stock-changed.event';
import type { ListingsImportedData } from './events/listings-imported/listings-imported.event';
import type { OrderCanceledData } from './events/order-canceled/order-canceled.event';
import type {
  MappedOrderLine,
  MatchedBy,
  OrderMappedData,
} from './events/order-mapped/order-mapped.event';
import type { OrderPulledData } from './events/order-pulled/order-pulled.event';
import type { OrderShippedData, Parcel } from './events/order-shipped/order-shipped.event';
import type {
  ShipmentCanceledData,
  ShipmentCancelReason,
} from './events/shipment-canceled/shipment-canceled.event';
import type { ShipmentLine, ShipmentReadyData } from './events/shipment-ready/shipment-ready.event';
import type {
  ShipmentItem,
  ShipmentReadyDataV2,
} from './events/shipment-ready/shipment-ready.v2.event';
import type { ShopAlertKind, ShopAlertSeverity } from './constants/alerts';
import type { ShopStatus } from './constants/shops';
import type { ShopAlertData } from './events/shop-alert/shop-alert.event';
import type { ShopUpdatedData } from './events/shop-updated/shop-updated.event';
import type { TenantAlertData } from './events/tenant-alert/tenant-alert.event';
import type { RakutenOrderProgress } from './models/marketplace.model';
import type { MarketplaceOrder, OrderLine, OrderPackage } from './models/order.model';
import type { Party } from './models/party.model';
import type { EventDataMap, EventOf } from './registry';
import { isTenantScoped, TOPICS, type EventType } from './topics';

/*
 * Deterministic example data for tests across the repository (unit, integration, system). Every
 * builder returns valid data for its event's current version and is a pure function of its
 * options, so two calls with the same options are equal and tests can assert exact values.
 * All personal data here is fictitious.
 */

/** Tenant id used by the examples unless overridden. */
export const EXAMPLE_TENANT_ID = 'tenant-example';
/** Platform shop connection id used by the examples unless overridden. */
export const EXAMPLE_SHOP_ID = 'shop-example';
/** Rakuten shop id (店舗ID) used by the examples. */
export const EXAMPLE_RAKUTEN_SHOP_ID = '123456';
/** Instant the examples happen at: 2025-03-01 10:00 JST. */
export const EXAMPLE_OCCURRED_AT = '2025-03-01T01:00:00.000Z';

/** A Rakuten-style order number: `123456-20250301-0000000001` for serial 1. */
export function exampleOrderNumber(
  serial = 1,
  rakutenShopId = EXAMPLE_RAKUTEN_SHOP_ID,
  date = '20250301',
): string {
  return `${rakutenShopId}-${date}-${String(serial).padStart(10, '0')}`;
}

/** Default example order number (serial 1). */
export const EXAMPLE_ORDER_NUMBER = exampleOrderNumber(1);

/** A fictitious orderer (`index` 0) or recipient (`index` ≥ 1). */
export function exampleParty(index = 0, withEmail = index === 0): Party {
  const party: Party = {
    name: index === 0 ? '楽天 太郎' : `楽天 花子${index}`,
    nameKana: index === 0 ? 'ラクテン タロウ' : 'ラクテン ハナコ',
    phone: '03-1234-5678',
    zipCode: '158-0094',
    prefecture: '東京都',
    city: '世田谷区',
    subAddress: `玉川一丁目14番${index + 1}号`,
  };
  if (withEmail) party.email = 'abc123def456@pc.fw.rakuten.ne.jp';
  return party;
}

/** Options for the example order builders. */
export interface ExampleOrderOptions {
  /** Order number; `EXAMPLE_ORDER_NUMBER` by default. */
  orderNumber?: string;
  /** Number of packages (destinations), ≥ 1; 1 by default. */
  packages?: number;
  /** Lines in every package, ≥ 1; 2 by default. */
  linesPerPackage?: number;
  /** Rakuten orderProgress; 100 (awaiting confirmation) by default. */
  orderProgress?: RakutenOrderProgress;
}

/** Package `p` (0-based) has basketId 10000001 + p. */
export function exampleBasketId(packageIndex = 0): number {
  return 10_000_001 + packageIndex;
}

/** Line `n` (0-based across the whole order). Its SKU code is `SKU-00n+1`. */
export function exampleOrderLine(n = 0): OrderLine {
  const number = String(n + 1).padStart(3, '0');
  return {
    itemDetailId: 90_000_001 + n,
    itemNumber: `item-${number}`,
    manageNumber: `item-${number}`,
    itemName: `Tシャツ ${number}`,
    selectedChoice: n % 2 === 0 ? '' : 'ラッピング:希望しない',
    units: 1 + (n % 3),
    unitPrice: 1000 + 100 * n,
    taxRate: 0.1,
    variantId: `variant-${number}`,
    merchantDefinedSkuId: `SKU-${number}`,
    skuInfo: 'サイズ:M\nカラー:ブラック',
  };
}

/** A normalised Rakuten order with `packages` × `linesPerPackage` lines. */
export function exampleMarketplaceOrder(options: ExampleOrderOptions = {}): MarketplaceOrder {
  const packageCount = Math.max(1, options.packages ?? 1);
  const linesPerPackage = Math.max(1, options.linesPerPackage ?? 2);
  const packages: OrderPackage[] = [];
  for (let p = 0; p < packageCount; p++) {
    const lines: OrderLine[] = [];
    for (let l = 0; l < linesPerPackage; l++) lines.push(exampleOrderLine(p * linesPerPackage + l));
    packages.push({
      basketId: exampleBasketId(p),
      recipient: exampleParty(p === 0 ? 0 : p, false),
      requestedDelivery: { carrierCode: '1001', methodName: '宅配便', timeSlot: 0 },
      lines,
    });
  }
  const goodsPrice = packages
    .flatMap((pkg) => pkg.lines)
    .reduce((sum, line) => sum + line.units * line.unitPrice, 0);
  const postagePrice = 550 * packageCount;
  return {
    orderNumber: options.orderNumber ?? EXAMPLE_ORDER_NUMBER,
    orderProgress: options.orderProgress ?? 100,
    orderedAt: '2025-03-01T09:58:12+09:00',
    confirmedAt: null,
    cancelDueDate: null,
    settlementMethodCode: 1,
    settlementMethodName: 'クレジットカード',
    orderer: exampleParty(0),
    totals: {
      goodsPrice,
      postagePrice,
      totalPrice: goodsPrice + postagePrice,
      requestPrice: goodsPrice + postagePrice,
    },
    packages,
  };
}

/** Options of the order event builders: the order, and its revision (absent, i.e. 1, by default). */
export interface ExampleOrderEventOptions extends ExampleOrderOptions {
  /** `data.revision`; left out unless given. */
  revision?: number;
}

/** `{ revision }` when one is given, so that the default examples stay as they were. */
function revisionField(options: { revision?: number }): { revision?: number } {
  return options.revision === undefined ? {} : { revision: options.revision };
}

/** `order.pulled` data for a Rakuten order (see ExampleOrderEventOptions). */
export function exampleOrderPulledData(options: ExampleOrderEventOptions = {}): OrderPulledData {
  return {
    marketplace: 'rakuten',
    order: exampleMarketplaceOrder(options),
    ...revisionField(options),
  };
}

/** `order.mapped` data: the example order with every line resolved to its `SKU-nnn`. */
export function exampleOrderMappedData(
  options: ExampleOrderEventOptions & { matchedBy?: MatchedBy } = {},
): OrderMappedData {
  const order = exampleMarketplaceOrder(options);
  return {
    marketplace: 'rakuten',
    order: {
      ...order,
      packages: order.packages.map((pkg) => ({
        ...pkg,
        lines: pkg.lines.map((line): MappedOrderLine => ({
          ...line,
          resolution: {
            skus: [
              { skuCode: line.merchantDefinedSkuId ?? line.manageNumber, quantity: line.units },
            ],
            matchedBy: options.matchedBy ?? 'merchant_defined_sku_id',
          },
        })),
      })),
    },
    ...revisionField(options),
  };
}

/** Example fulfillment order id for an order number and package. */
export function exampleFulfillmentOrderId(
  orderNumber = EXAMPLE_ORDER_NUMBER,
  packageIndex = 0,
): string {
  return `fo-${orderNumber}-${packageIndex + 1}`;
}

/** `shipment.ready` v1 data for one package of the example order (what older producers sent). */
export function exampleShipmentReadyV1Data(
  options: { orderNumber?: string; packageIndex?: number; lines?: ShipmentLine[] } = {},
): ShipmentReadyData {
  const orderNumber = options.orderNumber ?? EXAMPLE_ORDER_NUMBER;
  const packageIndex = options.packageIndex ?? 0;
  return {
    fulfillmentOrderId: exampleFulfillmentOrderId(orderNumber, packageIndex),
    shopRef: {
      marketplace: 'rakuten',
      shopId: EXAMPLE_SHOP_ID,
      orderNumber,
      basketId: exampleBasketId(packageIndex),
    },
    recipient: exampleParty(packageIndex, false),
    lines: options.lines ?? [
      { skuCode: 'SKU-001', quantity: 1 },
      { skuCode: 'SKU-002', quantity: 2 },
    ],
    requestedCarrierCode: '1001',
    createdAt: '2025-03-01T10:05:00+09:00',
  };
}

/**
 * `shipment.ready` (v2) data for one package of the example order: a cash-on-delivery gift with
 * remarks, a wrapping and のし.
 */
export function exampleShipmentReadyData(
  options: { orderNumber?: string; packageIndex?: number; lines?: ShipmentLine[] } = {},
): ShipmentReadyDataV2 {
  const v1 = exampleShipmentReadyV1Data(options);
  const items: ShipmentItem[] = v1.lines.map((line, i) => {
    const source = exampleOrderLine(i);
    return {
      itemDetailId: source.itemDetailId,
      itemNumber: source.itemNumber,
      manageNumber: source.manageNumber,
      itemName: source.itemName,
      selectedChoice: source.selectedChoice,
      skuInfo: source.skuInfo,
      units: line.quantity,
      unitPrice: source.unitPrice,
      taxRate: 0.1,
      skus: [{ skuCode: line.skuCode, quantity: line.quantity }],
    };
  });
  const goodsPrice = items.reduce((sum, item) => sum + item.units * item.unitPrice, 0);
  const totalPrice = goodsPrice + 550 + 330 + 220;
  return {
    ...v1,
    revision: 1,
    part: { kind: 'whole', otherFulfillmentOrderId: null },
    orderer: exampleParty(0),
    sender: exampleParty(0),
    items,
    payment: {
      settlementMethodCode: 2,
      settlementMethodName: '代金引換',
      cashOnDelivery: true,
      amountToCollect: totalPrice - 100,
    },
    totals: {
      goodsPrice,
      postagePrice: 550,
      deliveryPrice: 330,
      paymentCharge: 0,
      wrappingPrice: 220,
      totalPrice,
      usedPoints: 100,
      couponTotal: 0,
      requestPrice: totalPrice - 100,
    },
    remarks: '[配送日時指定:]\n2025-03-05(水)\n午前中\n\n[備考:]\n置き配希望です',
    gift: {
      requested: true,
      wrappings: [{ kind: 'paper', name: '包装紙（赤）', price: 220, taxIncluded: true }],
      noshi: '御祝 / 山田',
    },
    delivery: {
      requested: { carrierCode: '1001', methodName: '宅配便', timeSlot: 0 },
      fromRemarks: { date: '2025-03-05', time: '午前中' },
    },
    orderedAt: '2025-03-01T09:58:12+09:00',
  };
}

/** `shipment.canceled` data for the example fulfillment order. */
export function exampleShipmentCanceledData(
  options: { orderNumber?: string; packageIndex?: number; reasonCode?: ShipmentCancelReason } = {},
): ShipmentCanceledData {
  const orderNumber = options.orderNumber ?? EXAMPLE_ORDER_NUMBER;
  const packageIndex = options.packageIndex ?? 0;
  return {
    fulfillmentOrderId: exampleFulfillmentOrderId(orderNumber, packageIndex),
    orderNumber,
    basketId: exampleBasketId(packageIndex),
    reasonCode: options.reasonCode ?? 'order_canceled',
    reason: 'The buyer canceled the order on Rakuten.',
  };
}

/** `order.canceled` data (900 canceled by default; revision absent, i.e. 1, unless given). */
export function exampleOrderCanceledData(
  options: { orderNumber?: string; rakutenStatus?: RakutenOrderProgress; revision?: number } = {},
): OrderCanceledData {
  return {
    orderNumber: options.orderNumber ?? EXAMPLE_ORDER_NUMBER,
    rakutenStatus: options.rakutenStatus ?? 900,
    reason: 'Canceled on Rakuten (キャンセル確定).',
    detectedAt: '2025-03-01T11:00:00+09:00',
    ...revisionField(options),
  };
}

/** Parcel `i` (0-based): Yamato, tracking number `1234567890nn`, shipped 2025-03-02 JST. */
export function exampleParcel(i = 0): Parcel {
  return {
    carrierCode: '1001',
    trackingNumber: `1234567890${String(i).padStart(2, '0')}`,
    shippingDate: '2025-03-02',
  };
}

/** `order.shipped` data for one package with `parcels` parcels (1 by default). */
export function exampleOrderShippedData(
  options: { orderNumber?: string; packageIndex?: number; parcels?: number } = {},
): OrderShippedData {
  const orderNumber = options.orderNumber ?? EXAMPLE_ORDER_NUMBER;
  const packageIndex = options.packageIndex ?? 0;
  return {
    orderNumber,
    basketId: exampleBasketId(packageIndex),
    parcels: Array.from({ length: Math.max(1, options.parcels ?? 1) }, (_, i) => exampleParcel(i)),
    fulfillmentOrderId: exampleFulfillmentOrderId(orderNumber, packageIndex),
    shippedAt: '2025-03-02T15:30:00+09:00',
  };
}

/** `inventory.changed` data; `available` is onHand − reserved. */
export function exampleInventoryChangedData(
  options: {
    skuCode?: string;
    onHand?: number;
    reserved?: number;
    reason?: InventoryChangeReason;
  } = {},
): InventoryChangedData {
  const onHand = options.onHand ?? 10;
  const reserved = options.reserved ?? 2;
  return {
    skuCode: options.skuCode ?? 'SKU-001',
    onHand,
    reserved,
    available: onHand - reserved,
    reason: options.reason ?? 'reservation',
  };
}

/** `listing.stock.changed` data for a single-SKU listing. */
export function exampleListingStockChangedData(
  options: { manageNumber?: string; variantId?: string; quantity?: number; skuCode?: string } = {},
): ListingStockChangedData {
  const quantity = options.quantity ?? 8;
  return {
    marketplace: 'rakuten',
    manageNumber: options.manageNumber ?? 'item-001',
    variantId: options.variantId ?? 'variant-001',
    quantity,
    derivedFrom: [{ skuCode: options.skuCode ?? 'SKU-001', available: quantity, perUnit: 1 }],
  };
}

/** `shop.updated` data for an active shop with example ciphertexts (not real keys). */
export function exampleShopUpdatedData(
  options: { status?: ShopStatus; revision?: number; rakutenShopId?: string } = {},
): ShopUpdatedData {
  return {
    marketplace: 'rakuten',
    rakutenShopId: options.rakutenShopId ?? EXAMPLE_RAKUTEN_SHOP_ID,
    shopUrl: 'example-shop',
    status: options.status ?? 'active',
    options: { autoOrderSync: true, autoOrderConfirm: true, autoFulfillmentDispatch: true },
    licenseKeyLast4: 'a1b2',
    licenseKeyExpiresAt: '2025-05-30T23:59:59+09:00',
    credentials: {
      keyId: 'master-2025-01',
      serviceSecretCiphertext: Buffer.from('example-service-secret-ciphertext').toString('base64'),
      licenseKeyCiphertext: Buffer.from('example-license-key-ciphertext').toString('base64'),
    },
    revision: options.revision ?? 1,
    updatedAt: '2025-03-01T10:00:00+09:00',
  };
}

/** `shop.alert` data; `license_expiring` with 7 days left by default. */
export function exampleShopAlertData(
  options: { kind?: ShopAlertKind; severity?: ShopAlertSeverity; daysLeft?: number } = {},
): ShopAlertData {
  const kind = options.kind ?? 'license_expiring';
  const daysLeft = options.daysLeft ?? 7;
  return kind === 'license_expiring'
    ? {
        kind,
        severity: options.severity ?? 'warning',
        message: `The Rakuten licence key expires in ${daysLeft} days. Issue a new key in RMS and enter it.`,
        details: { daysLeft, expiresAt: '2025-03-08T23:59:59+09:00' },
        occurrenceKey: `license_expiring:${daysLeft}`,
      }
    : {
        kind,
        severity: options.severity ?? 'critical',
        message: `Shop alert: ${kind}.`,
        occurrenceKey: `${kind}:2025-03-01`,
      };
}

/** `tenant.alert` data: a SKU import that refused 3 of 120 rows. */
export function exampleTenantAlertData(options: { importId?: string } = {}): TenantAlertData {
  const importId = options.importId ?? 'imp_01';
  return {
    kind: 'import_errors',
    severity: 'warning',
    message: 'The SKU import of skus.xlsx finished: 3 of 120 rows were refused.',
    details: { importId, fileName: 'skus.xlsx', rowsTotal: 120, rowsFailed: 3 },
    occurrenceKey: `import_errors:${importId}`,
  };
}

/** `listings.imported` data: page 1 (the last) with a two-SKU item and a single item. */
export function exampleListingsImportedData(
  options: { importId?: string; page?: number; last?: boolean } = {},
): ListingsImportedData {
  return {
    marketplace: 'rakuten',
    importId: options.importId ?? '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
    page: options.page ?? 1,
    last: options.last ?? true,
    readAt: EXAMPLE_OCCURRED_AT,
    numFound: 2,
    items: [
      {
        manageNumber: 'tee-001',
        itemNumber: 'tee-001',
        title: 'オーガニックコットン Tシャツ',
        hidden: false,
        variants: [
          {
            variantId: 'tee-001-s',
            merchantDefinedSkuId: 'TEE001-S',
            selectorText: 'サイズ:S',
            hidden: false,
          },
          {
            variantId: 'tee-001-m',
            merchantDefinedSkuId: null,
            selectorText: 'サイズ:M',
            hidden: true,
          },
        ],
      },
      {
        manageNumber: 'mug-002',
        itemNumber: 'MUG002',
        title: '有田焼 マグカップ',
        hidden: false,
        variants: [
          { variantId: 'mug-002', merchantDefinedSkuId: null, selectorText: '', hidden: false },
        ],
      },
    ],
  };
}

/** Default example data for every event type. */
const EXAMPLE_DATA: { [K in EventType]: () => EventDataMap[K] } = {
  [TOPICS.ORDER_PULLED]: () => exampleOrderPulledData(),
  [TOPICS.ORDER_MAPPED]: () => exampleOrderMappedData(),
  [TOPICS.SHIPMENT_READY]: () => exampleShipmentReadyData(),
  [TOPICS.SHOP_UPDATED]: () => exampleShopUpdatedData(),
  [TOPICS.ORDER_CANCELED]: () => exampleOrderCanceledData(),
  [TOPICS.SHIPMENT_CANCELED]: () => exampleShipmentCanceledData(),
  [TOPICS.ORDER_SHIPPED]: () => exampleOrderShippedData(),
  [TOPICS.INVENTORY_CHANGED]: () => exampleInventoryChangedData(),
  [TOPICS.LISTING_STOCK_CHANGED]: () => exampleListingStockChangedData(),
  [TOPICS.SHOP_ALERT]: () => exampleShopAlertData(),
  [TOPICS.TENANT_ALERT]: () => exampleTenantAlertData(),
  [TOPICS.LISTINGS_IMPORTED]: () => exampleListingsImportedData(),
};

/** Default example data of an event type. */
export function exampleData<K extends EventType>(type: K): EventDataMap[K] {
  return (EXAMPLE_DATA[type] as () => EventDataMap[K])();
}

/** Options for `exampleEvent`; everything defaults to the EXAMPLE_* constants. */
export interface ExampleEventOptions<K extends EventType> {
  data?: EventDataMap[K];
  tenantId?: string;
  /** Ignored for tenant-scoped types (their shopId is null). */
  shopId?: string;
  correlationId?: string;
  /** Defaults to a UUID derived from the event's content: same content, same id. */
  id?: string;
  occurredAt?: string;
}

/**
 * A valid, deterministic event of any type. The default id is derived from type, tenant, shop and
 * data, so different examples get different ids (an inbox will not swallow them as duplicates)
 * while the same example always gets the same id.
 */
export function exampleEvent<K extends EventType>(
  type: K,
  options: ExampleEventOptions<K> = {},
): EventOf<K> {
  const data = options.data ?? exampleData(type);
  const tenantId = options.tenantId ?? EXAMPLE_TENANT_ID;
  const shopId = isTenantScoped(type) ? null : (options.shopId ?? EXAMPLE_SHOP_ID);
  const id =
    options.id ??
    contentUuid(JSON.stringify([type, tenantId, shopId, options.correlationId, data]));
  const input = { tenantId, shopId, correlationId: options.correlationId, data };
  // The conditional input type cannot be narrowed inside a generic function; the value is right
  // by construction (shopId is null exactly for tenant-scoped types).
  return createEvent(type, input as Parameters<typeof createEvent<K>>[1], {
    id,
    occurredAt: options.occurredAt ?? EXAMPLE_OCCURRED_AT,
  });
}

/** A UUID-shaped id derived from a string (a SHA-256 digest with version and variant bits set). */
function contentUuid(content: string): string {
  const hex = createHash('sha256').update(content).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
