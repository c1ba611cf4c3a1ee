import { SCOPE_ROLE, TENANT_ROLES, TOKEN_SCOPES } from './principal';
import {
  PERMISSIONS,
  ROLE_PERMISSIONS,
  can,
  mayGrantScope,
  permissionsOf,
  rolesWith,
  scopeCan,
  widestGrantableScope,
} from './roles';

describe('the role matrix', () => {
  it('is exactly the documented table', () => {
    const table = Object.fromEntries(
      PERMISSIONS.map((permission) => [permission, rolesWith(permission)]),
    );
    expect(table).toEqual({
      read: ['owner', 'admin', 'staff', 'viewer'],
      'catalog.write': ['owner', 'admin', 'staff'],
      'fulfillment.write': ['owner', 'admin', 'staff'],
      'shops.settings': ['owner', 'admin'],
      'shops.keys': ['owner', 'admin'],
      'tokens.manage': ['owner', 'admin'],
      'users.manage': ['owner'],
    });
  });

  it('orders the roles: each holds every permission of the roles below it', () => {
    TENANT_ROLES.forEach((role, index) => {
      for (const weaker of TENANT_ROLES.slice(index + 1)) {
        expect(ROLE_PERMISSIONS[weaker].every((permission) => can(role, permission))).toBe(true);
      }
    });
  });

  it('lets tokens act as viewer, staff or admin, never as owner', () => {
    expect(SCOPE_ROLE).toEqual({ read: 'viewer', write: 'staff', admin: 'admin' });
    for (const scope of TOKEN_SCOPES) expect(scopeCan(scope, 'users.manage')).toBe(false);
    expect(scopeCan('read', 'read')).toBe(true);
    expect(scopeCan('read', 'catalog.write')).toBe(false);
    expect(scopeCan('write', 'fulfillment.write')).toBe(true);
    expect(scopeCan('write', 'shops.keys')).toBe(false);
    expect(scopeCan('admin', 'tokens.manage')).toBe(true);
  });

  it('never lets anyone grant a token more than they can do', () => {
    expect(mayGrantScope('owner', 'admin')).toBe(true);
    expect(mayGrantScope('admin', 'admin')).toBe(true);
    expect(mayGrantScope('staff', 'admin')).toBe(false);
    expect(mayGrantScope('staff', 'write')).toBe(true);
    expect(mayGrantScope('viewer', 'write')).toBe(false);
    expect(mayGrantScope('viewer', 'read')).toBe(true);
    expect(TENANT_ROLES.map((role) => widestGrantableScope(role))).toEqual([
      'admin',
      'admin',
      'write',
      'read',
    ]);
  });

  it('tells a signed-in person their permissions (a copy), and an operator none', () => {
    for (const role of TENANT_ROLES) expect(permissionsOf(role)).toEqual(ROLE_PERMISSIONS[role]);
    expect(permissionsOf('viewer')).toEqual(['read']);
    expect(permissionsOf('operator')).toEqual([]);
    permissionsOf('owner').pop();
    expect(permissionsOf('owner')).toHaveLength(PERMISSIONS.length);
  });
});
