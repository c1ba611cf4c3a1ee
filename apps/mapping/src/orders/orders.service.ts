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

import { ListingsService, listingsUpsert } from '../listings/listings.service';
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
    const pulled: PulledOrder = {
      tenantId: event.tenantId,
      shopId: event.shopId,
      sourceEventId: event.id,
      correlationId: event.correlationId,
      marketplace: event.data.marketplace,
      order: event.data.order,
    };
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
    return createEvent('order.mapped', {
      tenantId: pulled.tenantId,
      shopId: pulled.shopId,
      correlationId: pulled.correlationId ?? undefined,
      data: { marketplace: pulled.marketplace, order: toMappedOrder(order, evaluation) },
    });
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
