import {
  ESA_CODES,
  formatRmsDateTime,
  maskLicenseKey,
  parseEsaAuthorization,
  RMS_FUNCTIONS,
  type RmsFunctionKey,
} from '@smartship/rakuten';

import {
  bulkGet,
  bulkGetRange,
  bulkUpsert,
  variantDelete,
  variantGet,
  variantUpsert,
} from './inventory-api';
import { itemGet, itemSearch } from './item-api';
import {
  cancelOrder,
  confirmOrder,
  getOrder,
  getResultUpdateOrderShippingAsync,
  processAsyncShipping,
  searchOrder,
  updateOrderShipping,
  updateOrderShippingAsync,
} from './order-api';
import { Prng } from './prng';
import type { FaultPlan, FaultRule } from './sim-settings';
import { json, RMS_JSON, type SimRequest, type SimResponse } from './sim-http';
import type { SimCall, SimKey, SimShop } from './sim-state';
import { SimAdminError, SimStore } from './sim-store';

/*
 * The RMS side of the simulator, framework-free: `handle()` takes a parsed request and returns
 * the answer RMS would give. Order of checks, outermost first, as a gateway in front of the APIs
 * would apply them: route → maintenance window → ESA authentication → function permission →
 * injected faults → rate limit → the function itself. Every call is logged.
 */

/** A matched route: the function and how to run it once authenticated. */
interface Route {
  fn: RmsFunctionKey;
  run: (shop: SimShop, body: unknown) => SimResponse;
  /** The licence key in the query (license-management), to keep it out of the call log. */
  hidesQuery?: boolean;
}

const ORDER_FUNCTIONS = {
  searchOrder,
  getOrder,
  confirmOrder,
  cancelOrder,
  updateOrderShipping,
  updateOrderShippingAsync,
  getResultUpdateOrderShippingAsync,
} as const;

const VARIANT_PATH =
  /^\/es\/2\.([01])\/inventories\/manage-numbers\/([^/]+)\/variants\/([^/]+)\/?$/;
const BULK_PATH = /^\/es\/2\.([01])\/inventories\/(bulk-get|bulk-get\/range|bulk-upsert)\/?$/;
const ORDER_PATH = /^\/es\/2\.0\/order\/([A-Za-z]+)\/?$/;
const ITEM_PATH = /^\/es\/2\.0\/items\/manage-numbers\/([^/]+)\/?$/;

export class RmsSimulator {
  readonly store = new SimStore();
  private faults: FaultPlan = { rules: [], maintenance: null };
  private faultRandom = new Prng(1);
  /** Remaining counts of count-limited rules, by rule index. */
  private faultCounts: (number | undefined)[] = [];
  private calls: SimCall[] = [];
  private seq = 0;
  /** licenseKey|group → wall-clock times of the accepted calls in the last second. */
  private readonly windows = new Map<string, number[]>();

  constructor() {
    this.store.processAsync = (request) => processAsyncShipping(this.store, request);
  }

  /** Forgets everything: shops, orders, faults, the call log, settings, the clock. */
  reset(): void {
    this.store.reset();
    this.setFaults({ rules: [], maintenance: null });
    this.calls = [];
    this.seq = 0;
    this.windows.clear();
  }

  // ---- faults and the call log (admin) ------------------------------------------------------

  setFaults(plan: FaultPlan): FaultPlan {
    const rules = plan?.rules ?? [];
    if (!Array.isArray(rules)) throw new SimAdminError('rules must be an array');
    const kinds = ['http500', 'http503', 'html', 'throttle', 'authFlap', 'timeout', 'reset'];
    for (const rule of rules) {
      if (!kinds.includes(rule.kind))
        throw new SimAdminError(`fault kind must be one of ${kinds.join(', ')}`);
      if (rule.rate !== undefined && (rule.rate < 0 || rule.rate > 1))
        throw new SimAdminError('rate must be 0..1');
      for (const bound of [rule.from, rule.to]) {
        if (bound !== undefined && Number.isNaN(Date.parse(bound)))
          throw new SimAdminError('fault from and to must be ISO date-times');
      }
    }
    const maintenance = plan?.maintenance ?? null;
    if (
      maintenance &&
      (Number.isNaN(Date.parse(maintenance.from)) || Number.isNaN(Date.parse(maintenance.to)))
    ) {
      throw new SimAdminError('maintenance.from and .to must be ISO date-times');
    }
    this.faults = { rules, maintenance };
    this.faultCounts = rules.map((rule) => rule.count);
    this.faultRandom = new Prng(this.store.settings.faultSeed);
    return this.faults;
  }

  getFaults(): FaultPlan {
    return this.faults;
  }

  /** The call log, oldest first, optionally filtered. */
  getCalls(filter: { shopId?: string; function?: string; sinceSeq?: number } = {}): SimCall[] {
    return this.calls.filter(
      (call) =>
        (!filter.shopId || call.shopId === filter.shopId) &&
        (!filter.function || call.function === filter.function) &&
        (filter.sinceSeq === undefined || call.seq > filter.sinceSeq),
    );
  }

  clearCalls(): void {
    this.calls = [];
  }

  // ---- the RMS side -------------------------------------------------------------------------

  handle(request: SimRequest): SimResponse {
    this.store.tick();
    const route = this.route(request);
    let body: unknown;
    const record = (
      response: SimResponse,
      shop: SimShop | null,
      key: SimKey | null,
      fault: string | null,
    ) => {
      this.log(
        request,
        route?.fn ?? null,
        shop,
        key,
        response.status,
        fault,
        body,
        route?.hidesQuery,
      );
      return response;
    };
    if (!route) {
      return record(
        { status: 404, text: '<html><body>404 Not Found</body></html>', contentType: 'text/html' },
        null,
        null,
        null,
      );
    }
    if (this.inMaintenance()) return record(maintenancePage(), null, null, 'maintenance');

    const auth = this.authenticate(request.authorization);
    if (!auth)
      return record(
        this.esaError(this.store.settings.authErrorStatus, ESA_CODES.UNAUTHORISED, 'Un-Authorised'),
        null,
        null,
        null,
      );
    const { shop, key } = auth;
    if (!this.enabled(shop, RMS_FUNCTIONS[route.fn].name)) {
      return record(
        this.esaError(
          this.store.settings.functionNotEnabledStatus,
          ESA_CODES.BAD_REQUEST,
          'Bad Request',
        ),
        shop,
        key,
        null,
      );
    }
    if (request.body !== '') {
      // RMS answered 415 to a JSON body sent without charset (S10).
      if (
        this.store.settings.requireCharset &&
        !/charset\s*=\s*utf-8/i.test(request.contentType ?? '')
      ) {
        return record(
          { status: 415, text: 'Unsupported Media Type', contentType: 'text/plain' },
          shop,
          key,
          null,
        );
      }
      try {
        body = JSON.parse(request.body);
      } catch {
        return record(
          json(400, { errors: [{ code: 'IE0002', message: 'Request body is not valid JSON.' }] }),
          shop,
          key,
          null,
        );
      }
    }

    const fault = this.pickFault(route.fn, shop.shopId);
    if (fault && fault.kind !== 'timeout')
      return record(this.faultResponse(fault), shop, key, fault.kind);
    if (!this.withinRate(shop, key, route.fn)) {
      const throttled = json(this.store.settings.throttleStatus, this.store.settings.throttleBody);
      return record({ ...throttled }, shop, key, 'rateLimit');
    }
    const response = route.run(shop, body);
    if (fault?.kind === 'timeout') {
      // Processed, then held: the client times out without knowing the write happened.
      return record({ ...response, delayMs: fault.delayMs ?? 60_000 }, shop, key, 'timeout');
    }
    return record(response, shop, key, null);
  }

  private route(request: SimRequest): Route | null {
    const { method, path, query } = request;
    const store = this.store;
    let match = ORDER_PATH.exec(path);
    if (match && method === 'POST' && match[1] in ORDER_FUNCTIONS) {
      const name = match[1] as keyof typeof ORDER_FUNCTIONS;
      return { fn: name, run: (shop, body) => ORDER_FUNCTIONS[name](store, shop, body) };
    }
    match = VARIANT_PATH.exec(path);
    if (match) {
      const v21 = match[1] === '1';
      const [mn, vid] = [decodeURIComponent(match[2]), decodeURIComponent(match[3])];
      if (method === 'GET')
        return { fn: 'inventoryVariantGet', run: (shop) => variantGet(store, shop, mn, vid, v21) };
      if (method === 'PUT') {
        return {
          fn: 'inventoryVariantUpsert',
          run: (shop, body) => variantUpsert(store, shop, mn, vid, body, v21),
        };
      }
      if (method === 'DELETE')
        return { fn: 'inventoryVariantDelete', run: (shop) => variantDelete(store, shop, mn, vid) };
      return null;
    }
    match = BULK_PATH.exec(path);
    if (match) {
      const v21 = match[1] === '1';
      if (match[2] === 'bulk-get' && method === 'POST') {
        return { fn: 'inventoryBulkGet', run: (shop, body) => bulkGet(store, shop, body, v21) };
      }
      if (match[2] === 'bulk-get/range' && method === 'GET') {
        return {
          fn: 'inventoryBulkGetRange',
          run: (shop) => bulkGetRange(store, shop, query, v21),
        };
      }
      if (match[2] === 'bulk-upsert' && method === 'POST') {
        return {
          fn: 'inventoryBulkUpsert',
          run: (shop, body) => bulkUpsert(store, shop, body, v21),
        };
      }
      return null;
    }
    if (method === 'GET' && /^\/es\/2\.0\/items\/search\/?$/.test(path)) {
      return { fn: 'itemSearch', run: (shop) => itemSearch(shop, query) };
    }
    match = ITEM_PATH.exec(path);
    if (match && method === 'GET') {
      const mn = decodeURIComponent(match[1]);
      return { fn: 'itemGet', run: (shop) => itemGet(shop, mn) };
    }
    if (
      method === 'GET' &&
      /^\/es\/1\.0\/license-management\/license-key\/expiry-date\/?$/.test(path)
    ) {
      return {
        fn: 'licenseExpiryDate',
        run: (shop) => this.licenseExpiry(shop, query.get('licenseKey')),
        hidesQuery: true,
      };
    }
    return null;
  }

  private licenseExpiry(shop: SimShop, licenseKey: string | null): SimResponse {
    const key = shop.keys.find((k) => k.licenseKey === licenseKey?.trim());
    if (!key)
      return this.esaError(
        this.store.settings.authErrorStatus,
        ESA_CODES.UNAUTHORISED,
        'Un-Authorised',
      );
    return json(200, { expiryDate: formatRmsDateTime(new Date(key.expiresAt)) });
  }

  /** The shop and key of a valid, active, unexpired ESA header; null otherwise (ES01-01). */
  private authenticate(header: string | undefined): { shop: SimShop; key: SimKey } | null {
    const credentials = parseEsaAuthorization(header);
    if (!credentials) return null;
    const found = this.store.keys.get(credentials.licenseKey);
    if (!found || found.key.serviceSecret !== credentials.serviceSecret) return null;
    const now = this.store.now();
    if (now >= found.key.expiresAt || now < found.key.activeFrom) return null;
    return found;
  }

  private enabled(shop: SimShop, name: string): boolean {
    return shop.enabledFunctions.some(
      (allowed) =>
        allowed === '*' ||
        allowed === name ||
        (allowed.endsWith('.*') && name.startsWith(allowed.slice(0, -1))),
    );
  }

  private esaError(status: number, errorCode: string, text: string): SimResponse {
    return json(status, { Results: { errorCode, [this.store.settings.esaTextKey]: text } });
  }

  private inMaintenance(): boolean {
    const window = this.faults.maintenance;
    if (!window) return false;
    const now = this.store.now();
    return now >= Date.parse(window.from) && now < Date.parse(window.to);
  }

  /** A rule with `from` / `to` fires only inside that sim-clock window (a throttling burst). */
  private ruleActive(rule: FaultRule): boolean {
    const now = this.store.now();
    if (rule.from !== undefined && now < Date.parse(rule.from)) return false;
    return rule.to === undefined || now < Date.parse(rule.to);
  }

  private pickFault(fn: string, shopId: string): FaultRule | null {
    for (let i = 0; i < this.faults.rules.length; i++) {
      const rule = this.faults.rules[i];
      if (rule.function && rule.function !== fn) continue;
      if (rule.shopId && rule.shopId !== shopId) continue;
      if (!this.ruleActive(rule)) continue;
      const left = this.faultCounts[i];
      if (left !== undefined && left <= 0) continue;
      if (rule.rate !== undefined && rule.rate < 1 && this.faultRandom.next() >= rule.rate)
        continue;
      if (left !== undefined) this.faultCounts[i] = left - 1;
      return rule;
    }
    return null;
  }

  private faultResponse(fault: FaultRule): SimResponse {
    switch (fault.kind) {
      case 'http500':
        return json(500, { Results: { errorCode: 'SIM-500', message: 'Internal Server Error' } });
      case 'http503':
        return json(503, { Results: { errorCode: 'SIM-503', message: 'Service Unavailable' } });
      case 'html':
        return maintenancePage();
      case 'throttle':
        return json(this.store.settings.throttleStatus, this.store.settings.throttleBody);
      case 'authFlap':
        return this.esaError(
          this.store.settings.authErrorStatus,
          ESA_CODES.UNAUTHORISED,
          'Un-Authorised',
        );
      case 'reset':
        return { status: 0, drop: true };
      case 'timeout':
        return { status: 0 };
    }
  }

  /**
   * Sliding one-second window per licence key and rate group: at most N accepted calls in any
   * 1000 ms ([NF] whether RMS counts per key or per shop; per key here).
   */
  private withinRate(shop: SimShop, key: SimKey, fn: RmsFunctionKey): boolean {
    const group = RMS_FUNCTIONS[fn].rateGroup;
    const limit = shop.rateLimits[group];
    if (!limit) return true;
    const now = performance.timeOrigin + performance.now();
    const id = `${key.licenseKey}|${group}`;
    const recent = (this.windows.get(id) ?? []).filter((t) => t > now - 1000);
    if (recent.length >= limit) {
      this.windows.set(id, recent);
      return false;
    }
    recent.push(now);
    this.windows.set(id, recent);
    return true;
  }

  private log(
    request: SimRequest,
    fn: RmsFunctionKey | null,
    shop: SimShop | null,
    key: SimKey | null,
    status: number,
    fault: string | null,
    body: unknown,
    hidesQuery = false,
  ): void {
    const settings = this.store.settings;
    const atMs = performance.timeOrigin + performance.now();
    this.calls.push({
      seq: ++this.seq,
      atMs,
      at: new Date(atMs).toISOString(),
      method: request.method,
      path: request.path,
      function: fn,
      shopId: shop?.shopId ?? null,
      licenseKeyLast4: key ? maskLicenseKey(key.licenseKey) : null,
      status,
      fault,
      body: settings.callLogBodies && !hidesQuery ? body : undefined,
    });
    // Trim in batches: dropping one entry per call would shift the whole array every time.
    if (this.calls.length > settings.callLogLimit + Math.max(100, settings.callLogLimit / 10)) {
      this.calls.splice(0, this.calls.length - settings.callLogLimit);
    }
  }
}

function maintenancePage(): SimResponse {
  return {
    status: 503,
    text: '<html><head><title>メンテナンス中</title></head><body>maintenance: ただいまメンテナンス中です。</body></html>',
    contentType: 'text/html; charset=utf-8',
  };
}

export { RMS_JSON };
