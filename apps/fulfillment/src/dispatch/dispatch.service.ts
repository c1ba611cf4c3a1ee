import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { type EventOf, type ShipmentLine, createEvent, orderRevision } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import type { EntityManager } from 'typeorm';

import { CancellationService } from '../cancellations/cancellation.service';
import { lockOrderKey, lockShopSettings, lockShopsAndOrders } from '../shops/shop-locks';
import { findShopSettings } from '../shops/shop-settings.entity';
import {
  type RecordedCancellation,
  cancellationFor,
  cancellationsOf,
  findCancellation,
  uniqueOrders,
} from '../cancellations/order-cancellation';
import { StockBook } from '../stock/stock-book';
import { mergeLines } from '../stock/stock-arithmetic';
import { Dispatcher, type Tx } from './dispatcher';
import { detailsForPackage } from './shipment-details';
import {
  FO_COLUMNS,
  type FulfillmentOrderRow,
  type HistoryEntry,
  addHistories,
  addHistory,
  revisionNote,
} from './fulfillment-order.row';

/** One package of a mapped order, as the chunk handler inserts it. */
interface NewPackage {
  event: EventOf<'order.mapped'>;
  basketId: string;
  lines: ShipmentLine[];
  cancellation?: RecordedCancellation;
  values: unknown[];
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
    const canceled = createEvent('order.canceled', {
      tenantId: event.tenantId,
      shopId: event.shopId,
      correlationId: event.correlationId,
      data: {
        orderNumber: event.data.order.orderNumber,
        rakutenStatus: 400,
        reason: `superseded by revision ${revision} of the order, changed on Rakuten`,
        detectedAt: new Date().toISOString(),
        revision: revision - 1,
      },
    });
    context.logger.info({ revision }, 'older revisions of the order superseded');
    await this.cancellations.applyCancellation(canceled, context);
  }

  async dispatchMappedOrder(
    event: EventOf<'order.mapped'>,
    context: HandlerContext,
  ): Promise<void> {
    const { manager } = context;
    const { order, marketplace } = event.data;
    const revision = orderRevision(event.data);
    const tx: Tx = {
      manager,
      publish: (events) => context.publish(events),
      correlationId: event.correlationId,
    };
    // Serialises with shop.updated and order.canceled of the same shop / order, so that neither
    // decides on a state the other is about to change (see shop-locks.ts).
    await lockShopSettings(manager, event.shopId, 'shared');
    await lockOrderKey(manager, event.shopId, order.orderNumber);
    const newest = await newestRevisions(manager, [
      { shopId: event.shopId, orderNumber: order.orderNumber },
    ]);
    const dispatched = newest.get(orderKey(event)) ?? 0;
    if (revision < dispatched) {
      context.logger.info({ revision }, OLDER_REVISION);
      return;
    }
    if (dispatched > 0 && revision > dispatched) {
      await this.supersedeOlderRevisions(event, revision, context);
    }
    const settings = await findShopSettings(manager, event.shopId);
    const cancellation = await findCancellation(manager, event.shopId, order.orderNumber, revision);

    const created: FulfillmentOrderRow[] = [];
    for (const pkg of order.packages) {
      const lines = mergeLines(pkg.lines.flatMap((line) => line.resolution.skus));
      const rows = await manager.query<FulfillmentOrderRow[]>(
        `INSERT INTO fulfillment.fulfillment_orders
           (id, tenant_id, shop_id, marketplace, order_number, basket_id, revision, status,
            recipient, lines, requested_carrier_code, requested_delivery_date,
            requested_time_slot, cancellation, shipment_details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ${ON_PACKAGE_CONFLICT}
         RETURNING ${FO_COLUMNS}`,
        [
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
      );
      if (rows.length === 0) {
        context.logger.info({ basketId: pkg.basketId }, 'package already dispatched; skipped');
        continue;
      }
      const row = rows[0];
      await addHistory(
        manager,
        row,
        'created',
        `one package of order ${order.orderNumber}${revisionNote(revision)}`,
        { basketId: pkg.basketId, lines: lines.length },
      );
      if (cancellation) {
        await addHistory(
          manager,
          row,
          'canceled',
          `canceled before dispatch: ${cancellation.reason}`,
        );
        continue;
      }
      created.push(row);
    }
    // Cash on delivery without a fixed amount (or data no shipment.ready can carry): held at
    // once, whatever the shop's settings, and never reserved.
    const open: FulfillmentOrderRow[] = [];
    for (const row of created) {
      const blocked = await this.dispatcher.blockedFor(manager, row);
      if (blocked) await this.dispatcher.holdBlocked(tx, row, blocked);
      else open.push(row);
    }
    if (open.length === 0) return;

    if (!settings) {
      for (const row of open) await this.dispatcher.hold(tx, row, 'shop_settings_unknown');
      return;
    }
    if (!settings.autoFulfillmentDispatch) {
      for (const row of open) await this.dispatcher.hold(tx, row, 'awaiting_release');
      return;
    }
    const book = new StockBook(manager, event.tenantId);
    await book.lock(open.flatMap((row) => row.lines.map((line) => line.skuCode)));
    for (const row of open) await this.dispatcher.tryDispatch(tx, book, row, 'auto');
    await context.publish(book.inventoryEvents(event.correlationId));
  }

  /**
   * The chunk handler of `order.mapped`: what dispatchMappedOrder does event after event, with
   * one statement per step for the whole chunk (locks, settings, cancellations, packages,
   * history, reservations, status) and one outbox insert. Stock is reserved in event order, and
   * `inventory.changed` is published once per SKU per chunk with its final counts.
   */
  async dispatchMappedOrders(
    events: EventOf<'order.mapped'>[],
    context: HandlerContext,
  ): Promise<void> {
    if (events.length === 1) return this.dispatchMappedOrder(events[0], context);
    const { manager } = context;
    const orderKeys = events.map((e) => ({
      shopId: e.shopId,
      orderNumber: e.data.order.orderNumber,
    }));
    await lockShopsAndOrders(
      manager,
      events.map((e) => e.shopId),
      orderKeys,
    );
    const settings = new Map(
      (
        await manager.query<{ shop_id: string; auto_fulfillment_dispatch: boolean }[]>(
          `SELECT shop_id, auto_fulfillment_dispatch FROM fulfillment.shop_settings
            WHERE shop_id = ANY($1::text[])`,
          [[...new Set(events.map((e) => e.shopId))]],
        )
      ).map((row) => [row.shop_id, row.auto_fulfillment_dispatch]),
    );
    const newest = await newestRevisions(manager, orderKeys);
    // A chunk with a revision that supersedes another (one already dispatched, or one earlier in
    // the chunk) is rare — only orders changed on Rakuten — and is applied one event at a time, so
    // that it does exactly what the per-event handler does (the locks are held already).
    const revisionsInChunk = new Map<string, Set<number>>();
    for (const event of events) {
      const key = orderKey(event);
      const set = revisionsInChunk.get(key) ?? new Set<number>();
      revisionsInChunk.set(key, set.add(orderRevision(event.data)));
    }
    const supersedes = events.some((event) => {
      const dispatched = newest.get(orderKey(event)) ?? 0;
      return dispatched > 0 && orderRevision(event.data) > dispatched;
    });
    if (supersedes || [...revisionsInChunk.values()].some((set) => set.size > 1)) {
      for (const event of events) await this.dispatchMappedOrder(event, context);
      return;
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
    const column = (i: number) => list.map((p) => p.values[i]);
    const inserted = await manager.query<FulfillmentOrderRow[]>(
      `INSERT INTO fulfillment.fulfillment_orders
         (id, tenant_id, shop_id, marketplace, order_number, basket_id, revision, status,
          recipient, lines, requested_carrier_code, requested_delivery_date, requested_time_slot,
          cancellation, shipment_details)
       SELECT id, t, s, m, o, b, rv, st, r::jsonb, l::jsonb, c, d, ts, x::jsonb, sd::jsonb
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                     $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                     $13::int[], $14::text[], $15::text[])
              WITH ORDINALITY AS i(id, t, s, m, o, b, rv, st, r, l, c, d, ts, x, sd, n)
        ORDER BY n
       ${ON_PACKAGE_CONFLICT}
       RETURNING ${FO_COLUMNS}`,
      Array.from({ length: 15 }, (_, i) => column(i)),
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
      const book = new StockBook(manager, tenantId);
      await this.dispatcher.dispatchNew(tx, book, toDispatch.get(tenantId)!, 'auto');
      await context.publish(book.inventoryEvents());
    }
  }
}

/**
 * A package is created once per revision: the key of every fulfillment order but a back order
 * (which is created by a split, never by order.mapped) — see the migration ShipmentV2AndSplits.
 */
const ON_PACKAGE_CONFLICT = `ON CONFLICT (shop_id, order_number, basket_id, revision)
  WHERE part_kind <> 'back_order' DO NOTHING`;

/** Logged when an order.mapped is older than the revision already dispatched. */
const OLDER_REVISION =
  'order.mapped of an older revision than the one already dispatched for this order; ignored';

function orderKey(event: EventOf<'order.mapped'>): string {
  return `${event.shopId}\u0000${event.data.order.orderNumber}`;
}

/** The newest revision with fulfillment orders of each of these orders, by orderKey. */
async function newestRevisions(
  manager: EntityManager,
  orders: { shopId: string; orderNumber: string }[],
): Promise<Map<string, number>> {
  const keys = uniqueOrders(orders);
  const rows = await manager.query<{ shop_id: string; order_number: string; revision: number }[]>(
    `SELECT f.shop_id, f.order_number, max(f.revision) AS revision
       FROM fulfillment.fulfillment_orders f
       JOIN unnest($1::text[], $2::text[]) AS k(s, o) ON f.shop_id = k.s AND f.order_number = k.o
      GROUP BY f.shop_id, f.order_number`,
    [keys.map((k) => k.shopId), keys.map((k) => k.orderNumber)],
  );
  return new Map(rows.map((row) => [`${row.shop_id}\u0000${row.order_number}`, row.revision]));
}
