import { RpcException } from '@nestjs/microservices';
import type { FieldProblem, ServiceErrorBody } from '@smartship/contracts';
import { describeFieldProblems } from '@smartship/contracts';

export enum CredentialsErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  SHOP_NOT_FOUND = 'SHOP_NOT_FOUND',
  SHOP_ALREADY_REGISTERED = 'SHOP_ALREADY_REGISTERED',
}

/** The HTTP status the gateway answers with, per code. Exhaustive: a new code must be mapped. */
const STATUS: Record<CredentialsErrorCode, number> = {
  [CredentialsErrorCode.VALIDATION_FAILED]: 400,
  [CredentialsErrorCode.SHOP_NOT_FOUND]: 404,
  [CredentialsErrorCode.SHOP_ALREADY_REGISTERED]: 409,
};

/** An error of the credentials service that the caller can act on. */
export class CredentialsError extends Error {
  constructor(
    readonly code: CredentialsErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CredentialsError';
  }

  static invalid(problems: FieldProblem[]): CredentialsError {
    return new CredentialsError(
      CredentialsErrorCode.VALIDATION_FAILED,
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

  toRpc(): RpcException {
    return new RpcException(this.toBody());
  }
}
