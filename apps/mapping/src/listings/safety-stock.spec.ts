import { bufferedListingQuantity } from './safety-stock';

/* The quantity a listing shows under safety stock (README "Stock: safety stock and drift"). */
describe('bufferedListingQuantity', () => {
  const sku = (available: number, safetyStock = 0, perUnit = 1) => ({
    available,
    perUnit,
    safetyStock,
  });

  it('shows available when nothing is held back', () => {
    expect(bufferedListingQuantity([sku(10)], 0)).toBe(10);
  });

  it('adds the SKU buffer and the shop buffer up', () => {
    expect(bufferedListingQuantity([sku(10, 2)], 3)).toBe(5);
    expect(bufferedListingQuantity([sku(10, 0)], 3)).toBe(7);
    expect(bufferedListingQuantity([sku(10, 4)], 0)).toBe(6);
  });

  it('never goes below 0', () => {
    expect(bufferedListingQuantity([sku(3, 5)], 0)).toBe(0);
    expect(bufferedListingQuantity([sku(3)], 5)).toBe(0);
    expect(bufferedListingQuantity([sku(-4, 1)], 2)).toBe(0);
    expect(bufferedListingQuantity([], 0)).toBe(0);
  });

  it('takes a bundle component buffer off before dividing, the shop buffer off the bundles', () => {
    // Component A: (11 − 1) / 2 = 5 bundles; component B: (9 − 0) / 3 = 3 bundles → 3, less 1.
    expect(bufferedListingQuantity([sku(11, 1, 2), sku(9, 0, 3)], 1)).toBe(2);
    // A's buffer makes it the scarcer one: (11 − 7) / 2 = 2 → 2, less 0.
    expect(bufferedListingQuantity([sku(11, 7, 2), sku(9, 0, 3)], 0)).toBe(2);
    // The shop buffer larger than the bundles left: 0.
    expect(bufferedListingQuantity([sku(11, 1, 2), sku(9, 0, 3)], 10)).toBe(0);
  });

  it("never shows more than Rakuten's 99,999, buffers taken off first", () => {
    expect(bufferedListingQuantity([sku(200_000)], 0)).toBe(99_999);
    expect(bufferedListingQuantity([sku(100_004)], 10)).toBe(99_994);
  });
});
