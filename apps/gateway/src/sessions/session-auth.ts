import type { IncomingMessage } from 'node:http';

import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { AuthThrottle } from './auth-throttle';
import {
  CSRF_HEADER,
  clientAddress,
  readCookie,
  secureCookies,
  sessionCookieName,
} from './session-cookie';
import { ActiveSession, SessionService, csrfMatches } from './session.service';

/** Methods that change nothing: no CSRF token needed. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type CookieRequest = IncomingMessage & { ip?: string; session?: ActiveSession };

/** The part of Express's response the session routes use. */
export interface CookieResponse {
  setHeader(name: string, value: string): void;
  status(code: number): unknown;
}

/**
 * The guard's side of sessions: who a session cookie belongs to (with the CSRF check for
 * state-changing requests), and the per-address throttle of failed API-token checks.
 */
@Injectable()
export class SessionAuth {
  readonly cookieName: string;
  readonly secure: boolean;

  constructor(
    @Inject(SERVICE_CONFIG) config: GatewayConfig,
    private readonly sessions: SessionService,
    private readonly throttle: AuthThrottle,
  ) {
    this.secure = secureCookies(config.NODE_ENV);
    this.cookieName = sessionCookieName(this.secure);
  }

  /** The session cookie's value, or null when the request has none. */
  cookieOf(request: IncomingMessage): string | null {
    return readCookie(request.headers.cookie, this.cookieName);
  }

  /**
   * The session of a request without a bearer token: null when it has no session cookie, a 401
   * when the cookie names no live session, a 403 CSRF_FAILED when a state-changing request
   * lacks the session's CSRF token. Leaves the session on the request for the session routes.
   */
  async fromRequest(request: CookieRequest): Promise<ActiveSession | null> {
    const token = this.cookieOf(request);
    if (token === null) return null;
    const session = await this.sessions.authenticate(token);
    if (session === null) {
      throw new GatewayError(
        GatewayErrorCode.Unauthenticated,
        'Your session has ended (signed out, expired or disabled): sign in again',
      );
    }
    if (
      !SAFE_METHODS.has(request.method ?? 'GET') &&
      !csrfMatches(token, request.headers[CSRF_HEADER])
    ) {
      throw new GatewayError(
        GatewayErrorCode.CsrfFailed,
        `A request that changes something must carry the session's CSRF token in ${CSRF_HEADER}`,
        [
          {
            field: CSRF_HEADER,
            problems: [`${CSRF_HEADER} is missing or does not match the session`],
          },
        ],
      );
    }
    request.session = session;
    return session;
  }

  /** 429 when this address failed too many token checks lately. */
  async assertTokenChecksAllowed(request: CookieRequest): Promise<void> {
    await this.throttle.assertAllowed([{ scope: 'token_address', key: clientAddress(request) }]);
  }

  async recordTokenFailure(request: CookieRequest): Promise<void> {
    await this.throttle.recordFailure('token_address', clientAddress(request));
  }
}
