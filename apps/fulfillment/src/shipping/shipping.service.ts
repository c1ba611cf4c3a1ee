import { Injectable } from '@nestjs/common';
import {
  type ShipFulfillmentOrderCall,
  type ShipResultView,
  createEvent,
} from '@smartship/contracts';

import { CallTransactions } from '../calls/call-transactions';
import { FulfillmentError, FulfillmentErrorCode } from '../calls/fulfillment.errors';
import {
  addHistory,
  findOrder,
  lockOrders,
  saveOrder,
  toView,
} from '../dispatch/fulfillment-order.store';
import { StockBook } from '../stock/stock-book';
import { decideConfirmation, otherPartProblem, shippingDateProblem } from './shipment-confirmation';

/**
 * The warehouse's confirmation that a package left: on hand goes down, the reservation ends,
 * `order.shipped` (for the Rakuten shipping report) and `inventory.changed` are published — all
 * in one transaction with the fulfillment order's row lock held, so two confirmations sent at
 * the same time are one shipment and one refusal or repeat.
 */
@Injectable()
export class ShippingService {
  constructor(private readonly transactions: CallTransactions) {}

  async ship(call: ShipFulfillmentOrderCall, now = new Date()): Promise<ShipResultView> {
    const { body } = call;
    const dateProblem = shippingDateProblem(body.shippingDate, now);
    if (dateProblem) {
      throw FulfillmentError.invalid([{ field: 'shippingDate', problems: [dateProblem] }]);
    }
    return this.transactions.run(async (tx) => {
      // A part of a split package is locked with its other part (in id order, as every writer
      // locks): both report parcels for the same Rakuten package.
      const found = await findOrder(tx.manager, call.actor.tenantId, call.fulfillmentOrderId);
      if (!found) throw FulfillmentError.notFound(call.fulfillmentOrderId);
      const locked = await lockOrders(tx.manager, 'id = ANY($1::uuid[]) AND tenant_id = $2', [
        [call.fulfillmentOrderId, ...(found.other_part_id ? [found.other_part_id] : [])],
        call.actor.tenantId,
      ]);
      const row = locked.find((r) => r.id === call.fulfillmentOrderId);
      if (!row) throw FulfillmentError.notFound(call.fulfillmentOrderId);
      const other = locked.find((r) => r.id !== row.id) ?? null;
      const decision = decideConfirmation({ status: row.status, shipment: row.shipment }, body);
      switch (decision.kind) {
        case 'repeat':
          return { fulfillmentOrder: toView(row), alreadyShipped: true };
        case 'conflict':
          throw new FulfillmentError(
            FulfillmentErrorCode.ALREADY_SHIPPED,
            `Fulfillment order ${row.id} already shipped with ${decision.existing.carrierCode} ${decision.existing.trackingNumbers.join(', ')} on ${decision.existing.shippingDate}; a different confirmation is refused`,
            { existing: decision.existing },
          );
        case 'canceled':
          throw new FulfillmentError(
            FulfillmentErrorCode.FULFILLMENT_ORDER_CANCELED,
            `Fulfillment order ${row.id} was canceled${row.cancellation ? ` (${row.cancellation.reason})` : ''}; it must not ship`,
            { status: row.status },
          );
        case 'not_ready':
          throw new FulfillmentError(
            FulfillmentErrorCode.NOT_READY_TO_SHIP,
            `Fulfillment order ${row.id} has not been sent to the warehouse (status ${row.status}): ${row.hold?.message ?? ''}`.trim(),
            { status: row.status, hold: row.hold },
          );
        case 'ship':
          break;
      }
      const problem = otherPartProblem(
        other?.shipment?.trackingNumbers ?? [],
        body.trackingNumbers,
      );
      if (problem && other) {
        throw FulfillmentError.invalid([
          {
            field: 'trackingNumbers',
            problems: [`${problem} (the other part of the package is ${other.id})`],
          },
        ]);
      }
      const book = new StockBook(tx.manager, row.tenant_id);
      await book.ship(row.lines, row.stock_reserved);
      const shippedAt = now.toISOString();
      row.status = 'shipped';
      row.stock_reserved = false;
      row.shipment = {
        carrierCode: body.carrierCode,
        trackingNumbers: body.trackingNumbers,
        shippingDate: body.shippingDate,
        shippedAt,
      };
      await saveOrder(tx.manager, row);
      await addHistory(
        tx.manager,
        row,
        'shipped',
        `shipped with ${body.carrierCode}: ${body.trackingNumbers.join(', ')}`,
        {
          carrierCode: body.carrierCode,
          trackingNumbers: body.trackingNumbers,
          shippingDate: body.shippingDate,
        },
      );
      await tx.publish([
        createEvent('order.shipped', {
          tenantId: row.tenant_id,
          shopId: row.shop_id,
          correlationId: tx.correlationId,
          data: {
            orderNumber: row.order_number,
            basketId: Number(row.basket_id),
            parcels: body.trackingNumbers.map((trackingNumber) => ({
              carrierCode: body.carrierCode,
              trackingNumber,
              shippingDate: body.shippingDate,
            })),
            fulfillmentOrderId: row.id,
            shippedAt,
          },
        }),
        ...book.inventoryEvents(tx.correlationId),
      ]);
      row.updated_at = now;
      return { fulfillmentOrder: toView(row), alreadyShipped: false };
    });
  }
}
