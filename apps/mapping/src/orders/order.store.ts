import type {
  Marketplace,
  MarketplaceOrder,
  ResolvedLineView,
  UnmappedLineView,
} from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

import { listingsUpsert, sightingsInLockOrder } from '../listings/listing.store';
import {
  type OrderEvaluation,
  type StoredLine,
  listingSightings,
  storedLines,
} from './order-evaluation';

/*
 * Every statement on mapping's order tables: mapped_orders (one row per order whose lines all
 * map, at its latest revision), held_orders (the unmapped-order queue, whole orders) and
 * order_cancellations (the highest canceled revision of each order). The rules of which revision
 * wins are written once here (SUPERSEDED, REPLACE_*); the services decide what to store.
 */

/** What the service keeps of a pulled order until it is published. */
export interface PulledOrder {
  tenantId: string;
  shopId: string;
  sourceEventId: string;
  correlationId: string | null;
  marketplace: Marketplace;
  order: MarketplaceOrder;
  /** The order's revision (1 for its first pull; see order.pulled). */
  revision: number;
}

/** A pulled order with what the catalog made of its lines. */
export interface EvaluatedOrder {
  pulled: PulledOrder;
  evaluation: OrderEvaluation;
}

export interface HeldRow {
  shop_id: string;
  order_number: string;
  tenant_id: string;
  source_event_id: string;
  correlation_id: string | null;
  marketplace: Marketplace;
  order: MarketplaceOrder;
  evaluation: unknown;
  revision: number;
}

/** What a held order's row keeps of its evaluation (the queue shows it). */
export interface HeldEvaluation {
  mapped: ResolvedLineView[];
  unmapped: UnmappedLineView[];
}

/** `shop \0 order number`: the natural key of an order in the sets the inserts return. */
export function orderKey(shopId: string, orderNumber: string): string {
  return `${shopId}\u0000${orderNumber}`;
}

/**
 * Stores mapped orders (new, or replacing an older revision) and takes them off the held queue,
 * in one statement; returns the keys stored.
 */
export async function storeMapped(
  manager: EntityManager,
  items: EvaluatedOrder[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const rows = await manager.query<{ shop_id: string; order_number: string }[]>(
    `WITH ins AS (
       INSERT INTO mapping.mapped_orders
              (shop_id, order_number, tenant_id, source_event_id, lines, line_details, ordered_at,
               revision)
       SELECT s, o, t, e, n, d::jsonb, at, r
         FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::int[], $6::text[],
                     $7::timestamptz[], $8::int[]) AS i(s, o, t, e, n, d, at, r)
        WHERE NOT ${SUPERSEDED.toMap('i.s', 'i.o', 'i.r')}
       ${REPLACE_MAPPED}
       RETURNING shop_id, order_number, revision),
     del AS (
       DELETE FROM mapping.held_orders h USING ins
        WHERE h.shop_id = ins.shop_id AND h.order_number = ins.order_number
          AND h.revision <= ins.revision
       RETURNING 1)
     SELECT shop_id, order_number FROM ins`,
    [
      items.map(({ pulled }) => pulled.shopId),
      items.map(({ pulled }) => pulled.order.orderNumber),
      items.map(({ pulled }) => pulled.tenantId),
      items.map(({ pulled }) => pulled.sourceEventId),
      items.map(({ evaluation }) => evaluation.lines.length),
      items.map(({ evaluation }) => JSON.stringify(storedLines(evaluation))),
      items.map(({ pulled }) => pulled.order.orderedAt),
      items.map(({ pulled }) => pulled.revision),
    ],
  );
  return new Set(rows.map((row) => orderKey(row.shop_id, row.order_number)));
}

/**
 * Holds orders with unmapped lines (new, or replacing an older revision, mapped or held) unless
 * this revision is held, mapped or canceled already; returns the keys held.
 */
export async function storeHeld(
  manager: EntityManager,
  items: EvaluatedOrder[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const rows = await manager.query<{ shop_id: string; order_number: string }[]>(
    `WITH ins AS (
       INSERT INTO mapping.held_orders (shop_id, order_number, tenant_id, source_event_id,
              correlation_id, marketplace, ordered_at, "order", evaluation, revision)
       SELECT s, o, t, e, c, m, at, ord::jsonb, ev::jsonb, r
         FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                     $7::timestamptz[], $8::text[], $9::text[], $10::int[])
              AS i(s, o, t, e, c, m, at, ord, ev, r)
        WHERE NOT ${SUPERSEDED.toHold('i.s', 'i.o', 'i.r')}
       ${REPLACE_HELD}
       RETURNING shop_id, order_number, revision),
     del AS (
       DELETE FROM mapping.mapped_orders mo USING ins
        WHERE mo.shop_id = ins.shop_id AND mo.order_number = ins.order_number
          AND mo.revision < ins.revision
       RETURNING 1)
     SELECT shop_id, order_number FROM ins`,
    [
      items.map(({ pulled }) => pulled.shopId),
      items.map(({ pulled }) => pulled.order.orderNumber),
      items.map(({ pulled }) => pulled.tenantId),
      items.map(({ pulled }) => pulled.sourceEventId),
      items.map(({ pulled }) => pulled.correlationId),
      items.map(({ pulled }) => pulled.marketplace),
      items.map(({ pulled }) => pulled.order.orderedAt),
      items.map(({ pulled }) => JSON.stringify(pulled.order)),
      items.map(({ evaluation }) => JSON.stringify(heldEvaluation(evaluation))),
      items.map(({ pulled }) => pulled.revision),
    ],
  );
  return new Set(rows.map((row) => orderKey(row.shop_id, row.order_number)));
}

/**
 * Stores one completely mapped order (new, or replacing an older revision), takes it off the held
 * queue and records its listings, in one round trip. False when this revision or a newer one had
 * been mapped, or held, or canceled already: the natural key (shop, order number) and the
 * revision are the second guard after the inbox.
 */
export async function storeReleased(
  manager: EntityManager,
  { pulled, evaluation }: EvaluatedOrder,
): Promise<boolean> {
  const { order } = pulled;
  const listings = listingsUpsert(
    sightingsInLockOrder(listingSightings(evaluation)),
    9,
    'WHERE EXISTS (SELECT 1 FROM ins)',
  );
  const rows = await manager.query<{ inserted: number }[]>(
    `WITH ins AS (
       INSERT INTO mapping.mapped_orders
              (shop_id, order_number, tenant_id, source_event_id, lines, line_details, ordered_at,
               revision)
       SELECT $1::text, $2::text, $3::text, $4::uuid, $5::int, $6::jsonb, $7::timestamptz,
              $8::int
        WHERE NOT ${SUPERSEDED.toMap('$1::text', '$2::text', '$8::int')}
       ${REPLACE_MAPPED}
       RETURNING 1),
     del AS (
       DELETE FROM mapping.held_orders
        WHERE shop_id = $1 AND order_number = $2 AND revision <= $8
          AND EXISTS (SELECT 1 FROM ins)
       RETURNING 1),
     lst AS (${listings.sql} RETURNING 1)
     SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM del)::int AS released`,
    [
      pulled.shopId,
      order.orderNumber,
      pulled.tenantId,
      pulled.sourceEventId,
      evaluation.lines.length,
      JSON.stringify(storedLines(evaluation)),
      order.orderedAt,
      pulled.revision,
      pulled.shopId,
      pulled.tenantId,
      ...listings.params,
    ],
  );
  return rows[0].inserted > 0;
}

/** The tenant's held orders after `after` (shop, order number), in key order. */
export function heldOrdersAfter(
  manager: EntityManager,
  tenantId: string,
  after: [string, string],
  limit: number,
): Promise<HeldRow[]> {
  return manager.query<HeldRow[]>(
    `SELECT shop_id, order_number, tenant_id, source_event_id, correlation_id, marketplace,
            "order", evaluation, revision
       FROM mapping.held_orders
      WHERE tenant_id = $1 AND (shop_id, order_number) > ($2, $3)
      ORDER BY shop_id, order_number
      LIMIT ${Math.trunc(limit)}`,
    [tenantId, ...after],
  );
}

/** All the tenant's held orders, oldest first (the dry run of a rule reads them). */
export function heldOrdersOf(manager: EntityManager, tenantId: string): Promise<HeldRow[]> {
  return manager.query<HeldRow[]>(
    `SELECT shop_id, order_number, tenant_id, source_event_id, correlation_id, marketplace,
            "order", evaluation, revision
       FROM mapping.held_orders WHERE tenant_id = $1 ORDER BY held_at`,
    [tenantId],
  );
}

/** The pulled order of a held order of the tenant, by order number (null: none held). */
export async function heldOrderByNumber(
  manager: EntityManager,
  tenantId: string,
  orderNumber: string,
): Promise<MarketplaceOrder | null> {
  const rows = await manager.query<{ order: MarketplaceOrder }[]>(
    `SELECT "order" FROM mapping.held_orders WHERE tenant_id = $1 AND order_number = $2`,
    [tenantId, orderNumber],
  );
  return rows[0]?.order ?? null;
}

/** Saves a held order's refreshed reasons and candidates after a re-evaluation. */
export async function updateHeldEvaluation(
  manager: EntityManager,
  row: Pick<HeldRow, 'shop_id' | 'order_number'>,
  evaluation: HeldEvaluation,
): Promise<void> {
  await manager.query(
    `UPDATE mapping.held_orders SET evaluation = $3::jsonb, evaluated_at = now()
      WHERE shop_id = $1 AND order_number = $2`,
    [row.shop_id, row.order_number, JSON.stringify(evaluation)],
  );
}

/** One page of the queue as the seller sees it: held (oldest first) or mapped (newest first). */
export interface QueuePage<Row> {
  total: number;
  rows: Row[];
}

export interface HeldQueueRow {
  shop_id: string;
  order_number: string;
  revision: number;
  ordered_at: Date | null;
  held_at: Date;
  evaluation: HeldEvaluation;
}

export interface MappedQueueRow {
  shop_id: string;
  order_number: string;
  revision: number;
  ordered_at: Date | null;
  mapped_at: Date;
  line_details: StoredLine[] | null;
}

interface PageQuery {
  tenantId: string;
  shopId?: string;
  limit: number;
  offset: number;
}

export function heldPage(
  manager: EntityManager,
  query: PageQuery,
): Promise<QueuePage<HeldQueueRow>> {
  return queuePage(
    manager,
    'mapping.held_orders',
    'shop_id, order_number, revision, ordered_at, held_at, evaluation',
    'held_at, shop_id, order_number',
    query,
  );
}

export function mappedPage(
  manager: EntityManager,
  query: PageQuery,
): Promise<QueuePage<MappedQueueRow>> {
  return queuePage(
    manager,
    'mapping.mapped_orders',
    'shop_id, order_number, revision, ordered_at, mapped_at, line_details',
    'mapped_at DESC, shop_id, order_number',
    query,
  );
}

async function queuePage<Row>(
  manager: EntityManager,
  table: 'mapping.held_orders' | 'mapping.mapped_orders',
  columns: string,
  orderBy: string,
  { tenantId, shopId, limit, offset }: PageQuery,
): Promise<QueuePage<Row>> {
  const where = shopId ? 'tenant_id = $1 AND shop_id = $2' : 'tenant_id = $1';
  const params = shopId ? [tenantId, shopId] : [tenantId];
  const [count] = await manager.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    params,
  );
  // The call's validation bounds limit and offset; truncation keeps them integers.
  const rows = await manager.query<Row[]>(
    `SELECT ${columns} FROM ${table} WHERE ${where}
      ORDER BY ${orderBy} LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
    params,
  );
  return { total: count.n, rows };
}

/** The lines of the tenant's newest mapped orders (the dry run of a rule looks at them too). */
export function recentMappedLines(
  manager: EntityManager,
  tenantId: string,
  limit: number,
): Promise<{ shop_id: string; order_number: string; line_details: StoredLine[] | null }[]> {
  return manager.query(
    `SELECT shop_id, order_number, line_details FROM mapping.mapped_orders
      WHERE tenant_id = $1 ORDER BY mapped_at DESC LIMIT ${Math.trunc(limit)}`,
    [tenantId],
  );
}

/**
 * Records that the order was canceled at `revision` (keeping the highest), and takes it off the
 * held queue if it is held at that revision or an older one; returns the revision dropped from
 * the queue, or null.
 */
export async function storeCancellation(
  manager: EntityManager,
  cancellation: { tenantId: string; shopId: string; orderNumber: string; revision: number },
): Promise<number | null> {
  const { tenantId, shopId, orderNumber, revision } = cancellation;
  await manager.query(
    `INSERT INTO mapping.order_cancellations (shop_id, order_number, tenant_id, revision)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (shop_id, order_number) DO UPDATE
        SET revision = excluded.revision, canceled_at = now()
      WHERE order_cancellations.revision < excluded.revision`,
    [shopId, orderNumber, tenantId, revision],
  );
  const dropped = await manager.query<{ revision: number }[]>(
    `DELETE FROM mapping.held_orders
      WHERE shop_id = $1 AND order_number = $2 AND revision <= $3
     RETURNING revision`,
    [shopId, orderNumber, revision],
  );
  return dropped[0]?.revision ?? null;
}

export function heldEvaluation(evaluation: OrderEvaluation): HeldEvaluation {
  return { mapped: evaluation.mapped, unmapped: evaluation.unmapped };
}

export function fromHeldRow(row: HeldRow): PulledOrder {
  return {
    tenantId: row.tenant_id,
    shopId: row.shop_id,
    sourceEventId: row.source_event_id,
    correlationId: row.correlation_id,
    marketplace: row.marketplace,
    order: row.order,
    revision: row.revision,
  };
}

/**
 * SQL conditions (over a shop, order number and revision expression) under which a pulled order
 * changes nothing: mapping keeps this revision of the order or a newer one, or the revision was
 * canceled. To map, a held order of the same revision does not count (a held order pulled again
 * with lines that now map is released, and a catalog change releases held orders); to hold, it
 * does (already held).
 */
const SUPERSEDED = {
  toMap: (shop: string, order: string, revision: string) => superseded(shop, order, revision, '>'),
  toHold: (shop: string, order: string, revision: string) =>
    superseded(shop, order, revision, '>='),
};

function superseded(shop: string, order: string, revision: string, held: '>' | '>='): string {
  return `(EXISTS (SELECT 1 FROM mapping.mapped_orders sm
                    WHERE sm.shop_id = ${shop} AND sm.order_number = ${order}
                      AND sm.revision >= ${revision})
           OR EXISTS (SELECT 1 FROM mapping.held_orders sh
                       WHERE sh.shop_id = ${shop} AND sh.order_number = ${order}
                         AND sh.revision ${held} ${revision})
           OR EXISTS (SELECT 1 FROM mapping.order_cancellations sc
                       WHERE sc.shop_id = ${shop} AND sc.order_number = ${order}
                         AND sc.revision >= ${revision}))`;
}

/** A newer revision replaces the mapped row whole (SUPERSEDED has ruled out the others). */
const REPLACE_MAPPED = `ON CONFLICT (shop_id, order_number) DO UPDATE
          SET tenant_id = excluded.tenant_id, source_event_id = excluded.source_event_id,
              lines = excluded.lines, line_details = excluded.line_details,
              ordered_at = excluded.ordered_at, revision = excluded.revision, mapped_at = now()
        WHERE mapped_orders.revision < excluded.revision`;

/** A newer revision replaces the held row whole, reasons included. */
const REPLACE_HELD = `ON CONFLICT (shop_id, order_number) DO UPDATE
          SET tenant_id = excluded.tenant_id, source_event_id = excluded.source_event_id,
              correlation_id = excluded.correlation_id, marketplace = excluded.marketplace,
              ordered_at = excluded.ordered_at, "order" = excluded."order",
              evaluation = excluded.evaluation, revision = excluded.revision,
              held_at = now(), evaluated_at = now()
        WHERE held_orders.revision < excluded.revision`;
