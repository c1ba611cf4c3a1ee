import type { FieldProblem } from '@smartship/contracts';
import { InvalidCallError, ServiceError } from '@smartship/service-kit';

export enum FulfillmentErrorCode {
  FULFILLMENT_ORDER_NOT_FOUND = 'FULFILLMENT_ORDER_NOT_FOUND',
  /** A different confirmation for a package already shipped; details carry the recorded one. */
  ALREADY_SHIPPED = 'ALREADY_SHIPPED',
  /** Shipping a fulfillment order the warehouse never received (still held). */
  NOT_READY_TO_SHIP = 'NOT_READY_TO_SHIP',
  FULFILLMENT_ORDER_CANCELED = 'FULFILLMENT_ORDER_CANCELED',
  /** Releasing a fulfillment order that has shipped or was canceled. */
  NOT_RELEASABLE = 'NOT_RELEASABLE',
  /** Releasing a cash-on-delivery order whose amount Rakuten has not fixed (hold cod_amount_unfixed). */
  COD_AMOUNT_UNFIXED = 'COD_AMOUNT_UNFIXED',
  /** Releasing an order whose data makes no valid shipment.ready (hold shipment_data_invalid). */
  SHIPMENT_DATA_INVALID = 'SHIPMENT_DATA_INVALID',
  /** A shop of another tenant (fulfillment settings). */
  SHOP_NOT_FOUND = 'SHOP_NOT_FOUND',
}

/** The HTTP status the gateway answers with, per code. Exhaustive: a new code must be mapped. */
const STATUS: Record<FulfillmentErrorCode, number> = {
  [FulfillmentErrorCode.FULFILLMENT_ORDER_NOT_FOUND]: 404,
  [FulfillmentErrorCode.ALREADY_SHIPPED]: 409,
  [FulfillmentErrorCode.NOT_READY_TO_SHIP]: 409,
  [FulfillmentErrorCode.FULFILLMENT_ORDER_CANCELED]: 409,
  [FulfillmentErrorCode.NOT_RELEASABLE]: 409,
  [FulfillmentErrorCode.COD_AMOUNT_UNFIXED]: 409,
  [FulfillmentErrorCode.SHIPMENT_DATA_INVALID]: 409,
  [FulfillmentErrorCode.SHOP_NOT_FOUND]: 404,
};

/** An error of the fulfillment service that the caller can act on. */
export class FulfillmentError extends ServiceError {
  constructor(
    override readonly code: FulfillmentErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
  }

  get statusCode(): number {
    return STATUS[this.code];
  }

  /** A request that breaks its contract: 400 VALIDATION_FAILED naming the fields. */
  static invalid(problems: FieldProblem[]): InvalidCallError {
    return new InvalidCallError(problems);
  }

  static notFound(id: string): FulfillmentError {
    return new FulfillmentError(
      FulfillmentErrorCode.FULFILLMENT_ORDER_NOT_FOUND,
      `No fulfillment order ${id} in this tenant`,
      { fulfillmentOrderId: id },
    );
  }
}
