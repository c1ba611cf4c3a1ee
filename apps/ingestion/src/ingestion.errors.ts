import type { FieldProblem, ServiceErrorBody } from '@smartship/contracts';
import { describeFieldProblems } from '@smartship/contracts';

export enum IngestionErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  SHOP_NOT_FOUND = 'SHOP_NOT_FOUND',
  SHOP_NOT_PULLABLE = 'SHOP_NOT_PULLABLE',
  PULL_IN_PROGRESS = 'PULL_IN_PROGRESS',
}

/** The HTTP status the gateway answers with, per code. Exhaustive: a new code must be mapped. */
const STATUS: Record<IngestionErrorCode, number> = {
  [IngestionErrorCode.VALIDATION_FAILED]: 400,
  [IngestionErrorCode.SHOP_NOT_FOUND]: 404,
  [IngestionErrorCode.SHOP_NOT_PULLABLE]: 409,
  [IngestionErrorCode.PULL_IN_PROGRESS]: 409,
};

/** An error of the ingestion service that the caller can act on. */
export class IngestionError extends Error {
  constructor(
    readonly code: IngestionErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'IngestionError';
  }

  static invalid(problems: FieldProblem[]): IngestionError {
    return new IngestionError(
      IngestionErrorCode.VALIDATION_FAILED,
      describeFieldProblems(problems),
      problems,
    );
  }

  toBody(): ServiceErrorBody {
    return {
      statusCode: STATUS[this.code],
      code: this.code,
      message: this.message,
      details: this.details,
    };
  }
}
