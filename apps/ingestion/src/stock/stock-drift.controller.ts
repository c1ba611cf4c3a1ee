import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { STOCK_SYNC_CALLS, StockDriftCheckCall } from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { StockDriftChecker } from './stock-drift';

/** The drift-check calls the gateway makes over the TCP transport (validated again here). */
@Controller()
@UseFilters(ServiceCallFilter)
export class StockDriftController {
  constructor(private readonly drift: StockDriftChecker) {}

  @MessagePattern(STOCK_SYNC_CALLS.driftCheck)
  check(@Payload() payload: unknown) {
    return this.drift.checkNow(parseCall(StockDriftCheckCall, payload));
  }

  @MessagePattern(STOCK_SYNC_CALLS.lastDrift)
  last(@Payload() payload: unknown) {
    return this.drift.last(parseCall(StockDriftCheckCall, payload));
  }
}
