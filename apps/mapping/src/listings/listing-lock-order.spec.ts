import { compareListingKeys, sightingsInLockOrder } from './listing.store';
import type { ListingSighting } from '../orders/order-evaluation';

/*
 * The listing lock order must be PostgreSQL's "C" collation (byte order of UTF-8), which is what
 * inventory.changed's SELECT … FOR UPDATE uses; JS's `<` compares UTF-16 code units and the
 * database's default collation is linguistic, and either would lock in another order.
 */
describe('listing lock order', () => {
  const key = (shopId: string, manageNumber: string, variantKey: string) => ({
    shopId,
    manageNumber,
    variantKey,
  });

  it('compares shop, then 商品管理番号, then variant key, byte by byte', () => {
    const keys = [
      key('s2', 'a', 'x'),
      key('s1', 'b', 'x'),
      key('s1', 'B', 'x'),
      key('s1', 'b', 'item:10'),
      key('s1', 'b', 'item:9'),
    ];
    expect([...keys].sort(compareListingKeys)).toEqual([
      key('s1', 'B', 'x'), // 'B' (0x42) before 'b' (0x62), unlike a linguistic collation
      key('s1', 'b', 'item:10'),
      key('s1', 'b', 'item:9'),
      key('s1', 'b', 'x'),
      key('s2', 'a', 'x'),
    ]);
  });

  it('orders characters beyond the BMP by their UTF-8 bytes, as "C" does (JS `<` would not)', () => {
    // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    const wide = key('s', 'm', '\uFF5E');
    const emoji = key('s', 'm', '\u{1F600}');
    expect('\u{1F600}' < '\uFF5E').toBe(true);
    expect([emoji, wide].sort(compareListingKeys)).toEqual([wide, emoji]);
  });

  it("puts one order's sightings in that order", () => {
    const sighting = (manageNumber: string, variantKey: string): ListingSighting => ({
      manageNumber,
      variantKey,
      variantId: variantKey,
      merchantDefinedSkuId: null,
      itemNumber: manageNumber,
      itemName: manageNumber,
      links: null,
      matchedBy: null,
    });
    const sorted = sightingsInLockOrder([
      sighting('mug', 'v2'),
      sighting('cup', 'v9'),
      sighting('mug', 'v1'),
    ]);
    expect(sorted.map((s) => `${s.manageNumber}/${s.variantKey}`)).toEqual([
      'cup/v9',
      'mug/v1',
      'mug/v2',
    ]);
  });
});
