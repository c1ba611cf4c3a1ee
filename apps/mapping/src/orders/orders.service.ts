import { Injectable } from '@nestjs/common';
import { EventOf, LineResolution, MappedOrder, OrderLine, createEvent } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';

import { OrderMapping } from './order-mapping.entity';

/**
 * Resolves order lines to SKUs and publishes order.mapped.
 *
 * Walking-skeleton rule: a line maps 1:1 to the SKU code the marketplace gave it (the
 * システム連携用SKU番号, else the 商品番号, else the 商品管理番号), marked `placeholder`. The
 * catalog-based matching of the SKU-mapping issue replaces `resolveLine`.
 */
@Injectable()
export class OrdersService {
  async mapPulledOrder(event: EventOf<'order.pulled'>, context: HandlerContext): Promise<void> {
    const { order, marketplace } = event.data;
    const lines = order.packages.reduce((sum, pkg) => sum + pkg.lines.length, 0);
    // The natural key (shop, order number) is the second guard after the inbox: an order pulled
    // twice under two event ids is still mapped once.
    const inserted = await context.manager
      .createQueryBuilder()
      .insert()
      .into(OrderMapping)
      .values({
        shopId: event.shopId,
        orderNumber: order.orderNumber,
        tenantId: event.tenantId,
        sourceEventId: event.id,
        lines,
      })
      .orIgnore()
      .returning(['orderNumber'])
      .execute();
    if ((inserted.raw as unknown[]).length === 0) {
      context.logger.info('order already mapped; nothing to do');
      return;
    }
    const mapped: MappedOrder = {
      ...order,
      packages: order.packages.map((pkg) => ({
        ...pkg,
        lines: pkg.lines.map((line) => ({ ...line, resolution: resolveLine(line) })),
      })),
    };
    await context.publish(
      createEvent('order.mapped', {
        tenantId: event.tenantId,
        shopId: event.shopId,
        correlationId: event.correlationId,
        data: { marketplace, order: mapped },
      }),
    );
  }
}

export function resolveLine(line: OrderLine): LineResolution {
  const skuCode = line.merchantDefinedSkuId || line.itemNumber || line.manageNumber;
  return { skus: [{ skuCode, quantity: line.units }], matchedBy: 'placeholder' };
}
