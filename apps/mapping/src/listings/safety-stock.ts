import { type AnyEvent, type ListingStockSource, createEvent } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

/*
 * Safety stock: units held back from what Rakuten shows, so that a sale in flight or a miscount
 * in the warehouse does not oversell (README "Stock: safety stock and drift").
 *
 * The rule: a SKU's buffer is taken off that SKU's available units, before dividing by what one
 * listing unit needs of it; the shop's buffer is taken off the listing's derived quantity. The
 * two add up (a single-SKU listing shows available − SKU buffer − shop buffer), and a bundle
 * shows min over its components of floor((available − SKU buffer) / perUnit) − shop buffer.
 * Never below 0, never above Rakuten's 99,999.
 */

/** Rakuten's largest stock quantity (docs/rakuten-rms.md §5.1). */
const MAX_QUANTITY = 99_999;

/** One linked SKU of a listing, with what it has and holds back. */
export interface BufferedSource {
  available: number;
  perUnit: number;
  /** The SKU's safety stock (0: none). */
  safetyStock: number;
}

/** The quantity a listing shows under the rule above. No source: 0. */
export function bufferedListingQuantity(
  sources: readonly BufferedSource[],
  shopSafetyStock: number,
): number {
  let quantity = Number.POSITIVE_INFINITY;
  for (const { available, perUnit, safetyStock } of sources) {
    quantity = Math.min(quantity, Math.floor(Math.max(0, available - safetyStock) / perUnit));
  }
  if (!Number.isFinite(quantity)) return 0;
  return Math.min(Math.max(0, quantity - shopSafetyStock), MAX_QUANTITY);
}

/** A listing row locked by the caller, with what it last published. */
export interface LockedListing {
  shop_id: string;
  manage_number: string;
  variant_id: string;
  sku_links: { skuCode: string; perUnit: number }[];
  last_quantity: number | null;
}

/**
 * Derives the quantity of each listing (of one tenant, locked by the caller in the listing lock
 * order), stores it as `last_quantity` where it moved and answers a `listing.stock.changed` for
 * each of those. A component whose stock was never reported counts as 0.
 */
export async function listingStockEvents(
  manager: EntityManager,
  tenantId: string,
  listings: readonly LockedListing[],
  correlationId?: string,
): Promise<AnyEvent[]> {
  if (listings.length === 0) return [];
  const codes = [...new Set(listings.flatMap((l) => l.sku_links.map((s) => s.skuCode)))];
  const shops = [...new Set(listings.map((l) => l.shop_id))];
  const [stockRows, skuBufferRows, shopBufferRows] = await Promise.all([
    manager.query<{ sku_code: string; available: number }[]>(
      `SELECT sku_code, available FROM mapping.sku_stock
        WHERE tenant_id = $1 AND sku_code = ANY($2::text[])`,
      [tenantId, codes],
    ),
    manager.query<{ sku_code: string; safety_stock: number }[]>(
      `SELECT sku_code, safety_stock FROM mapping.sku_safety_stock
        WHERE tenant_id = $1 AND sku_code = ANY($2::text[])`,
      [tenantId, codes],
    ),
    manager.query<{ shop_id: string; safety_stock: number }[]>(
      `SELECT shop_id, safety_stock FROM mapping.shop_stock_settings
        WHERE tenant_id = $1 AND shop_id = ANY($2::text[])`,
      [tenantId, shops],
    ),
  ]);
  const stock = new Map(stockRows.map((r) => [r.sku_code, r.available]));
  const skuBuffer = new Map(skuBufferRows.map((r) => [r.sku_code, r.safety_stock]));
  const shopBuffer = new Map(shopBufferRows.map((r) => [r.shop_id, r.safety_stock]));
  const events: AnyEvent[] = [];
  const moved: { listing: LockedListing; quantity: number }[] = [];
  for (const listing of listings) {
    const derivedFrom: ListingStockSource[] = listing.sku_links.map(({ skuCode, perUnit }) => ({
      skuCode,
      available: stock.get(skuCode) ?? 0,
      perUnit,
      safetyStock: skuBuffer.get(skuCode) ?? 0,
    }));
    const shopSafetyStock = shopBuffer.get(listing.shop_id) ?? 0;
    const quantity = bufferedListingQuantity(
      derivedFrom.map((s) => ({ ...s, safetyStock: s.safetyStock ?? 0 })),
      shopSafetyStock,
    );
    if (quantity === listing.last_quantity) continue;
    moved.push({ listing, quantity });
    events.push(
      createEvent('listing.stock.changed', {
        tenantId,
        shopId: listing.shop_id,
        correlationId,
        data: {
          marketplace: 'rakuten',
          manageNumber: listing.manage_number,
          variantId: listing.variant_id,
          quantity,
          shopSafetyStock,
          derivedFrom,
        },
      }),
    );
  }
  if (moved.length > 0) {
    await manager.query(
      `UPDATE mapping.listings l SET last_quantity = v.q
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS v(s, m, k, q)
        WHERE l.shop_id = v.s AND l.manage_number = v.m AND l.variant_key = v.k`,
      [
        moved.map((m) => m.listing.shop_id),
        moved.map((m) => m.listing.manage_number),
        moved.map((m) => m.listing.variant_id),
        moved.map((m) => m.quantity),
      ],
    );
  }
  return events;
}
