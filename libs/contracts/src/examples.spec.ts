import { decodeEvent, encodeEvent } from './codec';
import {
  exampleEvent,
  exampleOrderMappedData,
  exampleOrderPulledData,
  exampleOrderShippedData,
} from './examples';
import { TOPICS } from './topics';

describe('examples', () => {
  it('builds orders with the requested number of packages and lines', () => {
    const data = exampleOrderPulledData({ orderNumber: 'X-1', packages: 3, linesPerPackage: 4 });
    expect(data.order.orderNumber).toBe('X-1');
    expect(data.order.packages).toHaveLength(3);
    expect(data.order.packages.map((p) => p.lines.length)).toEqual([4, 4, 4]);
    const ids = data.order.packages.flatMap((p) => p.lines.map((l) => l.itemDetailId));
    expect(new Set(ids).size).toBe(12);
    const goods = data.order.packages
      .flatMap((p) => p.lines)
      .reduce((sum, l) => sum + l.units * l.unitPrice, 0);
    expect(data.order.totals.goodsPrice).toBe(goods);
  });

  it('is deterministic: the same options give equal data and the same event id', () => {
    expect(exampleOrderMappedData({ packages: 2 })).toEqual(
      exampleOrderMappedData({ packages: 2 }),
    );
    expect(exampleEvent(TOPICS.ORDER_PULLED).id).toBe(exampleEvent(TOPICS.ORDER_PULLED).id);
  });

  it('gives different examples different event ids, so an inbox does not merge them', () => {
    const first = exampleEvent(TOPICS.ORDER_PULLED, {
      data: exampleOrderPulledData({ orderNumber: '123456-20250301-0000000001' }),
    });
    const second = exampleEvent(TOPICS.ORDER_PULLED, {
      data: exampleOrderPulledData({ orderNumber: '123456-20250301-0000000002' }),
    });
    expect(first.id).not.toBe(second.id);
  });

  it('resolves every mapped line to its SKU with the line units', () => {
    const lines = exampleOrderMappedData({ linesPerPackage: 3 }).order.packages[0].lines;
    expect(lines.map((l) => l.resolution.skus)).toEqual([
      [{ skuCode: 'SKU-001', quantity: 1 }],
      [{ skuCode: 'SKU-002', quantity: 2 }],
      [{ skuCode: 'SKU-003', quantity: 3 }],
    ]);
  });

  it('builds valid events with many packages and parcels', () => {
    const big = exampleEvent(TOPICS.ORDER_MAPPED, {
      data: exampleOrderMappedData({ packages: 5, linesPerPackage: 10 }),
    });
    expect(decodeEvent(encodeEvent(big)).ok).toBe(true);
    const shipped = exampleEvent(TOPICS.ORDER_SHIPPED, {
      data: exampleOrderShippedData({ parcels: 20 }),
    });
    expect(decodeEvent(encodeEvent(shipped)).ok).toBe(true);
  });
});
