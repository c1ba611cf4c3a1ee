import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ListShopsCall,
  OPERATOR_CALLS,
  RegisterRakutenShopCall,
  RenewCredentialsCall,
  SHOP_CALLS,
  ShopRefCall,
  SuspendTenantShopsCall,
  UpdateShopCall,
} from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { ShopsService } from './shops.service';

/** The calls the gateway makes over the TCP transport. Each payload is validated again here. */
@Controller()
@UseFilters(ServiceCallFilter)
export class ShopsController {
  constructor(private readonly shops: ShopsService) {}

  @MessagePattern(SHOP_CALLS.register)
  register(@Payload() payload: unknown) {
    return this.shops.register(parseCall(RegisterRakutenShopCall, payload));
  }

  @MessagePattern(SHOP_CALLS.list)
  list(@Payload() payload: unknown) {
    return this.shops.list(parseCall(ListShopsCall, payload));
  }

  @MessagePattern(SHOP_CALLS.get)
  get(@Payload() payload: unknown) {
    return this.shops.get(parseCall(ShopRefCall, payload));
  }

  @MessagePattern(SHOP_CALLS.updateOptions)
  update(@Payload() payload: unknown) {
    return this.shops.update(parseCall(UpdateShopCall, payload));
  }

  @MessagePattern(SHOP_CALLS.renewCredentials)
  renew(@Payload() payload: unknown) {
    return this.shops.renew(parseCall(RenewCredentialsCall, payload));
  }

  @MessagePattern(SHOP_CALLS.remove)
  async remove(@Payload() payload: unknown) {
    await this.shops.remove(parseCall(ShopRefCall, payload));
    return { deleted: true };
  }

  @MessagePattern(SHOP_CALLS.connectionTest)
  test(@Payload() payload: unknown) {
    return this.shops.testConnection(parseCall(ShopRefCall, payload));
  }

  /** The operator disabled or enabled a tenant (gateway, `POST /operator/tenants/:id/disable`). */
  @MessagePattern(OPERATOR_CALLS.credentialsSuspendTenant)
  suspendTenant(@Payload() payload: unknown) {
    const call = parseCall(SuspendTenantShopsCall, payload);
    return this.shops.suspendTenant(call.tenantId, call.suspended);
  }

  @MessagePattern(SHOP_CALLS.connectionTests)
  history(@Payload() payload: unknown) {
    return this.shops.history(parseCall(ShopRefCall, payload));
  }
}
