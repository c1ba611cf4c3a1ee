import { Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import type { EntityManager } from 'typeorm';

import type { ListingSighting } from '../orders/order-evaluation';
import { type LockedListing, bufferedListingQuantity, listingStockEvents } from './safety-stock';

/*
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

/**
 * The Rakuten listings (shop, 商品管理番号, SKU管理番号) seen on order lines and the SKUs each links
 * to, and the stock each should show. A listing takes the link of the last line that mentioned it.
 */
@Injectable()
export class ListingsService {
  /** Stores what the lines of one order say about their listings (one statement). */
  async record(
    manager: EntityManager,
    tenantId: string,
    shopId: string,
    sightings: ListingSighting[],
  ): Promise<void> {
    if (sightings.length === 0) return;
    const upsert = listingsUpsert(sightingsInLockOrder(sightings), 1);
    await manager.query(upsert.sql, [shopId, tenantId, ...upsert.params]);
  }

  /**
   * A chunk of `inventory.changed`: first locks, in one statement and in the listing lock order,
   * every listing linked to any SKU of the chunk, then applies the events one by one. Locking per
   * event would take the listings of SKU A, then those of SKU B — not one ascending sweep — and
   * deadlock with an order.pulled chunk writing listings of both.
   */
  async onInventoryChangedChunk(
    events: EventOf<'inventory.changed'>[],
    context: HandlerContext,
  ): Promise<void> {
    await context.manager.query(
      `SELECT 1 FROM mapping.listings l
        WHERE l.variant_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS c(t, s)
                       WHERE l.tenant_id = c.t
                         AND l.sku_links @> jsonb_build_array(jsonb_build_object('skuCode', c.s)))
        ORDER BY ${LISTING_LOCK_ORDER}
        FOR UPDATE`,
      [events.map((event) => event.tenantId), events.map((event) => event.data.skuCode)],
    );
    for (const event of events) await this.onInventoryChanged(event, context);
  }

  /**
   * `inventory.changed`: remembers the SKU's stock and publishes `listing.stock.changed` for every
   * listing of the tenant's shops linked to it whose quantity moved. A bundle listing shows what
   * its scarcest component allows, less the safety stocks (see safety-stock.ts); a component
   * whose stock was never reported counts as 0.
   */
  async onInventoryChanged(
    event: EventOf<'inventory.changed'>,
    context: HandlerContext,
  ): Promise<void> {
    const { manager } = context;
    const { skuCode, available, onHand, reserved } = event.data;
    await manager.query(
      `INSERT INTO mapping.sku_stock (tenant_id, sku_code, available, on_hand, reserved)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, sku_code) DO UPDATE
          SET available = $3, on_hand = $4, reserved = $5, updated_at = now()`,
      [event.tenantId, skuCode, available, onHand, reserved],
    );
    const listings = await manager.query<LockedListing[]>(
      `SELECT shop_id, manage_number, variant_id, sku_links, last_quantity
         FROM mapping.listings
        WHERE tenant_id = $1 AND variant_id IS NOT NULL AND sku_links @> $2::jsonb
        ORDER BY ${LISTING_LOCK_ORDER}
        FOR UPDATE`,
      [event.tenantId, JSON.stringify([{ skuCode }])],
    );
    const events = await listingStockEvents(manager, event.tenantId, listings, event.correlationId);
    if (events.length > 0) await context.publish(events);
  }
}

/**
 * Units a listing can show: min over its SKUs of floor(available / perUnit), never below 0 and
 * never above Rakuten's maximum of 99,999.
 */
export function listingQuantity(sources: { available: number; perUnit: number }[]): number {
  return bufferedListingQuantity(
    sources.map((source) => ({ ...source, safetyStock: 0 })),
    0,
  );
}

/** One order's sightings (one shop) in the listing lock order. */
export function sightingsInLockOrder(sightings: ListingSighting[]): ListingSighting[] {
  return [...sightings].sort((a, b) =>
    compareListingKeys({ shopId: '', ...a }, { shopId: '', ...b }),
  );
}

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
  const column = <K extends keyof ListingSighting>(key: K) => sightings.map((s) => s[key]);
  return {
    sql: `INSERT INTO mapping.listings AS l (shop_id, tenant_id, manage_number, variant_key, variant_id,
              merchant_defined_sku_id, item_number, item_name, sku_links, matched_by)
       SELECT ${p(0)}, ${p(1)}, t.m, t.k, t.v, t.d, t.n, t.nm, t.links::jsonb, t.mb
         FROM unnest(${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[],
                     ${p(6)}::text[], ${p(7)}::text[], ${p(8)}::text[], ${p(9)}::text[])
              AS t(m, k, v, d, n, nm, links, mb)
        ${condition}
       ON CONFLICT (shop_id, manage_number, variant_key) DO UPDATE
          SET merchant_defined_sku_id = EXCLUDED.merchant_defined_sku_id,
              item_number = EXCLUDED.item_number,
              item_name = EXCLUDED.item_name,
              sku_links = EXCLUDED.sku_links,
              matched_by = EXCLUDED.matched_by,
              updated_at = now()
        WHERE (l.merchant_defined_sku_id, l.item_number, l.item_name, l.sku_links, l.matched_by)
              IS DISTINCT FROM
              (EXCLUDED.merchant_defined_sku_id, EXCLUDED.item_number, EXCLUDED.item_name,
               EXCLUDED.sku_links, EXCLUDED.matched_by)`,
    params: [
      column('manageNumber'),
      column('variantKey'),
      column('variantId'),
      column('merchantDefinedSkuId'),
      column('itemNumber'),
      column('itemName'),
      sightings.map((s) => (s.links ? JSON.stringify(s.links) : null)),
      column('matchedBy'),
    ],
  };
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
  const column = <K extends keyof ListingSighting>(key: K) => rows.map((r) => r.sighting[key]);
  await manager.query(
    `INSERT INTO mapping.listings AS l (shop_id, tenant_id, manage_number, variant_key, variant_id,
            merchant_defined_sku_id, item_number, item_name, sku_links, matched_by)
     SELECT t.s, t.t, t.m, t.k, t.v, t.d, t.n, t.nm, t.links::jsonb, t.mb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::text[], $8::text[], $9::text[], $10::text[])
            AS t(s, t, m, k, v, d, n, nm, links, mb)
     ON CONFLICT (shop_id, manage_number, variant_key) DO UPDATE
        SET merchant_defined_sku_id = EXCLUDED.merchant_defined_sku_id,
            item_number = EXCLUDED.item_number,
            item_name = EXCLUDED.item_name,
            sku_links = EXCLUDED.sku_links,
            matched_by = EXCLUDED.matched_by,
            updated_at = now()
      WHERE (l.merchant_defined_sku_id, l.item_number, l.item_name, l.sku_links, l.matched_by)
            IS DISTINCT FROM
            (EXCLUDED.merchant_defined_sku_id, EXCLUDED.item_number, EXCLUDED.item_name,
             EXCLUDED.sku_links, EXCLUDED.matched_by)`,
    [
      rows.map((r) => r.shopId),
      rows.map((r) => r.tenantId),
      column('manageNumber'),
      column('variantKey'),
      column('variantId'),
      column('merchantDefinedSkuId'),
      column('itemNumber'),
      column('itemName'),
      rows.map((r) => (r.sighting.links ? JSON.stringify(r.sighting.links) : null)),
      column('matchedBy'),
    ],
  );
}
