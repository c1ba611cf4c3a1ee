import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { INGESTION_CALLS, PullShopCall } from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { PullService } from './pull.service';

/** The calls the gateway makes over the TCP transport. Each payload is validated again here. */
@Controller()
@UseFilters(ServiceCallFilter)
export class PullController {
  constructor(private readonly pulls: PullService) {}

  @MessagePattern(INGESTION_CALLS.pull)
  pull(@Payload() payload: unknown) {
    return this.pulls.pull(parseCall(PullShopCall, payload));
  }

  @MessagePattern(INGESTION_CALLS.lastPull)
  lastPull(@Payload() payload: unknown) {
    return this.pulls.lastPull(parseCall(PullShopCall, payload));
  }
}
