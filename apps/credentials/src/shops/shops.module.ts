import { Module } from '@nestjs/common';
import { SecretBox } from '@smartship/crypto';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { CredentialsConfig } from '../config';
import { ShopHealthController, ShopHealthMetrics, ShopHealthStore } from '../health/shop-health';
import { Clock } from './clock';
import { ConnectionTester } from './connection-tester';
import { LicenseMonitor } from './license-monitor';
import { ShopAlertConsumer } from './shop-alert.consumer';
import { ShopsController } from './shops.controller';
import { ShopKeys } from './shop-keys';
import { ShopStore } from './shop.store';
import { ShopsService } from './shops.service';

@Module({
  controllers: [ShopsController, ShopHealthController],
  providers: [
    Clock,
    ConnectionTester,
    ShopStore,
    ShopKeys,
    ShopsService,
    LicenseMonitor,
    ShopAlertConsumer,
    ShopHealthStore,
    ShopHealthMetrics,
    {
      provide: SecretBox,
      inject: [SERVICE_CONFIG],
      useFactory: (config: CredentialsConfig) => SecretBox.fromEnv(config.MASTER_KEYS),
    },
  ],
  exports: [ShopsService, LicenseMonitor, Clock],
})
export class ShopsModule {}
