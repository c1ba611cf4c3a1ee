import { Injectable } from '@nestjs/common';
import { type EventOf, orderRevision } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';

import { CatalogCache } from '../matching/catalog-cache';
import { lockOrderKeys } from './order-locks';
import { storeCancellation } from './order.store';

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
    const heldRevision = await storeCancellation(manager, {
      tenantId: event.tenantId,
      shopId: event.shopId,
      orderNumber,
      revision,
    });
    if (heldRevision !== null) {
      logger.info(
        { revision, heldRevision },
        'held order canceled on the marketplace: taken off the unmapped queue',
      );
    } else {
      logger.info({ revision }, 'cancellation recorded; no held order of this revision or older');
    }
  }
}
