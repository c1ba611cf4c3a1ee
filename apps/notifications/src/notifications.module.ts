import { Module } from '@nestjs/common';
import { SecretBox } from '@smartship/crypto';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { AlertConsumer } from './alerts/alert.consumer';
import { AlertIntake } from './alerts/alert-intake';
import { ShopUpdatedConsumer } from './alerts/shop-updated.consumer';
import { AccountCallsService } from './calls/account-calls.service';
import { NotificationsController } from './calls/notifications.controller';
import { NotificationsService } from './calls/notifications.service';
import { NotificationsConfig } from './config';
import { DeliverySender } from './delivery/delivery-sender';
import { DeliveryWorker } from './delivery/delivery-worker';
import { DigestScheduler } from './delivery/digest-scheduler';
import { DeliveryStore } from './store/delivery.store';
import { NotificationStore } from './store/notification.store';
import { SettingsStore } from './store/settings.store';
import { ShopStore } from './store/shop.store';
import { TargetsStore } from './store/targets.store';

/** Alerts in, notifications and deliveries out, and the calls of the gateway. */
@Module({
  controllers: [NotificationsController],
  providers: [
    DeliveryStore,
    NotificationStore,
    SettingsStore,
    ShopStore,
    TargetsStore,
    AlertIntake,
    AlertConsumer,
    ShopUpdatedConsumer,
    DeliverySender,
    DigestScheduler,
    DeliveryWorker,
    NotificationsService,
    AccountCallsService,
    {
      provide: SecretBox,
      inject: [SERVICE_CONFIG],
      useFactory: (config: NotificationsConfig) => SecretBox.fromEnv(config.MASTER_KEYS),
    },
  ],
  exports: [DeliveryWorker, DigestScheduler, AlertIntake],
})
export class NotificationsModule {}
