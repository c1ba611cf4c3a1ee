import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { LimitsModule } from '../limits/limits.module';
import { ShopsController } from './shops.controller';
import { ShopsService } from './shops.service';

/** The shop routes of docs/design.md, answered by the credentials service. */
@Module({
  imports: [AuditModule, LimitsModule],
  controllers: [ShopsController],
  providers: [ShopsService],
})
export class ShopsModule {}
