import type { RakutenCarrierCode } from '@smartship/contracts';
import { formatRmsDate } from '@smartship/rakuten';

import { Prng } from './prng';
import type { SimItem, SimLine, SimOrder, SimPackage } from './sim-state';

/*
 * Deterministic order generation: the same seed, count, window and catalog always give the same
 * orders. People are stored as seeds and expanded only when getOrder renders them, which keeps
 * generation fast (100,000 orders in well under a second, see README).
 */

/** What `POST /__sim/shops/:shopId/orders/generate` takes. */
export interface GenerateOrdersSpec {
  /** How many orders (1..500,000). */
  count: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Order date-times are spread over [from, to] (ISO strings; default the last 30 days). */
  from?: string;
  to?: string;
  /**
   * orderProgress of the new orders: one code for all, or weights per code, e.g.
   * `{"100": 3, "300": 1}`. Default: every state, weighted like a live shop.
   */
  progress?: number | Record<string, number>;
  /** Most packages per order (default 3; most orders get one). */
  maxPackages?: number;
  /** Share of orders whose postage is not fixed (-9999), among those in 100 (default 0.02). */
  unfixedShare?: number;
}

/** Numbering shared by a simulator instance (ids are unique across shops, as on RMS). */
export interface SimIds {
  basketId: number;
  itemDetailId: number;
  shippingDetailId: number;
}

const DEFAULT_MIX: Record<string, number> = {
  '100': 30,
  '200': 5,
  '300': 25,
  '400': 1,
  '500': 20,
  '600': 5,
  '700': 5,
  '800': 2,
  '900': 7,
};

const SETTLEMENTS: readonly [number, number][] = [
  // [code, weight]: credit card dominates; cash on delivery, bank transfer, points, PayPal, …
  [1, 70],
  [2, 8],
  [9, 5],
  [8, 4],
  [13, 3],
  [17, 3],
  [21, 7],
];
const DELIVERY_NAMES = ['宅配便', '宅配便', '宅配便', 'メール便', '宅配便（クール便）'];
const CARRIERS: readonly RakutenCarrierCode[] = ['1001', '1001', '1002', '1003', '1003', '1028'];
const DROP_OFF = ['宅配ボックス', '玄関前', 'メーターボックス', '物置'];
const REMARKS = [null, null, null, '[配送日時指定:]\n午前中', '[備考]\nギフト用にお願いします。'];
const HOUR_MS = 60 * 60 * 1000;

function weighted<T>(random: Prng, entries: readonly [T, number][]): T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let roll = random.next() * total;
  for (const [value, weight] of entries) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return entries[entries.length - 1][0];
}

/** One order line from a catalog item, as a line of that item's kind looks (docs/rakuten-rms.md §4.7). */
export function lineFor(
  item: SimItem,
  random: Prng,
  ids: SimIds,
  choice?: { variantId?: string; units?: number },
): SimLine {
  const units = choice?.units ?? (random.chance(0.8) ? 1 : random.int(2, 4));
  const free = item.freeOptions.length > 0 ? [random.pick(item.freeOptions)] : [];
  const base = {
    itemDetailId: ids.itemDetailId++,
    itemId: item.itemId,
    itemName: item.title,
    manageNumber: item.manageNumber,
    taxRate: item.taxRate,
    units,
    deleted: false,
  };
  if (item.kind === 'legacy') {
    const h = random.pick(item.horizontal?.choices ?? []);
    const v = item.vertical ? random.pick(item.vertical.choices) : undefined;
    const labels = [`${item.horizontal?.name}:${h.label}`];
    if (v && item.vertical) labels.push(`${item.vertical.name}:${v.label}`);
    return {
      ...base,
      // Pre-migration: 商品番号 + 横軸 child code + 縦軸 child code, choices in selectedChoice.
      itemNumber: `${item.itemNumber}${h.code}${v?.code ?? ''}`,
      price: item.price,
      selectedChoice: [...labels, ...free].join('\n'),
      inventoryType: 2,
      sku: null,
    };
  }
  const variant =
    item.variants.find((v) => v.variantId === choice?.variantId) ?? random.pick(item.variants);
  const skuInfo = Object.entries(variant.selectorValues)
    .map(([key, value]) => `${key}:${value}`)
    .join('\n');
  return {
    ...base,
    itemNumber: item.itemNumber,
    price: variant.price,
    selectedChoice: free.join('\n'),
    inventoryType: item.kind === 'variants' ? 2 : 1,
    sku: {
      variantId: variant.variantId,
      merchantDefinedSkuId: variant.merchantDefinedSkuId,
      skuInfo: skuInfo || null,
    },
  };
}

/** Generates `spec.count` orders for a shop, ascending by order date-time. */
export function generateOrders(
  shopId: string,
  catalog: SimItem[],
  spec: GenerateOrdersSpec,
  ids: SimIds,
  nextSerial: () => number,
  now: number,
): SimOrder[] {
  const random = new Prng(spec.seed ?? 1);
  const to = spec.to ? Date.parse(spec.to) : now;
  const from = spec.from ? Date.parse(spec.from) : to - 30 * 24 * HOUR_MS;
  const mix: [number, number][] =
    typeof spec.progress === 'number'
      ? [[spec.progress, 1]]
      : Object.entries(spec.progress ?? DEFAULT_MIX).map(([code, w]) => [Number(code), w]);
  const maxPackages = spec.maxPackages ?? 3;
  const unfixedShare = spec.unfixedShare ?? 0.02;
  const step = spec.count > 1 ? (to - from) / (spec.count - 1) : 0;
  const orders: SimOrder[] = [];
  for (let i = 0; i < spec.count; i++) {
    // Evenly spread with jitter, then sorted: realistic and still strictly reproducible.
    const jittered = from + i * step + (random.next() - 0.5) * step;
    const orderedAt = Math.floor(Math.min(to, Math.max(from, jittered)) / 1000) * 1000;
    const progress = weighted(random, mix);
    const packageCount = random.chance(0.85) ? 1 : random.int(2, Math.max(2, maxPackages));
    const ordererSeed = random.seed();
    const packages: SimPackage[] = [];
    for (let p = 0; p < packageCount; p++) {
      const lineCount = random.chance(0.7) ? 1 : random.int(2, 3);
      const lines = Array.from({ length: lineCount }, () =>
        lineFor(random.pick(catalog), random, ids),
      );
      packages.push({
        basketId: ids.basketId++,
        // The first package usually goes to the orderer; gifts go elsewhere.
        recipientSeed: p === 0 && random.chance(0.8) ? ordererSeed : random.seed(),
        postagePrice: random.chance(0.6) ? 0 : random.pick([550, 660, 880]),
        defaultDeliveryCompanyCode: random.pick(CARRIERS),
        dropOffLocation: random.chance(0.1) ? random.pick(DROP_OFF) : null,
        lines,
        shipping: [],
        deleted: false,
      });
    }
    const order: SimOrder = {
      orderNumber: '',
      shopId,
      progress,
      subStatusId: null,
      orderedAt,
      confirmedAt: null,
      fixedAt: null,
      shippingInstructedAt: null,
      shippingReportedAt: null,
      canceledAt: null,
      pending: null,
      ordererSeed,
      orderType: random.chance(0.95) ? 1 : random.pick([4, 6]),
      settlementMethodCode: weighted(random, SETTLEMENTS),
      deliveryName: random.pick(DELIVERY_NAMES),
      deliveryClass: 0,
      shippingTerm: random.chance(0.7) ? 0 : random.pick([1, 2, 1416, 1820]),
      deliveryDate: random.chance(0.2)
        ? formatRmsDate(new Date(orderedAt + 4 * 24 * HOUR_MS))
        : null,
      amountsFixed: !(progress === 100 && random.chance(unfixedShare)),
      remarks: random.pick(REMARKS),
      packages,
      changeReasons: [],
    };
    applyHistory(order, random, ids);
    orders.push(order);
  }
  orders.sort((a, b) => a.orderedAt - b.orderedAt);
  for (const order of orders)
    order.orderNumber = orderNumberFor(shopId, order.orderedAt, nextSerial());
  return orders;
}

/** Fills the timestamps and shipping records a order in its state would have. */
function applyHistory(order: SimOrder, random: Prng, ids: SimIds): void {
  const p = order.progress;
  const t = order.orderedAt;
  if (p >= 200 && p !== 900 && p !== 800) {
    order.confirmedAt = t + random.int(1, 24) * HOUR_MS;
    order.changeReasons.push({ changeType: 8, at: order.confirmedAt });
  }
  if (p >= 300 && p <= 700) order.fixedAt = (order.confirmedAt ?? t) + 5 * 60_000;
  if (p >= 300 && p <= 700) order.shippingInstructedAt = order.fixedAt;
  if (p >= 500 && p <= 700) {
    const shippedAt = (order.fixedAt ?? t) + random.int(1, 3) * 24 * HOUR_MS;
    order.shippingReportedAt = shippedAt;
    for (const pkg of order.packages) {
      pkg.shipping.push({
        shippingDetailId: ids.shippingDetailId++,
        deliveryCompany: pkg.defaultDeliveryCompanyCode,
        shippingNumber: String(random.int(100000, 999999)) + String(random.int(100000, 999999)),
        shippingDate: formatRmsDate(new Date(shippedAt)),
      });
    }
  }
  if (p === 800 || p === 900) {
    order.canceledAt = t + random.int(1, 48) * HOUR_MS;
    order.changeReasons.push({ changeType: 0, at: order.canceledAt, reason: 1 });
    if (p === 900) order.changeReasons.push({ changeType: 1, at: order.canceledAt });
  }
}

/** `{shopId}-{YYYYMMDD JST}-{10-digit serial}` (docs/rakuten-rms.md §4.1). */
export function orderNumberFor(shopId: string, orderedAt: number, serial: number): string {
  const day = formatRmsDate(new Date(orderedAt)).replace(/-/g, '');
  return `${shopId}-${day}-${String(serial).padStart(10, '0')}`;
}
