import { Module } from '@nestjs/common';

import { UnmappedAlerts } from './unmapped-alerts';
import { UnmappedHealthController, UnmappedHealthStore, UnmappedMetrics } from './unmapped-health';

/** The unmapped-queue alert, metrics and the operator's health call. */
@Module({
  controllers: [UnmappedHealthController],
  providers: [UnmappedAlerts, UnmappedHealthStore, UnmappedMetrics],
  exports: [UnmappedAlerts],
})
export class AlertsModule {}
