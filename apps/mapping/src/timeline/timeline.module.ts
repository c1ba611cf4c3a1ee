import { Module } from '@nestjs/common';

import { OrderTimelineController } from './order-timeline.controller';
import { OrderTimelineService } from './order-timeline.service';

/** Mapping's part of `GET /orders/:orderNumber`. */
@Module({
  controllers: [OrderTimelineController],
  providers: [OrderTimelineService],
})
export class TimelineModule {}
