import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { CancellationService, cancellationOf } from './cancellation.service';

/** Consumer group `fulfillment.order-canceled`: the marketplace canceled an order. */
@Injectable()
export class OrderCanceledConsumer {
  constructor(messaging: MessagingRuntime, cancellations: CancellationService) {
    messaging.registerConsumer({
      groupId: 'fulfillment.order-canceled',
      handlers: {
        'order.canceled': (event, context) =>
          cancellations.applyCancellation(cancellationOf(event), context),
      },
    });
  }
}
