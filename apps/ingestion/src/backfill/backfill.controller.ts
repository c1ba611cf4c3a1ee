import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { INGESTION_CALLS, ListBackfillsCall, StartBackfillCall } from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { BackfillService } from './backfill.service';

/** The backfill calls the gateway makes over the TCP transport, validated again here. */
@Controller()
@UseFilters(ServiceCallFilter)
export class BackfillController {
  constructor(private readonly backfills: BackfillService) {}

  @MessagePattern(INGESTION_CALLS.startBackfill)
  start(@Payload() payload: unknown) {
    return this.backfills.start(parseCall(StartBackfillCall, payload));
  }

  @MessagePattern(INGESTION_CALLS.listBackfills)
  list(@Payload() payload: unknown) {
    return this.backfills.list(parseCall(ListBackfillsCall, payload));
  }
}
