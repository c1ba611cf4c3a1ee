import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { INGESTION_CALLS, ShippingReportsCall } from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { ReportStatusService } from './report-status.service';

@Controller()
@UseFilters(ServiceCallFilter)
export class ReportStatusController {
  constructor(private readonly reports: ReportStatusService) {}

  @MessagePattern(INGESTION_CALLS.shippingReports)
  shippingReports(@Payload() payload: unknown) {
    return this.reports.reports(parseCall(ShippingReportsCall, payload));
  }
}
