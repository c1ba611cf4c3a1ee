import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ErrorBodyDoc } from './view-schemas';

/** What each error status means on this API; every one answers with ErrorBodyDoc. */
const MEANINGS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, INVALID_JSON): the message and details name every bad field. Nothing was stored or forwarded.',
  401: 'No token, or an unknown or revoked one (UNAUTHENTICATED).',
  403: 'The token may not do this: OPERATOR_ONLY, or TENANT_TOKEN_REQUIRED for the operator token on a tenant route; TENANT_DISABLED when an operator disabled the tenant.',
  404: "Not found in this tenant (another tenant's resource is a 404 too).",
  409: 'Already exists, e.g. the same Rakuten shop twice in one tenant.',
  413: 'Body larger than the limit (PAYLOAD_TOO_LARGE).',
  415: 'Body not sent as UTF-8 JSON (UNSUPPORTED_MEDIA_TYPE).',
  503: 'An internal service did not answer in time or is down (SERVICE_UNAVAILABLE, naming it).',
};

/** Documents the error responses of a route, each with the common error body. */
export function ApiErrors(...statuses: (keyof typeof MEANINGS)[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: MEANINGS[status], type: ErrorBodyDoc }),
    ),
    ApiResponse({
      status: 429,
      description:
        'A per-tenant limit is used up (RATE_LIMITED; details.limit names it: api, rakuten_calls or shop_registrations). Retry-After says when to try again.',
      type: ErrorBodyDoc,
    }),
    ApiResponse({
      status: 500,
      description: 'Unexpected failure (INTERNAL); details are logged, not returned.',
      type: ErrorBodyDoc,
    }),
  );
}
