import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@smartship/contracts';
import { ServiceKitModule } from '@smartship/service-kit';

import { CredentialsConfig } from './config';
import { migrations } from './migrations';
import { ConnectionTest } from './shops/connection-test.entity';
import { Shop } from './shops/shop.entity';
import { ShopsModule } from './shops/shops.module';

@Module({})
export class AppModule {
  static forRoot(config: CredentialsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'credentials',
          config,
          backend: {
            schema: 'credentials',
            entities: [Shop, ConnectionTest],
            migrations,
            topics: {
              consumes: [TOPICS.SHOP_ALERT],
              produces: [TOPICS.SHOP_UPDATED, TOPICS.SHOP_ALERT],
            },
          },
        }),
        ShopsModule,
      ],
    };
  }
}
