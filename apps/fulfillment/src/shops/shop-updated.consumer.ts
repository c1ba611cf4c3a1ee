import { Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import { MessagingRuntime } from '@smartship/service-kit';

import { Dispatcher } from '../dispatch/dispatcher';
import { lockShopSettings } from './shop-locks';
import { findShopSettings, saveShopSettings } from './shop-settings.store';

/**
 * Consumer group `fulfillment.shop-updated`: keeps the service's copy of each shop's
 * autoFulfillmentDispatch (newer revisions only), and decides the orders that waited for it.
 * Turning the option on later does not release orders a person was already asked to release:
 * they were held under the rule of their time and stay for the person.
 */
@Injectable()
export class ShopUpdatedConsumer {
  constructor(
    messaging: MessagingRuntime,
    private readonly dispatcher: Dispatcher,
  ) {
    messaging.registerConsumer({
      groupId: 'fulfillment.shop-updated',
      handlers: { 'shop.updated': (event, context) => this.apply(event, context) },
    });
  }

  async apply(event: EventOf<'shop.updated'>, context: HandlerContext): Promise<void> {
    const { manager } = context;
    const data = event.data;
    await lockShopSettings(manager, event.shopId, 'exclusive');
    const current = await findShopSettings(manager, event.shopId);
    if (current && current.revision >= data.revision) return;
    await saveShopSettings(manager, {
      shopId: event.shopId,
      tenantId: event.tenantId,
      status: data.status,
      autoFulfillmentDispatch: data.options.autoFulfillmentDispatch,
      revision: data.revision,
    });
    await this.dispatcher.applyShopSettings(
      { manager, publish: (events) => context.publish(events), correlationId: event.correlationId },
      event.shopId,
      event.tenantId,
      data.options.autoFulfillmentDispatch,
    );
  }
}
