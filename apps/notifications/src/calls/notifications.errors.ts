import { ServiceError } from '@smartship/service-kit';

export enum NotificationsErrorCode {
  RECIPIENT_NOT_FOUND = 'RECIPIENT_NOT_FOUND',
  ENDPOINT_NOT_FOUND = 'ENDPOINT_NOT_FOUND',
  /** The tenant already has MAX_NOTIFICATION_TARGETS recipients or endpoints. */
  TOO_MANY_RECIPIENTS = 'TOO_MANY_RECIPIENTS',
  TOO_MANY_ENDPOINTS = 'TOO_MANY_ENDPOINTS',
  /** An invitation or reset e-mail could not be handed to the SMTP server. */
  EMAIL_NOT_SENT = 'EMAIL_NOT_SENT',
}

/** The HTTP status the gateway answers with, per code. Exhaustive: a new code must be mapped. */
const STATUS: Record<NotificationsErrorCode, number> = {
  [NotificationsErrorCode.RECIPIENT_NOT_FOUND]: 404,
  [NotificationsErrorCode.ENDPOINT_NOT_FOUND]: 404,
  [NotificationsErrorCode.TOO_MANY_RECIPIENTS]: 409,
  [NotificationsErrorCode.TOO_MANY_ENDPOINTS]: 409,
  [NotificationsErrorCode.EMAIL_NOT_SENT]: 503,
};

/** An error of the notifications service that the caller can act on. */
export class NotificationsError extends ServiceError {
  constructor(
    override readonly code: NotificationsErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
  }

  get statusCode(): number {
    return STATUS[this.code];
  }

  static recipientNotFound(id: string): NotificationsError {
    return new NotificationsError(
      NotificationsErrorCode.RECIPIENT_NOT_FOUND,
      `No notification recipient ${id} in this tenant`,
      { recipientId: id },
    );
  }

  static endpointNotFound(id: string): NotificationsError {
    return new NotificationsError(
      NotificationsErrorCode.ENDPOINT_NOT_FOUND,
      `No webhook endpoint ${id} in this tenant`,
      { endpointId: id },
    );
  }
}
