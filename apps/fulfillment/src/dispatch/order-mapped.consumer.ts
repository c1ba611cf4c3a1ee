import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { DispatchService } from './dispatch.service';

/** Consumer group `fulfillment.order-mapped`: every mapped order becomes shipping instructions once. */
@Injectable()
export class OrderMappedConsumer {
  constructor(messaging: MessagingRuntime, dispatch: DispatchService) {
    messaging.registerConsumer({
      groupId: 'fulfillment.order-mapped',
      handlers: {
        'order.mapped': (event, context) => dispatch.dispatchMappedOrder(event, context),
      },
    });
  }
}
