import type { CallActor } from '@smartship/contracts';

/** Who sent a request, as the auth guard established it. */
export type Principal =
  | { kind: 'operator' }
  | {
      kind: 'tenant';
      tenantId: string;
      /** Id of the API token used: the actor in audit entries and service calls. */
      tokenId: string;
    };

export type TenantPrincipal = Extract<Principal, { kind: 'tenant' }>;

/** The audit log's actor id for the operator, who has no token row. */
export const OPERATOR_ACTOR = 'operator';

/** Where the guard leaves the principal on the request. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The caller as the services see it in every call: the tenant and the token that acts. */
export function actorOf(tenant: TenantPrincipal): CallActor {
  return { tenantId: tenant.tenantId, actorId: tenant.tokenId };
}
