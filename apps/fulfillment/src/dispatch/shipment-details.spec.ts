import { type ShipmentItem, exampleOrderMappedData } from '@smartship/contracts';

import { codAmountUnfixed, detailsForPackage, senderParty, splitLines } from './shipment-details';

function item(id: number, skus: [string, number][]): ShipmentItem {
  return {
    itemDetailId: id,
    itemNumber: `i-${id}`,
    manageNumber: `m-${id}`,
    itemName: `item ${id}`,
    selectedChoice: '',
    units: 1,
    unitPrice: 1000,
    taxRate: 0.1,
    skus: skus.map(([skuCode, quantity]) => ({ skuCode, quantity })),
  };
}

describe('splitLines', () => {
  const stock = (levels: Record<string, number>) => (sku: string) => levels[sku] ?? 0;

  it('takes whole lines that fit, first fit in line order; a bundle needs every component', () => {
    const a = item(1, [['X', 2]]);
    const bundle = item(2, [
      ['Y', 1],
      ['Z', 1],
    ]);
    const c = item(3, [['W', 1]]);
    expect(splitLines([a, bundle, c], stock({ X: 5, Y: 1, W: 1 }))).toEqual({
      inStock: [a, c],
      backOrder: [bundle],
    });
  });

  it('counts what earlier lines took of a SKU', () => {
    const a = item(1, [['X', 2]]);
    const b = item(2, [['X', 2]]);
    const c = item(3, [['X', 1]]);
    expect(splitLines([a, b, c], stock({ X: 3 }))).toEqual({ inStock: [a, c], backOrder: [b] });
  });

  it('adds up one SKU named twice in a line', () => {
    const a = item(1, [
      ['X', 1],
      ['X', 1],
    ]);
    const b = item(2, [['Y', 1]]);
    expect(splitLines([a, b], stock({ X: 1, Y: 1 }))).toEqual({ inStock: [b], backOrder: [a] });
  });

  it('is null when nothing or everything fits (nothing to split)', () => {
    const a = item(1, [['X', 1]]);
    const b = item(2, [['Y', 1]]);
    expect(splitLines([a, b], stock({}))).toBeNull();
    expect(splitLines([a, b], stock({ X: 1, Y: 1 }))).toBeNull();
    expect(splitLines([a, b], stock({ X: -2, Y: 0 }))).toBeNull();
  });
});

describe('detailsForPackage', () => {
  function cod(requestPrice: number | null) {
    const data = exampleOrderMappedData({ packages: 3, linesPerPackage: 1 });
    data.order.settlementMethodCode = 2;
    data.order.totals.requestPrice = requestPrice;
    // Listed out of basket order: the lowest basketId collects, wherever it is listed.
    data.order.packages.reverse();
    return data.order;
  }

  it('cash on delivery: the package with the lowest basketId collects requestPrice, the others 0', () => {
    const order = cod(5000);
    const amounts = order.packages.map((pkg) => [
      pkg.basketId,
      detailsForPackage(order, pkg).payment.amountToCollect,
    ]);
    expect(amounts).toEqual([
      [10_000_003, 0],
      [10_000_002, 0],
      [10_000_001, 5000],
    ]);
    expect(detailsForPackage(order, order.packages[0]).payment.cashOnDelivery).toBe(true);
  });

  it('an amount Rakuten has not fixed holds every package of a COD order, and no other order', () => {
    const order = cod(null);
    for (const pkg of order.packages) {
      expect(codAmountUnfixed(detailsForPackage(order, pkg))).toBe(true);
    }
    const card = exampleOrderMappedData().order;
    card.totals.requestPrice = null;
    const details = detailsForPackage(card, card.packages[0]);
    expect(details.payment).toMatchObject({ cashOnDelivery: false, amountToCollect: 0 });
    expect(codAmountUnfixed(details)).toBe(false);
    expect(codAmountUnfixed(null)).toBe(false);
  });

  it('fills what RMS did not send with the documented defaults and sums the wrappings', () => {
    const order = exampleOrderMappedData().order;
    order.wrappings = [
      { kind: 'paper', name: '包装紙', price: 220, taxIncluded: true },
      { kind: 'ribbon', name: 'リボン', price: 110, taxIncluded: true },
    ];
    order.remarks = '';
    const details = detailsForPackage(order, order.packages[0]);
    expect(details.totals).toMatchObject({
      deliveryPrice: 0,
      paymentCharge: 0,
      usedPoints: 0,
      couponTotal: 0,
      wrappingPrice: 330,
    });
    expect(details.remarks).toBeNull();
    expect(details.gift).toEqual({ requested: false, wrappings: order.wrappings, noshi: null });
    expect(details.delivery.fromRemarks).toBeNull();
  });
});

describe('senderParty', () => {
  it('keeps the address fields given and leaves the slip message out', () => {
    expect(
      senderParty({ name: '店', zipCode: '150-0001', city: null, message: 'ありがとう' }),
    ).toEqual({ name: '店', zipCode: '150-0001' });
  });
});
