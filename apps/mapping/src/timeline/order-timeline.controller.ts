import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ORDER_TIMELINE_CALLS, OrderTimelineCall } from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { OrderTimelineService } from './order-timeline.service';

@Controller()
@UseFilters(ServiceCallFilter)
export class OrderTimelineController {
  constructor(private readonly timelines: OrderTimelineService) {}

  @MessagePattern(ORDER_TIMELINE_CALLS.mapping)
  timeline(@Payload() payload: unknown) {
    return this.timelines.timeline(parseCall(OrderTimelineCall, payload));
  }
}
