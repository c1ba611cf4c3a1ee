import type { MessageModel, RmsApiError } from './types/common.types';

/** What went wrong with an RMS call, as a caller needs to act on it. */
export enum RakutenErrorCode {
  /** ES01-01 or HTTP 401: wrong, expired or not-yet-active key. Re-authenticate; do not retry. */
  AUTHENTICATION = 'AUTHENTICATION',
  /** ES04-01 or HTTP 403: the key lacks this function's permission (RMS 利用機能編集). */
  FUNCTION_NOT_ENABLED = 'FUNCTION_NOT_ENABLED',
  /** RMS refused the request itself (`…ERROR_0xx`, Inventory `IE…`); `field` names the culprit. */
  INVALID_REQUEST = 'INVALID_REQUEST',
  /** Rate limit hit (HTTP 429). Retry later. */
  THROTTLED = 'THROTTLED',
  /** Maintenance, overload, any 5xx or an HTML body. Retry later. */
  UNAVAILABLE = 'UNAVAILABLE',
  /** No response within the timeout. For a write the outcome is unknown: reconcile first. */
  TIMEOUT = 'TIMEOUT',
  /** A response this client cannot read (not JSON, unknown shape, unexpected status). */
  UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE',
  /** Connection refused, reset, DNS failure. */
  NETWORK = 'NETWORK',
}

/** Codes a retry can fix. */
const RETRYABLE = new Set<RakutenErrorCode>([
  RakutenErrorCode.THROTTLED,
  RakutenErrorCode.UNAVAILABLE,
  RakutenErrorCode.TIMEOUT,
  RakutenErrorCode.NETWORK,
]);

/** Whether an error of this code is worth retrying. */
export function isRetryableCode(code: RakutenErrorCode): boolean {
  return RETRYABLE.has(code);
}

export interface RakutenErrorDetails {
  /** The RMS function, e.g. `searchOrder`. */
  function: string;
  /** HTTP status, when a response came. */
  status?: number;
  /** RMS's own code: `ES01-01`, `ORDER_EXT_API_…_ERROR_011`, `IE0004`, … */
  rmsCode?: string;
  /** The request field RMS complained about, when it said (INVALID_REQUEST). */
  field?: string;
  /** Order API messages of the response, when there were any. */
  messages?: MessageModel[];
  /** Inventory/Item API errors of the response, when there were any. */
  errors?: RmsApiError[];
  /** Server's Retry-After, in milliseconds. */
  retryAfterMs?: number;
  /** Attempts made, retries included. */
  attempts?: number;
  cause?: unknown;
}

/**
 * The one error type of the Rakuten client. `code` says what happened, `retryable` whether trying
 * again can help. Messages carry RMS codes and texts, never the service secret or licence key.
 */
export class RakutenError extends Error {
  readonly code: RakutenErrorCode;
  readonly retryable: boolean;
  readonly function: string;
  readonly status?: number;
  readonly rmsCode?: string;
  readonly field?: string;
  readonly messages?: MessageModel[];
  readonly errors?: RmsApiError[];
  readonly retryAfterMs?: number;
  attempts: number;

  constructor(code: RakutenErrorCode, message: string, details: RakutenErrorDetails) {
    super(`${details.function}: ${message}`, details.cause ? { cause: details.cause } : undefined);
    this.name = 'RakutenError';
    this.code = code;
    this.retryable = isRetryableCode(code);
    this.function = details.function;
    this.status = details.status;
    this.rmsCode = details.rmsCode;
    this.field = details.field;
    this.messages = details.messages;
    this.errors = details.errors;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts ?? 1;
  }
}
