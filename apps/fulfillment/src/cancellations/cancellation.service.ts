import { Injectable } from '@nestjs/common';
import {
  type EventOf,
  type ShipmentCancelReason,
  createEvent,
  orderRevision,
} from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';

import { Dispatcher, type Tx } from '../dispatch/dispatcher';
import { addHistory, lockOrders, saveOrder } from '../dispatch/fulfillment-order.store';
import { lockOrderKey } from '../shops/shop-locks';
import { StockBook } from '../stock/stock-book';
import { type RecordedCancellation, recordCancellation } from './order-cancellation';

/** A cancellation of an order revision (and the older ones), from the marketplace or from here. */
export interface OrderCancellation {
  tenantId: string;
  shopId: string;
  /** Correlation id of the events this causes. */
  correlationId: string;
  orderNumber: string;
  /** The newest revision canceled. */
  revision: number;
  /** Rakuten's status that made it a cancellation (400: changed, awaiting confirmation). */
  rakutenStatus: number;
  reason: string;
  /** When it was seen, ISO-8601. */
  detectedAt: string;
}

/** The cancellation an `order.canceled` event states. */
export function cancellationOf(event: EventOf<'order.canceled'>): OrderCancellation {
  const { orderNumber, rakutenStatus, reason, detectedAt } = event.data;
  return {
    tenantId: event.tenantId,
    shopId: event.shopId,
    correlationId: event.correlationId,
    orderNumber,
    revision: orderRevision(event.data),
    rakutenStatus,
    reason,
    detectedAt,
  };
}

/**
 * Applies the marketplace's cancellation of an order to its fulfillment orders of the canceled
 * revision and older ones (those of a newer revision, pulled again after a change, stay: the
 * cancellation may arrive after them, as the topics are not ordered against each other):
 * - not shipped: canceled; a reservation is given back (and orders held for that stock are tried
 *   again); the warehouse gets shipment.canceled when it had received shipment.ready;
 * - shipped: nothing can be undone here; the cancellation is recorded on the fulfillment order and
 *   it is flagged for a person (needsAttention), who arranges the return;
 * - not created yet (order.canceled overtook order.mapped): the cancellation is kept, per
 *   revision, and the packages of that revision or an older one are created canceled when
 *   order.mapped arrives.
 * Rakuten 400 (a change awaiting confirmation) is treated as a cancellation of what was asked:
 * the changed order comes back as a new pull.
 */
@Injectable()
export class CancellationService {
  constructor(private readonly dispatcher: Dispatcher) {}

  async applyCancellation(input: OrderCancellation, context: HandlerContext): Promise<void> {
    const { manager } = context;
    const { orderNumber, rakutenStatus, reason, detectedAt, revision } = input;
    await lockOrderKey(manager, input.shopId, orderNumber);
    // The first cancellation recorded for a revision wins: a later one for it repeats it.
    await recordCancellation(manager, input);
    const cancellation: RecordedCancellation = {
      rakutenStatus,
      reason,
      detectedAt: new Date(detectedAt).toISOString(),
    };
    const reasonCode: ShipmentCancelReason =
      rakutenStatus === 400 ? 'order_changed' : 'order_canceled';
    const tx: Tx = {
      manager,
      publish: (events) => context.publish(events),
      correlationId: input.correlationId,
    };
    const rows = await lockOrders(
      manager,
      'shop_id = $1 AND order_number = $2 AND revision <= $3',
      [input.shopId, orderNumber, revision],
    );
    if (rows.length === 0) {
      context.logger.info(
        { revision },
        'cancellation recorded; no fulfillment order of this revision or an older one yet',
      );
      return;
    }
    const book = new StockBook(manager, input.tenantId);
    await book.lock(
      rows.filter((row) => row.stock_reserved).flatMap((row) => row.lines.map((l) => l.skuCode)),
    );
    const freed = new Set<string>();
    for (const row of rows) {
      if (row.status === 'canceled') continue;
      if (row.status === 'shipped') {
        if (row.cancellation) continue;
        row.cancellation = { ...cancellation, afterShipment: true };
        row.needs_attention = true;
        row.attention_reason = `The order was canceled on the marketplace after the package shipped (${reason}): arrange the return or refund.`;
        await saveOrder(manager, row);
        await addHistory(manager, row, 'canceled_after_shipment', row.attention_reason, {
          rakutenStatus,
          revision,
        });
        context.logger.warn({ fulfillmentOrderId: row.id }, 'order canceled after shipment');
        continue;
      }
      const wasSent = row.status === 'ready';
      if (row.stock_reserved) {
        await book.release(row.lines, 'cancellation');
        row.lines.forEach((line) => freed.add(line.skuCode));
        row.stock_reserved = false;
      }
      row.status = 'canceled';
      row.hold = null;
      row.cancellation = { ...cancellation, afterShipment: false };
      await saveOrder(manager, row);
      await addHistory(manager, row, 'canceled', `canceled before shipment: ${reason}`, {
        rakutenStatus,
        revision,
        warehouseNotified: wasSent,
      });
      if (wasSent) {
        await context.publish(
          createEvent('shipment.canceled', {
            tenantId: row.tenant_id,
            shopId: row.shop_id,
            correlationId: input.correlationId,
            data: {
              fulfillmentOrderId: row.id,
              orderNumber,
              basketId: Number(row.basket_id),
              reasonCode,
              reason,
            },
          }),
        );
      }
    }
    await this.dispatcher.retryHeld(tx, book, [...freed]);
    await context.publish(book.inventoryEvents(input.correlationId));
  }
}
