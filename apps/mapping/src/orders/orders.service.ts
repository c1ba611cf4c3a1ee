import { Injectable } from '@nestjs/common';
import {
  type AnyEvent,
  type EventOf,
  type Marketplace,
  type MarketplaceOrder,
  type ReevaluationView,
  createEvent,
} from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import { MessagingRuntime } from '@smartship/service-kit';
import type { EntityManager } from 'typeorm';

import {
  ListingsService,
  type ShopSighting,
  listingsUpsert,
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

/** What the service keeps of a pulled order until it is published. */
export interface PulledOrder {
  tenantId: string;
  shopId: string;
  sourceEventId: string;
  correlationId: string | null;
  marketplace: Marketplace;
  order: MarketplaceOrder;
}

/** Held orders re-evaluated per statement batch. */
const REEVALUATION_BATCH = 500;

/**
 * Maps pulled orders with the tenant's catalog. An order whose lines all map is published as
 * `order.mapped` at once; an order with any unmapped line is held whole in `held_orders` (no
 * partial `order.mapped`) until a catalog change lets it map.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly catalogs: CatalogCache,
    private readonly listings: ListingsService,
    private readonly messaging: MessagingRuntime,
  ) {}

  async mapPulledOrder(event: EventOf<'order.pulled'>, context: HandlerContext): Promise<void> {
    const { manager, logger } = context;
    const index = await this.catalogs.forMapping(manager, event.tenantId);
    const pulled = pulledOf(event);
    const evaluation = evaluateOrder(pulled.order, index);
    if (evaluation.complete) {
      const event = await this.release(manager, pulled, evaluation);
      if (event) await context.publish(event);
      else logger.info('order already mapped; nothing to do');
    } else {
      const held = await this.hold(manager, pulled, evaluation);
      if (held) {
        logger.info(
          { unmappedLines: evaluation.unmapped.length },
          'order held: some lines are not mapped',
        );
      }
    }
  }

  /**
   * The chunk handler of `order.pulled`: the same outcome as mapPulledOrder event after event, in
   * a few multi-row statements per chunk (mapped orders, held orders, listings, one outbox
   * insert). An order that comes twice in a chunk starts a new segment, applied after the one
   * before it in the same transaction, so its second event meets the first one's rows as it
   * would one event at a time (a held order re-pulled with lines that now map is released).
   */
  async mapPulledOrders(events: EventOf<'order.pulled'>[], context: HandlerContext): Promise<void> {
    if (events.length === 1) return this.mapPulledOrder(events[0], context);
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
    if (skipped > 0) logger.info({ skipped }, 'orders already mapped or held; nothing to do');
  }

  /** Inserts mapped orders and takes them off the held queue; returns the keys inserted. */
  private async insertMapped(
    manager: EntityManager,
    items: { pulled: PulledOrder; evaluation: OrderEvaluation }[],
  ): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const rows = await manager.query<{ shop_id: string; order_number: string }[]>(
      `WITH ins AS (
         INSERT INTO mapping.mapped_orders
                (shop_id, order_number, tenant_id, source_event_id, lines, line_details, ordered_at)
         SELECT s, o, t, e, n, d::jsonb, at
           FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::int[], $6::text[],
                       $7::timestamptz[]) AS i(s, o, t, e, n, d, at)
         ON CONFLICT (shop_id, order_number) DO NOTHING
         RETURNING shop_id, order_number),
       del AS (
         DELETE FROM mapping.held_orders h USING ins
          WHERE h.shop_id = ins.shop_id AND h.order_number = ins.order_number RETURNING 1)
       SELECT shop_id, order_number FROM ins`,
      [
        items.map(({ pulled }) => pulled.shopId),
        items.map(({ pulled }) => pulled.order.orderNumber),
        items.map(({ pulled }) => pulled.tenantId),
        items.map(({ pulled }) => pulled.sourceEventId),
        items.map(({ evaluation }) => evaluation.lines.length),
        items.map(({ evaluation }) => JSON.stringify(storedLines(evaluation))),
        items.map(({ pulled }) => pulled.order.orderedAt),
      ],
    );
    return new Set(rows.map((row) => `${row.shop_id}\u0000${row.order_number}`));
  }

  /** Holds orders with unmapped lines unless held or mapped already; returns the keys held. */
  private async insertHeld(
    manager: EntityManager,
    items: { pulled: PulledOrder; evaluation: OrderEvaluation }[],
  ): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const rows = await manager.query<{ shop_id: string; order_number: string }[]>(
      `INSERT INTO mapping.held_orders (shop_id, order_number, tenant_id, source_event_id,
              correlation_id, marketplace, ordered_at, "order", evaluation)
       SELECT s, o, t, e, c, m, at, ord::jsonb, ev::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                     $7::timestamptz[], $8::text[], $9::text[]) AS i(s, o, t, e, c, m, at, ord, ev)
        WHERE NOT EXISTS (SELECT 1 FROM mapping.mapped_orders mo
                           WHERE mo.shop_id = i.s AND mo.order_number = i.o)
       ON CONFLICT (shop_id, order_number) DO NOTHING
       RETURNING shop_id, order_number`,
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
      ],
    );
    return new Set(rows.map((row) => `${row.shop_id}\u0000${row.order_number}`));
  }

  /**
   * Stores a completely mapped order and returns its `order.mapped` (null when it had been
   * mapped already: the natural key (shop, order number) is the second guard after the inbox).
   * The order leaves the held queue in the same statement.
   */
  async release(
    manager: EntityManager,
    pulled: PulledOrder,
    evaluation: OrderEvaluation,
  ): Promise<AnyEvent | null> {
    const { order } = pulled;
    // One round trip: the mapped order, its removal from the queue and its listings.
    const listings = listingsUpsert(
      listingSightings(evaluation),
      8,
      'WHERE EXISTS (SELECT 1 FROM ins)',
    );
    const rows = await manager.query<{ inserted: number }[]>(
      `WITH ins AS (
         INSERT INTO mapping.mapped_orders
                (shop_id, order_number, tenant_id, source_event_id, lines, line_details, ordered_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
         ON CONFLICT (shop_id, order_number) DO NOTHING
         RETURNING 1),
       del AS (
         DELETE FROM mapping.held_orders WHERE shop_id = $1 AND order_number = $2 RETURNING 1),
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
        pulled.shopId,
        pulled.tenantId,
        ...listings.params,
      ],
    );
    if (rows[0].inserted === 0) return null;
    return mappedEvent(pulled, evaluation);
  }

  /** Holds an order with unmapped lines; false when it was held or mapped already. */
  async hold(
    manager: EntityManager,
    pulled: PulledOrder,
    evaluation: OrderEvaluation,
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO mapping.held_orders (shop_id, order_number, tenant_id, source_event_id,
              correlation_id, marketplace, ordered_at, "order", evaluation)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb
        WHERE NOT EXISTS (SELECT 1 FROM mapping.mapped_orders
                           WHERE shop_id = $1 AND order_number = $2)
       ON CONFLICT (shop_id, order_number) DO NOTHING
       RETURNING 1`,
      [
        pulled.shopId,
        pulled.order.orderNumber,
        pulled.tenantId,
        pulled.sourceEventId,
        pulled.correlationId,
        pulled.marketplace,
        pulled.order.orderedAt,
        JSON.stringify(pulled.order),
        JSON.stringify({ mapped: evaluation.mapped, unmapped: evaluation.unmapped }),
      ],
    );
    if (rows.length === 0) return false;
    await this.listings.record(
      manager,
      pulled.tenantId,
      pulled.shopId,
      listingSightings(evaluation),
    );
    return true;
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
    for (;;) {
      const held = await manager.query<HeldRow[]>(
        `SELECT shop_id, order_number, tenant_id, source_event_id, correlation_id, marketplace,
                "order", evaluation
           FROM mapping.held_orders
          WHERE tenant_id = $1 AND (shop_id, order_number) > ($2, $3)
          ORDER BY shop_id, order_number
          LIMIT ${REEVALUATION_BATCH}`,
        [tenantId, ...after],
      );
      if (held.length === 0) break;
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
}

function pulledOf(event: EventOf<'order.pulled'>): PulledOrder {
  return {
    tenantId: event.tenantId,
    shopId: event.shopId,
    sourceEventId: event.id,
    correlationId: event.correlationId,
    marketplace: event.data.marketplace,
    order: event.data.order,
  };
}

function mappedEvent(pulled: PulledOrder, evaluation: OrderEvaluation): AnyEvent {
  return createEvent('order.mapped', {
    tenantId: pulled.tenantId,
    shopId: pulled.shopId,
    correlationId: pulled.correlationId ?? undefined,
    data: { marketplace: pulled.marketplace, order: toMappedOrder(pulled.order, evaluation) },
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
  };
}
