import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { type ServiceErrorBody, isServiceErrorBody } from '@smartship/contracts';
import { ROOT_LOGGER } from '@smartship/service-kit';
import type { Logger } from 'pino';

import { GatewayError, GatewayErrorCode, ServiceCallError } from './gateway.errors';

/** Codes for HttpExceptions thrown by Nest itself (unknown route, …) or by other libraries. */
const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: GatewayErrorCode.Unauthenticated,
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: GatewayErrorCode.PayloadTooLarge,
  415: GatewayErrorCode.UnsupportedMediaType,
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: GatewayErrorCode.ServiceUnavailable,
};

/**
 * The error body of every failed request, whatever failed: `{ statusCode, code, message,
 * details }`. Anything unexpected is a 500 whose body says nothing about the internals; the
 * log keeps the error (never the request body).
 */
export function toErrorBody(exception: unknown): ServiceErrorBody {
  if (exception instanceof GatewayError) return exception.toBody();
  if (exception instanceof ServiceCallError) return serviceBody(exception.body);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (isServiceErrorBody(response)) return { details: null, ...response, statusCode: status };
    return {
      statusCode: status,
      code: HTTP_CODES[status] ?? (status >= 500 ? GatewayErrorCode.Internal : `HTTP_${status}`),
      message: status >= 500 ? 'Internal error' : httpMessage(response, exception.message),
      details: null,
    };
  }
  return internal();
}

/** A service's own error body, kept as the service wrote it unless its status is not an error. */
function serviceBody(body: ServiceErrorBody): ServiceErrorBody {
  const valid =
    Number.isInteger(body.statusCode) && body.statusCode >= 400 && body.statusCode <= 599;
  return {
    statusCode: valid ? body.statusCode : 502,
    code: body.code,
    message: body.message,
    details: body.details ?? null,
  };
}

function internal(): ServiceErrorBody {
  return {
    statusCode: 500,
    code: GatewayErrorCode.Internal,
    message: 'Internal error; it has been logged',
    details: null,
  };
}

function httpMessage(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : fallback;
}

/** The part of Express's response the filter uses (the gateway runs on platform-express). */
interface JsonResponse {
  setHeader(name: string, value: string): void;
  status(code: number): { json(body: unknown): void };
}

@Catch()
export class GatewayErrorFilter implements ExceptionFilter {
  private readonly logger: Logger;

  constructor(@Inject(ROOT_LOGGER) rootLogger: Logger) {
    this.logger = rootLogger.child({ component: 'http-errors' });
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      // Only the name, message and stack: errors from body parsing carry the raw body.
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        { err: { name: error.name, message: error.message, stack: error.stack }, code: body.code },
        'request failed',
      );
    }
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (body.statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    const retryAfter = (body.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (body.statusCode === 429 && typeof retryAfter === 'number') {
      response.setHeader('Retry-After', String(retryAfter));
    }
    response.status(body.statusCode).json(body);
  }
}
