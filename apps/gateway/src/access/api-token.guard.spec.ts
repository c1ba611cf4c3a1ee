import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { OperatorOnly, Public } from './access.decorators';
import type { AccessService } from './access.service';
import { ApiTokenGuard, isApiController } from './api-token.guard';
import type { Principal } from './principal';

@Controller('api/v1/things')
class TenantThings {
  @Get() list(): string {
    return 'list';
  }
  @Public() @Get('open') open(): string {
    return 'open';
  }
}

@OperatorOnly()
@Controller('/api/v1/admin')
class OperatorThings {
  @Get() list(): string {
    return 'list';
  }
}

@Controller('health')
class Health {
  @Get() live(): string {
    return 'live';
  }
}

const TENANT: Principal = { kind: 'tenant', tenantId: 't-1', tokenId: 'k-1' };

function context(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  controller: Function,
  handler: string,
  authorization?: string,
) {
  const request: Record<string, unknown> = { headers: authorization ? { authorization } : {} };
  const ctx = {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { ctx, request };
}

function guard(principal: Principal | null) {
  const access = { authenticate: jest.fn().mockResolvedValue(principal) };
  return { guard: new ApiTokenGuard(new Reflector(), access as unknown as AccessService), access };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'passed';
  } catch (error) {
    return error instanceof GatewayError ? error.code : String(error);
  }
}

describe('ApiTokenGuard', () => {
  it('protects controllers under api/v1 by their declared path, not the URL', () => {
    expect(isApiController(TenantThings)).toBe(true);
    expect(isApiController(OperatorThings)).toBe(true);
    expect(isApiController(Health)).toBe(false);
  });

  it('lets health and other non-API controllers through without looking for a token', async () => {
    const { guard: g, access } = guard(null);
    await expect(g.canActivate(context(Health, 'live').ctx)).resolves.toBe(true);
    expect(access.authenticate).not.toHaveBeenCalled();
  });

  it('lets @Public routes through without a token', async () => {
    const { guard: g } = guard(null);
    await expect(g.canActivate(context(TenantThings, 'open').ctx)).resolves.toBe(true);
  });

  it('refuses a missing or unknown token with UNAUTHENTICATED', async () => {
    expect(await codeOf(guard(TENANT).guard.canActivate(context(TenantThings, 'list').ctx))).toBe(
      GatewayErrorCode.Unauthenticated,
    );
    expect(
      await codeOf(guard(null).guard.canActivate(context(TenantThings, 'list', 'Bearer x').ctx)),
    ).toBe(GatewayErrorCode.Unauthenticated);
  });

  it('puts the tenant on the request for tenant routes', async () => {
    const { ctx, request } = context(TenantThings, 'list', 'Bearer sst_x');
    const { guard: g, access } = guard(TENANT);
    await expect(g.canActivate(ctx)).resolves.toBe(true);
    expect(access.authenticate).toHaveBeenCalledWith('sst_x');
    expect(request.principal).toEqual(TENANT);
  });

  it('keeps tenants off operator routes and the operator off tenant routes', async () => {
    expect(
      await codeOf(
        guard(TENANT).guard.canActivate(context(OperatorThings, 'list', 'Bearer t').ctx),
      ),
    ).toBe(GatewayErrorCode.OperatorOnly);
    expect(
      await codeOf(
        guard({ kind: 'operator' }).guard.canActivate(
          context(TenantThings, 'list', 'Bearer o').ctx,
        ),
      ),
    ).toBe(GatewayErrorCode.TenantTokenRequired);
    await expect(
      guard({ kind: 'operator' }).guard.canActivate(
        context(OperatorThings, 'list', 'Bearer o').ctx,
      ),
    ).resolves.toBe(true);
  });
});
