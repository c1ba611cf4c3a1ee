import { Module } from '@nestjs/common';

import { OperatorController } from './operator.controller';
import { OperatorService } from './operator.service';

/** GET /api/v1/operator/shops: every tenant's shops and their health, for operators. */
@Module({
  controllers: [OperatorController],
  providers: [OperatorService],
})
export class OperatorModule {}
