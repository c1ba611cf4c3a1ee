import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { ListingsService } from './listings.service';

/** Consumer group `mapping.inventory-changed`: stock changes become listing quantities. */
@Injectable()
export class InventoryChangedConsumer {
  constructor(messaging: MessagingRuntime, listings: ListingsService) {
    messaging.registerConsumer({
      groupId: 'mapping.inventory-changed',
      chunkHandlers: {
        'inventory.changed': (events, context) => listings.onInventoryChangedChunk(events, context),
      },
    });
  }
}
