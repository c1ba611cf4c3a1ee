import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@smartship/contracts';
import { ServiceKitModule } from '@smartship/service-kit';

import { NotificationsConfig } from './config';
import { migrations } from './migrations';
import { NotificationsModule } from './notifications.module';

@Module({})
export class AppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'notifications',
          config,
          backend: {
            schema: 'notifications',
            entities: [],
            migrations,
            topics: {
              consumes: [TOPICS.SHOP_ALERT, TOPICS.TENANT_ALERT, TOPICS.SHOP_UPDATED],
              produces: [],
            },
          },
        }),
        NotificationsModule,
      ],
    };
  }
}
