import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@smartship/contracts';
import { ServiceKitModule } from '@smartship/service-kit';

import { FulfillmentConfig } from './config';
import { FulfillmentModule } from './fulfillment.module';
import { migrations } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: FulfillmentConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'fulfillment',
          config,
          backend: {
            schema: 'fulfillment',
            entities: [],
            migrations,
            topics: {
              consumes: [TOPICS.ORDER_MAPPED, TOPICS.ORDER_CANCELED, TOPICS.SHOP_UPDATED],
              produces: [
                TOPICS.SHIPMENT_READY,
                TOPICS.SHIPMENT_CANCELED,
                TOPICS.ORDER_SHIPPED,
                TOPICS.INVENTORY_CHANGED,
              ],
            },
          },
        }),
        FulfillmentModule,
      ],
    };
  }
}
