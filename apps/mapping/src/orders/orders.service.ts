import { Injectable } from '@nestjs/common';
import {
  type AnyEvent,
  type EventOf,
  type Marketplace,
  type MarketplaceOrder,
  type ReevaluationView,
  createEvent,
  orderRevision,
} from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import { MessagingRuntime } from '@smartship/service-kit';
import type { EntityManager } from 'typeorm';

import {
  type ShopSighting,
  listingsUpsert,
  lockTenantListings,
  sightingsInLockOrder,
  recordListingsOfOrders,
} from '../listings/listings.service';
import { CatalogCache, loadCatalog } from '../matching/catalog-cache';
import type { CatalogIndex } from '../matching/catalog-index';
import {
  type OrderEvaluation,
  evaluateOrder,
  listingSightings,
  storedLines,
  toMappedOrder,
} from './order-evaluation';
import { lockOrderKeys } from './order-locks';

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

/** Held orders re-evaluated per statement batch. */
const REEVALUATION_BATCH = 500;

/**
 * Maps pulled orders with the tenant's catalog. An order whose lines all map is published as
 * `order.mapped` at once; an order with any unmapped line is held whole in `held_orders` (no
 * partial `order.mapped`) until a catalog change lets it map.
 *
 * Revisions: mapping keeps one row per order, mapped or held, with its revision. A pulled order
 * of a higher revision replaces that row whole (mapped again from scratch, or held again); one of
 * a lower or equal revision changes nothing, except that a held order pulled again with lines that
 * now map is released; and a revision that was canceled (see OrderCancellationService) is
 * neither mapped nor held. The same rules are written once (`SUPERSEDED`) for both paths.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly catalogs: CatalogCache,
    private readonly messaging: MessagingRuntime,
  ) {}

  /**
   * The one write path of `order.pulled` (a single event is a chunk of one): a few multi-row
   * statements per chunk (mapped orders, held orders, listings, one outbox insert). An order that
   * comes twice in a chunk starts a new segment, applied after the one before it in the same
   * transaction, so its second event meets the first one's rows as it would one event at a time
   * (a held order re-pulled with lines that now map is released).
   */
  async mapPulledOrders(events: EventOf<'order.pulled'>[], context: HandlerContext): Promise<void> {
    let segment: EventOf<'order.pulled'>[] = [];
    const keys = new Set<string>();
    for (const event of events) {
      const key = `${event.shopId}\u0000${event.data.order.orderNumber}`;
      if (keys.has(key)) {
        await this.mapSegment(segment, context);
        segment = [];
        keys.clear();
      }
      keys.add(key);
      segment.push(event);
    }
    await this.mapSegment(segment, context);
  }

  /** Maps pulled orders of distinct (shop, order number) with multi-row statements. */
  private async mapSegment(
    events: EventOf<'order.pulled'>[],
    context: HandlerContext,
  ): Promise<void> {
    const { manager, logger } = context;
    const evaluated: { pulled: PulledOrder; evaluation: OrderEvaluation }[] = [];
    for (const event of events) {
      // Once per tenant and transaction: the shared catalog lock, then the cached index.
      const index = await this.catalogs.forMapping(manager, event.tenantId);
      const pulled = pulledOf(event);
      evaluated.push({ pulled, evaluation: evaluateOrder(pulled.order, index) });
    }
    await lockOrderKeys(
      manager,
      evaluated.map(({ pulled }) => ({
        shopId: pulled.shopId,
        orderNumber: pulled.order.orderNumber,
      })),
    );
    const complete = evaluated.filter((item) => item.evaluation.complete);
    const incomplete = evaluated.filter((item) => !item.evaluation.complete);
    const mapped = await this.insertMapped(manager, complete);
    const held = await this.insertHeld(manager, incomplete);
    const stored = evaluated.filter(({ pulled }) => {
      const key = `${pulled.shopId}\u0000${pulled.order.orderNumber}`;
      return mapped.has(key) || held.has(key);
    });
    const sightings: ShopSighting[] = stored.flatMap(({ pulled, evaluation }) =>
      listingSightings(evaluation).map((sighting) => ({
        shopId: pulled.shopId,
        tenantId: pulled.tenantId,
        sighting,
      })),
    );
    await recordListingsOfOrders(manager, sightings);
    const out = complete
      .filter(({ pulled }) => mapped.has(`${pulled.shopId}\u0000${pulled.order.orderNumber}`))
      .map(({ pulled, evaluation }) => mappedEvent(pulled, evaluation));
    await context.publish(out);
    if (held.size > 0) logger.info({ held: held.size }, 'orders held: some lines are not mapped');
    const skipped = evaluated.length - mapped.size - held.size;
    if (skipped > 0) logger.info({ skipped }, SKIPPED);
  }

  /**
   * Stores mapped orders (new, or replacing an older revision) and takes them off the held queue;
   * returns the keys stored.
   */
  private async insertMapped(
    manager: EntityManager,
    items: { pulled: PulledOrder; evaluation: OrderEvaluation }[],
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
    return new Set(rows.map((row) => `${row.shop_id}\u0000${row.order_number}`));
  }

  /**
   * Holds orders with unmapped lines (new, or replacing an older revision, mapped or held) unless
   * this revision is held, mapped or canceled already; returns the keys held.
   */
  private async insertHeld(
    manager: EntityManager,
    items: { pulled: PulledOrder; evaluation: OrderEvaluation }[],
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
        items.map(({ evaluation }) =>
          JSON.stringify({ mapped: evaluation.mapped, unmapped: evaluation.unmapped }),
        ),
        items.map(({ pulled }) => pulled.revision),
      ],
    );
    return new Set(rows.map((row) => `${row.shop_id}\u0000${row.order_number}`));
  }

  /**
   * Stores a completely mapped order (new, or replacing an older revision) and returns its
   * `order.mapped` (null when this revision or a newer one had been mapped, or held, or canceled
   * already: the natural key (shop, order number) and the revision are the second guard after the
   * inbox). The order leaves the held queue in the same statement.
   */
  async release(
    manager: EntityManager,
    pulled: PulledOrder,
    evaluation: OrderEvaluation,
  ): Promise<AnyEvent | null> {
    const { order } = pulled;
    // One round trip: the mapped order, its removal from the queue and its listings.
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
    if (rows[0].inserted === 0) return null;
    return mappedEvent(pulled, evaluation);
  }

  /**
   * Evaluates every held order of the tenant again with the catalog as this transaction sees it
   * (call it after the change, under the tenant's catalog lock): orders that now map completely
   * are published and leave the queue; the others keep their refreshed reasons and candidates.
   */
  async reevaluateTenant(
    manager: EntityManager,
    tenantId: string,
    catalog?: CatalogIndex,
  ): Promise<ReevaluationView> {
    const index = catalog ?? (await loadCatalog(manager, tenantId));
    const result: ReevaluationView = { evaluated: 0, released: 0, stillHeld: 0 };
    let after: [string, string] = ['', ''];
    let listingsLocked = false;
    for (;;) {
      const held = await manager.query<HeldRow[]>(
        `SELECT shop_id, order_number, tenant_id, source_event_id, correlation_id, marketplace,
                "order", evaluation, revision
           FROM mapping.held_orders
          WHERE tenant_id = $1 AND (shop_id, order_number) > ($2, $3)
          ORDER BY shop_id, order_number
          LIMIT ${REEVALUATION_BATCH}`,
        [tenantId, ...after],
      );
      if (held.length === 0) break;
      // Released orders write their listings order by order: take them all first, in one sweep.
      if (!listingsLocked) await lockTenantListings(manager, tenantId);
      listingsLocked = true;
      after = [held[held.length - 1].shop_id, held[held.length - 1].order_number];
      const events = await this.reevaluateRows(manager, index, held, result);
      if (events.length > 0) await this.messaging.outbox.add(manager, events);
    }
    return result;
  }

  private async reevaluateRows(
    manager: EntityManager,
    index: CatalogIndex,
    held: HeldRow[],
    result: ReevaluationView,
  ): Promise<AnyEvent[]> {
    const events: AnyEvent[] = [];
    for (const row of held) {
      result.evaluated++;
      const pulled = fromHeldRow(row);
      const evaluation = evaluateOrder(pulled.order, index);
      if (evaluation.complete) {
        const event = await this.release(manager, pulled, evaluation);
        if (event) events.push(event);
        result.released++;
        continue;
      }
      result.stillHeld++;
      const refreshed = { mapped: evaluation.mapped, unmapped: evaluation.unmapped };
      if (JSON.stringify(refreshed) !== JSON.stringify(row.evaluation)) {
        await manager.query(
          `UPDATE mapping.held_orders SET evaluation = $3::jsonb, evaluated_at = now()
            WHERE shop_id = $1 AND order_number = $2`,
          [row.shop_id, row.order_number, JSON.stringify(refreshed)],
        );
      }
    }
    return events;
  }
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

/** Logged when a pulled order changes nothing. */
const SKIPPED =
  'order already mapped or held at this revision or a newer one, or canceled; nothing to do';

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

function pulledOf(event: EventOf<'order.pulled'>): PulledOrder {
  return {
    tenantId: event.tenantId,
    shopId: event.shopId,
    sourceEventId: event.id,
    correlationId: event.correlationId,
    marketplace: event.data.marketplace,
    order: event.data.order,
    revision: orderRevision(event.data),
  };
}

function mappedEvent(pulled: PulledOrder, evaluation: OrderEvaluation): AnyEvent {
  return createEvent('order.mapped', {
    tenantId: pulled.tenantId,
    shopId: pulled.shopId,
    correlationId: pulled.correlationId ?? undefined,
    data: {
      marketplace: pulled.marketplace,
      order: toMappedOrder(pulled.order, evaluation),
      revision: pulled.revision,
    },
  });
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
