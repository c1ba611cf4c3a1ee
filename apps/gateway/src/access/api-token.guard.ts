import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';

import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { ROUTE_ACCESS, RouteAccess } from './access.decorators';
import { AccessService } from './access.service';
import { AuthenticatedRequest } from './principal';
import { bearerToken } from './token-secret';

/** The API's controllers live under this path; everything there needs a token unless @Public. */
const API_PREFIX = 'api/v1';

/**
 * The global guard. It decides by the controller's declared path, not the request URL, so a
 * new controller under /api/v1 is protected without anyone remembering to add a decorator;
 * health and metrics (outside /api/v1) stay open for the probes.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (!isApiController(context.getClass())) return true;
    const required =
      this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'tenant';
    if (required === 'public') return true;

    const request = context.switchToHttp().getRequest<IncomingMessage & AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (token === null) {
      throw new GatewayError(
        GatewayErrorCode.Unauthenticated,
        'Send your API token as Authorization: Bearer <token>',
      );
    }
    const principal = await this.access.authenticate(token);
    if (principal === null) {
      throw new GatewayError(
        GatewayErrorCode.Unauthenticated,
        'The API token is unknown or revoked',
      );
    }
    if (required === 'operator' && principal.kind !== 'operator') {
      throw new GatewayError(GatewayErrorCode.OperatorOnly, 'Only the operator may do this');
    }
    if (required === 'tenant' && principal.kind !== 'tenant') {
      throw new GatewayError(
        GatewayErrorCode.TenantTokenRequired,
        "This route acts for a tenant: use one of the tenant's API tokens",
      );
    }
    request.principal = principal;
    return true;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function isApiController(controller: Function): boolean {
  const path: unknown = Reflect.getMetadata(PATH_METADATA, controller);
  const paths = Array.isArray(path) ? path : [path];
  return paths.some(
    (p) =>
      typeof p === 'string' &&
      p.replace(/^\/+/, '').split('/').slice(0, 2).join('/') === API_PREFIX,
  );
}
