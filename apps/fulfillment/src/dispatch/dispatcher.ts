import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import {
  type AnyEvent,
  ContractViolationError,
  type HoldCode,
  type HoldView,
  type ShipmentReadyDataV2,
  type ShortLineView,
  createEvent,
  validateData,
} from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

import { settingsFor } from '../shops/fulfillment-settings';
import { StockBook } from '../stock/stock-book';
import { describeShortLines } from '../stock/stock-arithmetic';
import type { ReservationPlan } from '../stock/stock-arithmetic';
import {
  type FulfillmentOrderRow,
  addHistories,
  addHistory,
  insertBackOrder,
  lockOrders,
  saveInStockPart,
  saveOrder,
  saveReady,
  senderOf,
} from './fulfillment-order.store';
import { codAmountUnfixed, linesOf, partOf, splitLines } from './shipment-details';

/** A transaction and its outbox: what every change of fulfillment orders and stock runs in. */
export interface Tx {
  manager: EntityManager;
  publish(events: AnyEvent | AnyEvent[]): Promise<void>;
  /** Correlation id of the events this change publishes (the causing event's, if any). */
  correlationId?: string;
}

/** What made a fulfillment order go to the warehouse, for its history. */
export type DispatchTrigger =
  'auto' | 'release' | 'stock_arrival' | 'shop_settings' | 'split_policy';

const TRIGGER_NOTES: Record<DispatchTrigger, string> = {
  auto: 'autoFulfillmentDispatch is on',
  release: 'released by a person',
  stock_arrival: 'stock arrived',
  shop_settings: "the shop's settings arrived with autoFulfillmentDispatch on",
  split_policy: "the shop's split policy became ship_available",
};

/** Why a fulfillment order cannot go to the warehouse whatever the stock (see blockedFor). */
export type Blocked =
  { code: 'cod_amount_unfixed' } | { code: 'shipment_data_invalid'; problems: readonly string[] };

/**
 * Sends fulfillment orders to the warehouse: reserve every line's stock, then publish
 * `shipment.ready`, or hold the order with its short lines — or, for a shop whose split policy is
 * `ship_available`, send the lines in stock now and keep the rest as a back order. Shared by the
 * consumers and the calls; the caller holds the fulfillment order's row lock and passes the
 * transaction's StockBook. An order that can never be sent as it is (cash on delivery without a
 * fixed amount, data that makes no valid shipment.ready v2) is held before any stock is reserved.
 */
@Injectable()
export class Dispatcher {
  /** Reserves and dispatches; false when the order stays (or goes) on hold. */
  async tryDispatch(
    tx: Tx,
    book: StockBook,
    row: FulfillmentOrderRow,
    trigger: DispatchTrigger,
  ): Promise<boolean> {
    const blocked = await this.blockedFor(tx.manager, row);
    if (blocked) {
      await this.holdBlocked(tx, row, blocked);
      return false;
    }
    const plan = await book.reserve(row.lines);
    if (!plan.ok) {
      if (await this.trySplit(tx, book, row, trigger)) return true;
      await this.holdForStock(tx, row, plan);
      return false;
    }
    await this.markReady(tx, [{ row, correlationId: tx.correlationId }], trigger);
    return true;
  }

  /**
   * tryDispatch for new fulfillment orders of one tenant (a chunk of order.mapped), in the order
   * given: one reservation UPDATE, one status UPDATE and one history insert for those that fit,
   * and their shipment.ready in one outbox insert, each with its order's correlation id. When a
   * shop of the chunk may split packages (policy ship_available), the orders go one by one
   * through tryDispatch instead, so that the chunk does exactly what single events would.
   */
  async dispatchNew(
    tx: Tx,
    book: StockBook,
    items: { row: FulfillmentOrderRow; correlationId?: string }[],
    trigger: DispatchTrigger,
  ): Promise<void> {
    const policies = await Promise.all(
      items.map(async ({ row }) => (await settingsFor(tx.manager, row.shop_id)).splitPolicy),
    );
    if (policies.includes('ship_available')) {
      for (const { row, correlationId } of items) {
        await this.tryDispatch({ ...tx, correlationId }, book, row, trigger);
      }
      return;
    }
    const open: typeof items = [];
    for (const item of items) {
      const blocked = await this.blockedFor(tx.manager, item.row);
      if (blocked) await this.holdBlocked(tx, item.row, blocked);
      else open.push(item);
    }
    const plans = await book.reserveMany(open.map(({ row }) => row.lines));
    const ready: typeof items = [];
    for (const [i, item] of open.entries()) {
      const plan = plans[i];
      if (plan.ok) ready.push(item);
      else await this.holdForStock(tx, item.row, plan);
    }
    await this.markReady(tx, ready, trigger);
  }

  /**
   * Reserved already: status ready, the sender block of the shop's settings recorded (v2 rows),
   * history, and shipment.ready for each, in one statement each.
   */
  private async markReady(
    tx: Tx,
    items: { row: FulfillmentOrderRow; correlationId?: string }[],
    trigger: DispatchTrigger,
  ): Promise<void> {
    if (items.length === 0) return;
    for (const { row } of items) {
      row.status = 'ready';
      row.hold = null;
      row.stock_reserved = true;
      if (row.shipment_details) {
        const { sender, slipMessage } = senderOf(
          { ...row, sender: null },
          await settingsFor(tx.manager, row.shop_id),
        );
        row.sender = sender;
        row.slip_message = slipMessage;
      }
    }
    await saveReady(
      tx.manager,
      items.map(({ row }) => row),
    );
    await addHistories(
      tx.manager,
      items.map(({ row }) => ({
        row,
        event: 'dispatched' as const,
        note: `sent to the warehouse: ${TRIGGER_NOTES[trigger]}${partNote(row)}`,
      })),
    );
    await tx.publish(items.map(({ row, correlationId }) => shipmentReady(row, correlationId)));
  }

  /**
   * Split policy `ship_available`: when a whole package is short, the marketplace lines that
   * have stock (each whole, with every SKU it needs) are reserved and sent now as the `in_stock`
   * part, and the others become the `back_order` part — a second fulfillment order of the same
   * package and revision, held for stock, which goes by itself when stock arrives. Nothing splits
   * when no line (or every line) fits, for cash on delivery (one parcel collects), for a part
   * already, or for rows created before shipment.ready v2 (their marketplace lines are unknown).
   * The back order keeps the package's place in the queue (its created_at). Returns true when
   * it split and sent the in-stock part.
   */
  private async trySplit(
    tx: Tx,
    book: StockBook,
    row: FulfillmentOrderRow,
    trigger: DispatchTrigger,
  ): Promise<boolean> {
    const details = row.shipment_details;
    if (row.part_kind !== 'whole' || !details || details.payment.cashOnDelivery) return false;
    if ((await settingsFor(tx.manager, row.shop_id)).splitPolicy !== 'ship_available') {
      return false;
    }
    const split = splitLines(details.items, (sku) => book.available(sku));
    if (!split) return false;
    const inStockLines = linesOf(split.inStock);
    const reserved = await book.reserve(inStockLines);
    if (!reserved.ok) return false;

    const back: FulfillmentOrderRow = {
      ...row,
      id: randomUUID(),
      status: 'awaiting_stock',
      lines: linesOf(split.backOrder),
      hold: null,
      stock_reserved: false,
      part_kind: 'back_order',
      other_part_id: row.id,
      shipment_details: { ...details, items: split.backOrder },
      sender: null,
      slip_message: null,
    };
    const shortfall = book.check(back.lines);
    back.hold = holdFor('insufficient_stock', shortfall.ok ? [] : shortfall.shortLines, null);
    await insertBackOrder(tx.manager, back);
    const itemIds = (items: typeof split.inStock) => items.map((item) => item.itemDetailId);
    row.part_kind = 'in_stock';
    row.other_part_id = back.id;
    row.lines = inStockLines;
    row.shipment_details = { ...details, items: split.inStock };
    await saveInStockPart(tx.manager, row);
    await addHistory(
      tx.manager,
      row,
      'split',
      `split (split policy ship_available): ${split.inStock.length} line(s) in stock go now, ${split.backOrder.length} wait as back order ${back.id}`,
      {
        inStock: itemIds(split.inStock),
        backOrder: itemIds(split.backOrder),
        backOrderId: back.id,
      },
    );
    await addHistories(tx.manager, [
      {
        row: back,
        event: 'created',
        note: `back order of package ${Number(back.basket_id)} of order ${back.order_number}: the lines short of stock, split from ${row.id}`,
        details: {
          basketId: Number(back.basket_id),
          lines: back.lines.length,
          items: itemIds(split.backOrder),
          inStockPart: row.id,
        },
      },
      {
        row: back,
        event: 'held',
        note: back.hold.message,
        details: { code: 'insufficient_stock', shortLines: back.hold.shortLines },
      },
    ]);
    await this.markReady(tx, [{ row, correlationId: tx.correlationId }], trigger);
    return true;
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
  async hold(
    tx: Tx,
    row: FulfillmentOrderRow,
    code: Exclude<HoldCode, 'insufficient_stock'>,
    problems: readonly string[] = [],
  ) {
    row.status = code === 'shop_settings_unknown' ? 'awaiting_shop' : 'awaiting_release';
    row.hold = holdFor(code, [], row.hold, problems);
    await saveOrder(tx.manager, row);
    await addHistory(tx.manager, row, 'held', row.hold.message, {
      code,
      ...(problems.length > 0 ? { problems } : {}),
    });
  }

  /**
   * Why this fulfillment order cannot be sent as it is, before any stock is reserved: cash on
   * delivery whose amount Rakuten has not fixed, or a shipment.ready v2 that would not be valid
   * (e.g. amounts not fixed on another payment method). null when it can go (rows created
   * before v2 always can: they are sent as shipment.ready v1).
   */
  async blockedFor(manager: EntityManager, row: FulfillmentOrderRow): Promise<Blocked | null> {
    if (!row.shipment_details) return null;
    if (codAmountUnfixed(row.shipment_details)) return { code: 'cod_amount_unfixed' };
    const { sender } = senderOf({ ...row, sender: null }, await settingsFor(manager, row.shop_id));
    try {
      validateData('shipment.ready', shipmentReadyV2(row, sender ?? row.shipment_details.orderer));
      return null;
    } catch (error) {
      if (!(error instanceof ContractViolationError)) throw error;
      return { code: 'shipment_data_invalid', problems: error.violations };
    }
  }

  /** Holds an order blockedFor found, unless it already is held for that reason. */
  async holdBlocked(tx: Tx, row: FulfillmentOrderRow, blocked: Blocked): Promise<void> {
    if (row.status === 'awaiting_release' && row.hold?.code === blocked.code) return;
    await this.hold(tx, row, blocked.code, 'problems' in blocked ? blocked.problems : []);
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
    return this.retry(tx, book, held, 'stock_arrival');
  }

  /** Tries these held orders again, oldest first; returns the ids sent to the warehouse. */
  async retry(
    tx: Tx,
    book: StockBook,
    held: FulfillmentOrderRow[],
    trigger: DispatchTrigger,
  ): Promise<string[]> {
    if (held.length === 0) return [];
    // Every SKU these orders need, locked now in code order rather than order by order.
    await book.lock(held.flatMap((row) => row.lines.map((line) => line.skuCode)));
    held.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
    const released: string[] = [];
    for (const row of held) {
      if (await this.tryDispatch(tx, book, row, trigger)) released.push(row.id);
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

/** What fixes an order whose amounts Rakuten has not fixed. */
const AMOUNTS_FIX =
  'The seller fixes the amount in RMS; Rakuten then moves the order through 変更 (change) and it is pulled again as a new revision, which supersedes this fulfillment order.';

const HOLD_MESSAGES: Record<
  HoldCode,
  (shortLines: ShortLineView[], problems: readonly string[]) => string
> = {
  shop_settings_unknown: () =>
    "The shop's settings have not reached the fulfillment service yet (no shop.updated); the order is dispatched or waits for release as the shop's autoFulfillmentDispatch says once they arrive.",
  awaiting_release: () =>
    'autoFulfillmentDispatch is off for the shop: release the order (POST /fulfillment-orders/:id/release) to send it to the warehouse.',
  insufficient_stock: (shortLines) =>
    `Not enough stock: ${describeShortLines(shortLines)}. It is sent to the warehouse by itself when stock arrives (PUT /inventory/:skuCode).`,
  cod_amount_unfixed: () =>
    `Cash on delivery, but Rakuten has not fixed the amount to collect (requestPrice is -9999: the postage or another amount is not fixed yet). It is not sent to the warehouse and no stock is reserved. ${AMOUNTS_FIX}`,
  shipment_data_invalid: (_, problems) =>
    problems.some((p) => /totals\.(postagePrice|totalPrice|requestPrice)/.test(p))
      ? `Rakuten has not fixed the order's amounts (RMS -9999), which the packing slip shows: ${problems.join('; ')}. It is not sent to the warehouse and no stock is reserved. ${AMOUNTS_FIX}`
      : `The order's data cannot make a valid shipment.ready: ${problems.join('; ')}. It is not sent to the warehouse and no stock is reserved; cancel it or have the order changed on Rakuten (a new revision supersedes it).`,
};

function holdFor(
  code: HoldCode,
  shortLines: ShortLineView[],
  previous: HoldView | null,
  problems: readonly string[] = [],
): HoldView {
  return {
    code,
    message: HOLD_MESSAGES[code](shortLines, problems),
    shortLines,
    since: previous?.code === code ? previous.since : new Date().toISOString(),
  };
}

/** " (in-stock part; back order <id>)" for a part of a split package. */
function partNote(row: FulfillmentOrderRow): string {
  if (row.part_kind === 'in_stock') return ` (in-stock part; back order ${row.other_part_id})`;
  if (row.part_kind === 'back_order') return ` (back order of ${row.other_part_id})`;
  return '';
}

/** The shipment.ready v2 data of a fulfillment order with v2 details and its sender block. */
export function shipmentReadyV2(
  row: FulfillmentOrderRow,
  sender: ShipmentReadyDataV2['sender'],
): ShipmentReadyDataV2 {
  const details = row.shipment_details;
  if (!details) throw new Error(`fulfillment order ${row.id} has no shipment.ready v2 details`);
  // Amounts RMS left unfixed stay null here: the event refuses them (see blockedFor).
  return {
    fulfillmentOrderId: row.id,
    shopRef: {
      marketplace: row.marketplace,
      shopId: row.shop_id,
      orderNumber: row.order_number,
      basketId: Number(row.basket_id),
    },
    revision: row.revision,
    part: partOf(row),
    recipient: row.recipient,
    orderer: details.orderer,
    sender,
    lines: row.lines,
    items: details.items,
    payment: details.payment as ShipmentReadyDataV2['payment'],
    totals: details.totals as ShipmentReadyDataV2['totals'],
    remarks: details.remarks,
    gift: details.gift,
    delivery: details.delivery,
    requestedCarrierCode: row.requested_carrier_code,
    requestedDeliveryDate: row.requested_delivery_date,
    requestedTimeSlot: row.requested_time_slot,
    orderedAt: details.orderedAt,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The shipment.ready of a fulfillment order being dispatched: v2 with the sender recorded on it;
 * v1 for a row created before v2 (all it has: recipient, lines, requested delivery), which
 * consumers read as v2 with payment, items, orderer and totals null — unknown, never "not cash
 * on delivery" (see UpgradedShipmentReady).
 */
export function shipmentReady(row: FulfillmentOrderRow, correlationId?: string): AnyEvent {
  if (row.shipment_details) {
    return createEvent('shipment.ready', {
      tenantId: row.tenant_id,
      shopId: row.shop_id,
      correlationId,
      data: shipmentReadyV2(row, row.sender ?? row.shipment_details.orderer),
    });
  }
  return shipmentReadyV1(row, correlationId);
}

function shipmentReadyV1(row: FulfillmentOrderRow, correlationId?: string): AnyEvent {
  const data = validateData(
    'shipment.ready',
    {
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
    1,
  );
  const id = randomUUID();
  // createEvent builds the current version only; this is the same envelope at version 1.
  return {
    id,
    type: 'shipment.ready',
    version: 1,
    occurredAt: new Date().toISOString(),
    tenantId: row.tenant_id,
    shopId: row.shop_id,
    correlationId: correlationId ?? id,
    data,
  };
}
