import { Controller, ExecutionContext, Get, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { Authenticated, OperatorOnly, Public, Requires } from './access.decorators';
import type { AccessService } from './access.service';
import { ApiTokenGuard, isApiController } from './api-token.guard';
import type { Principal } from './principal';

@Controller('api/v1/things')
class TenantThings {
  @Requires('read') @Get() list(): string {
    return 'list';
  }
  @Requires('catalog.write') @Post() create(): string {
    return 'create';
  }
  @Public() @Get('open') open(): string {
    return 'open';
  }
  @Authenticated() @Get('me') me(): string {
    return 'me';
  }
  @Get('forgotten') forgotten(): string {
    return 'no rule';
  }
}

@Requires('tokens.manage')
@Controller('api/v1/keys')
class ClassRule {
  @Get() list(): string {
    return 'list';
  }
  @Requires('read') @Get('count') count(): string {
    return 'count';
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

const TENANT: Principal = {
  kind: 'tenant',
  tenantId: 't-1',
  role: 'admin',
  via: 'token',
  tokenId: 'k-1',
  scope: 'admin',
};
const READ_TOKEN: Principal = { ...TENANT, role: 'viewer', scope: 'read' };
const STAFF_USER: Principal = {
  kind: 'tenant',
  tenantId: 't-1',
  role: 'staff',
  via: 'session',
  userId: 'u-1',
  sessionId: 's-1',
};
const OPERATOR: Principal = { kind: 'operator', via: 'operator_token' };

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
        guard(OPERATOR).guard.canActivate(context(TenantThings, 'list', 'Bearer o').ctx),
      ),
    ).toBe(GatewayErrorCode.TenantTokenRequired);
    await expect(
      guard(OPERATOR).guard.canActivate(context(OperatorThings, 'list', 'Bearer o').ctx),
    ).resolves.toBe(true);
  });

  it('lets a tenant through only if its role holds the route permission', async () => {
    const call = (
      principal: Principal,
      controller: typeof TenantThings | typeof ClassRule,
      h: string,
    ) => codeOf(guard(principal).guard.canActivate(context(controller, h, 'Bearer x').ctx));
    expect(await call(READ_TOKEN, TenantThings, 'list')).toBe('passed');
    expect(await call(READ_TOKEN, TenantThings, 'create')).toBe(GatewayErrorCode.RoleForbidden);
    expect(await call(STAFF_USER, TenantThings, 'create')).toBe('passed');
    expect(await call(STAFF_USER, ClassRule, 'list')).toBe(GatewayErrorCode.RoleForbidden);
    expect(await call(STAFF_USER, ClassRule, 'count')).toBe('passed');
    expect(await call(TENANT, ClassRule, 'list')).toBe('passed');
  });

  it('names the permission and the role in the refusal', async () => {
    const error = await guard(READ_TOKEN)
      .guard.canActivate(context(TenantThings, 'create', 'Bearer x').ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toMatch(/catalog\.write.*scope read.*viewer/);
    expect((error as GatewayError).details).toEqual({
      permission: 'catalog.write',
      role: 'viewer',
    });
  });

  it('lets any principal through @Authenticated, but not an anonymous caller', async () => {
    for (const principal of [READ_TOKEN, STAFF_USER, OPERATOR]) {
      expect(
        await codeOf(
          guard(principal).guard.canActivate(context(TenantThings, 'me', 'Bearer x').ctx),
        ),
      ).toBe('passed');
    }
    expect(await codeOf(guard(null).guard.canActivate(context(TenantThings, 'me').ctx))).toBe(
      GatewayErrorCode.Unauthenticated,
    );
  });

  it('refuses everyone on an API route that declares no rule', async () => {
    for (const principal of [TENANT, OPERATOR]) {
      expect(
        await codeOf(
          guard(principal).guard.canActivate(context(TenantThings, 'forgotten', 'Bearer x').ctx),
        ),
      ).toBe(GatewayErrorCode.RoleForbidden);
    }
  });
});
