import { Injectable } from '@nestjs/common';
import { type EventOf, orderRevision } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';

import { CatalogCache } from '../matching/catalog-cache';
import { lockOrderKeys } from './order-locks';

/**
 * The marketplace's cancellation of an order (`order.canceled`, also sent when Rakuten changes an
 * order: the changed order comes back as a new revision):
 * - held at the canceled revision or an older one: it leaves the unmapped queue, since nobody
 *   should map an order that will not ship;
 * - held or mapped at a newer revision: nothing changes (a cancellation of revision 1 that arrives
 *   after revision 2 was pulled; the two topics are not ordered against each other);
 * - mapped: nothing to undo here, fulfillment stops the shipment.
 * The highest canceled revision is kept, so that an order.pulled of that revision arriving after
 * the cancellation is neither held nor mapped (OrdersService checks it).
 */
@Injectable()
export class OrderCancellationService {
  constructor(private readonly catalogs: CatalogCache) {}

  async applyCancellation(
    event: EventOf<'order.canceled'>,
    context: HandlerContext,
  ): Promise<void> {
    const { manager, logger } = context;
    const { orderNumber } = event.data;
    const revision = orderRevision(event.data);
    // A catalog change re-evaluating held orders (exclusive lock) could otherwise release the
    // order this transaction takes off the queue.
    await this.catalogs.lockShared(manager, event.tenantId);
    await lockOrderKeys(manager, [{ shopId: event.shopId, orderNumber }]);
    await manager.query(
      `INSERT INTO mapping.order_cancellations (shop_id, order_number, tenant_id, revision)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (shop_id, order_number) DO UPDATE
          SET revision = excluded.revision, canceled_at = now()
        WHERE order_cancellations.revision < excluded.revision`,
      [event.shopId, orderNumber, event.tenantId, revision],
    );
    const dropped = await manager.query<{ revision: number }[]>(
      `DELETE FROM mapping.held_orders
        WHERE shop_id = $1 AND order_number = $2 AND revision <= $3
       RETURNING revision`,
      [event.shopId, orderNumber, revision],
    );
    if (dropped.length > 0) {
      logger.info(
        { revision, heldRevision: dropped[0].revision },
        'held order canceled on the marketplace: taken off the unmapped queue',
      );
    } else {
      logger.info({ revision }, 'cancellation recorded; no held order of this revision or older');
    }
  }
}
