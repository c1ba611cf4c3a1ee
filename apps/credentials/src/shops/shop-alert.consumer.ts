import { Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import { MessagingRuntime } from '@smartship/service-kit';

import { Clock } from './clock';
import { Shop } from './shop.entity';
import { ShopStore } from './shop.store';

/**
 * Consumer group `credentials.shop-alert`: an authentication failure seen by any service (the
 * ingestion service's calls) marks the shop `needs_reauth`, which pauses its scheduled pulls.
 */
@Injectable()
export class ShopAlertConsumer {
  constructor(
    messaging: MessagingRuntime,
    private readonly shops: ShopStore,
    private readonly clock: Clock,
  ) {
    messaging.registerConsumer({
      groupId: 'credentials.shop-alert',
      handlers: { 'shop.alert': (event, context) => this.apply(event, context) },
    });
  }

  async apply(event: EventOf<'shop.alert'>, { manager, logger }: HandlerContext): Promise<void> {
    // Our own alert about renewed keys concerns keys not in use: it must not stop the shop.
    if (event.data.kind !== 'auth_failed' || event.data.details?.operation === 'renewal') return;
    const shop = await manager.findOne(Shop, {
      where: { id: event.shopId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!shop || shop.deletedAt) return;
    const failedAt = new Date(event.occurredAt);
    // A failure of keys that have since been renewed says nothing about the new ones.
    if (failedAt < shop.keysSetAt || shop.authFailedAt) return;
    shop.authFailedAt = failedAt;
    await this.shops.save(manager, shop, this.clock.now());
    logger.info({ shopId: shop.id }, 'shop needs new keys: Rakuten refused them');
  }
}
