import type { FieldProblem, ServiceErrorBody } from '@smartship/contracts';

/** What can go wrong in the gateway itself; each code has one HTTP status (see statusOf). */
export enum GatewayErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  OperatorOnly = 'OPERATOR_ONLY',
  TenantTokenRequired = 'TENANT_TOKEN_REQUIRED',
  /** The caller's role (a token's: its scope's) lacks the route's permission. */
  RoleForbidden = 'ROLE_FORBIDDEN',
  /** A token would get more rights than whoever mints it. */
  TokenEscalation = 'TOKEN_ESCALATION',
  TokenNotFound = 'TOKEN_NOT_FOUND',
  OrderNotFound = 'ORDER_NOT_FOUND',
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidJson = 'INVALID_JSON',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
  // people: sign-in, sessions, users, invitations, password resets
  InvalidCredentials = 'INVALID_CREDENTIALS',
  TotpRequired = 'TOTP_REQUIRED',
  TotpInvalid = 'TOTP_INVALID',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  CsrfFailed = 'CSRF_FAILED',
  OperatorTokenRequired = 'OPERATOR_TOKEN_REQUIRED',
  TenantNotFound = 'TENANT_NOT_FOUND',
  UserNotFound = 'USER_NOT_FOUND',
  EmailTaken = 'EMAIL_TAKEN',
  LastOwner = 'LAST_OWNER',
  TotpNotStarted = 'TOTP_NOT_STARTED',
  TotpAlreadyEnabled = 'TOTP_ALREADY_ENABLED',
  InvitationInvalid = 'INVITATION_INVALID',
  InvitationExpired = 'INVITATION_EXPIRED',
  InvitationUsed = 'INVITATION_USED',
  /** No such invitation in the caller's tenant (withdrawing one). */
  InvitationNotFound = 'INVITATION_NOT_FOUND',
  /** Turning two-step sign-in off when it is not on. */
  TotpNotEnabled = 'TOTP_NOT_ENABLED',
  ResetTokenInvalid = 'RESET_TOKEN_INVALID',
  ResetTokenExpired = 'RESET_TOKEN_EXPIRED',
  ResetTokenUsed = 'RESET_TOKEN_USED',
  // operators and limits
  /** The caller's tenant was disabled by an operator: its tokens and sessions are refused. */
  TenantDisabled = 'TENANT_DISABLED',
  /** A per-tenant request limit is used up (details name the limit and the wait). */
  RateLimited = 'RATE_LIMITED',
  /** A service has not yet learnt of a shop registered or changed a moment ago. */
  ShopNotSynced = 'SHOP_NOT_SYNCED',
}

/**
 * The HTTP status of each code. The switch is exhaustive: a new code that is not mapped here
 * fails to compile.
 */
export function statusOf(code: GatewayErrorCode): number {
  switch (code) {
    case GatewayErrorCode.ValidationFailed:
    case GatewayErrorCode.InvalidJson:
      return 400;
    case GatewayErrorCode.Unauthenticated:
      return 401;
    case GatewayErrorCode.OperatorOnly:
    case GatewayErrorCode.TenantTokenRequired:
    case GatewayErrorCode.RoleForbidden:
    case GatewayErrorCode.TokenEscalation:
      return 403;
    case GatewayErrorCode.TokenNotFound:
    case GatewayErrorCode.OrderNotFound:
      return 404;
    case GatewayErrorCode.PayloadTooLarge:
      return 413;
    case GatewayErrorCode.UnsupportedMediaType:
      return 415;
    case GatewayErrorCode.ServiceUnavailable:
    case GatewayErrorCode.ShopNotSynced:
      return 503;
    case GatewayErrorCode.Internal:
      return 500;
    case GatewayErrorCode.InvitationInvalid:
    case GatewayErrorCode.ResetTokenInvalid:
      return 400;
    case GatewayErrorCode.InvalidCredentials:
    case GatewayErrorCode.TotpRequired:
    case GatewayErrorCode.TotpInvalid:
      return 401;
    case GatewayErrorCode.CsrfFailed:
    case GatewayErrorCode.OperatorTokenRequired:
    case GatewayErrorCode.TenantDisabled:
      return 403;
    case GatewayErrorCode.UserNotFound:
    case GatewayErrorCode.TenantNotFound:
    case GatewayErrorCode.InvitationNotFound:
      return 404;
    case GatewayErrorCode.EmailTaken:
    case GatewayErrorCode.LastOwner:
    case GatewayErrorCode.TotpNotStarted:
    case GatewayErrorCode.TotpAlreadyEnabled:
    case GatewayErrorCode.TotpNotEnabled:
      return 409;
    case GatewayErrorCode.InvitationExpired:
    case GatewayErrorCode.InvitationUsed:
    case GatewayErrorCode.ResetTokenExpired:
    case GatewayErrorCode.ResetTokenUsed:
      return 410;
    case GatewayErrorCode.TooManyAttempts:
    case GatewayErrorCode.RateLimited:
      return 429;
  }
}

/** An error of the gateway with a stable code; the exception filter turns it into the body. */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  toBody(): ServiceErrorBody {
    return {
      statusCode: statusOf(this.code),
      code: this.code,
      message: this.message,
      details: this.details ?? null,
    };
  }
}

/** A service answered a call with its error body; the gateway returns it as it is. */
export class ServiceCallError extends Error {
  constructor(
    readonly service: string,
    readonly body: ServiceErrorBody,
  ) {
    super(`${service}: ${body.code}: ${body.message}`);
    this.name = 'ServiceCallError';
  }
}

/**
 * 400 VALIDATION_FAILED naming every bad field. Each problem already starts with the field's
 * dotted path, so the message alone tells the client what to fix.
 */
export function validationFailed(problems: FieldProblem[]): GatewayError {
  const sentences = problems.flatMap((problem) => problem.problems);
  return new GatewayError(
    GatewayErrorCode.ValidationFailed,
    `Invalid request: ${sentences.join('; ')}`,
    problems,
  );
}

/** Merges two problem lists, keeping one entry per field. */
export function mergeProblems(a: FieldProblem[], b: FieldProblem[]): FieldProblem[] {
  const byField = new Map<string, string[]>();
  for (const { field, problems } of [...a, ...b]) {
    const known = byField.get(field) ?? [];
    byField.set(field, [...known, ...problems.filter((p) => !known.includes(p))]);
  }
  return [...byField].map(([field, problems]) => ({ field, problems }));
}
