import { ArgumentsHost, Catch, Inject, RpcExceptionFilter } from '@nestjs/common';
import type { FieldProblem, ServiceErrorBody } from '@smartship/contracts';
import { describeFieldProblems, toFieldProblems } from '@smartship/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Logger } from 'pino';
import { Observable, throwError } from 'rxjs';

import { ROOT_LOGGER, SERVICE_NAME } from './tokens';

/**
 * An error a service answers a call with, one the caller can act on. Each service has its own
 * subclass with a string-enum code and an exhaustive code → HTTP status map (see
 * apps/credentials/src/shops/shops.errors.ts); the gateway passes the body through.
 */
export abstract class ServiceError extends Error {
  /** The HTTP status the gateway answers with. */
  abstract readonly statusCode: number;

  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): ServiceErrorBody {
    return {
      statusCode: this.statusCode,
      code: this.code,
      message: this.message,
      details: this.details,
    };
  }
}

/** A call whose payload breaks its contract: 400 VALIDATION_FAILED naming every bad field. */
export class InvalidCallError extends ServiceError {
  readonly statusCode = 400;

  constructor(readonly problems: FieldProblem[]) {
    super('VALIDATION_FAILED', describeFieldProblems(problems), problems);
  }
}

/**
 * Validates a call's payload against its contract class, as the gateway did: a service trusts
 * no caller. Unknown fields are refused; the error names every bad field.
 */
export function parseCall<T extends object>(type: new () => T, payload: unknown): T {
  const call = plainToInstance(type, payload ?? {});
  const errors = validateSync(call, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new InvalidCallError(toFieldProblems(errors));
  return call;
}

/**
 * Turns every error of a call into the ServiceErrorBody the gateway expects. Errors nobody
 * foresaw are logged here and answered as 500 without internals.
 */
@Catch()
export class ServiceCallFilter implements RpcExceptionFilter<unknown> {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  catch(error: unknown, _host: ArgumentsHost): Observable<ServiceErrorBody> {
    if (error instanceof ServiceError) return throwError(() => error.toBody());
    this.logger.error({ err: error }, 'call failed');
    return throwError(() => ({
      statusCode: 500,
      code: 'INTERNAL',
      message: `the ${this.service} service failed`,
    }));
  }
}
