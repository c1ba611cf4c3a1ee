import { Controller, Get, Header } from '@nestjs/common';
import { register } from 'prom-client';

/** Prometheus metrics: process defaults plus the service's and the messaging lib's own. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
