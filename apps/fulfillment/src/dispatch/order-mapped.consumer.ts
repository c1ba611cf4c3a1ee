import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { DispatchService } from './dispatch.service';

/** Consumer group `fulfillment.order-mapped`: every mapped order becomes shipping instructions once. */
@Injectable()
export class OrderMappedConsumer {
  constructor(messaging: MessagingRuntime, dispatch: DispatchService) {
    messaging.registerConsumer({
      groupId: 'fulfillment.order-mapped',
      // One call per chunk: the chunk's packages are created and reserved with multi-row statements.
      chunkHandlers: {
        'order.mapped': (events, context) => dispatch.dispatchMappedOrders(events, context),
      },
    });
  }
}
