import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@smartship/contracts';
import { ServiceKitModule } from '@smartship/service-kit';

import { AlertsModule } from './alerts/alerts.module';
import { CatalogModule } from './catalog/catalog.module';
import { ListingsModule } from './listings/listings.module';
import { MappingConfig } from './config';
import { migrations } from './migrations';
import { OrdersModule } from './orders/orders.module';
import { TimelineModule } from './timeline/timeline.module';

export const MAPPING_SCHEMA = 'mapping';

@Module({})
export class AppModule {
  static forRoot(config: MappingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'mapping',
          config,
          backend: {
            schema: MAPPING_SCHEMA,
            entities: [],
            migrations,
            topics: {
              consumes: [
                TOPICS.ORDER_PULLED,
                TOPICS.ORDER_CANCELED,
                TOPICS.INVENTORY_CHANGED,
                TOPICS.SHOP_UPDATED,
                TOPICS.LISTINGS_IMPORTED,
              ],
              produces: [
                TOPICS.ORDER_MAPPED,
                TOPICS.LISTING_STOCK_CHANGED,
                TOPICS.SHOP_ALERT,
                TOPICS.TENANT_ALERT,
              ],
            },
          },
        }),
        OrdersModule,
        TimelineModule,
        CatalogModule,
        AlertsModule,
        ListingsModule,
      ],
    };
  }
}
