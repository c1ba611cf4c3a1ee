import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';

import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { RateLimiter } from '../limits/rate-limiter';
import { SessionAuth } from '../sessions/session-auth';
import { ROUTE_ACCESS, RouteAccess } from './access.decorators';
import { AccessService } from './access.service';
import { AuthenticatedRequest, Principal } from './principal';
import { can } from './roles';
import { bearerToken } from './token-secret';

/** Requests whose caller was found and counted already (by `admit`): not counted twice. */
const ADMITTED = new WeakSet<IncomingMessage>();

/** The API's controllers live under this path; everything there declares who may call it. */
const API_PREFIX = 'api/v1';

/**
 * The global guard. It decides by the controller's declared path, not the request URL, so a
 * new controller under /api/v1 is protected (refused until its routes declare a rule: @Public,
 * @OperatorOnly, @Authenticated or @Requires(permission)); health and metrics (outside
 * /api/v1) stay open for the probes.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
    /** Session cookies and token-check throttling (absent in unit tests of the token path). */
    @Optional() private readonly sessions?: SessionAuth,
    /** Per-tenant request limits (absent in unit tests of the token path). */
    @Optional() private readonly limiter?: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (!isApiController(context.getClass())) return true;
    const required = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<IncomingMessage & AuthenticatedRequest>();
    if (required === 'public') {
      // Open to everyone; a caller who sends valid credentials is still known, so a public
      // route may tell the operator more than an anonymous caller (system/ping does).
      const presented = bearerToken(request.headers.authorization);
      const principal =
        presented === null
          ? null
          : // A disabled tenant's token is simply anonymous here.
            await this.access.authenticate(presented).catch(() => null);
      if (principal !== null) request.principal = principal;
      return true;
    }

    if (request.principal !== undefined && ADMITTED.has(request)) {
      // Admitted before its body was read (the SKU import upload): checked and counted once.
      authorize(required, request.principal);
      return true;
    }
    request.principal = await this.admit(request, required);
    return true;
  }

  /**
   * Finds the caller of a request (bearer token, else the session cookie with its CSRF check),
   * checks the rule and counts the request against the tenant's limit. The guard calls it for
   * every route; the SKU import upload calls it before it reads the file, so that a caller
   * without the right is refused before a byte of the body is buffered.
   */
  async admit(
    request: IncomingMessage & AuthenticatedRequest,
    required: RouteAccess | undefined,
  ): Promise<Principal> {
    const token = bearerToken(request.headers.authorization);
    if (token === null) {
      // No bearer token: a browser's session cookie (CSRF-checked for changes), if any.
      const session = await this.sessions?.fromRequest(request);
      if (session) {
        authorize(required, session.principal);
        await this.limit(session.principal);
        return this.admitted(request, session.principal);
      }
      throw new GatewayError(
        GatewayErrorCode.Unauthenticated,
        'Send your API token as Authorization: Bearer <token>',
      );
    }
    await this.sessions?.assertTokenChecksAllowed(request);
    const principal = await this.access.authenticate(token);
    if (principal === null) {
      await this.sessions?.recordTokenFailure(request);
      throw new GatewayError(
        GatewayErrorCode.Unauthenticated,
        'The API token is unknown or revoked',
      );
    }
    authorize(required, principal);
    await this.limit(principal);
    return this.admitted(request, principal);
  }

  private admitted(request: IncomingMessage & AuthenticatedRequest, principal: Principal) {
    request.principal = principal;
    ADMITTED.add(request);
    return principal;
  }

  /**
   * Counts an authorised request of a tenant against its `api` limit (the calls that reach
   * Rakuten count against theirs in ShopsService, once valid). The operator is not limited.
   */
  private async limit(principal: Principal): Promise<void> {
    if (!this.limiter || principal.kind !== 'tenant') return;
    await this.limiter.consume(principal.tenantId, ['api']);
  }
}

/**
 * Whether a principal may call a route with this rule; throws the 403 if not. A route under
 * /api/v1 without a rule is refused: forgetting the decorator closes the route, never opens it.
 */
export function authorize(required: RouteAccess | undefined, principal: Principal): void {
  if (required === undefined) {
    throw new GatewayError(
      GatewayErrorCode.RoleForbidden,
      'This route declares no permission, so nobody may call it',
    );
  }
  if (required === 'public' || required === 'authenticated') return;
  if (required === 'operator') {
    if (principal.kind !== 'operator') {
      throw new GatewayError(GatewayErrorCode.OperatorOnly, 'Only the operator may do this');
    }
    return;
  }
  if (principal.kind !== 'tenant') {
    throw new GatewayError(
      GatewayErrorCode.TenantTokenRequired,
      "This route acts for a tenant: use one of the tenant's API tokens",
    );
  }
  if (!can(principal.role, required.permission)) {
    const who =
      principal.via === 'token'
        ? `this token (scope ${principal.scope}) acts as ${principal.role}`
        : `your role is ${principal.role}`;
    throw new GatewayError(
      GatewayErrorCode.RoleForbidden,
      `This needs the permission ${required.permission}, and ${who}`,
      { permission: required.permission, role: principal.role },
    );
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
