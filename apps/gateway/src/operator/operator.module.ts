import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { OperatorTenantsController } from './operator-tenants.controller';
import { OperatorTenantsService } from './operator-tenants.service';
import { OperatorController } from './operator.controller';
import { OperatorService } from './operator.service';

/**
 * The operator's API: every tenant's shops and their health (GET /operator/shops), tenants
 * (list, details, disable, enable, revoke all tokens).
 */
@Module({
  imports: [AuditModule],
  controllers: [OperatorController, OperatorTenantsController],
  providers: [OperatorService, OperatorTenantsService],
})
export class OperatorModule {}
