import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ServiceKitModule } from '@smartship/service-kit';

import { AccessModule } from './access/access.module';
import { ApiToken } from './access/api-token.entity';
import { Tenant } from './access/tenant.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { AuditModule } from './audit/audit.module';
import { CatalogModule } from './catalog/catalog.module';
import { GatewayConfig } from './config';
import { FulfillmentModule } from './fulfillment/fulfillment.module';
import { GatewayErrorFilter } from './http/gateway-error.filter';
import { GatewayValidationPipe } from './http/gateway-validation.pipe';
import { migrations } from './migrations';
import { ListingsModule } from './listings/listings.controller';
import { NotificationsModule } from './notifications/notifications.module';
import { OperatorModule } from './operator/operator.module';
import { OrdersModule } from './orders/orders.module';
import { PackingSlipModule } from './packing-slip/packing-slip.module';
import { ServiceClientsModule } from './service-clients/service-clients.module';
import { ShopsModule } from './shops/shops.module';
import { StockSyncModule } from './stock-sync/stock-sync.module';
import { SystemModule } from './system/system.module';
import { UsersModule } from './users/users.module';

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
            entities: [Tenant, ApiToken, AuditEntry],
            migrations,
            topics: { consumes: [], produces: [] },
          },
        }),
        ServiceClientsModule.forRoot(config),
        AccessModule,
        AuditModule,
        FulfillmentModule,
        PackingSlipModule,
        OrdersModule,
        ShopsModule,
        StockSyncModule,
        ListingsModule,
        SystemModule,
        CatalogModule,
        OperatorModule,
        NotificationsModule,
        UsersModule,
      ],
      // Global here rather than in main.ts, so every way of starting the app (tests included)
      // validates and answers errors the same way.
      providers: [
        { provide: APP_PIPE, useClass: GatewayValidationPipe },
        { provide: APP_FILTER, useClass: GatewayErrorFilter },
      ],
    };
  }
}
