import { Module } from '@nestjs/common';

import { OrderTimelineController } from './order-timeline.controller';
import { OrderTimelineService } from './order-timeline.service';

/** `GET /orders/:orderNumber`: the order timeline assembled from the services. */
@Module({
  controllers: [OrderTimelineController],
  providers: [OrderTimelineService],
})
export class OrdersModule {}
