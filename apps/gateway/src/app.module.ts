import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@smartship/service-kit';

import { GatewayConfig } from './config';
import { migrations } from './migrations';
import { SystemModule } from './system/system.module';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'gateway',
          config,
          backend: {
            schema: 'gateway',
            entities: [],
            migrations,
            topics: { consumes: [], produces: [] },
          },
        }),
        SystemModule.forRoot(config),
      ],
    };
  }
}
