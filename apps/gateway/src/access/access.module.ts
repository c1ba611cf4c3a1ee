import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '../audit/audit.module';
import { LimitsModule } from '../limits/limits.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccessService } from './access.service';
import { ApiToken } from './api-token.entity';
import { ApiTokenGuard } from './api-token.guard';
import { Tenant } from './tenant.entity';
import { TenantsController } from './tenants.controller';
import { TokensController } from './tokens.controller';

/** Tenants, API tokens and the guard that puts a token in front of every /api/v1 route. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Tenant, ApiToken]),
    AuditModule,
    SessionsModule,
    LimitsModule,
  ],
  controllers: [TenantsController, TokensController],
  providers: [AccessService, ApiTokenGuard, { provide: APP_GUARD, useExisting: ApiTokenGuard }],
  exports: [ApiTokenGuard],
})
export class AccessModule {}
