import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';

import { lockOrderKey, lockShopSettings } from '../shops/shop-locks';
import { findShopSettings } from '../shops/shop-settings.entity';
import { findCancellation } from '../cancellations/order-cancellation';
import { StockBook } from '../stock/stock-book';
import { mergeLines } from '../stock/stock-arithmetic';
import { Dispatcher, type Tx } from './dispatcher';
import { FO_COLUMNS, type FulfillmentOrderRow, addHistory } from './fulfillment-order.row';

/**
 * Turns a mapped order into one fulfillment order per package (unique (shop, order number,
 * basket), so a redelivered or re-published order.mapped creates nothing twice), then:
 * - the order was already canceled (order.canceled came first): created canceled;
 * - the shop's settings are unknown (no shop.updated yet): held `awaiting_shop`, decided when
 *   they arrive;
 * - autoFulfillmentDispatch off: held `awaiting_release` for a person;
 * - on: stock reserved and shipment.ready published, or held `awaiting_stock` with the short lines.
 */
@Injectable()
export class DispatchService {
  constructor(private readonly dispatcher: Dispatcher) {}

  async dispatchMappedOrder(
    event: EventOf<'order.mapped'>,
    context: HandlerContext,
  ): Promise<void> {
    const { manager } = context;
    const { order, marketplace } = event.data;
    const tx: Tx = {
      manager,
      publish: (events) => context.publish(events),
      correlationId: event.correlationId,
    };
    // Serialises with shop.updated and order.canceled of the same shop / order, so that neither
    // decides on a state the other is about to change (see shop-locks.ts).
    await lockShopSettings(manager, event.shopId, 'shared');
    await lockOrderKey(manager, event.shopId, order.orderNumber);
    const settings = await findShopSettings(manager, event.shopId);
    const cancellation = await findCancellation(manager, event.shopId, order.orderNumber);

    const created: FulfillmentOrderRow[] = [];
    for (const pkg of order.packages) {
      const lines = mergeLines(pkg.lines.flatMap((line) => line.resolution.skus));
      const rows = await manager.query<FulfillmentOrderRow[]>(
        `INSERT INTO fulfillment.fulfillment_orders
           (id, tenant_id, shop_id, marketplace, order_number, basket_id, status, recipient, lines,
            requested_carrier_code, requested_delivery_date, requested_time_slot, cancellation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (shop_id, order_number, basket_id) DO NOTHING
         RETURNING ${FO_COLUMNS}`,
        [
          randomUUID(),
          event.tenantId,
          event.shopId,
          marketplace,
          order.orderNumber,
          String(pkg.basketId),
          cancellation ? 'canceled' : 'awaiting_shop',
          JSON.stringify(pkg.recipient),
          JSON.stringify(lines),
          pkg.requestedDelivery?.carrierCode ?? null,
          pkg.requestedDelivery?.date ?? null,
          pkg.requestedDelivery?.timeSlot ?? null,
          cancellation ? JSON.stringify({ ...cancellation, afterShipment: false }) : null,
        ],
      );
      if (rows.length === 0) {
        context.logger.info({ basketId: pkg.basketId }, 'package already dispatched; skipped');
        continue;
      }
      const row = rows[0];
      await addHistory(manager, row, 'created', `one package of order ${order.orderNumber}`, {
        basketId: pkg.basketId,
        lines: lines.length,
      });
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
    if (created.length === 0) return;

    if (!settings) {
      for (const row of created) await this.dispatcher.hold(tx, row, 'shop_settings_unknown');
      return;
    }
    if (!settings.autoFulfillmentDispatch) {
      for (const row of created) await this.dispatcher.hold(tx, row, 'awaiting_release');
      return;
    }
    const book = new StockBook(manager, event.tenantId);
    await book.lock(created.flatMap((row) => row.lines.map((line) => line.skuCode)));
    for (const row of created) await this.dispatcher.tryDispatch(tx, book, row, 'auto');
    await context.publish(book.inventoryEvents(event.correlationId));
  }
}
