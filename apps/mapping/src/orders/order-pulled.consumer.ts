import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { OrdersService } from './orders.service';

/** Consumer group `mapping.order-pulled`: every pulled order is mapped once. */
@Injectable()
export class OrderPulledConsumer {
  constructor(messaging: MessagingRuntime, orders: OrdersService) {
    messaging.registerConsumer({
      groupId: 'mapping.order-pulled',
      // One call per chunk: the chunk's orders are stored with multi-row statements.
      chunkHandlers: {
        'order.pulled': (events, context) => orders.mapPulledOrders(events, context),
      },
    });
  }
}
