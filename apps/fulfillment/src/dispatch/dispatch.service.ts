import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { type EventOf, type ShipmentLine, orderRevision } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';

import { CancellationService, type OrderCancellation } from '../cancellations/cancellation.service';
import { lockShopsAndOrders } from '../shops/shop-locks';
import { autoDispatchOf } from '../shops/shop-settings.store';
import {
  type RecordedCancellation,
  cancellationFor,
  cancellationsOf,
} from '../cancellations/order-cancellation';
import { StockBook } from '../stock/stock-book';
import { mergeLines } from '../stock/stock-arithmetic';
import { Dispatcher, type Tx } from './dispatcher';
import { detailsForPackage } from './shipment-details';
import {
  type FulfillmentOrderRow,
  type HistoryEntry,
  type NewPackageValues,
  addHistories,
  insertPackages,
  newestRevisions,
  revisionNote,
} from './fulfillment-order.store';

/** One package of a mapped order, as the chunk handler inserts it. */
interface NewPackage {
  event: EventOf<'order.mapped'>;
  basketId: string;
  lines: ShipmentLine[];
  cancellation?: RecordedCancellation;
  values: NewPackageValues;
}

/**
 * Turns a mapped order into one fulfillment order per package and revision (unique (shop, order
 * number, basket, revision), so a redelivered or re-published order.mapped creates nothing twice,
 * and revision 2 of a changed order creates fulfillment orders of its own). An order.mapped of an
 * older revision than the newest one dispatched is ignored. Then:
 * - the revision was already canceled (order.canceled of it or a later revision came first):
 *   created canceled;
 * - the shop's settings are unknown (no shop.updated yet): held `awaiting_shop`, decided when
 *   they arrive;
 * - autoFulfillmentDispatch off: held `awaiting_release` for a person;
 * - on: stock reserved and shipment.ready published, or held `awaiting_stock` with the short lines.
 */
@Injectable()
export class DispatchService {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly cancellations: CancellationService,
  ) {}

  /**
   * A newer revision of an order supersedes the older ones: the order changed on Rakuten (400)
   * before it came back, so ingestion has published, or will publish, `order.canceled` for the
   * older revision. It is applied here already, as that cancellation would be, so the warehouse
   * never holds two live revisions of one order even when that event is late (it then finds
   * nothing left to cancel). Called with the order's lock held.
   */
  private async supersedeOlderRevisions(
    event: EventOf<'order.mapped'>,
    revision: number,
    context: HandlerContext,
  ): Promise<void> {
    const canceled: OrderCancellation = {
      tenantId: event.tenantId,
      shopId: event.shopId,
      correlationId: event.correlationId,
      orderNumber: event.data.order.orderNumber,
      rakutenStatus: 400,
      reason: `superseded by revision ${revision} of the order, changed on Rakuten`,
      detectedAt: new Date().toISOString(),
      revision: revision - 1,
    };
    context.logger.info({ revision }, 'older revisions of the order superseded');
    await this.cancellations.applyCancellation(canceled, context);
  }

  /**
   * The one write path of `order.mapped` (a single event is a chunk of one), with one statement
   * per step for each segment of the chunk (locks, settings, cancellations, packages, history,
   * reservations, status) and one outbox insert. Events are applied in order: a segment ends
   * before an order that is already in it and before a revision that supersedes one dispatched
   * earlier (rare: orders changed on Rakuten), so each segment meets the rows of the ones before
   * it as one event at a time would. Stock is reserved in event order, and `inventory.changed` is
   * published once per SKU per segment with its final counts.
   */
  async dispatchMappedOrders(
    events: EventOf<'order.mapped'>[],
    context: HandlerContext,
  ): Promise<void> {
    const { manager } = context;
    const orderKeys = events.map((e) => ({
      shopId: e.shopId,
      orderNumber: e.data.order.orderNumber,
    }));
    // Serialises with shop.updated and order.canceled of the same shops / orders, so that neither
    // decides on a state the other is about to change (see shop-locks.ts).
    await lockShopsAndOrders(
      manager,
      events.map((e) => e.shopId),
      orderKeys,
    );
    const settings = await autoDispatchOf(
      manager,
      events.map((e) => e.shopId),
    );
    const newest = await newestRevisions(manager, orderKeys);
    let segment: EventOf<'order.mapped'>[] = [];
    const inSegment = new Set<string>();
    for (const event of events) {
      const key = orderKey(event);
      const revision = orderRevision(event.data);
      const dispatched = newest.get(key) ?? 0;
      const supersedes = dispatched > 0 && revision > dispatched;
      if (inSegment.has(key) || supersedes) {
        await this.dispatchSegment(segment, settings, context);
        segment = [];
        inSegment.clear();
      }
      segment.push(event);
      inSegment.add(key);
      if (revision > dispatched) newest.set(key, revision);
    }
    await this.dispatchSegment(segment, settings, context);
  }

  /** Events of distinct orders, of which only the first may supersede a dispatched revision. */
  private async dispatchSegment(
    events: EventOf<'order.mapped'>[],
    settings: Map<string, boolean>,
    context: HandlerContext,
  ): Promise<void> {
    if (events.length === 0) return;
    const { manager } = context;
    const orderKeys = events.map((e) => ({
      shopId: e.shopId,
      orderNumber: e.data.order.orderNumber,
    }));
    const newest = await newestRevisions(manager, orderKeys);
    for (const event of events) {
      const dispatched = newest.get(orderKey(event)) ?? 0;
      const revision = orderRevision(event.data);
      if (dispatched > 0 && revision > dispatched) {
        await this.supersedeOlderRevisions(event, revision, context);
      }
    }
    const cancellations = await cancellationsOf(manager, orderKeys);

    // One row per package and revision; the first of a package in the chunk counts, as ON
    // CONFLICT would. An event of an older revision than one dispatched before it is ignored, as
    // it would be one event at a time.
    const packages = new Map<string, NewPackage>();
    let older = 0;
    for (const event of events) {
      const { order, marketplace } = event.data;
      const revision = orderRevision(event.data);
      if (revision < (newest.get(orderKey(event)) ?? 0)) {
        older++;
        continue;
      }
      newest.set(orderKey(event), revision);
      const cancellation = cancellationFor(cancellations.get(orderKey(event)) ?? [], revision);
      for (const pkg of order.packages) {
        const key = `${orderKey(event)}\u0000${pkg.basketId}\u0000${revision}`;
        if (packages.has(key)) continue;
        const lines = mergeLines(pkg.lines.flatMap((line) => line.resolution.skus));
        packages.set(key, {
          event,
          basketId: String(pkg.basketId),
          lines,
          cancellation,
          values: [
            randomUUID(),
            event.tenantId,
            event.shopId,
            marketplace,
            order.orderNumber,
            String(pkg.basketId),
            revision,
            cancellation ? 'canceled' : 'awaiting_shop',
            JSON.stringify(pkg.recipient),
            JSON.stringify(lines),
            pkg.requestedDelivery?.carrierCode ?? null,
            pkg.requestedDelivery?.date ?? null,
            pkg.requestedDelivery?.timeSlot ?? null,
            cancellation ? JSON.stringify({ ...cancellation, afterShipment: false }) : null,
            JSON.stringify(detailsForPackage(order, pkg)),
          ],
        });
      }
    }
    if (older > 0) context.logger.info({ older }, OLDER_REVISION);
    const list = [...packages.values()];
    if (list.length === 0) return;
    const inserted = await insertPackages(
      manager,
      list.map((p) => p.values),
    );
    const byId = new Map(inserted.map((row) => [row.id, row]));
    const created: { row: FulfillmentOrderRow; pkg: NewPackage }[] = [];
    for (const pkg of list) {
      const row = byId.get(pkg.values[0] as string);
      if (row) created.push({ row, pkg });
    }
    const skipped = list.length - created.length;
    if (skipped > 0) context.logger.info({ skipped }, 'packages already dispatched; skipped');

    const history: HistoryEntry[] = [];
    for (const { row, pkg } of created) {
      history.push({
        row,
        event: 'created',
        note: `one package of order ${row.order_number}${revisionNote(row.revision)}`,
        details: { basketId: Number(pkg.basketId), lines: pkg.lines.length },
      });
      if (pkg.cancellation) {
        history.push({
          row,
          event: 'canceled',
          note: `canceled before dispatch: ${pkg.cancellation.reason}`,
        });
      }
    }
    await addHistories(manager, history);

    const toDispatch = new Map<string, { row: FulfillmentOrderRow; correlationId?: string }[]>();
    for (const { row, pkg } of created) {
      if (pkg.cancellation) continue;
      const tx: Tx = {
        manager,
        publish: (out) => context.publish(out),
        correlationId: pkg.event.correlationId,
      };
      const blocked = await this.dispatcher.blockedFor(manager, row);
      if (blocked) {
        await this.dispatcher.holdBlocked(tx, row, blocked);
        continue;
      }
      const auto = settings.get(row.shop_id);
      if (auto === undefined) await this.dispatcher.hold(tx, row, 'shop_settings_unknown');
      else if (!auto) await this.dispatcher.hold(tx, row, 'awaiting_release');
      else {
        const items = toDispatch.get(row.tenant_id) ?? [];
        items.push({ row, correlationId: pkg.event.correlationId });
        toDispatch.set(row.tenant_id, items);
      }
    }
    const tx: Tx = { manager, publish: (out) => context.publish(out) };
    for (const tenantId of [...toDispatch.keys()].sort()) {
      const items = toDispatch.get(tenantId)!;
      const book = new StockBook(manager, tenantId);
      await this.dispatcher.dispatchNew(tx, book, items, 'auto');
      // The stock events continue the order's chain when they come from one order.
      const chains = new Set(items.map((item) => item.correlationId));
      await context.publish(book.inventoryEvents(chains.size === 1 ? [...chains][0] : undefined));
    }
  }
}

/**
 * A package is created once per revision: the key of every fulfillment order but a back order
 * (which is created by a split, never by order.mapped) — see the migration ShipmentV2AndSplits.
 */
/** Logged when an order.mapped is older than the revision already dispatched. */
const OLDER_REVISION =
  'order.mapped of an older revision than the one already dispatched for this order; ignored';

function orderKey(event: EventOf<'order.mapped'>): string {
  return `${event.shopId}\u0000${event.data.order.orderNumber}`;
}
