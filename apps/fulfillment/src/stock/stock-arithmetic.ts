import type { ShipmentLine, ShortLineView } from '@smartship/contracts';

/** A SKU's counts as stored: units in the warehouse and units promised to fulfillment orders. */
export interface StockLevel {
  onHand: number;
  reserved: number;
}

/** Units that can still be promised: on hand − reserved (negative after a stock-take found less). */
export function availableOf(level: StockLevel): number {
  return level.onHand - level.reserved;
}

/** A reservation succeeds for every line or for none. */
export type ReservationPlan = { ok: true } | { ok: false; shortLines: ShortLineView[] };

/**
 * Whether `lines` fit in `levels` (a SKU missing from `levels` has nothing on hand). All or
 * nothing: a fulfillment order is never sent to the warehouse with part of its units. Lines are
 * expected one per SKU (see mergeLines); repeated SKUs are added up anyway.
 */
export function planReservation(
  lines: readonly ShipmentLine[],
  levels: ReadonlyMap<string, StockLevel>,
): ReservationPlan {
  const needed = new Map<string, number>();
  for (const { skuCode, quantity } of lines) {
    needed.set(skuCode, (needed.get(skuCode) ?? 0) + quantity);
  }
  const shortLines: ShortLineView[] = [];
  for (const [skuCode, quantity] of needed) {
    const level = levels.get(skuCode) ?? { onHand: 0, reserved: 0 };
    const available = availableOf(level);
    if (available < quantity) shortLines.push({ skuCode, needed: quantity, available });
  }
  return shortLines.length === 0 ? { ok: true } : { ok: false, shortLines };
}

/** Counts after reserving `quantity` units (the caller has checked they fit). */
export function reserve(level: StockLevel, quantity: number): StockLevel {
  return { onHand: level.onHand, reserved: level.reserved + quantity };
}

/**
 * Counts after giving back a reservation (cancellation). Never below zero: rows from before
 * reservations existed shipped or canceled without one.
 */
export function release(level: StockLevel, quantity: number): StockLevel {
  return { onHand: level.onHand, reserved: Math.max(0, level.reserved - quantity) };
}

/**
 * Counts after `quantity` units left the warehouse: on hand goes down, and so does the
 * reservation when the fulfillment order held one. On hand never goes below zero (a stock-take
 * may have set it lower than what was already promised).
 */
export function ship(level: StockLevel, quantity: number, wasReserved: boolean): StockLevel {
  return {
    onHand: Math.max(0, level.onHand - quantity),
    reserved: wasReserved ? Math.max(0, level.reserved - quantity) : level.reserved,
  };
}

/** One line per SKU: two order lines of the same SKU are picked together. Sorted by SKU code. */
export function mergeLines(skus: readonly ShipmentLine[]): ShipmentLine[] {
  const bySku = new Map<string, number>();
  for (const { skuCode, quantity } of skus)
    bySku.set(skuCode, (bySku.get(skuCode) ?? 0) + quantity);
  return [...bySku]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([skuCode, quantity]) => ({ skuCode, quantity }));
}

/** "SKU-1 needs 3, 1 available; SKU-2 needs 1, 0 available" */
export function describeShortLines(shortLines: readonly ShortLineView[]): string {
  return shortLines
    .map(({ skuCode, needed, available }) => `${skuCode} needs ${needed}, ${available} available`)
    .join('; ');
}
