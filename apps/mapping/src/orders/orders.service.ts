import { Injectable } from '@nestjs/common';
import {
  type AnyEvent,
  type EventOf,
  type ReevaluationView,
  createEvent,
  orderRevision,
} from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import { MessagingRuntime } from '@smartship/service-kit';
import type { EntityManager } from 'typeorm';

import {
  type ShopSighting,
  lockTenantListings,
  recordListingsOfOrders,
} from '../listings/listing.store';
import { CatalogCache, loadCatalog } from '../matching/catalog-cache';
import type { CatalogIndex } from '../matching/catalog-index';
import {
  type OrderEvaluation,
  evaluateOrder,
  listingSightings,
  toMappedOrder,
} from './order-evaluation';
import { lockOrderKeys } from './order-locks';
import {
  type EvaluatedOrder,
  type HeldRow,
  type PulledOrder,
  fromHeldRow,
  heldEvaluation,
  heldOrdersAfter,
  orderKey,
  storeHeld,
  storeMapped,
  storeReleased,
  updateHeldEvaluation,
} from './order.store';

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
    const evaluated: EvaluatedOrder[] = [];
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
    const mapped = await storeMapped(manager, complete);
    const held = await storeHeld(manager, incomplete);
    const keyOf = ({ pulled }: EvaluatedOrder) => orderKey(pulled.shopId, pulled.order.orderNumber);
    const stored = evaluated.filter((item) => mapped.has(keyOf(item)) || held.has(keyOf(item)));
    const sightings: ShopSighting[] = stored.flatMap(({ pulled, evaluation }) =>
      listingSightings(evaluation).map((sighting) => ({
        shopId: pulled.shopId,
        tenantId: pulled.tenantId,
        sighting,
      })),
    );
    await recordListingsOfOrders(manager, sightings);
    const out = complete
      .filter((item) => mapped.has(keyOf(item)))
      .map(({ pulled, evaluation }) => mappedEvent(pulled, evaluation));
    await context.publish(out);
    if (held.size > 0) logger.info({ held: held.size }, 'orders held: some lines are not mapped');
    const skipped = evaluated.length - mapped.size - held.size;
    if (skipped > 0) logger.info({ skipped }, SKIPPED);
  }

  /**
   * Stores a completely mapped order (new, or replacing an older revision) and returns its
   * `order.mapped` (null when this revision or a newer one had been mapped, or held, or canceled
   * already). The order leaves the held queue in the same statement.
   */
  async release(
    manager: EntityManager,
    pulled: PulledOrder,
    evaluation: OrderEvaluation,
  ): Promise<AnyEvent | null> {
    if (!(await storeReleased(manager, { pulled, evaluation }))) return null;
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
      const held = await heldOrdersAfter(manager, tenantId, after, REEVALUATION_BATCH);
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
      const refreshed = heldEvaluation(evaluation);
      if (JSON.stringify(refreshed) !== JSON.stringify(row.evaluation)) {
        await updateHeldEvaluation(manager, row, refreshed);
      }
    }
    return events;
  }
}

/** Logged when a pulled order changes nothing. */
const SKIPPED =
  'order already mapped or held at this revision or a newer one, or canceled; nothing to do';

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
