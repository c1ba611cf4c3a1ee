import type { RakutenCarrierCode } from '@smartship/contracts';
import { formatRmsDate } from '@smartship/rakuten';

import { Prng } from './prng';
import type { SimCoupon, SimItem, SimLine, SimOrder, SimPackage, SimWrapping } from './sim-state';

/*
 * Deterministic order generation: the same seed, count, window and catalog always give the same
 * orders. People are stored as seeds and expanded only when getOrder renders them, which keeps
 * generation fast (100,000 orders in well under a second, see README).
 *
 * The order's core (date, state, packages, lines, payment) comes from one random stream; the
 * extras (remarks text, gift wrapping, points, coupons, legacy lines) from a second stream derived
 * from the same seed, so adding extras did not change the orders earlier versions generated.
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
  /** Share of cash-on-delivery orders (settlement 2); default: the payment mix (about 8 %). */
  codShare?: number;
  /** Share of orders with the buyer's free text in the remarks (default 0.1). */
  remarksShare?: number;
  /** Share of gift orders: giftCheckFlag 1, wrappings, のし (default 0.05). */
  giftShare?: number;
  /** Share of orders paid partly with points (default 0.2). */
  pointsShare?: number;
  /** Share of orders with a coupon (default 0.1). */
  couponShare?: number;
  /** Share of orders whose lines look like getOrder v1/v2 records: no priceTaxIncl (default 0.01). */
  legacyItemsShare?: number;
  /** Digits of the order number's serial: 10 (default) or 8 (older real numbers). */
  serialDigits?: 8 | 10;
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
const HOUR_MS = 60 * 60 * 1000;
/** Seed of the extras stream, derived from the order seed. */
const EXTRAS_SALT = 0x9e3779b9;

/** Headers shops give the buyer's comment field (the second is from a real shop's code). */
const COMMENT_HEADERS = [
  '[備考:]',
  '[メッセージ添付希望・他ご意見、ご要望がありましたらこちらまで:]',
];
/** Buyer comments, some of them hostile to naive rendering (markup, brackets, emoji). */
const FREE_TEXTS = [
  'ギフト用にお願いします。',
  '領収書希望',
  '不在の場合は宅配ボックスに入れてください。',
  '<b>至急</b> お願いします & よろしく <script>alert(1)</script>',
  '[重要] 午前中に届くと助かります🎁🙏',
  'のしは「御祝」でお願いします。\n名入れ：山田',
  '{"note": "json?"} \\ ` $(rm -rf /) 👍🏻',
];
const PAPERS: readonly [string, number][] = [
  ['包装紙（無地）', 0],
  ['クリスマス包装', 220],
  ['和紙包装', 330],
];
const RIBBONS: readonly [string, number][] = [
  ['リボン（赤）', 110],
  ['リボン（ゴールド）', 110],
  ['リボン（無料）', 0],
];
const NOSHI = ['御祝 / 山田', '内祝', '御歳暮 / 佐藤', '寿', 'のし無し'];
const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** How a shop's 配送日時指定 choices are written; RMS copies the chosen text as it is. */
export type TimeStyle = 'colon' | 'kanji' | 'fullwidth';

/** The time text of an RMS shippingTerm code (0 none, 1 AM, 2 PM, 9 other, h1h2). */
export function timeText(shippingTerm: number, style: TimeStyle = 'colon'): string | null {
  if (shippingTerm === 0) return null;
  if (shippingTerm === 1) return '午前中';
  if (shippingTerm === 2) return '午後';
  if (shippingTerm === 9) return '指定なし';
  const from = Math.floor(shippingTerm / 100);
  const to = shippingTerm % 100;
  if (style === 'kanji') return `${from}時～${to}時`;
  if (style === 'fullwidth') return `${from}：00〜${to}：00`;
  return `${from}:00～${to}:00`;
}

/** `2025-03-05(水)` for a `YYYY-MM-DD` date. */
export function dateWithWeekday(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${date}(${WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]})`;
}

/**
 * What the remarks of an order look like (docs/rakuten-rms.md §4.9): the `[配送日時指定:]` block is
 * the header, the date line and the time line, each line empty when nothing was chosen (so a block
 * naming nothing is `[配送日時指定:]\n\n`, as in a real 2018 payload); the buyer's comment follows
 * after a blank line under its own header.
 */
export interface RemarksSpec {
  /** Write the `[配送日時指定:]` block (also when it names nothing). */
  block: boolean;
  /** `YYYY-MM-DD` or null. */
  date?: string | null;
  /** The time as the buyer chose it, e.g. `午前中`, or null. */
  time?: string | null;
  /** Write `指定なし` for a missing date (else the date line is empty). */
  noDateAsText?: boolean;
  /** The buyer's comment, under `header`. */
  text?: string | null;
  header?: string;
}

/** Remarks as RMS writes them; null when there is nothing to write. */
export function remarksText(spec: RemarksSpec): string | null {
  const parts: string[] = [];
  if (spec.block) {
    const date = spec.date ? dateWithWeekday(spec.date) : spec.noDateAsText ? '指定なし' : '';
    parts.push(`[配送日時指定:]\n${date}\n${spec.time ?? ''}`);
  }
  if (spec.text) parts.push(`${spec.header ?? COMMENT_HEADERS[0]}\n${spec.text}`);
  return parts.length > 0 ? parts.join('\n\n') : null;
}

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
  const extras = new Prng(((spec.seed ?? 1) ^ EXTRAS_SALT) >>> 0);
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
      remarks: null,
      packages,
      changeReasons: [],
    };
    // One draw of the core stream used to pick a remarks text: kept, so the stream is unchanged.
    const commentRoll = random.next();
    addExtras(order, extras, spec, commentRoll);
    applyHistory(order, random, ids);
    orders.push(order);
  }
  orders.sort((a, b) => a.orderedAt - b.orderedAt);
  for (const order of orders)
    order.orderNumber = orderNumberFor(shopId, order.orderedAt, nextSerial(), spec.serialDigits);
  return orders;
}

/** Remarks, COD, gift wrapping, のし, points, coupons and legacy lines, from the extras stream. */
function addExtras(
  order: SimOrder,
  extras: Prng,
  spec: GenerateOrdersSpec,
  commentRoll: number,
): void {
  if (spec.codShare !== undefined) {
    const cod = extras.chance(spec.codShare);
    if (cod) order.settlementMethodCode = 2;
    else if (order.settlementMethodCode === 2) order.settlementMethodCode = 1;
  }
  // The buyer's requested date and time, as RMS writes them into the remarks.
  const time = timeText(order.shippingTerm, extras.pick(['colon', 'kanji', 'fullwidth'] as const));
  const asked = order.deliveryDate !== null || time !== null;
  const block = asked || extras.chance(0.15);
  const noDateAsText = extras.chance(0.5);
  const header = extras.pick(COMMENT_HEADERS);
  const text = extras.pick(FREE_TEXTS);
  order.remarks = remarksText({
    block,
    date: order.deliveryDate,
    time,
    noDateAsText,
    text: commentRoll < (spec.remarksShare ?? 0.1) ? text : null,
    header,
  });
  if (extras.chance(spec.giftShare ?? 0.05)) {
    order.gift = true;
    const [paper, paperPrice] = extras.pick(PAPERS);
    const [ribbon, ribbonPrice] = extras.pick(RIBBONS);
    const wantPaper = extras.chance(0.8);
    const wantRibbon = extras.chance(0.4);
    const ribbonDeleted = extras.chance(0.1);
    const noshi = extras.pick(NOSHI);
    const wantNoshi = extras.chance(0.5);
    order.wrapping1 = wantPaper ? wrapping(paper, paperPrice) : null;
    order.wrapping2 = wantRibbon
      ? { ...wrapping(ribbon, ribbonPrice), deleted: ribbonDeleted }
      : null;
    if (wantNoshi) order.packages[0].noshi = noshi;
  }
  const goods = order.packages
    .flatMap((p) => p.lines)
    .reduce((sum, line) => sum + line.price * line.units, 0);
  if (extras.chance(spec.couponShare ?? 0.1)) {
    const price = Math.min(extras.pick([100, 200, 300, 500]), Math.floor(goods / 2));
    const shop = extras.chance(0.6);
    const code = `COUPON-${extras.int(100000, 999999)}`;
    if (price > 0) order.coupons = [coupon(code, price, shop)];
  }
  if (extras.chance(spec.pointsShare ?? 0.2)) {
    const left = goods - (order.coupons ?? []).reduce((sum, c) => sum + c.price, 0);
    const points = Math.min(extras.pick([1, 50, 100, 300, 1000, 3000]), left);
    if (points > 0) order.usedPoints = points;
  }
  if (extras.chance(spec.legacyItemsShare ?? 0.01)) order.legacyItems = true;
}

export function wrapping(name: string, price: number, taxIncluded = true): SimWrapping {
  return { name, price, taxIncluded, deleted: false };
}

export function coupon(code: string, price: number, shop: boolean): SimCoupon {
  return {
    code,
    name: shop ? `ショップ限定${price}円OFFクーポン` : `楽天市場${price}円OFFクーポン`,
    price,
    capital: shop ? 'shop' : 'rakuten',
  };
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

/**
 * `{shopId}-{YYYYMMDD JST}-{serial}` with a 10-digit serial, or an 8-digit one as older real
 * numbers have (`502763-20171027-00006701`, docs/rakuten-rms.md §4.1).
 */
export function orderNumberFor(
  shopId: string,
  orderedAt: number,
  serial: number,
  digits: 8 | 10 = 10,
): string {
  const day = formatRmsDate(new Date(orderedAt)).replace(/-/g, '');
  return `${shopId}-${day}-${String(serial % 10 ** digits).padStart(digits, '0')}`;
}
