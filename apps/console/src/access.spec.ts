import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  PERMISSIONS,
  fragmentToken,
  grantableScopes,
  mayUseTotp,
  needsCsrf,
  permissionChecker,
} from './access';

/** The gateway's matrix (apps/gateway/src/access/roles.ts), as GET /session answers it. */
const ROLE_PERMISSIONS = {
  owner: [...PERMISSIONS],
  admin: PERMISSIONS.filter((permission) => permission !== 'users.manage'),
  staff: ['read', 'catalog.write', 'fulfillment.write'],
  viewer: ['read'],
};

describe('what the signed-in role may use', () => {
  it('names the same permissions as the gateway matrix', () => {
    // Read from the gateway's source (the console does not import the gateway's code): a renamed
    // or new permission fails here first.
    const source = readFileSync(join(__dirname, '../../gateway/src/access/roles.ts'), 'utf8');
    const list = /export const PERMISSIONS = \[([\s\S]*?)\] as const/.exec(source)?.[1] ?? '';
    const gateway = [...list.matchAll(/^\s*'([a-z.]+)',/gm)].map((match) => match[1]);
    expect([...PERMISSIONS]).toEqual(gateway);
    expect(source).toContain("staff: ['read', 'catalog.write', 'fulfillment.write']");
    expect(source).toContain("viewer: ['read']");
  });

  it('holds exactly the permissions the session lists', () => {
    const staff = permissionChecker(ROLE_PERMISSIONS.staff);
    expect(staff('catalog.write')).toBe(true);
    expect(staff('shops.keys')).toBe(false); // no [키 갱신], no register, no test or pull
    expect(staff('users.manage')).toBe(false);
    expect(staff('tokens.manage')).toBe(false);
    const viewer = permissionChecker(ROLE_PERMISSIONS.viewer);
    expect(PERMISSIONS.filter((permission) => viewer(permission))).toEqual(['read']);
    const owner = permissionChecker(ROLE_PERMISSIONS.owner);
    expect(PERMISSIONS.every((permission) => owner(permission))).toBe(true);
  });

  it('holds nothing without a session, and ignores names it does not know', () => {
    expect(PERMISSIONS.some((permission) => permissionChecker(null)(permission))).toBe(false);
    const odd = permissionChecker(['read', 'everything']);
    expect(PERMISSIONS.filter((permission) => odd(permission))).toEqual(['read']);
  });

  it('offers only token scopes that do no more than the role', () => {
    expect(grantableScopes(permissionChecker(ROLE_PERMISSIONS.owner))).toEqual([
      'read',
      'write',
      'admin',
    ]);
    expect(grantableScopes(permissionChecker(ROLE_PERMISSIONS.admin))).toEqual([
      'read',
      'write',
      'admin',
    ]);
    expect(grantableScopes(permissionChecker(ROLE_PERMISSIONS.staff))).toEqual([]);
    expect(grantableScopes(permissionChecker(ROLE_PERMISSIONS.viewer))).toEqual([]);
  });

  it('offers two-step sign-in to owners, admins and operators', () => {
    expect(
      ['owner', 'admin', 'staff', 'viewer', 'operator'].map((role) => mayUseTotp(role as never)),
    ).toEqual([true, true, false, false, true]);
  });
});

describe('links and requests', () => {
  it('reads the token from the fragment of an e-mailed link', () => {
    expect(fragmentToken('#token=inv_abc-DEF_123')).toBe('inv_abc-DEF_123');
    expect(fragmentToken('#token=')).toBeNull();
    expect(fragmentToken('')).toBeNull();
    expect(fragmentToken('#other=1')).toBeNull();
  });

  it('sends the CSRF token on the methods that change something', () => {
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'post'].every(needsCsrf)).toBe(true);
    expect(['GET', 'HEAD', 'OPTIONS'].some(needsCsrf)).toBe(false);
  });
});
