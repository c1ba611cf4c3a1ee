import type { CallOptions, GetOrderResult, OrderOutcome, RakutenClient } from './rakuten-client';
import { RMS_LIMITS } from './rms-functions';
import type { BulkUpsertItem, InventoryKey, InventoryVariant } from './types/inventory-api.types';

/*
 * Jobs bigger than one RMS call, split into calls that respect the documented batch limits
 * (docs/rakuten-rms.md §0, §5.1). Calls run one after another: the rate limiter would serialise them
 * anyway, and sequential calls keep a failure's position obvious.
 */

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError('chunk size must be a positive integer');
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** getOrder for any number of orders, 100 per call; duplicates are asked for once. */
export async function getOrdersChunked(
  client: RakutenClient,
  orderNumbers: readonly string[],
  options: CallOptions = {},
): Promise<GetOrderResult> {
  const result: GetOrderResult = { orders: [], missing: [], version: undefined, messages: [] };
  for (const batch of chunk([...new Set(orderNumbers)], RMS_LIMITS.getOrderBatch)) {
    const part = await client.getOrder(batch, options);
    result.orders.push(...part.orders);
    result.missing.push(...part.missing);
    result.messages.push(...part.messages);
    result.version = part.version;
  }
  return result;
}

/** confirmOrder for any number of orders, 100 per call; one outcome per order. */
export async function confirmOrdersChunked(
  client: RakutenClient,
  orderNumbers: readonly string[],
  options: CallOptions = {},
): Promise<OrderOutcome[]> {
  const outcomes: OrderOutcome[] = [];
  for (const batch of chunk([...new Set(orderNumbers)], RMS_LIMITS.confirmOrderBatch)) {
    outcomes.push(...(await client.confirmOrder(batch, options)));
  }
  return outcomes;
}

/** inventories.bulk.get for any number of keys, 1000 per call. */
export async function bulkGetInventoryChunked(
  client: RakutenClient,
  keys: readonly InventoryKey[],
  options: CallOptions = {},
): Promise<InventoryVariant[]> {
  const rows: InventoryVariant[] = [];
  for (const batch of chunk(keys, RMS_LIMITS.inventoryBulkGetBatch)) {
    rows.push(...(await client.bulkGetInventory(batch, options)));
  }
  return rows;
}

/**
 * inventories.bulk.upsert for any number of rows, 400 per call. Stops at the first failing call
 * and reports how many rows were written before it, so the caller can resume from there.
 */
export async function bulkUpsertInventoryChunked(
  client: RakutenClient,
  items: readonly BulkUpsertItem[],
  options: CallOptions = {},
): Promise<{ written: number; calls: number }> {
  let written = 0;
  let calls = 0;
  for (const batch of chunk(items, RMS_LIMITS.inventoryBulkUpsertBatch)) {
    try {
      await client.bulkUpsertInventory(batch, options);
    } catch (error) {
      Object.assign(error as object, { writtenBeforeFailure: written });
      throw error;
    }
    written += batch.length;
    calls += 1;
  }
  return { written, calls };
}
