import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';

/** 403 TENANT_DISABLED: the answer to every token and session of a tenant an operator disabled. */
export function tenantDisabled(): GatewayError {
  return new GatewayError(
    GatewayErrorCode.TenantDisabled,
    'This account has been disabled by the platform operator: its API tokens and sessions do not work until it is enabled again',
  );
}
