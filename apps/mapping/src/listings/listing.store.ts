import type { EntityManager } from 'typeorm';

import type { ListingSighting } from '../orders/order-evaluation';
import type { LockedListing } from './safety-stock';

/*
 * Every statement on mapping's listing tables (listings, sku_stock) but the safety-stock ones
 * (safety-stock.ts, stock-settings.service.ts).
 *
 * Lock order. Listing rows are locked by two kinds of transaction at once: the order.pulled
 * chunks (their upsert) and inventory.changed (SELECT … FOR UPDATE of the listings linked to a
 * SKU). Both take them in one order — shop, 商品管理番号, variant key, compared byte by byte
 * (PostgreSQL's "C" collation, Buffer.compare in JS) — so they wait for each other instead of
 * deadlocking. With different orders (the database's collation on one side, JS string order on
 * the other) the bench saw a deadlock every second, each costing a second of deadlock_timeout.
 */

/** The listing lock order (see above) for rows of one or several shops. */
export function compareListingKeys(
  a: { shopId: string; manageNumber: string; variantKey: string },
  b: { shopId: string; manageNumber: string; variantKey: string },
): number {
  return (
    Buffer.compare(Buffer.from(a.shopId), Buffer.from(b.shopId)) ||
    Buffer.compare(Buffer.from(a.manageNumber), Buffer.from(b.manageNumber)) ||
    Buffer.compare(Buffer.from(a.variantKey), Buffer.from(b.variantKey))
  );
}

/** The same order in SQL. */
export const LISTING_LOCK_ORDER =
  'shop_id COLLATE "C", manage_number COLLATE "C", variant_key COLLATE "C"';

/**
 * Locks every listing of the tenant's shops in the listing lock order, in one statement: for a
 * transaction that will write listings of many orders one statement at a time (the re-evaluation
 * after a catalog change), so that it never holds some and waits for others against
 * inventory.changed.
 */
export async function lockTenantListings(manager: EntityManager, tenantId: string): Promise<void> {
  await manager.query(
    `SELECT 1 FROM mapping.listings WHERE tenant_id = $1 ORDER BY ${LISTING_LOCK_ORDER} FOR UPDATE`,
    [tenantId],
  );
}

/** Remembers a SKU's stock as the last inventory.changed reported it. */
export async function saveSkuStock(
  manager: EntityManager,
  tenantId: string,
  stock: { skuCode: string; available: number; onHand: number; reserved: number },
): Promise<void> {
  await manager.query(
    `INSERT INTO mapping.sku_stock (tenant_id, sku_code, available, on_hand, reserved)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, sku_code) DO UPDATE
        SET available = $3, on_hand = $4, reserved = $5, updated_at = now()`,
    [tenantId, stock.skuCode, stock.available, stock.onHand, stock.reserved],
  );
}

/**
 * Locks, in one statement and in the listing lock order, every listing linked to any of the
 * (tenant, SKU code) pairs.
 */
export async function lockListingsOfSkus(
  manager: EntityManager,
  skus: { tenantId: string; skuCode: string }[],
): Promise<void> {
  await manager.query(
    `SELECT 1 FROM mapping.listings l
      WHERE l.variant_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS c(t, s)
                     WHERE l.tenant_id = c.t
                       AND l.sku_links @> jsonb_build_array(jsonb_build_object('skuCode', c.s)))
      ORDER BY ${LISTING_LOCK_ORDER}
      FOR UPDATE`,
    [skus.map((sku) => sku.tenantId), skus.map((sku) => sku.skuCode)],
  );
}

/** The tenant's listings (with a variant) linked to the SKU, locked, in the listing lock order. */
export function lockedListingsOfSku(
  manager: EntityManager,
  tenantId: string,
  skuCode: string,
): Promise<LockedListing[]> {
  return manager.query<LockedListing[]>(
    `SELECT shop_id, manage_number, variant_id, sku_links, last_quantity
       FROM mapping.listings
      WHERE tenant_id = $1 AND variant_id IS NOT NULL AND sku_links @> $2::jsonb
      ORDER BY ${LISTING_LOCK_ORDER}
      FOR UPDATE`,
    [tenantId, JSON.stringify([{ skuCode }])],
  );
}

/** One order's sightings (one shop) in the listing lock order. */
export function sightingsInLockOrder(sightings: ListingSighting[]): ListingSighting[] {
  return [...sightings].sort((a, b) =>
    compareListingKeys({ shopId: '', ...a }, { shopId: '', ...b }),
  );
}

/**
 * What a listing row takes from a newer sighting: the line's seller codes, name and links; the
 * row is written only when they differ (an unchanged listing costs no write).
 */
const LISTING_UPSERT_CONFLICT = `ON CONFLICT (shop_id, manage_number, variant_key) DO UPDATE
        SET merchant_defined_sku_id = EXCLUDED.merchant_defined_sku_id,
            item_number = EXCLUDED.item_number,
            item_name = EXCLUDED.item_name,
            sku_links = EXCLUDED.sku_links,
            matched_by = EXCLUDED.matched_by,
            updated_at = now()
      WHERE (l.merchant_defined_sku_id, l.item_number, l.item_name, l.sku_links, l.matched_by)
            IS DISTINCT FROM
            (EXCLUDED.merchant_defined_sku_id, EXCLUDED.item_number, EXCLUDED.item_name,
             EXCLUDED.sku_links, EXCLUDED.matched_by)`;

/**
 * The upsert of an order's listing sightings as SQL, for use alone or as a CTE of a larger
 * statement (one round trip per order). `$<first>` is the shop id and `$<first+1>` the tenant
 * id; the arrays follow. A listing row is written only when what the line says differs.
 */
export function listingsUpsert(
  sightings: ListingSighting[],
  first: number,
  condition = '',
): { sql: string; params: unknown[] } {
  const p = (i: number) => `$${first + i}`;
  return {
    sql: `INSERT INTO mapping.listings AS l (shop_id, tenant_id, manage_number, variant_key, variant_id,
              merchant_defined_sku_id, item_number, item_name, sku_links, matched_by)
       SELECT ${p(0)}, ${p(1)}, t.m, t.k, t.v, t.d, t.n, t.nm, t.links::jsonb, t.mb
         FROM unnest(${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[],
                     ${p(6)}::text[], ${p(7)}::text[], ${p(8)}::text[], ${p(9)}::text[])
              AS t(m, k, v, d, n, nm, links, mb)
        ${condition}
       ${LISTING_UPSERT_CONFLICT}`,
    params: sightingColumns(sightings),
  };
}

/** A listing row's columns from the sightings, as the unnest of both upserts reads them. */
function sightingColumns(sightings: ListingSighting[]): unknown[] {
  const column = <K extends keyof ListingSighting>(key: K) => sightings.map((s) => s[key]);
  return [
    column('manageNumber'),
    column('variantKey'),
    column('variantId'),
    column('merchantDefinedSkuId'),
    column('itemNumber'),
    column('itemName'),
    sightings.map((s) => (s.links ? JSON.stringify(s.links) : null)),
    column('matchedBy'),
  ];
}

/** A listing sighting with the shop and tenant of the order it came from. */
export interface ShopSighting {
  shopId: string;
  tenantId: string;
  sighting: ListingSighting;
}

/**
 * Stores the listing sightings of several orders, of any shops, in one statement. Sightings come
 * in the order the orders were applied; a listing seen twice takes the last one, as it would
 * order by order (one statement cannot update a row twice).
 */
export async function recordListingsOfOrders(
  manager: EntityManager,
  sightings: ShopSighting[],
): Promise<void> {
  const last = new Map<string, ShopSighting>();
  for (const item of sightings) {
    const key = `${item.shopId}\u0000${item.sighting.manageNumber}\u0000${item.sighting.variantKey}`;
    last.delete(key);
    last.set(key, item);
  }
  if (last.size === 0) return;
  // Locked in the listing lock order: two transactions that share listings then wait for each
  // other instead of deadlocking.
  const rows = [...last.values()].sort((a, b) =>
    compareListingKeys({ shopId: a.shopId, ...a.sighting }, { shopId: b.shopId, ...b.sighting }),
  );
  await manager.query(
    `INSERT INTO mapping.listings AS l (shop_id, tenant_id, manage_number, variant_key, variant_id,
            merchant_defined_sku_id, item_number, item_name, sku_links, matched_by)
     SELECT t.s, t.t, t.m, t.k, t.v, t.d, t.n, t.nm, t.links::jsonb, t.mb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::text[], $8::text[], $9::text[], $10::text[])
            AS t(s, t, m, k, v, d, n, nm, links, mb)
     ${LISTING_UPSERT_CONFLICT}`,
    [
      rows.map((r) => r.shopId),
      rows.map((r) => r.tenantId),
      ...sightingColumns(rows.map((r) => r.sighting)),
    ],
  );
}
