import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { OPERATOR_CALLS, OperatorShopsCall } from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { ShopHealthStore } from './shop-health.store';

/** The operator's shop-health call (gateway `GET /api/v1/operator/shops`). */
@Controller()
@UseFilters(ServiceCallFilter)
export class ShopHealthController {
  constructor(private readonly store: ShopHealthStore) {}

  @MessagePattern(OPERATOR_CALLS.ingestionShopHealth)
  async shopHealth(@Payload() payload: unknown) {
    const call = parseCall(OperatorShopsCall, payload);
    return { items: await this.store.views(call.tenantId) };
  }
}
