import 'reflect-metadata';

import { MarketplaceOrder } from '@smartship/contracts';
import {
  bulkUpsertInventoryChunked,
  confirmOrdersChunked,
  getOrdersChunked,
  InMemoryRateLimiter,
  normalizeOrder,
  RakutenClient,
  RakutenError,
  RakutenErrorCode,
  searchAllOrderNumbers,
  SEARCH_DATE_TYPE,
  type RakutenClientOptions,
} from '@smartship/rakuten';
import { expectEventually } from '@smartship/testing';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { startSimulator, type RunningSimulator } from '../simulator-app';

/*
 * Contract tests: the real client (libs/rakuten) against the simulator over real HTTP, for every
 * function the client has and every error class. The simulator runs in this process on a free
 * port; tests drive scenarios through its store and read back what it received.
 */

const SHOP = {
  shopId: '123456',
  serviceSecret: 'SP123456_contract',
  licenseKey: 'SL123456_contract',
};
const DAY = 86_400_000;

let running: RunningSimulator;

beforeAll(async () => {
  running = await startSimulator();
});

afterAll(async () => {
  await running?.close();
});

beforeEach(() => {
  running.simulator.reset();
  running.simulator.store.createShop(SHOP);
});

function client(options: Partial<RakutenClientOptions> = {}): RakutenClient {
  return new RakutenClient({
    credentials: { serviceSecret: SHOP.serviceSecret, licenseKey: SHOP.licenseKey },
    baseUrl: running.url,
    retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
    timeoutMs: 2000,
    ...options,
  });
}

const store = () => running.simulator.store;
const calls = (fn?: string) => running.simulator.getCalls({ function: fn });

function generate(count: number, days = 10, extra: object = {}) {
  const now = store().now();
  return store().generate(SHOP.shopId, {
    count,
    seed: 11,
    from: new Date(now - days * DAY).toISOString(),
    to: new Date(now).toISOString(),
    ...extra,
  });
}

function addOrder(progress: number): string {
  store().generate(SHOP.shopId, { count: 1 }); // makes sure the default catalog exists
  return (
    store().addOrder(SHOP.shopId, {
      progress,
      lines: [{ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }],
    }) as { orderNumber: string }
  ).orderNumber;
}

async function failure(promise: Promise<unknown>): Promise<RakutenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RakutenError) return error;
    throw error;
  }
  throw new Error('expected a RakutenError');
}

const now = () => new Date(store().now());
const urlOf = (input: string | URL | Request) =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
const daysAgo = (days: number) => new Date(store().now() - days * DAY);

describe('Order API over HTTP', () => {
  it('searchOrder → getOrder (v10) → normalizeOrder gives valid MarketplaceOrders for every state', async () => {
    generate(300);
    const rakuten = client();
    const found = await searchAllOrderNumbers(
      rakuten,
      SEARCH_DATE_TYPE.ORDER_DATE,
      daysAgo(11),
      now(),
    );
    expect(found.orderNumbers).toHaveLength(300);
    const { orders, missing, version } = await getOrdersChunked(rakuten, found.orderNumbers);
    expect(missing).toEqual([]);
    expect(version).toBe(10);
    expect(new Set(orders.map((o) => o.orderProgress)).size).toBeGreaterThanOrEqual(8);
    for (const model of orders) {
      const normalized = plainToInstance(
        MarketplaceOrder,
        JSON.parse(JSON.stringify(normalizeOrder(model))),
      );
      expect(validateSync(normalized, { forbidUnknownValues: true })).toEqual([]);
    }
    expect(calls('getOrder')).toHaveLength(3); // 300 numbers, 100 per call
  });

  it('confirmOrder returns per-order outcomes and moves 100 → 200 → 300', async () => {
    store().updateSettings({ processingDelayMs: 100 });
    const fresh = addOrder(100);
    const shipped = addOrder(500);
    const outcomes = await client().confirmOrder([fresh, shipped]);
    expect(outcomes.map((o) => [o.ok, o.code])).toEqual([
      [true, 'ORDER_EXT_API_CONFIRM_ORDER_INFO_101'],
      [false, 'ORDER_EXT_API_CONFIRM_ORDER_ERROR_103'],
    ]);
    const rakuten = client();
    expect((await rakuten.getOrder([fresh])).orders[0].orderProgress).toBe(200);
    await expectEventually(
      async () => expect((await rakuten.getOrder([fresh])).orders[0].orderProgress).toBe(300),
      { timeoutMs: 5000, intervalMs: 50 },
    );
  });

  it('confirmOrdersChunked confirms 250 orders in 3 calls of at most 100', async () => {
    generate(250, 5, { progress: 100, unfixedShare: 0 });
    const numbers = store()
      .shop(SHOP.shopId)
      .orders.map((o) => o.orderNumber);
    const outcomes = await confirmOrdersChunked(client(), numbers);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(250);
    expect(
      calls('confirmOrder').map(
        (c) => (c.body as { orderNumberList: string[] }).orderNumberList.length,
      ),
    ).toEqual([100, 100, 50]);
  });

  it('cancelOrder cancels before shipping and reports a refused cancel per order', async () => {
    const open = addOrder(300);
    const shipped = addOrder(500);
    const ok = await client().cancelOrder({
      orderNumber: open,
      inventoryRestoreType: 1,
      changeReasonDetailApply: 8,
    });
    expect(ok).toMatchObject({ ok: true, code: 'ORDER_EXT_API_CANCEL_ORDER_INFO_101' });
    expect(store().order(open).progress).toBe(800);
    const refused = await client().cancelOrder({
      orderNumber: shipped,
      inventoryRestoreType: 1,
      changeReasonDetailApply: 8,
    });
    expect(refused.ok).toBe(false);
  });

  it('updateOrderShipping reports a parcel, the order moves to 500 and the simulator holds the report', async () => {
    const number = addOrder(300);
    const basketId = store().order(number).packages[0].basketId;
    const outcome = await client().updateOrderShipping({
      orderNumber: number,
      BasketidModelList: [
        {
          basketId,
          ShippingModelList: [
            { deliveryCompany: '1001', shippingNumber: '123456789012', shippingDate: '2025-03-03' },
          ],
        },
      ],
    });
    expect(outcome.ok).toBe(true);
    expect(outcome.lines[0]).toMatchObject({
      dataNumber: 1,
      code: 'ORDER_EXT_API_UPDATE_ORDERSHIPPING_INFO_101',
    });
    expect(outcome.lines[0].shippingDetailId).toEqual(expect.any(Number));
    expect(store().order(number).progress).toBe(500);
    expect(store().shop(SHOP.shopId).shippingReports).toEqual([
      expect.objectContaining({
        orderNumber: number,
        basketId,
        deliveryCompany: '1001',
        shippingNumber: '123456789012',
        shippingDate: '2025-03-03',
        action: 'added',
        via: 'sync',
      }),
    ]);
  });

  it('updateOrderShipping on a cancelled order is a per-order failure (ERROR_102), not an exception', async () => {
    const number = addOrder(900);
    const basketId = store().order(number).packages[0].basketId;
    const outcome = await client().updateOrderShipping({
      orderNumber: number,
      BasketidModelList: [
        {
          basketId,
          ShippingModelList: [
            { deliveryCompany: '1001', shippingNumber: '1', shippingDate: '2025-03-03' },
          ],
        },
      ],
    });
    expect(outcome).toMatchObject({
      ok: false,
      lines: [expect.objectContaining({ code: 'ORDER_EXT_API_UPDATE_ORDERSHIPPING_ERROR_102' })],
    });
  });

  it('updateOrderShippingAsync → requestId → getResultUpdateOrderShippingAsync not ready, then per-order outcomes', async () => {
    store().updateSettings({ asyncShippingDelayMs: 300 });
    const numbers = [addOrder(300), addOrder(300)];
    const submission = await client().updateOrderShippingAsync(
      numbers.map((orderNumber) => ({
        orderNumber,
        BasketidModelList: [
          {
            basketId: store().order(orderNumber).packages[0].basketId,
            ShippingModelList: [
              {
                deliveryCompany: '1002',
                shippingNumber: `T-${orderNumber}`,
                shippingDate: '2025-03-03',
              },
            ],
          },
        ],
      })),
    );
    if (!submission.accepted) throw new Error('not accepted');
    expect((await client().getResultUpdateOrderShippingAsync(submission.requestId)).ready).toBe(
      false,
    );
    const result = await expectEventually(
      async () => {
        const r = await client().getResultUpdateOrderShippingAsync(submission.requestId);
        if (!r.ready) throw new Error('not ready');
        return r;
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );
    expect(result.orders.map((o) => [o.orderNumber, o.ok])).toEqual(numbers.map((n) => [n, true]));
    expect(numbers.map((n) => store().order(n).progress)).toEqual([500, 500]);
  });

  it('updateOrderShippingAsync with a carrier name is refused at once with per-order errors', async () => {
    const number = addOrder(300);
    const submission = await client().updateOrderShippingAsync([
      {
        orderNumber: number,
        BasketidModelList: [
          {
            basketId: 1,
            ShippingModelList: [
              { deliveryCompany: '佐川急便', shippingNumber: '1', shippingDate: '2025-03-03' },
            ],
          },
        ],
      },
    ]);
    expect(submission).toMatchObject({
      accepted: false,
      errors: [expect.objectContaining({ orderNumber: number, dataNumber: 1 })],
    });
  });

  it('getLicenseExpiry reads the key expiry, and the key never appears in the call log', async () => {
    const expiry = await client().getLicenseExpiry(SHOP.licenseKey);
    expect(expiry.expiryDate).toMatch(/T23:59:59\+0900$/);
    expect(expiry.expiresAt.getTime()).toBeGreaterThan(store().now() + 88 * DAY);
    expect(JSON.stringify(calls())).not.toContain(SHOP.licenseKey);
  });
});

describe('search limits over HTTP (docs/rakuten-rms.md §2.1, §6)', () => {
  it('exactly 1,000 results take one page; 1,001 take two', async () => {
    generate(1000, 3);
    const first = await searchAllOrderNumbers(
      client(),
      SEARCH_DATE_TYPE.ORDER_DATE,
      daysAgo(4),
      now(),
    );
    expect(first).toMatchObject({ calls: 1 });
    expect(first.orderNumbers).toHaveLength(1000);
    generate(1, 2, { seed: 99 });
    const second = await searchAllOrderNumbers(
      client(),
      SEARCH_DATE_TYPE.ORDER_DATE,
      daysAgo(4),
      now(),
    );
    expect(second).toMatchObject({ calls: 2 });
    expect(second.orderNumbers).toHaveLength(1001);
  });

  it('a range over 63 days is split into windows of at most 63 days, not rejected', async () => {
    generate(500, 100);
    const result = await searchAllOrderNumbers(
      client(),
      SEARCH_DATE_TYPE.ORDER_DATE,
      daysAgo(101),
      now(),
    );
    expect(result.orderNumbers).toHaveLength(500);
    const windows = calls('searchOrder').map(
      (c) => c.body as { startDatetime: string; endDatetime: string },
    );
    expect(windows).toHaveLength(2);
    for (const w of windows) {
      expect(
        Date.parse(w.endDatetime.replace('+0900', '+09:00')) -
          Date.parse(w.startDatetime.replace('+0900', '+09:00')),
      ).toBeLessThanOrEqual(63 * DAY);
    }
    expect(calls('searchOrder').every((c) => c.status === 200)).toBe(true);
  });

  it('more than 15,000 matches in a window: the window is halved until every order is reached', async () => {
    generate(20_000, 10);
    const result = await searchAllOrderNumbers(
      client(),
      SEARCH_DATE_TYPE.ORDER_DATE,
      daysAgo(11),
      now(),
    );
    expect(new Set(result.orderNumbers).size).toBe(20_000);
    expect(result.cappedWindows).toEqual([]);
  });

  it('an order that appears while a search is being paged is not lost', async () => {
    generate(2500, 5);
    let injected: string | null = null;
    const sneaky: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!injected && urlOf(input).includes('searchOrder')) {
        // After page 1 was served: a new order with an early order date shifts every later page.
        injected = (
          store().addOrder(SHOP.shopId, {
            orderedAt: daysAgo(4.9).toISOString(),
            lines: [{ manageNumber: 'mug-002' }],
          }) as { orderNumber: string }
        ).orderNumber;
      }
      return response;
    };
    const result = await searchAllOrderNumbers(
      client({ fetch: sneaky }),
      SEARCH_DATE_TYPE.ORDER_DATE,
      daysAgo(6),
      now(),
    );
    expect(injected).not.toBeNull();
    expect(result.orderNumbers).toContain(injected);
    expect(new Set(result.orderNumbers).size).toBe(2501);
  });
});

describe('Inventory and Item APIs over HTTP', () => {
  beforeEach(() => {
    store().generate(SHOP.shopId, { count: 1 }); // default catalog
  });

  it('upsert (204), get, bulk-get, range and delete', async () => {
    const rakuten = client();
    await rakuten.upsertInventoryVariant(
      { manageNumber: 'TEE-001', variantId: 'tee-001-m-bk' },
      { mode: 'ABSOLUTE', quantity: 7 },
    );
    await rakuten.upsertInventoryVariant(
      { manageNumber: 'tee-001', variantId: 'tee-001-m-bk' },
      { mode: 'RELATIVE', quantity: -2 },
    );
    expect(
      await rakuten.getInventoryVariant({ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }),
    ).toMatchObject({ manageNumber: 'tee-001', quantity: 5 });
    expect(
      await rakuten.bulkGetInventory([
        { manageNumber: 'tee-001', variantId: 'tee-001-m-bk' },
        { manageNumber: 'tee-001', variantId: 'nope' },
      ]),
    ).toHaveLength(1);
    expect(await rakuten.bulkGetInventoryRange({ maxQuantity: 10 })).toHaveLength(1);
    expect(
      await rakuten.deleteInventoryVariant({ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }),
    ).toBe(true);
    expect(
      await rakuten.deleteInventoryVariant({ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }),
    ).toBe(false);
    expect(
      await rakuten.getInventoryVariant({ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }),
    ).toBeNull();
  });

  it('bulkUpsertInventoryChunked writes 1,000 rows in 3 calls of at most 400; the simulator holds the values', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      manageNumber: 'tee-001',
      variantId: `bulk-${i}`,
      mode: 'ABSOLUTE' as const,
      quantity: i % 50,
    }));
    expect(await bulkUpsertInventoryChunked(client(), rows)).toEqual({ written: 1000, calls: 3 });
    expect(
      calls('inventoryBulkUpsert').map(
        (c) => (c.body as { inventories: unknown[] }).inventories.length,
      ),
    ).toEqual([400, 400, 200]);
    expect(store().stock(SHOP.shopId)).toHaveLength(1000); // unknown variants: accepted as orphans
  });

  it('an invalid quantity is INVALID_REQUEST naming the field', async () => {
    const error = await failure(
      client().bulkUpsertInventory([
        { manageNumber: 'tee-001', variantId: 'tee-001-m-bk', mode: 'ABSOLUTE', quantity: 100_000 },
      ]),
    );
    expect(error).toMatchObject({
      code: RakutenErrorCode.INVALID_REQUEST,
      rmsCode: 'IE0003',
      field: 'inventories[0].quantity',
    });
  });

  it('getItem and searchItems link a listing to SKUs', async () => {
    const item = await client().getItem('tee-001');
    expect(Object.keys(item?.variants ?? {})).toContain('tee-001-m-bk');
    expect(await client().getItem('nope')).toBeNull();
    const found = await client().searchItems({ merchantDefinedSkuId: 'TEE001-M-BK' });
    expect(found.results.map((r) => r.item.manageNumber)).toEqual(['tee-001']);
  });
});

describe('error classes over HTTP', () => {
  it('AUTHENTICATION: an expired key (ES01-01), not retried', async () => {
    store().clock.advance(91 * DAY);
    const error = await failure(
      client().searchOrder({
        dateType: 1,
        startDatetime: '2025-03-01T00:00:00+0900',
        endDatetime: '2025-03-02T00:00:00+0900',
      }),
    );
    expect(error).toMatchObject({
      code: RakutenErrorCode.AUTHENTICATION,
      rmsCode: 'ES01-01',
      retryable: false,
      status: 401,
    });
    expect(calls('searchOrder')).toHaveLength(1);
    expect(error.message).not.toContain(SHOP.licenseKey);
  });

  it('FUNCTION_NOT_ENABLED: ES04-01 for a function the key lacks', async () => {
    store().updateShop(SHOP.shopId, { enabledFunctions: ['rpay.order.searchOrder'] });
    const error = await failure(client().getOrder(['123456-20250301-0000000001']));
    expect(error).toMatchObject({
      code: RakutenErrorCode.FUNCTION_NOT_ENABLED,
      rmsCode: 'ES04-01',
    });
    expect(error.message).toContain('rpay.order.getOrder');
  });

  it('INVALID_REQUEST: a carrier name in a shipping report, with the field', async () => {
    const number = addOrder(300);
    const error = await failure(
      client().updateOrderShipping({
        orderNumber: number,
        BasketidModelList: [
          { basketId: 1, ShippingModelList: [{ deliveryCompany: 'ヤマト運輸' }] },
        ],
      }),
    );
    expect(error).toMatchObject({
      code: RakutenErrorCode.INVALID_REQUEST,
      field: 'deliveryCompany',
      rmsCode: 'ORDER_EXT_API_UPDATE_ORDERSHIPPING_ERROR_011',
    });
  });

  it('THROTTLED: a read is retried through a throttling burst; without retries it surfaces', async () => {
    running.simulator.setFaults({
      rules: [{ kind: 'throttle', function: 'getOrder', count: 2 }],
      maintenance: null,
    });
    expect((await client().getOrder([addOrder(100)])).orders).toHaveLength(1);
    running.simulator.setFaults({ rules: [{ kind: 'throttle', count: 1 }], maintenance: null });
    const error = await failure(client({ retry: { attempts: 1 } }).getOrder(['x']));
    expect(error).toMatchObject({ code: RakutenErrorCode.THROTTLED, retryable: true, status: 429 });
  });

  it('UNAVAILABLE: a maintenance window with an HTML body, and 5xx', async () => {
    const at = store().now();
    running.simulator.setFaults({
      rules: [],
      maintenance: {
        from: new Date(at - 1000).toISOString(),
        to: new Date(at + 3_600_000).toISOString(),
      },
    });
    const maintenance = await failure(client().getOrder(['x']));
    expect(maintenance).toMatchObject({
      code: RakutenErrorCode.UNAVAILABLE,
      status: 503,
      attempts: 3,
    });
    expect(maintenance.message).toContain('maintenance');
    running.simulator.setFaults({ rules: [{ kind: 'http500', count: 1 }], maintenance: null });
    const error = await failure(client({ retry: { attempts: 1 } }).getOrder(['x']));
    expect(error).toMatchObject({ code: RakutenErrorCode.UNAVAILABLE, status: 500 });
  });

  it('TIMEOUT: a write that timed out was applied by RMS, and the client did not send it twice', async () => {
    const number = addOrder(100);
    running.simulator.setFaults({
      rules: [{ kind: 'timeout', function: 'confirmOrder', count: 1, delayMs: 1500 }],
      maintenance: null,
    });
    const error = await failure(client({ timeoutMs: 300 }).confirmOrder([number]));
    expect(error).toMatchObject({ code: RakutenErrorCode.TIMEOUT, retryable: true });
    expect(calls('confirmOrder')).toHaveLength(1);
    expect(store().order(number).progress).toBe(200);
  });

  it('NETWORK: a dropped connection', async () => {
    running.simulator.setFaults({ rules: [{ kind: 'reset', count: 5 }], maintenance: null });
    const error = await failure(client({ retry: { attempts: 1 } }).getOrder(['x']));
    expect(error.code).toBe(RakutenErrorCode.NETWORK);
  });

  it('UNEXPECTED_RESPONSE: a base URL that is not RMS answers JSON of another shape', async () => {
    const error = await failure(
      client({ baseUrl: `${running.url}/__sim/nothing` }).getOrder(['x']),
    );
    expect(error).toMatchObject({ code: RakutenErrorCode.UNEXPECTED_RESPONSE, retryable: false });
  });

  it('an auth flap (ES01-01 for a valid key) is not retried, even for a read: the caller marks the shop failing', async () => {
    running.simulator.setFaults({ rules: [{ kind: 'authFlap', count: 1 }], maintenance: null });
    const error = await failure(client().getOrder(['x']));
    expect(error.code).toBe(RakutenErrorCode.AUTHENTICATION);
    expect(calls('getOrder')).toHaveLength(1);
  });
});

describe('rate limits over HTTP', () => {
  it("with a limiter the client waits for its slot and is never throttled at the simulator's 2 rps", async () => {
    store().updateShop(SHOP.shopId, { rateLimits: { order: 2 } });
    const rakuten = client({
      rateLimiter: new InMemoryRateLimiter(),
      rateLimits: { order: 2 },
      retry: { attempts: 1 },
    });
    const number = addOrder(100);
    await Promise.all(Array.from({ length: 6 }, () => rakuten.getOrder([number])));
    const received = calls('getOrder');
    expect(received.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // At most 2 in any second at the simulator's end: the 3rd call after any one is 1 s later.
    for (let i = 2; i < received.length; i++)
      expect(received[i].atMs - received[i - 2].atMs).toBeGreaterThanOrEqual(1000);
  });

  it('without a limiter the same burst is throttled (429), which is what the limiter prevents', async () => {
    store().updateShop(SHOP.shopId, { rateLimits: { order: 2 } });
    const rakuten = client({ retry: { attempts: 1 } });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => rakuten.getOrder(['x'])),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
  });
});
