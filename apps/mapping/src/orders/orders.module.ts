import { Module } from '@nestjs/common';

import { OrderPulledConsumer } from './order-pulled.consumer';
import { OrdersService } from './orders.service';

@Module({
  providers: [OrdersService, OrderPulledConsumer],
})
export class OrdersModule {}
