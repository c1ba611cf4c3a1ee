import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { EventOf, ShipmentLine, createEvent } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';

import { FulfillmentOrder } from './fulfillment-order.entity';

/**
 * Turns a mapped order into one fulfillment order per package and publishes shipment.ready.
 *
 * Walking-skeleton behaviour: every package is dispatched at once, without stock reservation;
 * the fulfillment issue adds reservations, the dispatch option and holds.
 */
@Injectable()
export class DispatchService {
  async dispatchMappedOrder(
    event: EventOf<'order.mapped'>,
    context: HandlerContext,
  ): Promise<void> {
    const { order, marketplace } = event.data;
    for (const pkg of order.packages) {
      const lines = mergeLines(pkg.lines.flatMap((line) => line.resolution.skus));
      const id = randomUUID();
      // (shop, order number, basket) is unique: a package is dispatched once whatever is redelivered.
      const inserted = await context.manager
        .createQueryBuilder()
        .insert()
        .into(FulfillmentOrder)
        .values({
          id,
          tenantId: event.tenantId,
          shopId: event.shopId,
          orderNumber: order.orderNumber,
          basketId: String(pkg.basketId),
          status: 'ready',
          recipient: pkg.recipient,
          lines,
          requestedCarrierCode: pkg.requestedDelivery?.carrierCode ?? null,
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) continue;
      await context.publish(
        createEvent('shipment.ready', {
          tenantId: event.tenantId,
          shopId: event.shopId,
          correlationId: event.correlationId,
          data: {
            fulfillmentOrderId: id,
            shopRef: {
              marketplace,
              shopId: event.shopId,
              orderNumber: order.orderNumber,
              basketId: pkg.basketId,
            },
            recipient: pkg.recipient,
            lines,
            requestedCarrierCode: pkg.requestedDelivery?.carrierCode ?? null,
            createdAt: new Date().toISOString(),
          },
        }),
      );
    }
  }
}

/** One line per SKU: two order lines of the same SKU are picked together. */
export function mergeLines(skus: ShipmentLine[]): ShipmentLine[] {
  const bySku = new Map<string, number>();
  for (const { skuCode, quantity } of skus)
    bySku.set(skuCode, (bySku.get(skuCode) ?? 0) + quantity);
  return [...bySku].map(([skuCode, quantity]) => ({ skuCode, quantity }));
}
