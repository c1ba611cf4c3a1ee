import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';

import { AuthenticatedRequest, TenantPrincipal } from './principal';

/** Who may call a route under /api/v1. Without a decorator: a tenant token. */
export type RouteAccess = 'public' | 'operator' | 'tenant';
export const ROUTE_ACCESS = 'smartship:route-access';

/** No token needed (the route says nothing about any tenant). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ROUTE_ACCESS, 'public');

/** Only the operator token from OPERATOR_TOKEN. */
export const OperatorOnly = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, 'operator');

/** The authenticated tenant; only on routes the guard let through as 'tenant'. */
export const CurrentTenant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TenantPrincipal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (principal?.kind !== 'tenant') {
      // A route that reads the tenant without requiring one: a programming error, not a 401.
      throw new Error('CurrentTenant used on a route that does not require a tenant token');
    }
    return principal;
  },
);
