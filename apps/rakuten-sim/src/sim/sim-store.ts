import { randomUUID } from 'node:crypto';

import {
  ALL_RMS_FUNCTION_NAMES,
  formatInventoryDateTime,
  formatRmsDate,
  jstParts,
  maskLicenseKey,
  type RmsRateGroup,
} from '@smartship/rakuten';

import { buildItem, CatalogError, defaultCatalogSpecs, type CatalogItemSpec } from './catalog';
import { SimClock } from './clock';
import {
  apiVariants,
  catalogChanged,
  generateCatalogItems,
  type GenerateCatalogSpec,
} from './item-api';
import {
  coupon,
  generateOrders,
  lineFor,
  orderNumberFor,
  remarksText,
  timeText,
  wrapping,
  type GenerateOrdersSpec,
  type SimIds,
} from './order-generator';
import { COD, orderAmounts, renderOrderModel } from './order-render';
import { Prng } from './prng';
import { defaultSettings, type SimSettings } from './sim-settings';
import type {
  SimAsyncRequest,
  SimKey,
  SimOrder,
  SimPackage,
  SimShop,
  SimStock,
  SimWrapping,
} from './sim-state';

/*
 * All simulator state and the admin operations on it. The RMS request handlers read and change
 * this store; so does the admin API. Time-driven moves (200 → 300, 800 → 900, 100 → 900 after 14
 * days, 500 → 600 → 700 after the shipping report, async shipping results) are applied lazily by
 * `tick()`, which runs before every request.
 */

/** An order as `GET /__sim/shops/:shopId/orders` lists it. */
export interface SimOrderSummary {
  orderNumber: string;
  /** 受注ステータス (100 … 900). */
  progress: number;
  /** Cash on delivery (settlementMethodCode 2). */
  cashOnDelivery: boolean;
  /** OrderModel.requestPrice: what the buyer pays (a COD carrier collects); null while not fixed. */
  requestPrice: number | null;
  packages: {
    basketId: number;
    lines: { manageNumber: string; variantId: string | null; units: number }[];
    /** The package's shipping records as Rakuten holds them (reports applied). */
    shipping: {
      deliveryCompany: string | null;
      shippingNumber: string | null;
      shippingDate: string | null;
    }[];
  }[];
}

/** A bad admin request: the admin API answers 400 with this message. */
export class SimAdminError extends Error {}

const DAY_MS = 24 * 60 * 60 * 1000;
const SHOP_ID = /^\d{3,10}$/;

/** What `POST /__sim/shops` takes. */
export interface CreateShopSpec {
  /** Rakuten shop id, digits (used in order numbers), e.g. `123456`. */
  shopId: string;
  serviceSecret: string;
  licenseKey: string;
  /** ISO; default 23:59:59 JST on the 90th day after issue (docs/rakuten-rms.md §1.2). */
  expiresAt?: string;
  /** The key is refused for this long after issue (default settings.newKeyInactiveMs). */
  inactiveForMs?: number;
  /** RMS permission names; default every function (`*`). */
  enabledFunctions?: string[];
  /** Requests per second per group; absent = unlimited. */
  rateLimits?: Partial<Record<RmsRateGroup, number>>;
}

/** What `POST /__sim/shops/:shopId/keys` takes: a reissued key. */
export interface AddKeySpec {
  serviceSecret: string;
  licenseKey: string;
  expiresAt?: string;
  inactiveForMs?: number;
  /** Remove the shop's other keys (a reissue invalidates the old key). Default true. */
  revokeOthers?: boolean;
}

/** A wrapping as `POST /__sim/shops/:shopId/orders` takes it. */
export interface WrappingSpec {
  /** paper = WrappingModel1 (包装紙), ribbon = WrappingModel2 (リボン). */
  kind: 'paper' | 'ribbon';
  name: string;
  /** Yen (default 0). */
  price?: number;
  /** includeTaxFlag (default true). */
  taxIncluded?: boolean;
  /** Rendered with deleteWrappingFlag 1. */
  deleted?: boolean;
}

/** What `POST /__sim/shops/:shopId/orders` takes: one explicit order. */
export interface AddOrderSpec {
  /** ISO; default now. */
  orderedAt?: string;
  progress?: number;
  /** Lines by catalog item; packages split by `package` index (default 0). */
  lines: { manageNumber: string; variantId?: string; units?: number; package?: number }[];
  amountsFixed?: boolean;
  settlementMethodCode?: number;
  /** Cash on delivery: settlementMethodCode 2 with a COD fee (deliveryPrice). */
  cashOnDelivery?: boolean;
  /** COD fee in yen (default 330). */
  codFee?: number;
  /** The buyer's requested delivery: deliveryDate / shippingTerm and the remarks block. */
  requestedDelivery?: { date?: string | null; shippingTerm?: number; time?: string | null };
  /** The buyer's comment, written under `[備考:]` after the delivery block. */
  remarksText?: string;
  /** The remarks exactly as given (overrides requestedDelivery's block and remarksText). */
  remarks?: string | null;
  /** giftCheckFlag 1. */
  gift?: boolean;
  wrappings?: WrappingSpec[];
  /** のし text of the first package. */
  noshi?: string;
  /** PointModel.usedPoint. */
  usedPoints?: number;
  /** Coupons in yen; `shop` (default) or `rakuten` pays. */
  coupons?: { price: number; capital?: 'shop' | 'rakuten'; code?: string }[];
  /** Lines as orders recorded from getOrder v1/v2: no priceTaxIncl, taxRate, …. */
  legacyItems?: boolean;
  /** Lines priced tax-exclusive (includeTaxFlag 0). */
  taxExcluded?: boolean;
  /** Serial digits of the order number: 10 (default) or 8. */
  serialDigits?: 8 | 10;
  seed?: number;
}

/** What `POST /__sim/shops/:shopId/orders/:orderNumber/state` takes. */
export interface OrderStateSpec {
  /** The new orderProgress (100..900). */
  progress?: number;
  subStatusId?: number | null;
  /** Mark postage fixed or not (-9999). */
  amountsFixed?: boolean;
  /** Remove a package (packageDeleteFlag 1) by basketId. */
  deletePackage?: number;
}

function expiryDefault(issuedAt: number): number {
  // 23:59:59 JST on the 90th day, counting the day of issue as day 1.
  const { year, month, day } = jstParts(new Date(issuedAt + 89 * DAY_MS));
  return Date.UTC(year, month - 1, day, 23, 59, 59) - 9 * 60 * 60 * 1000;
}

export class SimStore {
  readonly clock = new SimClock();
  settings: SimSettings = defaultSettings();
  readonly shops = new Map<string, SimShop>();
  /** Every order of every shop by order number. */
  readonly orders = new Map<string, SimOrder>();
  /** licenseKey → shop and key. */
  readonly keys = new Map<string, { shop: SimShop; key: SimKey }>();
  readonly asyncRequests = new Map<string, SimAsyncRequest>();
  /** Orders with a scheduled automatic move. */
  readonly pending = new Set<SimOrder>();
  /** No pending move is due before this (sim-clock ms): `tick()` skips the scan until then. */
  private nextDueAt = Number.POSITIVE_INFINITY;
  ids: SimIds = { basketId: 10_000_001, itemDetailId: 90_000_001, shippingDetailId: 555_001 };
  private nextItemId = 10_000_001;
  /** Applies due async shipping requests; set by the simulator (it owns the shipping logic). */
  processAsync: (request: SimAsyncRequest) => void = () => undefined;

  now(): number {
    return this.clock.now();
  }

  /** Applies every time-driven change that is due. Cheap when nothing is due. */
  tick(): void {
    const now = this.now();
    if (now >= this.nextDueAt) {
      let next = Number.POSITIVE_INFINITY;
      // A move can arm the next one (600 → 700); the Set visits entries added while iterating.
      for (const order of this.pending) {
        if (!order.pending) {
          this.pending.delete(order);
        } else if (order.pending.at <= now) {
          this.applyMove(order);
          if (order.pending) next = Math.min(next, order.pending.at);
        } else {
          next = Math.min(next, order.pending.at);
        }
      }
      this.nextDueAt = next;
    }
    for (const request of this.asyncRequests.values()) {
      if (request.results === null && request.dueAt <= now) this.processAsync(request);
    }
  }

  /** Applies an order's due move, arming the next one where RMS moves on by itself. */
  private applyMove(order: SimOrder): void {
    if (!order.pending) return;
    const { to, at } = order.pending;
    const from = order.progress;
    order.pending = null;
    this.pending.delete(order);
    order.progress = to;
    if (to === 300) {
      order.fixedAt = at;
      order.shippingInstructedAt = at;
    }
    if (to === 900) {
      // Never confirmed: Rakuten cancels it (docs/rakuten-rms.md §3.2), application and fix at once.
      if (from === 100) order.changeReasons.push({ changeType: 0, at });
      order.canceledAt ??= at;
      order.changeReasons.push({ changeType: 1, at });
    }
    if (to === 600) {
      // 600 → 700 follows even when the clock jumped past both at once.
      const next = this.nextMove(order);
      if (next) this.scheduleAt(order, next.to, next.at);
    }
  }

  /** Schedules an automatic move; a delay of 0 applies it now. */
  schedule(order: SimOrder, to: number, delayMs: number): void {
    this.scheduleAt(order, to, this.now() + Math.max(0, delayMs));
    if (delayMs <= 0) this.tick();
  }

  private scheduleAt(order: SimOrder, to: number, at: number): void {
    order.pending = { to, at };
    this.pending.add(order);
    this.nextDueAt = Math.min(this.nextDueAt, at);
  }

  /**
   * Arms the move RMS makes by itself from the order's state, when its time is still ahead: 100 →
   * 900 `autoCancelDays` after ordering; 500 → 600 and 600 → 700 after the shipping report. An
   * order created (generated, added or set by hand) past that time keeps the state it was given.
   */
  armTimers(order: SimOrder): void {
    const due = this.nextMove(order);
    if (due && due.at > this.now()) this.scheduleAt(order, due.to, due.at);
  }

  /** The move RMS makes by itself from the order's state, and when; null if none. */
  private nextMove(order: SimOrder): { to: number; at: number } | null {
    const settings = this.settings;
    const shipped = order.shippingReportedAt;
    if (order.progress === 100) {
      return { to: 900, at: order.orderedAt + settings.autoCancelDays * DAY_MS };
    }
    if (order.progress === 500 && shipped !== null) {
      return { to: 600, at: shipped + settings.settlementStartMs };
    }
    if (order.progress === 600 && shipped !== null) {
      const done = Math.max(settings.settlementDoneMs, settings.settlementStartMs);
      return { to: 700, at: shipped + done };
    }
    return null;
  }

  reset(): void {
    this.clock.reset();
    this.settings = defaultSettings();
    this.shops.clear();
    this.orders.clear();
    this.keys.clear();
    this.asyncRequests.clear();
    this.pending.clear();
    this.nextDueAt = Number.POSITIVE_INFINITY;
    this.ids = { basketId: 10_000_001, itemDetailId: 90_000_001, shippingDetailId: 555_001 };
    this.nextItemId = 10_000_001;
  }

  updateSettings(patch: Partial<SimSettings>): SimSettings {
    const known = defaultSettings();
    for (const name of Object.keys(patch)) {
      if (!(name in known)) throw new SimAdminError(`unknown setting ${name}`);
    }
    this.settings = { ...this.settings, ...patch };
    return this.settings;
  }

  // ---- shops and keys -----------------------------------------------------------------------

  shop(shopId: string): SimShop {
    const shop = this.shops.get(shopId);
    if (!shop) throw new SimAdminError(`no shop ${shopId}`);
    return shop;
  }

  createShop(spec: CreateShopSpec): object {
    if (!spec || typeof spec.shopId !== 'string' || !SHOP_ID.test(spec.shopId)) {
      throw new SimAdminError('shopId must be 3–10 digits (it is part of every order number)');
    }
    if (this.shops.has(spec.shopId)) throw new SimAdminError(`shop ${spec.shopId} exists`);
    const shop: SimShop = {
      shopId: spec.shopId,
      keys: [],
      enabledFunctions: spec.enabledFunctions ?? ['*'],
      rateLimits: spec.rateLimits ?? {},
      catalog: new Map(),
      orders: [],
      stock: new Map(),
      shippingReports: [],
      nextSerial: 1_000_001,
    };
    this.shops.set(shop.shopId, shop);
    this.addKey(shop.shopId, { ...spec, revokeOthers: false });
    return this.describeShop(shop.shopId);
  }

  addKey(shopId: string, spec: AddKeySpec): object {
    const shop = this.shop(shopId);
    const serviceSecret = spec.serviceSecret?.trim();
    const licenseKey = spec.licenseKey?.trim();
    if (!serviceSecret || !licenseKey)
      throw new SimAdminError('serviceSecret and licenseKey are required');
    if (this.keys.has(licenseKey)) throw new SimAdminError('this licence key is already in use');
    const issuedAt = this.now();
    const key: SimKey = {
      serviceSecret,
      licenseKey,
      issuedAt,
      expiresAt: spec.expiresAt ? Date.parse(spec.expiresAt) : expiryDefault(issuedAt),
      activeFrom: issuedAt + (spec.inactiveForMs ?? this.settings.newKeyInactiveMs),
    };
    if (Number.isNaN(key.expiresAt)) throw new SimAdminError('expiresAt is not a date');
    if (spec.revokeOthers ?? true) {
      for (const old of shop.keys) this.keys.delete(old.licenseKey);
      shop.keys = [];
    }
    shop.keys.push(key);
    this.keys.set(licenseKey, { shop, key });
    return this.describeShop(shopId);
  }

  updateShop(
    shopId: string,
    patch: Pick<CreateShopSpec, 'enabledFunctions' | 'rateLimits'>,
  ): object {
    const shop = this.shop(shopId);
    if (patch.enabledFunctions) shop.enabledFunctions = patch.enabledFunctions;
    if (patch.rateLimits) shop.rateLimits = patch.rateLimits;
    return this.describeShop(shopId);
  }

  /** A shop without its secrets (keys shown by their last four characters, as RMS shows them). */
  describeShop(shopId: string): object {
    const shop = this.shop(shopId);
    return {
      shopId: shop.shopId,
      keys: shop.keys.map((k) => ({
        licenseKey: maskLicenseKey(k.licenseKey),
        issuedAt: new Date(k.issuedAt).toISOString(),
        expiresAt: new Date(k.expiresAt).toISOString(),
        activeFrom: new Date(k.activeFrom).toISOString(),
      })),
      enabledFunctions: shop.enabledFunctions,
      availableFunctions: ALL_RMS_FUNCTION_NAMES,
      rateLimits: shop.rateLimits,
      items: shop.catalog.size,
      orders: shop.orders.length,
    };
  }

  // ---- catalog and stock --------------------------------------------------------------------

  putCatalog(shopId: string, items: CatalogItemSpec[]): object {
    const shop = this.shop(shopId);
    if (!Array.isArray(items)) throw new SimAdminError('items must be an array');
    const now = this.now();
    try {
      const built = items.map((spec) => buildItem(spec, this.nextItemId++, now));
      shop.catalog.clear();
      for (const item of built) shop.catalog.set(item.manageNumber, item);
      catalogChanged(shop);
    } catch (error) {
      if (error instanceof CatalogError) throw new SimAdminError(error.message);
      throw error;
    }
    return { items: shop.catalog.size };
  }

  /** Replaces the shop's catalog with `count` generated items (see GenerateCatalogSpec). */
  generateCatalog(shopId: string, spec: GenerateCatalogSpec): object {
    const shop = this.shop(shopId);
    const count = spec?.count;
    if (!Number.isInteger(count) || count < 1 || count > 200_000) {
      throw new SimAdminError('count must be an integer 1..200000');
    }
    if (spec.prefix !== undefined && !/^[a-zA-Z0-9_-]{1,20}$/.test(spec.prefix)) {
      throw new SimAdminError('prefix must be 1–20 characters of [a-zA-Z0-9_-]');
    }
    const started = Date.now();
    const items = generateCatalogItems(spec, this.nextItemId, this.now());
    this.nextItemId += count + 1;
    shop.catalog.clear();
    for (const item of items) shop.catalog.set(item.manageNumber, item);
    catalogChanged(shop);
    const variants = items.reduce((sum, item) => sum + apiVariants(item).length, 0);
    return { items: shop.catalog.size, variants, ms: Date.now() - started };
  }

  private ensureCatalog(shop: SimShop): void {
    if (shop.catalog.size === 0) this.putCatalog(shop.shopId, defaultCatalogSpecs());
  }

  catalog(shopId: string): object[] {
    return [...this.shop(shopId).catalog.values()];
  }

  /** Seeds stock rows directly (e.g. the state RMS starts from). */
  putStock(
    shopId: string,
    rows: { manageNumber: string; variantId: string; quantity: number }[],
  ): object {
    const shop = this.shop(shopId);
    const now = this.now();
    for (const row of rows) {
      const manageNumber = row.manageNumber.toLowerCase();
      shop.stock.set(stockKey(manageNumber, row.variantId), {
        manageNumber,
        variantId: row.variantId,
        quantity: row.quantity,
        created: now,
        updated: now,
        operationLeadTime: null,
        shipFromIds: null,
        orphan: !this.isKnownSku(shop, manageNumber, row.variantId),
      });
    }
    return { rows: shop.stock.size };
  }

  isKnownSku(shop: SimShop, manageNumber: string, variantId: string): boolean {
    const item = shop.catalog.get(manageNumber);
    return !!item && apiVariants(item).some((v) => v.variantId === variantId);
  }

  /** Every stock row, orphans included, with Inventory API timestamps. */
  stock(shopId: string): object[] {
    const shop = this.shop(shopId);
    this.purgeOrphans(shop);
    return [...shop.stock.values()].map((row) => ({
      ...row,
      created: formatInventoryDateTime(new Date(row.created)),
      updated: formatInventoryDateTime(new Date(row.updated)),
    }));
  }

  /** Orphan rows disappear 24 h after their last update (docs/rakuten-rms.md §5.1). */
  purgeOrphans(shop: SimShop): void {
    const limit = this.now() - DAY_MS;
    for (const [key, row] of shop.stock) {
      if (row.orphan && row.updated < limit) shop.stock.delete(key);
    }
  }

  // ---- orders -------------------------------------------------------------------------------

  generate(shopId: string, spec: GenerateOrdersSpec): object {
    const shop = this.shop(shopId);
    if (!spec || !Number.isInteger(spec.count) || spec.count < 1 || spec.count > 500_000) {
      throw new SimAdminError('count must be an integer 1..500000');
    }
    for (const bound of [spec.from, spec.to]) {
      if (bound !== undefined && Number.isNaN(Date.parse(bound)))
        throw new SimAdminError(`bad date ${bound}`);
    }
    this.ensureCatalog(shop);
    const started = performance.now();
    const orders = generateOrders(
      shop.shopId,
      [...shop.catalog.values()],
      spec,
      this.ids,
      () => shop.nextSerial++,
      this.now(),
    );
    for (const order of orders) {
      this.orders.set(order.orderNumber, order);
      this.armTimers(order);
    }
    insertSorted(shop, orders);
    return {
      generated: orders.length,
      first: orders[0]?.orderNumber,
      last: orders[orders.length - 1]?.orderNumber,
      ms: Math.round(performance.now() - started),
    };
  }

  addOrder(shopId: string, spec: AddOrderSpec): object {
    const shop = this.shop(shopId);
    this.ensureCatalog(shop);
    if (!spec || !Array.isArray(spec.lines) || spec.lines.length === 0) {
      throw new SimAdminError('lines: at least one line');
    }
    const orderedAt = spec.orderedAt ? Date.parse(spec.orderedAt) : this.now();
    if (Number.isNaN(orderedAt)) throw new SimAdminError('orderedAt is not a date');
    const random = new Prng(spec.seed ?? orderedAt);
    const seed = random.seed();
    const packages: SimPackage[] = [];
    for (const wanted of spec.lines) {
      const item = shop.catalog.get(wanted.manageNumber.toLowerCase());
      if (!item) throw new SimAdminError(`no catalog item ${wanted.manageNumber}`);
      const index = wanted.package ?? 0;
      while (packages.length <= index) {
        packages.push({
          basketId: this.ids.basketId++,
          recipientSeed: packages.length === 0 ? seed : random.seed(),
          postagePrice: 0,
          defaultDeliveryCompanyCode: '1001',
          dropOffLocation: null,
          lines: [],
          shipping: [],
          deleted: false,
        });
      }
      packages[index].lines.push(
        lineFor(item, random, this.ids, { variantId: wanted.variantId, units: wanted.units ?? 1 }),
      );
    }
    const progress = spec.progress ?? 100;
    const extras = orderExtras(spec);
    if (spec.noshi !== undefined) packages[0].noshi = spec.noshi;
    const order: SimOrder = {
      orderNumber: orderNumberFor(shop.shopId, orderedAt, shop.nextSerial++, spec.serialDigits),
      shopId: shop.shopId,
      progress,
      subStatusId: null,
      orderedAt: Math.floor(orderedAt / 1000) * 1000,
      confirmedAt: progress >= 200 && progress <= 700 ? orderedAt : null,
      fixedAt: progress >= 300 && progress <= 700 ? orderedAt : null,
      shippingInstructedAt: progress >= 300 && progress <= 700 ? orderedAt : null,
      shippingReportedAt: null,
      canceledAt: null,
      pending: null,
      ordererSeed: seed,
      orderType: 1,
      settlementMethodCode: spec.cashOnDelivery ? COD : (spec.settlementMethodCode ?? 1),
      deliveryName: '宅配便',
      deliveryClass: 0,
      shippingTerm: extras.shippingTerm,
      deliveryDate: extras.deliveryDate,
      amountsFixed: spec.amountsFixed ?? true,
      remarks: extras.remarks,
      packages: packages.filter((p) => p.lines.length > 0),
      changeReasons: [],
      ...extras.order,
    };
    this.orders.set(order.orderNumber, order);
    insertSorted(shop, [order]);
    this.armTimers(order);
    return this.describeOrder(order.orderNumber);
  }

  order(orderNumber: string): SimOrder {
    const order = this.orders.get(orderNumber);
    if (!order) throw new SimAdminError(`no order ${orderNumber}`);
    return order;
  }

  /**
   * Every order of a shop in a compact form (no people, no prices), oldest first: what the
   * chaos checker compares with what the platform published. `progress` filters by 受注ステータス.
   */
  orderSummaries(shopId: string, progress?: number): SimOrderSummary[] {
    const shop = this.shop(shopId);
    this.tick();
    return shop.orders
      .filter((order) => progress === undefined || order.progress === progress)
      .map((order) => {
        const { request } = orderAmounts(order);
        return {
          orderNumber: order.orderNumber,
          progress: order.progress,
          cashOnDelivery: order.settlementMethodCode === COD,
          requestPrice: request < 0 ? null : request,
          packages: order.packages
            .filter((pkg) => !pkg.deleted)
            .map((pkg) => ({
              basketId: pkg.basketId,
              lines: pkg.lines
                .filter((line) => !line.deleted)
                .map((line) => ({
                  manageNumber: line.manageNumber,
                  variantId: line.sku?.variantId || null,
                  units: line.units,
                })),
              shipping: pkg.shipping.map((record) => ({
                deliveryCompany: record.deliveryCompany,
                shippingNumber: record.shippingNumber,
                shippingDate: record.shippingDate,
              })),
            })),
        };
      });
  }

  /** The order as getOrder v10 would show it, plus the simulator's schedule. */
  describeOrder(orderNumber: string): object {
    const order = this.order(orderNumber);
    return {
      orderNumber,
      pending: order.pending
        ? { to: order.pending.to, at: new Date(order.pending.at).toISOString() }
        : null,
      model: renderOrderModel(order, 10, this.settings),
    };
  }

  /** Moves an order by hand: a buyer cancel, a change (400), a sub-status, unfixed postage. */
  changeOrder(orderNumber: string, spec: OrderStateSpec): object {
    const order = this.order(orderNumber);
    if (spec.progress !== undefined) {
      if (![100, 200, 300, 400, 500, 600, 700, 800, 900].includes(spec.progress)) {
        throw new SimAdminError('progress must be one of 100..900');
      }
      order.progress = spec.progress;
      order.pending = null;
      this.pending.delete(order);
      const now = this.now();
      if (spec.progress >= 800) {
        order.canceledAt = now;
        order.changeReasons.push({ changeType: spec.progress === 900 ? 1 : 0, at: now });
      }
      if (spec.progress === 400) order.changeReasons.push({ changeType: 4, at: now });
      // An order moved on by hand gets the dates searchOrder's dateType 2 and 3 search by, as
      // confirmation (200) and the move to 300 give them: a pre-order placed long ago that
      // reaches 300 today is found by 注文確定日 today and by 注文日 in the past.
      if (spec.progress >= 200 && spec.progress <= 700) order.confirmedAt ??= now;
      if (spec.progress >= 300 && spec.progress <= 700) {
        order.fixedAt ??= now;
        order.shippingInstructedAt ??= now;
      }
      if (spec.progress >= 500 && spec.progress <= 700) order.shippingReportedAt ??= now;
      this.armTimers(order);
    }
    if (spec.subStatusId !== undefined) order.subStatusId = spec.subStatusId;
    if (spec.amountsFixed !== undefined) order.amountsFixed = spec.amountsFixed;
    if (spec.deletePackage !== undefined) {
      const pkg = order.packages.find((p) => p.basketId === spec.deletePackage);
      if (!pkg) throw new SimAdminError(`no package ${spec.deletePackage}`);
      pkg.deleted = true;
    }
    return this.describeOrder(orderNumber);
  }

  /** A new async requestId: UUID, `_`, JST `yyyyMMddHHmmss` (docs/rakuten-rms.md §2.6). */
  newRequestId(): string {
    const p = jstParts(new Date(this.now()));
    const stamp = `${formatRmsDate(new Date(this.now())).replace(/-/g, '')}${[
      p.hour,
      p.minute,
      p.second,
    ]
      .map((n) => String(n).padStart(2, '0'))
      .join('')}`;
    return `${randomUUID()}_${stamp}`;
  }
}

/** The remarks, requested delivery and extras of an explicit order, checked. */
function orderExtras(spec: AddOrderSpec): {
  remarks: string | null;
  deliveryDate: string | null;
  shippingTerm: number;
  order: Partial<SimOrder>;
} {
  const yen = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new SimAdminError(`${name} must be a whole number of yen ≥ 0`);
    }
    return value;
  };
  if (spec.serialDigits !== undefined && spec.serialDigits !== 8 && spec.serialDigits !== 10) {
    throw new SimAdminError('serialDigits must be 8 or 10');
  }
  const asked = spec.requestedDelivery;
  const deliveryDate = asked?.date ?? null;
  if (deliveryDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(deliveryDate)) {
    throw new SimAdminError('requestedDelivery.date must be YYYY-MM-DD');
  }
  const shippingTerm = asked?.shippingTerm ?? 0;
  if (!Number.isInteger(shippingTerm) || shippingTerm < 0) {
    throw new SimAdminError('requestedDelivery.shippingTerm must be an RMS shippingTerm code');
  }
  const time = asked?.time ?? timeText(shippingTerm);
  const remarks =
    spec.remarks !== undefined
      ? spec.remarks || null
      : remarksText({
          block: asked !== undefined,
          date: deliveryDate,
          time,
          text: spec.remarksText ?? null,
        });
  const order: Partial<SimOrder> = {};
  if (spec.codFee !== undefined) order.codFee = yen(spec.codFee, 'codFee');
  if (spec.gift) order.gift = true;
  for (const w of spec.wrappings ?? []) {
    if (w.kind !== 'paper' && w.kind !== 'ribbon')
      throw new SimAdminError('wrappings[].kind must be paper or ribbon');
    if (typeof w.name !== 'string') throw new SimAdminError('wrappings[].name must be a string');
    const made: SimWrapping = {
      ...wrapping(w.name, yen(w.price ?? 0, 'wrappings[].price'), w.taxIncluded ?? true),
      deleted: w.deleted ?? false,
    };
    if (w.kind === 'paper') order.wrapping1 = made;
    else order.wrapping2 = made;
  }
  if (spec.usedPoints !== undefined) order.usedPoints = yen(spec.usedPoints, 'usedPoints');
  if (spec.coupons !== undefined) {
    order.coupons = spec.coupons.map((c, i) =>
      coupon(
        c.code ?? `COUPON-${i + 1}`,
        yen(c.price, 'coupons[].price'),
        (c.capital ?? 'shop') === 'shop',
      ),
    );
  }
  if (spec.legacyItems) order.legacyItems = true;
  if (spec.taxExcluded) order.taxExcluded = true;
  return { remarks, deliveryDate, shippingTerm, order };
}

export function stockKey(manageNumber: string, variantId: string): string {
  return `${manageNumber}\u0000${variantId}`;
}

/** Adds orders to a shop keeping its list ascending by orderedAt. */
function insertSorted(shop: SimShop, orders: SimOrder[]): void {
  const list = shop.orders;
  const last = list[list.length - 1];
  if (!last || orders[0].orderedAt >= last.orderedAt) {
    for (const order of orders) list.push(order);
    return;
  }
  if (orders.length > 1) {
    // Merge two sorted lists: linear, where one splice per order would be quadratic.
    const merged: SimOrder[] = [];
    let i = 0;
    let j = 0;
    while (i < list.length || j < orders.length) {
      if (j >= orders.length || (i < list.length && list[i].orderedAt <= orders[j].orderedAt)) {
        merged.push(list[i++]);
      } else {
        merged.push(orders[j++]);
      }
    }
    shop.orders = merged;
    return;
  }
  for (const order of orders) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].orderedAt <= order.orderedAt) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, order);
  }
}

export type { SimStock };
