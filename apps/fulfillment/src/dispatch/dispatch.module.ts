import { Module } from '@nestjs/common';

import { DispatchService } from './dispatch.service';
import { OrderMappedConsumer } from './order-mapped.consumer';

@Module({
  providers: [DispatchService, OrderMappedConsumer],
})
export class DispatchModule {}
