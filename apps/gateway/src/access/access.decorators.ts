import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';

import { AuthenticatedRequest, TenantPrincipal } from './principal';
import type { Permission } from './roles';

/**
 * Who may call a route under /api/v1. Every route declares one (on the method or its
 * controller); a route without any is refused by the guard and fails the route-matrix test.
 */
export type RouteAccess =
  | 'public'
  | 'operator'
  /** Anyone signed in: the operator or any tenant principal (e.g. "who am I", sign out). */
  | 'authenticated'
  /** A tenant principal whose role holds the permission (see roles.ts). */
  | { permission: Permission };
export const ROUTE_ACCESS = 'smartship:route-access';

/** A tenant principal whose role (a token's: its scope's role) holds `permission`. */
export const Requires = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, { permission } satisfies RouteAccess);

/** Any signed-in principal, operator or tenant, whatever its role. */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, 'authenticated');

/** No token needed (the route says nothing about any tenant). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ROUTE_ACCESS, 'public');

/** Only the operator token from OPERATOR_TOKEN. */
export const OperatorOnly = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, 'operator');

/** The authenticated tenant; only on routes the guard let through by a permission. */
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
