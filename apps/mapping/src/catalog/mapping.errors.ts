import type { FieldProblem } from '@smartship/contracts';
import { InvalidCallError, ServiceError } from '@smartship/service-kit';

export enum MappingErrorCode {
  SKU_NOT_FOUND = 'SKU_NOT_FOUND',
  RULE_NOT_FOUND = 'RULE_NOT_FOUND',
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  LINE_NOT_FOUND = 'LINE_NOT_FOUND',
  UNKNOWN_SKU_CODE = 'UNKNOWN_SKU_CODE',
  CODE_ALREADY_EXISTS = 'CODE_ALREADY_EXISTS',
  CODE_IN_USE = 'CODE_IN_USE',
  RULE_ALREADY_EXISTS = 'RULE_ALREADY_EXISTS',
  IMPORT_REJECTED = 'IMPORT_REJECTED',
  IMPORT_UNREADABLE = 'IMPORT_UNREADABLE',
  /** More data rows than SKU_IMPORT_MAX_ROWS: nothing was stored. */
  IMPORT_TOO_MANY_ROWS = 'IMPORT_TOO_MANY_ROWS',
  IMPORT_NOT_FOUND = 'IMPORT_NOT_FOUND',
  /** A piece for an import that has all of its pieces already. */
  IMPORT_NOT_RECEIVING = 'IMPORT_NOT_RECEIVING',
  /** Stock settings of a shop another tenant set (the gateway checks ownership first). */
  SHOP_NOT_FOUND = 'SHOP_NOT_FOUND',
}

/** The HTTP status the gateway answers with, per code. Exhaustive: a new code must be mapped. */
const STATUS: Record<MappingErrorCode, number> = {
  [MappingErrorCode.SKU_NOT_FOUND]: 404,
  [MappingErrorCode.RULE_NOT_FOUND]: 404,
  [MappingErrorCode.ORDER_NOT_FOUND]: 404,
  [MappingErrorCode.LINE_NOT_FOUND]: 404,
  [MappingErrorCode.UNKNOWN_SKU_CODE]: 422,
  [MappingErrorCode.CODE_ALREADY_EXISTS]: 409,
  [MappingErrorCode.CODE_IN_USE]: 409,
  [MappingErrorCode.RULE_ALREADY_EXISTS]: 409,
  [MappingErrorCode.IMPORT_REJECTED]: 422,
  [MappingErrorCode.IMPORT_UNREADABLE]: 400,
  [MappingErrorCode.IMPORT_TOO_MANY_ROWS]: 422,
  [MappingErrorCode.IMPORT_NOT_FOUND]: 404,
  [MappingErrorCode.IMPORT_NOT_RECEIVING]: 409,
  [MappingErrorCode.SHOP_NOT_FOUND]: 404,
};

/** An error of the mapping service that the caller can act on. */
export class MappingError extends ServiceError {
  constructor(
    override readonly code: MappingErrorCode,
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
}
