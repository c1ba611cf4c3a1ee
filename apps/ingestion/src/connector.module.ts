import { Module } from '@nestjs/common';
import { SecretBox } from '@smartship/crypto';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { BackfillJobs } from './backfill/backfill-jobs';
import { BackfillRunner } from './backfill/backfill-runner';
import { BackfillController } from './backfill/backfill.controller';
import { BackfillService } from './backfill/backfill.service';
import { IngestionConfig } from './config';
import { ShopHealthController } from './health/shop-health.controller';
import { ShopHealthMetrics } from './health/shop-health.metrics';
import { ShopHealthStore } from './health/shop-health.store';
import {
  ListingsImportController,
  ListingsImportService,
} from './listings/listings-import.controller';
import { ListingsImporter } from './listings/listings-importer';
import { OrderConfirmer } from './polling/order-confirmer';
import { OrderIntake } from './polling/order-intake';
import { OrderPoller } from './polling/order-poller';
import { PollLeases } from './polling/poll-leases';
import { PollRunRetention } from './polling/poll-run-retention';
import { PollScheduler } from './polling/poll-scheduler';
import { OrderTimelineController } from './orders/order-timeline.controller';
import { OrderTimelineService } from './orders/order-timeline.service';
import { PullController } from './polling/pull.controller';
import { PullService } from './polling/pull.service';
import { OrderShippedConsumer } from './shipping/order-shipped.consumer';
import { ReportStatusController } from './shipping/report-status.controller';
import { ReportStatusService } from './shipping/report-status.service';
import { ShippingReportStore } from './shipping/shipping-report.store';
import { ShippingReporter } from './shipping/shipping-reporter';
import { RakutenAccess } from './shops/rakuten-access';
import { ShopUpdatedConsumer } from './shops/shop-updated.consumer';
import { ListingStockChangedConsumer } from './stock/listing-stock-changed.consumer';
import { StockDriftChecker } from './stock/stock-drift';
import { StockDriftController } from './stock/stock-drift.controller';
import { StockPushAlerts } from './stock/stock-push-alerts';
import { StockPusher } from './stock/stock-pusher';
import { ThrottledCalls } from './shops/throttled-calls';

/**
 * The Rakuten connector: shop copies, scheduled and manual pulls, confirmation, shipping reports
 * and stock pushes.
 */
@Module({
  controllers: [
    PullController,
    OrderTimelineController,
    ReportStatusController,
    ShopHealthController,
    BackfillController,
    StockDriftController,
    ListingsImportController,
  ],
  providers: [
    OrderTimelineService,
    ReportStatusService,
    {
      provide: SecretBox,
      inject: [SERVICE_CONFIG],
      useFactory: (config: IngestionConfig) => SecretBox.fromEnv(config.MASTER_KEYS),
    },
    ThrottledCalls,
    RakutenAccess,
    ShopUpdatedConsumer,
    PollLeases,
    OrderConfirmer,
    OrderIntake,
    OrderPoller,
    PollScheduler,
    PollRunRetention,
    PullService,
    BackfillJobs,
    BackfillRunner,
    BackfillService,
    OrderShippedConsumer,
    ShippingReportStore,
    ShippingReporter,
    ListingStockChangedConsumer,
    StockPushAlerts,
    StockPusher,
    StockDriftChecker,
    ShopHealthStore,
    ShopHealthMetrics,
    ListingsImportService,
    ListingsImporter,
  ],
  exports: [
    PollScheduler,
    PollRunRetention,
    PullService,
    PollLeases,
    RakutenAccess,
    ShippingReporter,
    StockPusher,
    ListingsImporter,
  ],
})
export class ConnectorModule {}
