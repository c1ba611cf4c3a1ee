import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@smartship/contracts';
import { ServiceKitModule } from '@smartship/service-kit';

import { CredentialsConfig } from './config';
import { migrations } from './migrations';

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
            entities: [],
            migrations,
            topics: {
              consumes: [TOPICS.SHOP_ALERT],
              produces: [TOPICS.SHOP_UPDATED, TOPICS.SHOP_ALERT],
            },
          },
        }),
      ],
    };
  }
}
