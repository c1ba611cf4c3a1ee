import { SHOP, simKit } from './sim-test-kit';

/*
 * What the chaos run (tools/chaos) needs from the simulator beyond RMS itself: throttling bursts
 * bounded in time, and a compact list of a shop's orders with what Rakuten holds of each package.
 */

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('fault rules bounded in time (throttling bursts)', () => {
  it('a rule with from / to fires only inside its sim-clock window', () => {
    const kit = simKit();
    const now = kit.sim.store.now();
    kit.sim.setFaults({
      rules: [{ kind: 'throttle', from: iso(now + 60_000), to: iso(now + 120_000) }],
      maintenance: null,
    });
    const expiry = () =>
      kit.call(
        'GET',
        `/es/1.0/license-management/license-key/expiry-date?licenseKey=${SHOP.licenseKey}`,
      ).status;
    expect(expiry()).toBe(200);
    kit.sim.store.clock.advance(60_000);
    expect(expiry()).toBe(kit.sim.store.settings.throttleStatus);
    kit.sim.store.clock.advance(60_000);
    expect(expiry()).toBe(200);
  });

  it('refuses a window bound that is not a date-time', () => {
    const kit = simKit();
    expect(() =>
      kit.sim.setFaults({ rules: [{ kind: 'throttle', from: 'soon' }], maintenance: null }),
    ).toThrow(/from and to/);
  });

  it('counts and rates still apply inside the window', () => {
    const kit = simKit();
    kit.sim.setFaults({
      rules: [{ kind: 'http500', count: 2, to: iso(kit.sim.store.now() + DAY) }],
      maintenance: null,
    });
    const statuses = [1, 2, 3].map(
      () =>
        kit.call(
          'GET',
          `/es/1.0/license-management/license-key/expiry-date?licenseKey=${SHOP.licenseKey}`,
        ).status,
    );
    expect(statuses).toEqual([500, 500, 200]);
  });
});

describe('order summaries (GET /__sim/shops/:shopId/orders)', () => {
  it('lists every order with its packages, lines and shipping records, filtered by progress', () => {
    const kit = simKit();
    kit.sim.store.generate(SHOP.shopId, {
      count: 20,
      seed: 7,
      from: iso(kit.sim.store.now() - 5 * DAY),
      progress: { '300': 1, '100': 1 },
    });
    const all = kit.sim.store.orderSummaries(SHOP.shopId);
    expect(all).toHaveLength(20);
    const waiting = kit.sim.store.orderSummaries(SHOP.shopId, 300);
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((order) => order.progress === 300)).toBe(true);
    const first = waiting[0];
    expect(first.packages.length).toBeGreaterThan(0);
    const line = first.packages[0].lines[0];
    expect(Object.keys(line).sort()).toEqual(['manageNumber', 'units', 'variantId']);
    expect(line.units).toBeGreaterThan(0);
    expect(first.packages[0].shipping).toEqual([]);
  });

  it('shows the tracking numbers a shipping report added', () => {
    const kit = simKit();
    kit.sim.store.generate(SHOP.shopId, {
      count: 1,
      seed: 9,
      from: iso(kit.sim.store.now() - DAY),
      progress: 300,
      maxPackages: 1,
    });
    const [order] = kit.sim.store.orderSummaries(SHOP.shopId);
    const basketId = order.packages[0].basketId;
    const answer = kit.order('updateOrderShipping', {
      orderNumber: order.orderNumber,
      BasketidModelList: [
        {
          basketId,
          ShippingModelList: [
            { deliveryCompany: '1001', shippingNumber: '123412341234', shippingDate: '2026-01-05' },
          ],
        },
      ],
    });
    expect(answer.status).toBe(200);
    const [after] = kit.sim.store.orderSummaries(SHOP.shopId);
    expect(after.packages[0].shipping).toEqual([
      { deliveryCompany: '1001', shippingNumber: '123412341234', shippingDate: '2026-01-05' },
    ]);
    expect(after.progress).toBe(500);
  });

  it('refuses an unknown shop', () => {
    expect(() => simKit().sim.store.orderSummaries('nope')).toThrow(/no shop/);
  });
});
