import { Injectable } from '@nestjs/common';
import {
  type AnyEvent,
  type HoldCode,
  type HoldView,
  type ShortLineView,
  createEvent,
} from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

import { StockBook } from '../stock/stock-book';
import { describeShortLines } from '../stock/stock-arithmetic';
import type { ReservationPlan } from '../stock/stock-arithmetic';
import {
  FO_COLUMNS,
  type FulfillmentOrderRow,
  addHistories,
  addHistory,
  lockOrders,
  saveOrder,
} from './fulfillment-order.row';

/** A transaction and its outbox: what every change of fulfillment orders and stock runs in. */
export interface Tx {
  manager: EntityManager;
  publish(events: AnyEvent | AnyEvent[]): Promise<void>;
  /** Correlation id of the events this change publishes (the causing event's, if any). */
  correlationId?: string;
}

/** What made a fulfillment order go to the warehouse, for its history. */
export type DispatchTrigger = 'auto' | 'release' | 'stock_arrival' | 'shop_settings';

const TRIGGER_NOTES: Record<DispatchTrigger, string> = {
  auto: 'autoFulfillmentDispatch is on',
  release: 'released by a person',
  stock_arrival: 'stock arrived',
  shop_settings: "the shop's settings arrived with autoFulfillmentDispatch on",
};

/**
 * Sends fulfillment orders to the warehouse: reserve every line's stock, then publish
 * `shipment.ready`, or hold the order with its short lines. Shared by the consumers and the
 * calls; the caller holds the fulfillment order's row lock and passes the transaction's StockBook.
 */
@Injectable()
export class Dispatcher {
  /** Reserves and dispatches; false when the order stays (or goes) on hold for stock. */
  async tryDispatch(
    tx: Tx,
    book: StockBook,
    row: FulfillmentOrderRow,
    trigger: DispatchTrigger,
  ): Promise<boolean> {
    const plan = await book.reserve(row.lines);
    if (!plan.ok) {
      await this.holdForStock(tx, row, plan);
      return false;
    }
    row.status = 'ready';
    row.hold = null;
    row.stock_reserved = true;
    await saveOrder(tx.manager, row);
    await addHistory(
      tx.manager,
      row,
      'dispatched',
      `sent to the warehouse: ${TRIGGER_NOTES[trigger]}`,
    );
    await tx.publish(shipmentReady(row, tx.correlationId));
    return true;
  }

  /**
   * tryDispatch for new fulfillment orders of one tenant (a chunk of order.mapped), in the order
   * given: one reservation UPDATE, one status UPDATE and one history insert for those that fit,
   * and their shipment.ready in one outbox insert, each with its order's correlation id.
   */
  async dispatchNew(
    tx: Tx,
    book: StockBook,
    items: { row: FulfillmentOrderRow; correlationId?: string }[],
    trigger: DispatchTrigger,
  ): Promise<void> {
    const plans = await book.reserveMany(items.map(({ row }) => row.lines));
    const ready: typeof items = [];
    for (const [i, item] of items.entries()) {
      const plan = plans[i];
      if (plan.ok) ready.push(item);
      else await this.holdForStock(tx, item.row, plan);
    }
    if (ready.length === 0) return;
    for (const { row } of ready) {
      row.status = 'ready';
      row.hold = null;
      row.stock_reserved = true;
    }
    await tx.manager.query(
      `UPDATE fulfillment.fulfillment_orders
          SET status = 'ready', hold = NULL, stock_reserved = true, updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [ready.map(({ row }) => row.id)],
    );
    await addHistories(
      tx.manager,
      ready.map(({ row }) => ({
        row,
        event: 'dispatched' as const,
        note: `sent to the warehouse: ${TRIGGER_NOTES[trigger]}`,
      })),
    );
    await tx.publish(ready.map(({ row, correlationId }) => shipmentReady(row, correlationId)));
  }

  private async holdForStock(
    tx: Tx,
    row: FulfillmentOrderRow,
    plan: Extract<ReservationPlan, { ok: false }>,
  ): Promise<void> {
    const wasWaiting = row.status === 'awaiting_stock';
    row.status = 'awaiting_stock';
    row.hold = holdFor('insufficient_stock', plan.shortLines, row.hold);
    await saveOrder(tx.manager, row);
    // A retry that is still short changes the counts shown, not the path: no new step.
    if (!wasWaiting) {
      await addHistory(tx.manager, row, 'held', row.hold.message, {
        code: 'insufficient_stock',
        shortLines: plan.shortLines,
      });
    }
  }

  /** Puts the order on hold for a reason other than stock. */
  async hold(tx: Tx, row: FulfillmentOrderRow, code: Exclude<HoldCode, 'insufficient_stock'>) {
    row.status = code === 'shop_settings_unknown' ? 'awaiting_shop' : 'awaiting_release';
    row.hold = holdFor(code, [], row.hold);
    await saveOrder(tx.manager, row);
    await addHistory(tx.manager, row, 'held', row.hold.message, { code });
  }

  /**
   * Tries again, oldest first, the orders held for stock that want any of these SKUs (stock
   * arrived, or a cancellation gave some back). Returns the ids sent to the warehouse.
   */
  async retryHeld(tx: Tx, book: StockBook, skuCodes: string[]): Promise<string[]> {
    if (skuCodes.length === 0) return [];
    const held = await lockOrders(
      tx.manager,
      `tenant_id = $1 AND status = 'awaiting_stock'
         AND lines @> ANY(ARRAY(SELECT jsonb_build_array(jsonb_build_object('skuCode', sku))
                                  FROM unnest($2::text[]) AS sku))`,
      [book.tenantId, skuCodes],
    );
    if (held.length === 0) return [];
    // Every SKU these orders need, locked now in code order rather than order by order.
    await book.lock(held.flatMap((row) => row.lines.map((line) => line.skuCode)));
    held.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
    const released: string[] = [];
    for (const row of held) {
      if (await this.tryDispatch(tx, book, row, 'stock_arrival')) released.push(row.id);
    }
    return released;
  }

  /** The orders of a shop that waited for its settings, now that they are known. */
  async applyShopSettings(tx: Tx, shopId: string, tenantId: string, auto: boolean) {
    const waiting = await lockOrders(tx.manager, `shop_id = $1 AND status = 'awaiting_shop'`, [
      shopId,
    ]);
    if (waiting.length === 0) return;
    const book = new StockBook(tx.manager, tenantId);
    if (auto) await book.lock(waiting.flatMap((row) => row.lines.map((line) => line.skuCode)));
    waiting.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    for (const row of waiting) {
      if (auto) await this.tryDispatch(tx, book, row, 'shop_settings');
      else await this.hold(tx, row, 'awaiting_release');
    }
    await tx.publish(book.inventoryEvents(tx.correlationId));
  }
}

/** Reads one fulfillment order without a lock. */
export async function findOrder(
  manager: EntityManager,
  tenantId: string,
  id: string,
): Promise<FulfillmentOrderRow | undefined> {
  const rows = await manager.query<FulfillmentOrderRow[]>(
    `SELECT ${FO_COLUMNS} FROM fulfillment.fulfillment_orders WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  return rows[0];
}

const HOLD_MESSAGES: Record<HoldCode, (shortLines: ShortLineView[]) => string> = {
  shop_settings_unknown: () =>
    "The shop's settings have not reached the fulfillment service yet (no shop.updated); the order is dispatched or waits for release as the shop's autoFulfillmentDispatch says once they arrive.",
  awaiting_release: () =>
    'autoFulfillmentDispatch is off for the shop: release the order (POST /fulfillment-orders/:id/release) to send it to the warehouse.',
  insufficient_stock: (shortLines) =>
    `Not enough stock: ${describeShortLines(shortLines)}. It is sent to the warehouse by itself when stock arrives (PUT /inventory/:skuCode).`,
};

function holdFor(code: HoldCode, shortLines: ShortLineView[], previous: HoldView | null): HoldView {
  return {
    code,
    message: HOLD_MESSAGES[code](shortLines),
    shortLines,
    since: previous?.code === code ? previous.since : new Date().toISOString(),
  };
}

export function shipmentReady(row: FulfillmentOrderRow, correlationId?: string): AnyEvent {
  return createEvent('shipment.ready', {
    tenantId: row.tenant_id,
    shopId: row.shop_id,
    correlationId,
    data: {
      fulfillmentOrderId: row.id,
      shopRef: {
        marketplace: row.marketplace,
        shopId: row.shop_id,
        orderNumber: row.order_number,
        basketId: Number(row.basket_id),
      },
      recipient: row.recipient,
      lines: row.lines,
      requestedCarrierCode: row.requested_carrier_code,
      requestedDeliveryDate: row.requested_delivery_date,
      requestedTimeSlot: row.requested_time_slot,
      createdAt: row.created_at.toISOString(),
    },
  });
}
