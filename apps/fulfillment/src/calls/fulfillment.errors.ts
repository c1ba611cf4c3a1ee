import type { FieldProblem, ServiceErrorBody } from '@smartship/contracts';
import { describeFieldProblems } from '@smartship/contracts';

export enum FulfillmentErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  FULFILLMENT_ORDER_NOT_FOUND = 'FULFILLMENT_ORDER_NOT_FOUND',
  /** A different confirmation for a package already shipped; details carry the recorded one. */
  ALREADY_SHIPPED = 'ALREADY_SHIPPED',
  /** Shipping a fulfillment order the warehouse never received (still held). */
  NOT_READY_TO_SHIP = 'NOT_READY_TO_SHIP',
  FULFILLMENT_ORDER_CANCELED = 'FULFILLMENT_ORDER_CANCELED',
  /** Releasing a fulfillment order that has shipped or was canceled. */
  NOT_RELEASABLE = 'NOT_RELEASABLE',
}

/** The HTTP status the gateway answers with, per code. Exhaustive: a new code must be mapped. */
const STATUS: Record<FulfillmentErrorCode, number> = {
  [FulfillmentErrorCode.VALIDATION_FAILED]: 400,
  [FulfillmentErrorCode.FULFILLMENT_ORDER_NOT_FOUND]: 404,
  [FulfillmentErrorCode.ALREADY_SHIPPED]: 409,
  [FulfillmentErrorCode.NOT_READY_TO_SHIP]: 409,
  [FulfillmentErrorCode.FULFILLMENT_ORDER_CANCELED]: 409,
  [FulfillmentErrorCode.NOT_RELEASABLE]: 409,
};

/** An error of the fulfillment service that the caller can act on. */
export class FulfillmentError extends Error {
  constructor(
    readonly code: FulfillmentErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'FulfillmentError';
  }

  static invalid(problems: FieldProblem[]): FulfillmentError {
    return new FulfillmentError(
      FulfillmentErrorCode.VALIDATION_FAILED,
      `Invalid request: ${describeFieldProblems(problems)}`,
      problems,
    );
  }

  static notFound(id: string): FulfillmentError {
    return new FulfillmentError(
      FulfillmentErrorCode.FULFILLMENT_ORDER_NOT_FOUND,
      `No fulfillment order ${id} in this tenant`,
      { fulfillmentOrderId: id },
    );
  }

  toBody(): ServiceErrorBody {
    return {
      statusCode: STATUS[this.code],
      code: this.code,
      message: this.message,
      details: this.details ?? null,
    };
  }
}
