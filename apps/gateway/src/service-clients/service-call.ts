import type { ClientProxy } from '@nestjs/microservices';
import { isServiceErrorBody } from '@smartship/contracts';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';

import { GatewayError, GatewayErrorCode, ServiceCallError } from '../http/gateway.errors';
import type { InternalService } from './service-clients';

/** Socket errors that mean "the service is not there", as opposed to "it failed". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * Sends one call over the TCP transport and waits at most `timeoutMs` for the answer. Errors
 * come back as gateway errors: the service's own error body as it is, a timeout or a dead
 * service as 503 naming the service, anything else as 500.
 */
export async function callService<T>(
  client: ClientProxy,
  service: InternalService,
  pattern: string,
  payload: unknown,
  timeoutMs: number,
): Promise<T> {
  try {
    return await firstValueFrom(client.send<T>(pattern, payload).pipe(timeout(timeoutMs)));
  } catch (error) {
    throw toCallError(error, service, timeoutMs);
  }
}

/** What a failed call means for the HTTP client; exported for the unit tests. */
export function toCallError(error: unknown, service: InternalService, timeoutMs: number): Error {
  if (isServiceErrorBody(error)) return new ServiceCallError(service, error);
  if (error instanceof TimeoutError) {
    return unavailable(service, `did not answer within ${timeoutMs / 1000} s`);
  }
  if (isUnreachable(error)) return unavailable(service, 'is not reachable');
  // The service threw something that was not an RpcException: Nest sends
  // { status: 'error', message: 'Internal server error' }. The details stay in its own log.
  return new GatewayError(
    GatewayErrorCode.Internal,
    `The ${service} service failed; try again later`,
    {
      service,
    },
  );
}

function unavailable(service: InternalService, what: string): GatewayError {
  return new GatewayError(
    GatewayErrorCode.ServiceUnavailable,
    `The ${service} service ${what}; try again in a moment`,
    { service },
  );
}

/** Duck-typed: socket errors come from Node's core, and `instanceof Error` fails across realms. */
function isUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // ClientTCP fails pending calls with this message when the socket closes under them.
  return (typeof code === 'string' && UNREACHABLE.has(code)) || message === 'Connection closed';
}
