/* eslint-disable @typescript-eslint/no-explicit-any --
   HTTP answers are untyped JSON here; the assertions are what checks their shape. */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, NestFactory, Reflector } from '@nestjs/core';
import { loadConfig } from '@smartship/service-kit';
import { freePort, testInfrastructure } from '@smartship/testing';
import { DataSource } from 'typeorm';

import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';
import { ROUTE_ACCESS, RouteAccess } from './access.decorators';
import { authorize, isApiController } from './api-token.guard';
import { TENANT_ROLES, TOKEN_SCOPES, TenantRole, TokenScope, roleOfScope } from './principal';
import { Permission, can } from './roles';

/*
 * Every route of the gateway, found in Nest's controller metadata (and checked against the
 * routes Express actually serves), called with every kind of caller: the operator token and a
 * token of each scope. A route is refused with 403 exactly when the role matrix says so; a
 * route that declares no rule, or one the table below does not know, fails the test. The
 * internal services are not running: an allowed call ends in 400, 404 or 503, never 403.
 */

const infra = testInfrastructure();
const OPERATOR_TOKEN = `operator-${randomUUID()}-${randomUUID()}`;

/**
 * What each route should require: the README's "Roles and API tokens" table, as data. A new
 * route fails the test until it is added here, so nobody adds one without deciding who may
 * call it.
 */
const EXPECTED: Record<string, 'public' | 'operator' | 'authenticated' | Permission> = {
  'GET /api/v1/system/ping': 'public',
  'POST /api/v1/tenants': 'operator',
  'GET /api/v1/operator/shops': 'operator',
  'GET /api/v1/operator/tenants': 'operator',
  'GET /api/v1/operator/tenants/:id': 'operator',
  'POST /api/v1/operator/tenants/:id/disable': 'operator',
  'POST /api/v1/operator/tenants/:id/enable': 'operator',
  'POST /api/v1/operator/tenants/:id/revoke-tokens': 'operator',

  'GET /api/v1/shops': 'read',
  'GET /api/v1/shops/:id': 'read',
  'GET /api/v1/shops/:id/last-pull': 'read',
  'GET /api/v1/shops/:id/connection-tests': 'read',
  'PATCH /api/v1/shops/:id': 'shops.settings',
  'POST /api/v1/shops/rakuten': 'shops.keys',
  'PUT /api/v1/shops/:id/credentials': 'shops.keys',
  'DELETE /api/v1/shops/:id': 'shops.keys',
  'POST /api/v1/shops/:id/connection-test': 'shops.keys',
  'POST /api/v1/shops/:id/pull': 'shops.keys',
  'POST /api/v1/shops/:id/backfill': 'shops.keys',
  'GET /api/v1/shops/:id/backfills': 'read',
  'POST /api/v1/shops/:id/listings/import': 'shops.keys',
  'GET /api/v1/shops/:id/listings/import': 'read',
  'GET /api/v1/listings': 'read',
  'POST /api/v1/listings/links': 'catalog.write',
  'GET /api/v1/shops/:shopId/fulfillment-settings': 'read',
  'PUT /api/v1/shops/:shopId/fulfillment-settings': 'fulfillment.write',
  'GET /api/v1/shops/:id/stock-settings': 'read',
  'PUT /api/v1/shops/:id/stock-settings': 'shops.settings',
  'GET /api/v1/skus/:id/safety-stock': 'read',
  'PUT /api/v1/skus/:id/safety-stock': 'fulfillment.write',
  'POST /api/v1/shops/:id/stock-drift-check': 'shops.keys',
  'GET /api/v1/shops/:id/stock-drift': 'read',

  'GET /api/v1/orders': 'read',
  'GET /api/v1/orders/:orderNumber': 'read',
  'POST /api/v1/orders/:orderNumber/lines/:itemDetailId/link': 'catalog.write',
  'GET /api/v1/skus': 'read',
  'GET /api/v1/skus/:id': 'read',
  'GET /api/v1/skus/import/template': 'read',
  'POST /api/v1/skus': 'catalog.write',
  'PATCH /api/v1/skus/:id': 'catalog.write',
  'POST /api/v1/skus/import': 'catalog.write',
  'GET /api/v1/mappings': 'read',
  'POST /api/v1/mappings': 'catalog.write',
  'POST /api/v1/mappings/dry-run': 'catalog.write',
  'POST /api/v1/mappings/import': 'catalog.write',
  'GET /api/v1/mappings/import/template': 'read',
  'DELETE /api/v1/mappings/:id': 'catalog.write',

  'GET /api/v1/fulfillment-orders': 'read',
  'GET /api/v1/fulfillment-orders/:id': 'read',
  'GET /api/v1/fulfillment-orders/:id/packing-slip.pdf': 'read',
  'POST /api/v1/fulfillment-orders/:id/release': 'fulfillment.write',
  'POST /api/v1/fulfillment-orders/:id/ship': 'fulfillment.write',
  'GET /api/v1/inventory': 'read',
  'PUT /api/v1/inventory/:skuCode': 'fulfillment.write',

  'GET /api/v1/notifications': 'read',
  'POST /api/v1/notifications/read': 'read',
  'GET /api/v1/notification-settings': 'read',
  'PUT /api/v1/notification-settings': 'shops.settings',
  'POST /api/v1/notification-recipients': 'shops.settings',
  'PATCH /api/v1/notification-recipients/:id': 'shops.settings',
  'DELETE /api/v1/notification-recipients/:id': 'shops.settings',
  'POST /api/v1/notification-recipients/:id/test': 'shops.settings',
  'POST /api/v1/webhook-endpoints': 'shops.settings',
  'PATCH /api/v1/webhook-endpoints/:id': 'shops.settings',
  'DELETE /api/v1/webhook-endpoints/:id': 'shops.settings',
  'POST /api/v1/webhook-endpoints/:id/rotate-secret': 'shops.settings',
  'POST /api/v1/webhook-endpoints/:id/test': 'shops.settings',
  'GET /api/v1/webhook-endpoints/:id/deliveries': 'read',

  'POST /api/v1/session': 'public',
  'GET /api/v1/session': 'authenticated',
  'DELETE /api/v1/session': 'authenticated',
  'DELETE /api/v1/sessions': 'authenticated',
  'POST /api/v1/session/totp': 'authenticated',
  'POST /api/v1/session/totp/confirm': 'authenticated',
  'POST /api/v1/session/totp/disable': 'authenticated',
  'POST /api/v1/password-resets': 'public',
  'POST /api/v1/password-resets/complete': 'public',
  'POST /api/v1/invitations/accept': 'public',
  'POST /api/v1/operators': 'operator',
  'POST /api/v1/tenants/:tenantId/invitations': 'operator',
  'GET /api/v1/users': 'users.manage',
  'GET /api/v1/users/invitations': 'users.manage',
  'POST /api/v1/users/invitations': 'users.manage',
  'PATCH /api/v1/users/:id': 'users.manage',
  'GET /api/v1/imports/:id': 'read',
  'DELETE /api/v1/users/invitations/:id': 'users.manage',
  'DELETE /api/v1/users/:id/totp': 'users.manage',

  'GET /api/v1/audit-log': 'read',
  'POST /api/v1/tokens': 'tokens.manage',
  'GET /api/v1/tokens': 'tokens.manage',
  'DELETE /api/v1/tokens/:id': 'tokens.manage',
};

interface ApiRoute {
  method: string;
  path: string;
  key: string;
  access: RouteAccess | undefined;
}

/** Every route under /api/v1, from the controllers Nest registered and their metadata. */
function apiRoutes(nest: INestApplication): ApiRoute[] {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const controllers = new Set<Function>();
  for (const module of nest.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      if (typeof wrapper.metatype === 'function' && isApiController(wrapper.metatype)) {
        controllers.add(wrapper.metatype);
      }
    }
  }
  const routes: ApiRoute[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, object>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
      const handler = prototype[name] as Function;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const access = reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
        handler,
        controller,
      ]);
      for (const prefix of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const sub of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
          const path = `/${[prefix, sub].map(trimSlashes).filter(Boolean).join('/')}`;
          const verb = RequestMethod[method];
          routes.push({ method: verb, path, key: `${verb} ${path}`, access });
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/** The routes Express serves under /api/v1 (to prove the metadata misses none). */
function expressRoutes(nest: INestApplication): string[] {
  const express = nest.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack
    .flatMap(({ route }) =>
      route && route.path.startsWith('/api/v1/')
        ? Object.keys(route.methods)
            .filter((m) => m !== '_all')
            .map((m) => `${m.toUpperCase()} ${route.path}`)
        : [],
    )
    .sort();
}

function asList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value ?? '']).map(String);
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** Values for path parameters that pass or fail validation; either is fine here. */
const PARAMS: Record<string, string> = {
  orderNumber: '338711-20251129-0000000001',
  itemDetailId: '1',
  skuCode: 'SKU-1',
};

function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_all, name: string) => PARAMS[name] ?? randomUUID());
}

// ---- harness ------------------------------------------------------------------------------

let app: INestApplication;
let db: DataSource;
let base: string;

async function api(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a PDF, a CSV): the status is what matters
  }
  return { status: response.status, body: parsed };
}

interface Tenant {
  tenantId: string;
  /** The tenant's first token (admin scope). */
  admin: string;
  adminId: string;
}

async function createTenant(name: string): Promise<Tenant> {
  const answer = await api('POST', '/api/v1/tenants', OPERATOR_TOKEN, { name });
  expect(answer.status).toBe(201);
  return {
    tenantId: answer.body.tenant.id,
    admin: answer.body.token.token,
    adminId: answer.body.token.id,
  };
}

async function mint(
  by: string,
  body: { name: string; scope?: TokenScope; expiresAt?: string },
): Promise<{ id: string; token: string; scope: TokenScope; expiresAt: string | null }> {
  const answer = await api('POST', '/api/v1/tokens', by, body);
  expect(answer.status).toBe(201);
  return answer.body as { id: string; token: string; scope: TokenScope; expiresAt: string | null };
}

beforeAll(async () => {
  const config = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    // Nothing listens on these: a call that the guard lets through ends in a quick 503.
    CREDENTIALS_TCP: `127.0.0.1:${await freePort()}`,
    INGESTION_TCP: `127.0.0.1:${await freePort()}`,
    MAPPING_TCP: `127.0.0.1:${await freePort()}`,
    FULFILLMENT_TCP: `127.0.0.1:${await freePort()}`,
    NOTIFICATIONS_TCP: `127.0.0.1:${await freePort()}`,
    SERVICE_CALL_TIMEOUT_MS: '2000',
    // Every route is called by every kind of caller in a few seconds: no request limit here
    // (limits/rate-limits.int-spec.ts tests them).
    RATE_LIMIT_API_PER_SECOND: '0',
    RATE_LIMIT_RAKUTEN_PER_MINUTE: '0',
    RATE_LIMIT_SHOP_REGISTRATIONS_PER_DAY: '0',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  configureHttp(app, config);
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  db = new DataSource({ type: 'postgres', url: infra.databaseUrl });
  await db.initialize();
});

afterAll(async () => {
  await app?.close();
  await db?.destroy();
});

// ---- the route matrix ----------------------------------------------------------------------

describe('every route declares who may call it', () => {
  it('finds the routes in the controller metadata, and they are all Express serves', () => {
    const routes = apiRoutes(app);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.map((route) => route.key)).toEqual(expressRoutes(app));
  });

  it('each route has a rule, and it is the one the documented matrix says', () => {
    const actual = Object.fromEntries(
      apiRoutes(app).map(({ key, access }) => [
        key,
        access === undefined
          ? 'NO RULE: add @Requires(...), @Public(), @OperatorOnly() or @Authenticated()'
          : typeof access === 'string'
            ? access
            : access.permission,
      ]),
    );
    const unknown = Object.keys(actual).filter((key) => !(key in EXPECTED));
    expect({ unknown, rules: actual }).toEqual({
      unknown: [],
      rules: Object.fromEntries(Object.keys(actual).map((key) => [key, EXPECTED[key]])),
    });
  });

  it('each role passes the guard of each route exactly as the matrix says (owner included)', () => {
    for (const route of apiRoutes(app)) {
      for (const role of TENANT_ROLES) {
        const principal = {
          kind: 'tenant',
          tenantId: randomUUID(),
          role,
          via: 'session',
          userId: randomUUID(),
          sessionId: randomUUID(),
        } as const;
        const expected = allowedFor(route.access, role);
        let allowed = true;
        try {
          authorize(route.access, principal);
        } catch {
          allowed = false;
        }
        expect({ route: route.key, role, allowed }).toEqual({
          route: route.key,
          role,
          allowed: expected,
        });
      }
    }
  });

  it('over HTTP, each token scope and the operator get 403 exactly where the matrix says', async () => {
    const tenant = await createTenant('Route Matrix Store');
    const tokens: Record<TokenScope, string> = {
      admin: tenant.admin,
      write: (await mint(tenant.admin, { name: 'w', scope: 'write' })).token,
      read: (await mint(tenant.admin, { name: 'r', scope: 'read' })).token,
    };
    const callers: { name: string; token: string; forbidden: (access: RouteAccess) => boolean }[] =
      [
        ...TOKEN_SCOPES.map((scope) => ({
          name: `${scope} token`,
          token: tokens[scope],
          forbidden: (access: RouteAccess) => !allowedFor(access, roleOfScope(scope)),
        })),
        {
          name: 'operator',
          token: OPERATOR_TOKEN,
          forbidden: (access: RouteAccess) => typeof access === 'object',
        },
      ];
    const mismatches: string[] = [];
    for (const route of apiRoutes(app)) {
      const access = route.access ?? 'public';
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      // Never revoke the tokens this test uses (DELETE /tokens/:id gets a fresh uuid anyway).
      const path = concretePath(route.path);
      for (const caller of callers) {
        const answer = await api(route.method, path, caller.token, body);
        const forbidden = route.access === undefined || caller.forbidden(access);
        if ((answer.status === 403) !== forbidden) {
          mismatches.push(
            `${route.key} as ${caller.name}: ${answer.status} ${answer.body?.code ?? ''}, ` +
              `expected ${forbidden ? '403' : 'anything but 403'}`,
          );
        }
        if (forbidden && answer.status === 403 && typeof access === 'object') {
          const expectedCode =
            caller.name === 'operator' ? 'TENANT_TOKEN_REQUIRED' : 'ROLE_FORBIDDEN';
          if (answer.body.code !== expectedCode) {
            mismatches.push(`${route.key} as ${caller.name}: code ${answer.body.code}`);
          }
        }
      }
      const anonymous = await api(route.method, path, undefined, body);
      const open = route.access === 'public';
      if ((anonymous.status === 401) === open) {
        mismatches.push(`${route.key} anonymous: ${anonymous.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

function allowedFor(access: RouteAccess | undefined, role: TenantRole): boolean {
  if (access === undefined || access === 'operator') return false;
  if (access === 'public' || access === 'authenticated') return true;
  return can(role, access.permission);
}

// ---- API tokens ---------------------------------------------------------------------------

describe('API token scopes', () => {
  it("the tenant's first token is admin; new tokens are read unless told; the list says all", async () => {
    const t = await createTenant('Scope Default Store');
    const plain = await mint(t.admin, { name: 'plain' });
    expect(plain).toMatchObject({ scope: 'read', expiresAt: null });
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const write = await mint(t.admin, { name: 'packer', scope: 'write', expiresAt });
    expect(write.expiresAt).toBe(expiresAt);
    await api('GET', '/api/v1/shops', write.token);

    const list = await api('GET', '/api/v1/tokens', t.admin);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      {
        id: t.adminId,
        name: 'initial',
        scope: 'admin',
        createdAt: expect.any(String),
        expiresAt: null,
        createdBy: { type: 'operator', id: 'operator' },
        lastUsedAt: expect.any(String),
        revokedAt: null,
      },
      expect.objectContaining({
        id: plain.id,
        scope: 'read',
        createdBy: { type: 'token', id: t.adminId },
      }),
      expect.objectContaining({
        id: write.id,
        scope: 'write',
        expiresAt,
        createdBy: { type: 'token', id: t.adminId },
        lastUsedAt: expect.any(String),
      }),
    ]);

    const audit = await api('GET', '/api/v1/audit-log', t.admin);
    const entries = audit.body.items as any[];
    const minted = entries.find(
      (entry: any) => entry.action === 'token.created' && entry.resourceId === write.id,
    );
    expect(minted).toMatchObject({
      actorId: t.adminId,
      actorType: 'token',
      details: { name: 'packer', scope: 'write', expiresAt },
    });
    const created = entries.find((entry) => entry.action === 'tenant.created');
    expect(created).toMatchObject({ actorId: 'operator', actorType: 'operator' });
  });

  it('a read token reads but cannot write; a write token writes but cannot manage tokens', async () => {
    const t = await createTenant('Read Only Store');
    const read = await mint(t.admin, { name: 'dashboard', scope: 'read' });
    const write = await mint(t.admin, { name: 'packer', scope: 'write' });
    expect((await api('GET', '/api/v1/audit-log', read.token)).status).toBe(200);

    const refused = await api('POST', '/api/v1/skus', read.token, { code: 'A-1', name: 'A' });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      statusCode: 403,
      code: 'ROLE_FORBIDDEN',
      message:
        'This needs the permission catalog.write, and this token (scope read) acts as viewer',
      details: { permission: 'catalog.write', role: 'viewer' },
    });
    const ship = await api(
      'POST',
      `/api/v1/fulfillment-orders/${randomUUID()}/ship`,
      read.token,
      {},
    );
    expect(ship.status).toBe(403);
    // The write token gets past the guard (the mapping service is down here: 503).
    const written = await api('POST', '/api/v1/skus', write.token, { code: 'A-1', name: 'A' });
    expect(written.status).not.toBe(403);

    const keys = await api('PUT', `/api/v1/shops/${randomUUID()}/credentials`, write.token, {});
    expect(keys.status).toBe(403);
    const revoke = await api('DELETE', `/api/v1/tokens/${read.id}`, write.token);
    expect(revoke.status).toBe(403);
    expect((await api('GET', '/api/v1/tokens', read.token)).status).toBe(403);
  });

  it('a write token cannot mint an admin token (nor any token)', async () => {
    const t = await createTenant('Escalation Store');
    const write = await mint(t.admin, { name: 'packer', scope: 'write' });
    for (const scope of ['admin', 'write', 'read'] as const) {
      const answer = await api('POST', '/api/v1/tokens', write.token, { name: 'x', scope });
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('ROLE_FORBIDDEN');
    }
    const rows: unknown[] = await db.query(
      'SELECT 1 FROM gateway.api_tokens WHERE tenant_id = $1',
      [t.tenantId],
    );
    expect(rows).toHaveLength(2);
  });

  it('an expiring admin token cannot mint a token that outlives it (TOKEN_ESCALATION)', async () => {
    const t = await createTenant('Outlive Store');
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const temp = await mint(t.admin, { name: 'temp', scope: 'admin', expiresAt: soon });
    for (const body of [{ name: 'forever' }, { name: 'later', expiresAt: later }]) {
      const answer = await api('POST', '/api/v1/tokens', temp.token, body);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('TOKEN_ESCALATION');
    }
    const within = await api('POST', '/api/v1/tokens', temp.token, {
      name: 'within',
      expiresAt: soon,
    });
    expect(within.status).toBe(201);
  });

  it('an expired token is a 401, like a revoked one', async () => {
    const t = await createTenant('Expiry Store');
    const token = await mint(t.admin, {
      name: 'short',
      scope: 'write',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await api('GET', '/api/v1/shops', token.token)).status).not.toBe(401);
    await db.query(
      "UPDATE gateway.api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1",
      [token.id],
    );
    const expired = await api('GET', '/api/v1/shops', token.token);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('UNAUTHENTICATED');

    const other = await mint(t.admin, { name: 'other', scope: 'read' });
    expect((await api('DELETE', `/api/v1/tokens/${other.id}`, t.admin)).status).toBe(204);
    expect((await api('GET', '/api/v1/shops', other.token)).status).toBe(401);
  });

  it('scope and expiresAt are validated, naming the field', async () => {
    const t = await createTenant('Token Validation Store');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'x', scope: 'owner' }, /scope must be one of read, write, admin/],
      [{ name: 'x', expiresAt: 'tomorrow' }, /expiresAt must be an ISO-8601 date-time/],
      [
        { name: 'x', expiresAt: new Date(Date.now() - 60_000).toISOString() },
        /expiresAt must be in the future and at most 366 days from now/,
      ],
      [
        { name: 'x', expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() },
        /expiresAt must be in the future and at most 366 days from now/,
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await api('POST', '/api/v1/tokens', t.admin, body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect(answer.body.message).toMatch(message);
    }
  });

  it('system/ping tells the operator, not an anonymous caller or a tenant, about processes', async () => {
    const t = await createTenant('Ping Store');
    for (const token of [undefined, t.admin]) {
      const answer = await api('GET', '/api/v1/system/ping', token);
      expect(answer.status).toBe(503);
      for (const service of answer.body.details as object[]) {
        expect(Object.keys(service).sort()).toEqual(
          expect.arrayContaining(['reachable', 'service']),
        );
        expect(service).not.toHaveProperty('error');
        expect(service).not.toHaveProperty('reply');
      }
    }
    const operator = await api('GET', '/api/v1/system/ping', OPERATOR_TOKEN);
    expect(operator.body.details[0]).toHaveProperty('error');
  });
});
