import type { CallActor } from '@smartship/contracts';

/** A person's role in a tenant, from most to least rights (see roles.ts for what each may do). */
export const TENANT_ROLES = ['owner', 'admin', 'staff', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** What an API token may do: it acts with the role of its scope (`roleOfScope`). */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who sent a request, as the auth guard established it. */
export type Principal =
  | { kind: 'operator'; via: 'operator_token' }
  | { kind: 'operator'; via: 'session'; userId: string; sessionId: string }
  | {
      kind: 'tenant';
      tenantId: string;
      role: TenantRole;
      via: 'token';
      /** Id of the API token used: the actor in audit entries and service calls. */
      tokenId: string;
      scope: TokenScope;
    }
  | {
      kind: 'tenant';
      tenantId: string;
      role: TenantRole;
      via: 'session';
      /** The signed-in user: the actor in audit entries and service calls. */
      userId: string;
      sessionId: string;
    };

export type TenantPrincipal = Extract<Principal, { kind: 'tenant' }>;
export type OperatorPrincipal = Extract<Principal, { kind: 'operator' }>;

/** The role a token acts with. A token is never `owner`: no token can manage users. */
export const SCOPE_ROLE: Readonly<Record<TokenScope, TenantRole>> = {
  read: 'viewer',
  write: 'staff',
  admin: 'admin',
};

export function roleOfScope(scope: TokenScope): TenantRole {
  return SCOPE_ROLE[scope];
}

/** The audit log's actor id for the operator (token), who has no token row. */
export const OPERATOR_ACTOR = 'operator';

/** What kind of actor an audit entry's actor_id names. */
export type ActorType = 'token' | 'user' | 'operator';

/** Where the guard leaves the principal on the request. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The audit log's actor for a principal: the token or user behind the request. */
export function auditActorOf(principal: Principal): { actorId: string; actorType: ActorType } {
  if (principal.kind === 'operator') {
    return principal.via === 'session'
      ? { actorId: principal.userId, actorType: 'user' }
      : { actorId: OPERATOR_ACTOR, actorType: 'operator' };
  }
  return principal.via === 'token'
    ? { actorId: principal.tokenId, actorType: 'token' }
    : { actorId: principal.userId, actorType: 'user' };
}

/** The caller as the services see it in every call: the tenant and the token or user that acts. */
export function actorOf(tenant: TenantPrincipal): CallActor {
  return { tenantId: tenant.tenantId, actorId: auditActorOf(tenant).actorId };
}
