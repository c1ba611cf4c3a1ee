import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { OrderCancellationService } from './order-cancellation.service';

/** Consumer group `mapping.order-canceled`: canceled orders leave the unmapped queue. */
@Injectable()
export class OrderCanceledConsumer {
  constructor(messaging: MessagingRuntime, cancellations: OrderCancellationService) {
    messaging.registerConsumer({
      groupId: 'mapping.order-canceled',
      handlers: {
        'order.canceled': (event, context) => cancellations.applyCancellation(event, context),
      },
    });
  }
}
