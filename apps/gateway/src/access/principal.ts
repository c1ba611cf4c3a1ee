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
