import { ArgumentsHost, Catch, Inject, RpcExceptionFilter } from '@nestjs/common';
import type { ServiceErrorBody } from '@smartship/contracts';
import { ROOT_LOGGER } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { Observable, throwError } from 'rxjs';

import { FulfillmentError } from './fulfillment.errors';

/**
 * Turns every error of a call into the `ServiceErrorBody` the gateway expects. Errors we did not
 * foresee are logged here and answered as 500 without internals.
 */
@Catch()
export class FulfillmentRpcFilter implements RpcExceptionFilter<unknown> {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, _host: ArgumentsHost): Observable<ServiceErrorBody> {
    if (error instanceof FulfillmentError) return throwError(() => error.toBody());
    this.logger.error({ err: error }, 'call failed');
    return throwError(() => ({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'the fulfillment service failed',
    }));
  }
}
