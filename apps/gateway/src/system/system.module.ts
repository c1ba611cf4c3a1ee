import { Module } from '@nestjs/common';

import { SystemController } from './system.controller';
import { SystemService } from './system.service';

/** GET /api/v1/system/ping: every internal service reached over its TCP transport. */
@Module({
  controllers: [SystemController],
  providers: [SystemService],
})
export class SystemModule {}
