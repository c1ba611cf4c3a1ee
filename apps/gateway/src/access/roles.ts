import { SCOPE_ROLE, TENANT_ROLES, TOKEN_SCOPES, TenantRole, TokenScope } from './principal';

/**
 * What a tenant's principal may do. Every route under /api/v1 names one permission with
 * `@Requires(...)` (or is `@Public`, `@OperatorOnly` or `@Authenticated`); the README's
 * "Roles and API tokens" table lists the routes each permission covers.
 */
export const PERMISSIONS = [
  /** Read anything of the tenant: orders, SKUs, shops, inventory, notifications, audit log. */
  'read',
  /** SKUs, mapping rules, SKU imports, order line fixes. */
  'catalog.write',
  /** Release and ship fulfillment orders, set inventory, a shop's fulfillment settings. */
  'fulfillment.write',
  /** A shop's options, notification settings, recipients and webhook endpoints. */
  'shops.settings',
  /** Register a shop or renew its keys, delete it, connection tests, manual pulls. */
  'shops.keys',
  /** Mint, list and revoke API tokens. */
  'tokens.manage',
  /** Invite users, change their roles, remove them. */
  'users.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The role matrix: the one place that says which role holds which permission. */
export const ROLE_PERMISSIONS: Readonly<Record<TenantRole, readonly Permission[]>> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS.filter((permission) => permission !== 'users.manage'),
  staff: ['read', 'catalog.write', 'fulfillment.write'],
  viewer: ['read'],
};

export function can(role: TenantRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * What a signed-in person may do, as `GET /session` answers it (the console hides what is not
 * listed). An operator acts on no tenant's data: none.
 */
export function permissionsOf(role: TenantRole | 'operator'): Permission[] {
  return role === 'operator' ? [] : [...ROLE_PERMISSIONS[role]];
}

/** The roles that hold a permission, weakest last (for error messages and docs). */
export function rolesWith(permission: Permission): TenantRole[] {
  return TENANT_ROLES.filter((role) => can(role, permission));
}

/** Whether a token may do what a permission allows: it acts with its scope's role. */
export function scopeCan(scope: TokenScope, permission: Permission): boolean {
  return can(SCOPE_ROLE[scope], permission);
}

/**
 * Whether a caller of `role` may mint a token of `scope`: only if the scope's role can do
 * nothing the caller cannot. An admin (user or admin token) may mint any scope, a write token
 * only write or read; viewers and staff lack `tokens.manage` in the first place.
 */
export function mayGrantScope(role: TenantRole, scope: TokenScope): boolean {
  return ROLE_PERMISSIONS[SCOPE_ROLE[scope]].every((permission) => can(role, permission));
}

/** The strongest scope a role may hand to a token (null: none at all). */
export function widestGrantableScope(role: TenantRole): TokenScope | null {
  return [...TOKEN_SCOPES].reverse().find((scope) => mayGrantScope(role, scope)) ?? null;
}
