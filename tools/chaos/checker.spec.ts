import { type CheckerInput, type PublishedMessage, checkChaos } from './checker';

/*
 * The checker's rules on small hand-made runs: one shop, two orders (one with two packages),
 * one listing, one SKU. `world()` is a run where everything went right; each test breaks one
 * thing and expects exactly that count.
 */

const SHOP = 'conn-1';
const TENANT = 'tenant-1';
let offset = 0;

function message(
  topic: string,
  id: string,
  data: unknown,
  shopId: string | null = SHOP,
): PublishedMessage {
  return {
    topic,
    partition: 0,
    offset: String(offset++),
    value: JSON.stringify({ id, type: topic, tenantId: TENANT, shopId, data }),
  };
}

function world(): CheckerInput {
  offset = 0;
  const packages = [
    { order: 'A', basket: 1, tracking: ['111'], lines: [{ skuCode: 'SKU', quantity: 2 }] },
    { order: 'B', basket: 2, tracking: ['222', '333'], lines: [{ skuCode: 'SKU', quantity: 1 }] },
    { order: 'B', basket: 3, tracking: ['444'], lines: [{ skuCode: 'SKU', quantity: 1 }] },
  ];
  const messages: PublishedMessage[] = [
    message('order.pulled', 'p-A', { order: { orderNumber: 'A' } }),
    message('order.pulled', 'p-B', { order: { orderNumber: 'B' } }),
    ...packages.map((pkg) =>
      message('shipment.ready', `r-${pkg.basket}`, {
        fulfillmentOrderId: `fo-${pkg.basket}`,
        shopRef: { orderNumber: pkg.order, basketId: pkg.basket },
        lines: pkg.lines,
      }),
    ),
    ...packages.map((pkg) =>
      message('order.shipped', `s-${pkg.basket}`, {
        fulfillmentOrderId: `fo-${pkg.basket}`,
        orderNumber: pkg.order,
        basketId: pkg.basket,
        parcels: pkg.tracking.map((trackingNumber) => ({ trackingNumber })),
      }),
    ),
    message('listing.stock.changed', 'l-1', { manageNumber: 'item', variantId: 'v', quantity: 9 }),
    message('listing.stock.changed', 'l-2', { manageNumber: 'item', variantId: 'v', quantity: 6 }),
  ];
  const shipping = (basket: number) =>
    packages
      .find((pkg) => pkg.basket === basket)!
      .tracking.map((shippingNumber) => ({ deliveryCompany: '1001', shippingNumber }));
  return {
    shops: [
      {
        simShopId: '7001',
        connectionId: SHOP,
        tenantId: TENANT,
        generated: ['A', 'B'],
        orders: [
          {
            orderNumber: 'A',
            progress: 500,
            packages: [{ basketId: 1, lines: [], shipping: shipping(1) }],
          },
          {
            orderNumber: 'B',
            progress: 500,
            packages: [
              { basketId: 2, lines: [], shipping: shipping(2) },
              { basketId: 3, lines: [], shipping: shipping(3) },
            ],
          },
        ],
        reports: packages.flatMap((pkg) =>
          pkg.tracking.map((shippingNumber) => ({
            orderNumber: pkg.order,
            basketId: pkg.basket,
            action: 'added' as const,
            shippingNumber,
          })),
        ),
        stock: [{ manageNumber: 'item', variantId: 'v', quantity: 6 }],
      },
    ],
    messages,
    initialStock: { [TENANT]: { SKU: 10 } },
    stockLevels: [{ tenantId: TENANT, skuCode: 'SKU', onHand: 6, reserved: 0, available: 6 }],
  };
}

const ZERO = {
  ordersLost: 0,
  duplicateShipmentReady: 0,
  codAmountsWrong: 0,
  duplicateTrackingReports: 0,
  missingTrackingReports: 0,
  unexpectedTrackingReports: 0,
  stockValuesDiffer: 0,
};

describe('the chaos checker', () => {
  it('passes a run where everything arrived once', () => {
    const report = checkChaos(world());
    expect(report.counts).toEqual(ZERO);
    expect(report.ok).toBe(true);
    expect(report.figures).toMatchObject({
      ordersGenerated: 2,
      packages: 3,
      listingsCompared: 1,
      skusCompared: 1,
    });
  });

  it('does not count a redelivered event (same id) as a duplicate', () => {
    const input = world();
    input.messages.push({
      ...input.messages.find((m) => m.topic === 'shipment.ready')!,
      offset: '99',
    });
    const report = checkChaos(input);
    expect(report.counts).toEqual(ZERO);
    expect(report.figures.redeliveredEvents).toBe(1);
  });

  it('counts an order that never left Rakuten 300 as lost', () => {
    const input = world();
    input.shops[0].orders[0].progress = 300;
    expect(checkChaos(input).counts).toEqual({ ...ZERO, ordersLost: 1 });
  });

  it('counts an order without order.pulled or without shipment.ready as lost', () => {
    const input = world();
    input.messages = input.messages.filter(
      (m) => !(m.topic === 'order.pulled' && m.value!.includes('"A"')),
    );
    input.messages = input.messages.filter(
      (m) => !(m.topic === 'shipment.ready' && m.value!.includes('"basketId":3')),
    );
    const report = checkChaos(input);
    // B lost its shipment.ready, so its units are not expected off the stock either.
    expect(report.counts.ordersLost).toBe(2);
    expect(report.examples.ordersLost?.join('\n')).toMatch(
      /A: no order.pulled[\s\S]*B: basket 3: no shipment.ready/,
    );
  });

  it('counts a second shipment.ready (a new event id) for one package', () => {
    const input = world();
    input.messages.push(
      message('shipment.ready', 'r-again', {
        fulfillmentOrderId: 'fo-other',
        shopRef: { orderNumber: 'A', basketId: 1 },
        lines: [],
      }),
    );
    expect(checkChaos(input).counts).toEqual({ ...ZERO, duplicateShipmentReady: 1 });
  });

  it('counts a tracking number Rakuten received twice, one it lacks and one nobody sent', () => {
    const input = world();
    const [shop] = input.shops;
    shop.reports.push({ orderNumber: 'A', basketId: 1, action: 'added', shippingNumber: '111' });
    shop.orders[1].packages[0].shipping = [{ deliveryCompany: '1001', shippingNumber: '222' }];
    shop.orders[1].packages[1].shipping.push({ deliveryCompany: '1001', shippingNumber: '999' });
    expect(checkChaos(input).counts).toEqual({
      ...ZERO,
      duplicateTrackingReports: 1,
      missingTrackingReports: 1,
      unexpectedTrackingReports: 1,
    });
  });

  it('compares the last published listing quantity (highest offset) with Rakuten, and the books with start − shipped', () => {
    const input = world();
    input.shops[0].stock[0].quantity = 9; // the older value
    input.stockLevels[0] = {
      tenantId: TENANT,
      skuCode: 'SKU',
      onHand: 7,
      reserved: 0,
      available: 7,
    };
    expect(checkChaos(input).counts).toEqual({ ...ZERO, stockValuesDiffer: 2 });
  });

  /** Order B's basket 2 shipped in two parts: 222 with the first, 333 with the back-order. */
  function splitWorld(): CheckerInput {
    const input = world();
    input.messages = input.messages.filter((m) => !m.value!.includes('"fo-2"'));
    input.messages.push(
      message('shipment.ready', 'r-2a', {
        fulfillmentOrderId: 'fo-2a',
        shopRef: { orderNumber: 'B', basketId: 2 },
        part: { kind: 'in_stock', otherFulfillmentOrderId: 'fo-2b' },
        lines: [{ skuCode: 'SKU', quantity: 1 }],
      }),
      message('order.shipped', 's-2a', {
        fulfillmentOrderId: 'fo-2a',
        orderNumber: 'B',
        basketId: 2,
        parcels: [{ trackingNumber: '222' }],
      }),
      message('shipment.ready', 'r-2b', {
        fulfillmentOrderId: 'fo-2b',
        shopRef: { orderNumber: 'B', basketId: 2 },
        part: { kind: 'back_order', otherFulfillmentOrderId: 'fo-2a' },
        lines: [{ skuCode: 'SKU', quantity: 1 }],
      }),
      message('order.shipped', 's-2b', {
        fulfillmentOrderId: 'fo-2b',
        orderNumber: 'B',
        basketId: 2,
        parcels: [{ trackingNumber: '333' }],
      }),
    );
    // One more unit left the warehouse than in world(): the split line carries 1 + 1.
    input.stockLevels[0] = {
      tenantId: TENANT,
      skuCode: 'SKU',
      onHand: 5,
      reserved: 0,
      available: 5,
    };
    return input;
  }

  it('accepts a package shipped in two parts (in_stock + back_order) and counts both parts off the stock', () => {
    const report = checkChaos(splitWorld());
    expect(report.counts).toEqual(ZERO);
    expect(report.figures.splitPackages).toBe(1);
  });

  it('counts a third fulfillment order, or two of the same part, for one package', () => {
    const input = splitWorld();
    input.messages.push(
      message('shipment.ready', 'r-2c', {
        fulfillmentOrderId: 'fo-2c',
        shopRef: { orderNumber: 'B', basketId: 2 },
        part: { kind: 'back_order', otherFulfillmentOrderId: 'fo-2a' },
        lines: [],
      }),
    );
    expect(checkChaos(input).counts).toEqual({ ...ZERO, duplicateShipmentReady: 1 });
  });

  it('checks that a cash-on-delivery order collects its request price once, and a prepaid one nothing', () => {
    const input = world();
    const [shop] = input.shops;
    shop.orders[0] = { ...shop.orders[0], cashOnDelivery: true, requestPrice: 3300 };
    shop.orders[1] = { ...shop.orders[1], cashOnDelivery: false, requestPrice: 5000 };
    const withAmounts = (amounts: Record<string, number>) =>
      input.messages.map((m) => {
        if (m.topic !== 'shipment.ready') return m;
        const event = JSON.parse(m.value!);
        const amount = amounts[event.data.fulfillmentOrderId] ?? 0;
        event.data.payment = { cashOnDelivery: amount > 0, amountToCollect: amount };
        return { ...m, value: JSON.stringify(event) };
      });
    input.messages = withAmounts({ 'fo-1': 3300 });
    expect(checkChaos(input).counts).toEqual(ZERO);
    expect(checkChaos(input).figures.codOrders).toBe(1);

    input.messages = withAmounts({ 'fo-1': 3000, 'fo-3': 100 });
    const report = checkChaos(input);
    expect(report.counts).toEqual({ ...ZERO, codAmountsWrong: 2 });
    expect(report.examples.codAmountsWrong?.join('\n')).toMatch(
      /A: cash on delivery, to collect 3000/,
    );
  });
});
