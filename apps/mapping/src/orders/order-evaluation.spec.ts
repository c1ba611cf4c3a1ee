import { exampleMarketplaceOrder, validateData, type MarketplaceOrder } from '@smartship/contracts';

import { CatalogIndex, type SkuRow } from '../matching/catalog-index';
import { evaluateOrder, toMappedOrder } from './order-evaluation';

/*
 * order.mapped carries the pulled order through: what the buyer asked for (remarks, the parsed
 * 配送日時指定 block, gift, wrappings, のし) and the amounts a warehouse collects or prints
 * (paymentCharge, points, coupons, tax rate and tax-inclusiveness of each line) reach fulfillment
 * unchanged, next to each line's resolution.
 */

/** A pulled order with every field the Rakuten normaliser fills for buyers' requests and amounts. */
function giftOrder(): MarketplaceOrder {
  const order = exampleMarketplaceOrder({ linesPerPackage: 2 });
  return {
    ...order,
    remarks: '[配送日時指定:]\n2025-03-05(水)\n午前中\n\n[備考:]\n<b>ギフト用</b> 🎁',
    remarksDelivery: { date: '2025-03-05', time: '午前中' },
    gift: true,
    wrappings: [
      { kind: 'paper', name: 'クリスマス包装', price: 220, taxIncluded: true },
      { kind: 'ribbon', name: 'リボン（赤）', price: 110, taxIncluded: true },
    ],
    totals: { ...order.totals, paymentCharge: 0, usedPoints: 300, couponTotal: 200 },
    packages: order.packages.map((pkg) => ({
      ...pkg,
      noshi: '御歳暮 / 山田',
      lines: pkg.lines.map((line, i) => ({
        ...line,
        taxRate: i === 0 ? 0.08 : 0.1,
        unitPriceTaxIncluded: i !== 0,
      })),
    })),
  };
}

function indexFor(order: MarketplaceOrder): CatalogIndex {
  const skus: SkuRow[] = order.packages
    .flatMap((pkg) => pkg.lines)
    .map((line) => ({
      id: line.itemNumber,
      code: `P-${line.itemNumber}`,
      name: line.itemName,
      sellerCode: line.itemNumber,
      components: null,
      hasOptions: false,
    }));
  return new CatalogIndex(skus, [], []);
}

describe('toMappedOrder', () => {
  it('keeps remarks, their parsed block, gift, wrappings, のし, amounts and line tax fields', () => {
    const order = giftOrder();
    const evaluation = evaluateOrder(order, indexFor(order));
    expect(evaluation.complete).toBe(true);
    const mapped = toMappedOrder(order, evaluation);
    expect(mapped).toMatchObject({
      remarks: order.remarks,
      remarksDelivery: { date: '2025-03-05', time: '午前中' },
      gift: true,
      wrappings: order.wrappings,
      totals: { paymentCharge: 0, usedPoints: 300, couponTotal: 200 },
    });
    expect(mapped.packages[0].noshi).toBe('御歳暮 / 山田');
    expect(mapped.packages[0].lines.map((l) => [l.taxRate, l.unitPriceTaxIncluded])).toEqual([
      [0.08, false],
      [0.1, true],
    ]);
    expect(mapped.packages[0].lines[0].resolution.skus[0].skuCode).toBe(
      `P-${order.packages[0].lines[0].itemNumber}`,
    );
    // And the order.mapped contract keeps them (validation strips unknown fields only).
    const data = validateData('order.mapped', {
      marketplace: 'rakuten',
      order: JSON.parse(JSON.stringify(mapped)) as unknown,
    });
    expect(data.order.remarks).toBe(order.remarks);
    expect(data.order.wrappings).toEqual(order.wrappings);
    expect(data.order.remarksDelivery).toEqual({ date: '2025-03-05', time: '午前中' });
    expect(data.order.packages[0].noshi).toBe('御歳暮 / 山田');
  });
});
