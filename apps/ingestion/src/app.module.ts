import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@smartship/contracts';
import { ServiceKitModule } from '@smartship/service-kit';

import { IngestionConfig } from './config';
import { ConnectorModule } from './connector.module';
import { migrations } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: IngestionConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'ingestion',
          config,
          backend: {
            schema: 'ingestion',
            entities: [],
            migrations,
            topics: {
              consumes: [TOPICS.SHOP_UPDATED, TOPICS.ORDER_SHIPPED, TOPICS.LISTING_STOCK_CHANGED],
              produces: [
                TOPICS.ORDER_PULLED,
                TOPICS.ORDER_CANCELED,
                TOPICS.SHOP_ALERT,
                TOPICS.LISTINGS_IMPORTED,
              ],
            },
          },
        }),
        ConnectorModule,
      ],
    };
  }
}
