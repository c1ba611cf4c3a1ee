import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { OrdersService } from './orders.service';

/** Consumer group `mapping.order-pulled`: every pulled order is mapped once. */
@Injectable()
export class OrderPulledConsumer {
  constructor(messaging: MessagingRuntime, orders: OrdersService) {
    messaging.registerConsumer({
      groupId: 'mapping.order-pulled',
      handlers: { 'order.pulled': (event, context) => orders.mapPulledOrder(event, context) },
    });
  }
}
