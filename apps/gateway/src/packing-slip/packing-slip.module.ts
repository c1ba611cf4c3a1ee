import { Module } from '@nestjs/common';

import { PackingSlipController } from './packing-slip.controller';
import { PackingSlipService } from './packing-slip.service';

/** `GET /fulfillment-orders/:id/packing-slip.pdf`: the order from the fulfillment service, drawn here. */
@Module({
  controllers: [PackingSlipController],
  providers: [PackingSlipService],
})
export class PackingSlipModule {}
