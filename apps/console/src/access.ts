/**
 * What the signed-in person may do, from `GET /session`'s `permissions` (the gateway's role
 * matrix, apps/gateway/src/access/roles.ts). The console hides what is not allowed; the gateway
 * refuses it anyway (403 ROLE_FORBIDDEN).
 */
export const PERMISSIONS = [
  'read',
  'catalog.write',
  'fulfillment.write',
  'shops.settings',
  'shops.keys',
  'tokens.manage',
  'users.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const TENANT_ROLES = ['owner', 'admin', 'staff', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The person as the gateway shows them. */
export interface SessionUser {
  id: string;
  email: string;
  role: TenantRole | 'operator';
  tenantId: string | null;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: string;
}

/** `POST /session`, `GET /session` and `POST /invitations/accept` answer this. */
export interface SessionView {
  user: SessionUser;
  permissions: string[];
  csrfToken: string;
  expiresAt: string;
}

/** A checker for one session's permissions; unknown names from the gateway are ignored. */
export function permissionChecker(
  permissions: readonly string[] | null | undefined,
): (permission: Permission) => boolean {
  const held = new Set(
    (permissions ?? []).filter((name): name is Permission =>
      (PERMISSIONS as readonly string[]).includes(name),
    ),
  );
  return (permission) => held.has(permission);
}

/** Owners, admins and operators may turn two-step sign-in on (the gateway's rule). */
export function mayUseTotp(role: SessionUser['role']): boolean {
  return role === 'owner' || role === 'admin' || role === 'operator';
}

/** The token scopes a person may mint: none that may do more than they can. */
export function grantableScopes(can: (permission: Permission) => boolean): TokenScope[] {
  if (!can('tokens.manage')) return [];
  const scopes: TokenScope[] = ['read'];
  if (can('catalog.write') && can('fulfillment.write')) scopes.push('write');
  if (can('shops.keys') && can('shops.settings')) scopes.push('admin');
  return scopes;
}

/** The token of a link's fragment (`#token=…`), or null. */
export function fragmentToken(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.trim() !== '' ? token.trim() : null;
}

/** State-changing methods carry the session's CSRF token. */
export function needsCsrf(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}
