import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { ShopStore } from '../store/shop.store';

/** The shop's name as sellers know it: the URL name (rakuten.co.jp/<name>/), from a URL or bare. */
export function shopDisplayName(shopUrl: string): string {
  const path = shopUrl.replace(/^https?:\/\/[^/]+/i, '');
  const segment = path
    .split('/')
    .filter((part) => part !== '')
    .pop();
  return segment ?? shopUrl;
}

/**
 * Consumer group `notifications.shop-updated`: each shop's tenant and display name, so alerts
 * can name the shop without asking the credentials service.
 */
@Injectable()
export class ShopUpdatedConsumer {
  constructor(messaging: MessagingRuntime, shops: ShopStore) {
    messaging.registerConsumer({
      groupId: 'notifications.shop-updated',
      handlers: {
        'shop.updated': async (event, { manager }) => {
          await shops.upsert(manager, {
            shopId: event.shopId,
            tenantId: event.tenantId,
            name: shopDisplayName(event.data.shopUrl),
            revision: event.data.revision,
          });
        },
      },
    });
  }
}
