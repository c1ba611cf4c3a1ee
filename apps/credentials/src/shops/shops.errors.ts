import { ServiceError } from '@smartship/service-kit';

export enum CredentialsErrorCode {
  SHOP_NOT_FOUND = 'SHOP_NOT_FOUND',
  SHOP_ALREADY_REGISTERED = 'SHOP_ALREADY_REGISTERED',
}

/** The HTTP status the gateway answers with, per code. Exhaustive: a new code must be mapped. */
const STATUS: Record<CredentialsErrorCode, number> = {
  [CredentialsErrorCode.SHOP_NOT_FOUND]: 404,
  [CredentialsErrorCode.SHOP_ALREADY_REGISTERED]: 409,
};

/** An error of the credentials service that the caller can act on. */
export class CredentialsError extends ServiceError {
  constructor(
    override readonly code: CredentialsErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
  }

  get statusCode(): number {
    return STATUS[this.code];
  }
}
