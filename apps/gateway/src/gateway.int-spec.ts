/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   HTTP answers are untyped JSON here; the assertions are what checks their shape. */
import 'reflect-metadata';

import { createHash, randomUUID } from 'node:crypto';

import { Controller, INestApplication, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, RpcException, Transport } from '@nestjs/microservices';
import {
  type ConnectionTestView,
  type RegisterRakutenShopCall,
  type RenewCredentialsCall,
  SHOP_CALLS,
  type ServiceErrorBody,
  type ShopRefCall,
  type ShopView,
  type UpdateShopCall,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import { expectEventually, freePort, testInfrastructure } from '@smartship/testing';
import { DataSource } from 'typeorm';

import { AppModule } from './app.module';
import { GatewayConfig } from './config';
import { configureHttp } from './http/configure-http';

/*
 * The gateway in process against the real PostgreSQL (its own migrations) and Kafka. The
 * credentials service is replaced by a small real TCP microservice that answers the shop calls
 * from a Map, scopes them by the caller's tenant like the real one, and records every call, so
 * the tests can prove what the gateway forwarded (and that bad input was not forwarded).
 */

const infra = testInfrastructure();
const OPERATOR_TOKEN = `operator-${randomUUID()}-${randomUUID()}`;
const SERVICE_SECRET = 'SP338711_secretServiceValue9f3k';
const LICENSE_KEY = 'SL338711_secretLicenseValue7q2z';

// ---- the fake credentials service -------------------------------------------------------

interface StoredShop {
  tenantId: string;
  view: ShopView;
  tests: ConnectionTestView[];
}

const fake = {
  shops: new Map<string, StoredShop>(),
  calls: [] as { pattern: string; payload: unknown }[],
  /** Answers of a register call slower than the gateway's timeout, for the 503 test. */
  delayMs: 0,
};

function notFound(shopId: string): RpcException {
  const body: ServiceErrorBody = {
    statusCode: 404,
    code: 'SHOP_NOT_FOUND',
    message: `No shop ${shopId} in this tenant`,
    details: null,
  };
  return new RpcException(body);
}

function owned(call: ShopRefCall): StoredShop {
  const shop = fake.shops.get(call.shopId);
  if (!shop || shop.tenantId !== call.actor.tenantId) throw notFound(call.shopId);
  return shop;
}

function connectionTest(trigger: ConnectionTestView['trigger']): ConnectionTestView {
  return {
    id: randomUUID(),
    code: 'OK',
    message: 'Connected to Rakuten.',
    testedAt: new Date().toISOString(),
    durationMs: 12,
    trigger,
  };
}

@Controller()
class FakeCredentialsController {
  @MessagePattern(SHOP_CALLS.register)
  async register(@Payload() call: RegisterRakutenShopCall) {
    fake.calls.push({ pattern: SHOP_CALLS.register, payload: call });
    if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    if (call.body.shopId === 'boom-shop') {
      throw new Error('database password=hunter2 at pg-internal-host:5432');
    }
    for (const shop of fake.shops.values()) {
      if (shop.tenantId === call.actor.tenantId && shop.view.rakutenShopId === call.body.shopId) {
        throw new RpcException({
          statusCode: 409,
          code: 'SHOP_ALREADY_REGISTERED',
          message: `Shop ${call.body.shopId} is already registered in this tenant`,
          details: { field: 'shopId' },
        } satisfies ServiceErrorBody);
      }
    }
    const now = new Date().toISOString();
    const test = connectionTest('register');
    const view: ShopView = {
      id: randomUUID(),
      revision: 1,
      marketplace: 'rakuten',
      rakutenShopId: call.body.shopId,
      shopUrl: call.body.shopUrl,
      status: 'active',
      enabled: true,
      options: {
        autoOrderSync: call.body.options?.autoOrderSync ?? true,
        autoOrderConfirm: call.body.options?.autoOrderConfirm ?? false,
        autoFulfillmentDispatch: call.body.options?.autoFulfillmentDispatch ?? false,
        pollIntervalMinutes: call.body.options?.pollIntervalMinutes ?? null,
      },
      licenseKeyLast4: call.body.licenseKey.slice(-4),
      licenseKeyExpiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      licenseKeyExpirySource: 'registration',
      licenseKeyDaysLeft: 90,
      pendingLicenseKeyLast4: null,
      lastConnectionTest: test,
      createdAt: now,
      updatedAt: now,
    };
    fake.shops.set(view.id, { tenantId: call.actor.tenantId, view, tests: [test] });
    return { shop: view, connectionTest: test };
  }

  @MessagePattern(SHOP_CALLS.list)
  list(@Payload() call: { actor: { tenantId: string } }) {
    fake.calls.push({ pattern: SHOP_CALLS.list, payload: call });
    return {
      items: [...fake.shops.values()]
        .filter((shop) => shop.tenantId === call.actor.tenantId)
        .map((shop) => shop.view),
    };
  }

  @MessagePattern(SHOP_CALLS.get)
  get(@Payload() call: ShopRefCall) {
    fake.calls.push({ pattern: SHOP_CALLS.get, payload: call });
    return owned(call).view;
  }

  @MessagePattern(SHOP_CALLS.updateOptions)
  update(@Payload() call: UpdateShopCall) {
    fake.calls.push({ pattern: SHOP_CALLS.updateOptions, payload: call });
    const shop = owned(call);
    shop.view = {
      ...shop.view,
      enabled: call.body.enabled ?? shop.view.enabled,
      options: { ...shop.view.options, ...call.body.options },
    };
    return shop.view;
  }

  @MessagePattern(SHOP_CALLS.renewCredentials)
  renew(@Payload() call: RenewCredentialsCall) {
    fake.calls.push({ pattern: SHOP_CALLS.renewCredentials, payload: call });
    const shop = owned(call);
    const test = connectionTest('renew');
    shop.view = { ...shop.view, licenseKeyLast4: call.body.licenseKey.slice(-4) };
    shop.tests.unshift(test);
    return { shop: shop.view, connectionTest: test };
  }

  @MessagePattern(SHOP_CALLS.remove)
  remove(@Payload() call: ShopRefCall) {
    fake.calls.push({ pattern: SHOP_CALLS.remove, payload: call });
    owned(call);
    fake.shops.delete(call.shopId);
    return { deleted: true };
  }

  @MessagePattern(SHOP_CALLS.connectionTest)
  test(@Payload() call: ShopRefCall) {
    fake.calls.push({ pattern: SHOP_CALLS.connectionTest, payload: call });
    const shop = owned(call);
    const test = connectionTest('manual');
    shop.tests.unshift(test);
    return test;
  }

  @MessagePattern(SHOP_CALLS.connectionTests)
  tests(@Payload() call: ShopRefCall) {
    fake.calls.push({ pattern: SHOP_CALLS.connectionTests, payload: call });
    return { items: owned(call).tests };
  }
}

@Module({ controllers: [FakeCredentialsController] })
class FakeCredentialsModule {}

// ---- harness ------------------------------------------------------------------------------

let app: INestApplication;
let credentials: INestMicroservice;
let db: DataSource;
let base: string;

interface Answer {
  status: number;
  body: any;
  headers: Headers;
  text: string;
}

async function api(
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    raw?: string | Uint8Array;
    contentType?: string;
    authorization?: string;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization) headers.authorization = options.authorization;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers, text };
}

async function createTenant(
  name: string,
): Promise<{ tenantId: string; token: string; tokenId: string }> {
  const answer = await api('POST', '/api/v1/tenants', { token: OPERATOR_TOKEN, body: { name } });
  expect(answer.status).toBe(201);
  return {
    tenantId: answer.body.tenant.id,
    token: answer.body.token.token,
    tokenId: answer.body.token.id,
  };
}

function validBody(shopId = `shop-${randomUUID().slice(0, 8)}`): Record<string, unknown> {
  return {
    shopId,
    shopUrl: `https://www.rakuten.ne.jp/${shopId}`,
    serviceSecret: SERVICE_SECRET,
    licenseKey: LICENSE_KEY,
  };
}

beforeAll(async () => {
  const credentialsPort = await freePort();
  credentials = await NestFactory.createMicroservice(FakeCredentialsModule, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: credentialsPort },
    logger: false,
  });
  await credentials.listen();

  const config = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    // Hundreds of calls per tenant in seconds; the limits have their own spec (rate-limits).
    RATE_LIMIT_API_PER_SECOND: '0',
    RATE_LIMIT_RAKUTEN_PER_MINUTE: '0',
    RATE_LIMIT_SHOP_REGISTRATIONS_PER_DAY: '0',
    CREDENTIALS_TCP: `127.0.0.1:${credentialsPort}`,
    // Nothing listens there: the ping answers 503 quickly.
    INGESTION_TCP: `127.0.0.1:${await freePort()}`,
    MAPPING_TCP: `127.0.0.1:${await freePort()}`,
    FULFILLMENT_TCP: `127.0.0.1:${await freePort()}`,
    SERVICE_CALL_TIMEOUT_MS: '2000',
    RAKUTEN_CALL_TIMEOUT_MS: '1500',
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
  await credentials?.close();
  await db?.destroy();
});

beforeEach(() => {
  fake.calls = [];
  fake.delayMs = 0;
});

// ---- tests --------------------------------------------------------------------------------

describe('access', () => {
  it('a request without a token is a 401 in the error format, with WWW-Authenticate', async () => {
    const answer = await api('GET', '/api/v1/shops');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('Authorization: Bearer'),
      details: null,
    });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['an unknown sst_ token', `Bearer sst_${'A'.repeat(43)}`],
    ['a random string', 'Bearer not-a-token'],
    ['a Basic header', `Basic ${Buffer.from(`x:${OPERATOR_TOKEN}`).toString('base64')}`],
    ['the operator token with a character more', `Bearer ${OPERATOR_TOKEN}x`],
    ['an empty bearer', 'Bearer '],
  ])('%s is a 401', async (_name, authorization) => {
    const answer = await api('GET', '/api/v1/shops', { authorization });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('UNAUTHENTICATED');
  });

  it('the operator creates a tenant; its token is shown once and stored only as a hash', async () => {
    const answer = await api('POST', '/api/v1/tenants', {
      token: OPERATOR_TOKEN,
      body: { name: 'Hash Check Store' },
    });
    expect(answer.status).toBe(201);
    const { tenant, token } = answer.body;
    expect(tenant).toEqual({
      id: expect.any(String),
      name: 'Hash Check Store',
      createdAt: expect.any(String),
    });
    expect(token.token).toMatch(/^sst_[A-Za-z0-9_-]{43}$/);

    const rows: { token_hash: string }[] = await db.query(
      'SELECT token_hash FROM gateway.api_tokens WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token.token).digest('hex') }]);
    const dump: { text: string }[] = await db.query(
      `SELECT string_agg(t::text, ' ') AS text FROM gateway.api_tokens t`,
    );
    expect(dump[0].text).not.toContain(token.token);

    const list = await api('GET', '/api/v1/tokens', { token: token.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      {
        id: token.id,
        name: 'initial',
        // The tenant's first token sets it up: admin scope, no expiry, minted by the operator.
        scope: 'admin',
        createdAt: expect.any(String),
        expiresAt: null,
        createdBy: { type: 'operator', id: 'operator' },
        lastUsedAt: expect.any(String),
        revokedAt: null,
      },
    ]);
    expect(list.text).not.toContain(token.token);
    expect(list.text).not.toContain(rows[0].token_hash);
  });

  it('a tenant token may not create tenants (403), the operator token may not act as a tenant (403)', async () => {
    const a = await createTenant('Operator Check Store');
    const asTenant = await api('POST', '/api/v1/tenants', { token: a.token, body: { name: 'x' } });
    expect(asTenant.status).toBe(403);
    expect(asTenant.body.code).toBe('OPERATOR_ONLY');
    const asOperator = await api('GET', '/api/v1/shops', { token: OPERATOR_TOKEN });
    expect(asOperator.status).toBe(403);
    expect(asOperator.body.code).toBe('TENANT_TOKEN_REQUIRED');
    expect(fake.calls).toHaveLength(0);
  });

  it('a new token works at once; a revoked one is a 401 from the next request on', async () => {
    const a = await createTenant('Revoke Store');
    const created = await api('POST', '/api/v1/tokens', {
      token: a.token,
      body: { name: 'script' },
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^sst_/);
    expect((await api('GET', '/api/v1/shops', { token: created.body.token })).status).toBe(200);

    const revoked = await api('DELETE', `/api/v1/tokens/${created.body.id}`, { token: a.token });
    expect(revoked.status).toBe(204);
    const after = await api('GET', '/api/v1/shops', { token: created.body.token });
    expect(after.status).toBe(401);
    // Revoking again is harmless; the list shows when it was revoked.
    expect(
      (await api('DELETE', `/api/v1/tokens/${created.body.id}`, { token: a.token })).status,
    ).toBe(204);
    const list = await api('GET', '/api/v1/tokens', { token: a.token });
    expect(list.body.items.find((t: { id: string }) => t.id === created.body.id).revokedAt).toEqual(
      expect.any(String),
    );
  });

  it("another tenant's token id is a 404 and stays valid", async () => {
    const a = await createTenant('Token Owner Store');
    const b = await createTenant('Token Thief Store');
    const answer = await api('DELETE', `/api/v1/tokens/${a.tokenId}`, { token: b.token });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('TOKEN_NOT_FOUND');
    expect((await api('GET', '/api/v1/tokens', { token: a.token })).status).toBe(200);
    const bad = await api('DELETE', '/api/v1/tokens/not-a-uuid', { token: b.token });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'id', problems: ['id must be a UUID'] }]);
  });

  it('bad tenant and token bodies are 400s naming the field', async () => {
    const blank = await api('POST', '/api/v1/tenants', {
      token: OPERATOR_TOKEN,
      body: { name: '  ' },
    });
    expect(blank.status).toBe(400);
    expect(blank.body.details.map((d: { field: string }) => d.field)).toEqual(['name']);
    const a = await createTenant('Token Body Store');
    const extra = await api('POST', '/api/v1/tokens', {
      token: a.token,
      body: { name: 'ok', tenantId: randomUUID() },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toContain('property tenantId should not exist');
  });

  it('the service ping, health and the API docs need no token', async () => {
    const ping = await api('GET', '/api/v1/system/ping');
    expect([200, 503]).toContain(ping.status);
    expect(ping.body.code ?? 'OK').not.toBe('UNAUTHENTICATED');
    expect((await api('GET', '/health/live')).status).toBe(200);
    expect((await api('GET', '/api/docs-json')).status).toBe(200);
  });

  it('responses carry the security headers', async () => {
    const answer = await api('GET', '/api/v1/shops');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('strict-transport-security')).toContain('max-age');
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });
});

describe('shops', () => {
  it('register → get → list → update → renew → test → history → delete, each forwarded for the caller', async () => {
    const a = await createTenant('Flow Store');
    const body = {
      ...validBody('flow-shop'),
      // Pasted keys come with spaces and line breaks; the contract trims them.
      serviceSecret: `  ${SERVICE_SECRET}\n`,
      licenseKey: `${LICENSE_KEY}\r\n`,
      options: { autoOrderConfirm: true },
    };
    const registered = await api('POST', '/api/v1/shops/rakuten', { token: a.token, body });
    expect(registered.status).toBe(201);
    expect(registered.body.connectionTest.code).toBe('OK');
    const shopId: string = registered.body.shop.id;
    expect(fake.calls[0]).toEqual({
      pattern: SHOP_CALLS.register,
      payload: {
        actor: { tenantId: a.tenantId, actorId: a.tokenId },
        body: {
          shopId: 'flow-shop',
          shopUrl: 'https://www.rakuten.ne.jp/flow-shop',
          serviceSecret: SERVICE_SECRET,
          licenseKey: LICENSE_KEY,
          options: { autoOrderConfirm: true },
        },
      },
    });

    const got = await api('GET', `/api/v1/shops/${shopId}`, { token: a.token });
    expect(got.status).toBe(200);
    expect(got.body.rakutenShopId).toBe('flow-shop');
    const list = await api('GET', '/api/v1/shops?status=active', { token: a.token });
    expect(list.body.items.map((s: ShopView) => s.id)).toEqual([shopId]);

    const patched = await api('PATCH', `/api/v1/shops/${shopId}`, {
      token: a.token,
      body: { options: { autoOrderSync: false }, enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.enabled).toBe(false);

    const renewed = await api('PUT', `/api/v1/shops/${shopId}/credentials`, {
      token: a.token,
      body: {
        serviceSecret: SERVICE_SECRET,
        licenseKey: `${LICENSE_KEY}NEW1`,
        licenseKeyIssuedAt: '2025-11-20T10:00:00+09:00',
      },
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.shop.licenseKeyLast4).toBe('NEW1');

    const tested = await api('POST', `/api/v1/shops/${shopId}/connection-test`, { token: a.token });
    expect(tested.status).toBe(200);
    expect(tested.body.trigger).toBe('manual');
    const history = await api('GET', `/api/v1/shops/${shopId}/connection-tests`, {
      token: a.token,
    });
    expect(history.body.items.map((t: ConnectionTestView) => t.trigger)).toEqual([
      'manual',
      'renew',
      'register',
    ]);

    const deleted = await api('DELETE', `/api/v1/shops/${shopId}`, { token: a.token });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await api('GET', `/api/v1/shops/${shopId}`, { token: a.token });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      statusCode: 404,
      code: 'SHOP_NOT_FOUND',
      message: `No shop ${shopId} in this tenant`,
      details: null,
    });

    expect(fake.calls.map((call) => call.pattern)).toEqual([
      SHOP_CALLS.register,
      SHOP_CALLS.get,
      SHOP_CALLS.list,
      SHOP_CALLS.updateOptions,
      SHOP_CALLS.renewCredentials,
      SHOP_CALLS.connectionTest,
      SHOP_CALLS.connectionTests,
      SHOP_CALLS.remove,
      SHOP_CALLS.get,
    ]);
    for (const call of fake.calls) {
      expect((call.payload as { actor: unknown }).actor).toEqual({
        tenantId: a.tenantId,
        actorId: a.tokenId,
      });
    }
    expect(fake.calls[2].payload).toEqual({ actor: expect.anything(), status: 'active' });
  });

  it("tenant B gets a 404 for every route on tenant A's shop, and A's shop is untouched", async () => {
    const a = await createTenant('Isolation Store A');
    const b = await createTenant('Isolation Store B');
    const registered = await api('POST', '/api/v1/shops/rakuten', {
      token: a.token,
      body: validBody(),
    });
    const shopId: string = registered.body.shop.id;
    const before = fake.shops.get(shopId)?.view;
    fake.calls = [];

    const attempts: [string, string, unknown][] = [
      ['GET', `/api/v1/shops/${shopId}`, undefined],
      ['PATCH', `/api/v1/shops/${shopId}`, { enabled: false }],
      [
        'PUT',
        `/api/v1/shops/${shopId}/credentials`,
        { serviceSecret: 'SPx_stolen', licenseKey: 'SLx_stolen' },
      ],
      ['POST', `/api/v1/shops/${shopId}/connection-test`, undefined],
      ['GET', `/api/v1/shops/${shopId}/connection-tests`, undefined],
      ['DELETE', `/api/v1/shops/${shopId}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await api(method, path, { token: b.token, body });
      expect({ method, path, status: answer.status, code: answer.body.code }).toEqual({
        method,
        path,
        status: 404,
        code: 'SHOP_NOT_FOUND',
      });
    }
    const list = await api('GET', '/api/v1/shops', { token: b.token });
    expect(list.body.items).toEqual([]);
    // Every call went out for B, whatever the request said.
    expect(fake.calls).toHaveLength(attempts.length + 1);
    for (const call of fake.calls) {
      expect((call.payload as { actor: unknown }).actor).toEqual({
        tenantId: b.tenantId,
        actorId: b.tokenId,
      });
    }
    expect(fake.shops.get(shopId)?.view).toEqual(before);
    // No audit entry for B, none of B's attempts in A's log.
    const audit = await api('GET', '/api/v1/audit-log', { token: b.token });
    expect(
      audit.body.items.filter((e: { resourceType: string }) => e.resourceType === 'shop'),
    ).toEqual([]);
  });

  it('a tenant id in the body is refused, not used', async () => {
    const a = await createTenant('Smuggle Store');
    const answer = await api('POST', '/api/v1/shops/rakuten', {
      token: a.token,
      body: { ...validBody(), tenantId: randomUUID(), actor: { tenantId: randomUUID() } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'actor',
      'tenantId',
    ]);
    expect(fake.calls).toHaveLength(0);
  });

  it('the service error body comes back as it is (409 for the same shop twice)', async () => {
    const a = await createTenant('Duplicate Store');
    const body = validBody();
    expect((await api('POST', '/api/v1/shops/rakuten', { token: a.token, body })).status).toBe(201);
    const again = await api('POST', '/api/v1/shops/rakuten', { token: a.token, body });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      statusCode: 409,
      code: 'SHOP_ALREADY_REGISTERED',
      message: `Shop ${String(body.shopId)} is already registered in this tenant`,
      details: { field: 'shopId' },
    });
  });

  it('a service that fails with a plain error is a 500 that reveals nothing', async () => {
    const a = await createTenant('Boom Store');
    const answer = await api('POST', '/api/v1/shops/rakuten', {
      token: a.token,
      body: validBody('boom-shop'),
    });
    expect(answer.status).toBe(500);
    expect(answer.body.code).toBe('INTERNAL');
    expect(answer.text).not.toMatch(/hunter2|pg-internal-host|password/);
  });

  it('a service slower than the timeout is a 503 naming it, and nothing is audited', async () => {
    const a = await createTenant('Slow Store');
    fake.delayMs = 2_500;
    const started = Date.now();
    const answer = await api('POST', '/api/v1/shops/rakuten', {
      token: a.token,
      body: validBody(),
    });
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2_400);
    expect(answer.body).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringContaining('credentials service did not answer within 1.5 s'),
      details: { service: 'credentials' },
    });
    // The slow service did register the shop in the end; the gateway, which had answered 503,
    // audits nothing for it.
    await expectEventually(() =>
      expect([...fake.shops.values()].some((shop) => shop.tenantId === a.tenantId)).toBe(true),
    );
    const audit = await api('GET', '/api/v1/audit-log', { token: a.token });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'token.created',
      'tenant.created',
    ]);
  });

  it('a non-UUID shop id is a 400 naming id, not forwarded', async () => {
    const a = await createTenant('Uuid Store');
    for (const [method, path] of [
      ['GET', '/api/v1/shops/123'],
      ['PATCH', "/api/v1/shops/1'%20OR%201=1"],
      ['DELETE', '/api/v1/shops/..%2F..%2Fetc'],
      ['POST', '/api/v1/shops/abc/connection-test'],
    ]) {
      const answer = await api(method, path, {
        token: a.token,
        body: method === 'PATCH' ? {} : undefined,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.details).toEqual([{ field: 'id', problems: ['id must be a UUID'] }]);
    }
    expect(fake.calls).toHaveLength(0);
  });
});

describe('bad input', () => {
  let token: string;
  let shopId: string;

  beforeAll(async () => {
    const tenant = await createTenant('Bad Input Store');
    token = tenant.token;
    const registered = await api('POST', '/api/v1/shops/rakuten', {
      token,
      body: validBody('bad-input-shop'),
    });
    shopId = registered.body.shop.id;
  });

  const valid = validBody('abcd14231499');
  const withField = (field: string, value: unknown) => ({ ...valid, [field]: value });
  const without = (field: string) => {
    const copy: Record<string, unknown> = { ...valid };
    delete copy[field];
    return copy;
  };
  /** A raw JSON body whose `field` holds bytes that are not UTF-8 (0xFF 0xFE, 0xC3 alone). */
  const nonUtf8 = (field: string): Uint8Array => {
    const marker = 'XXNONUTF8XX';
    const text = JSON.stringify(withField(field, `ab${marker}cd`));
    const [head, tail] = text.split(marker);
    return Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(tail)]);
  };
  const rawJson = (text: string): string => text;

  type Case = [name: string, body: unknown, fields: string[], raw?: boolean];
  const registerCases: Case[] = [
    ['missing shopId', without('shopId'), ['shopId']],
    ['blank shopId', withField('shopId', ''), ['shopId']],
    ['whitespace shopId', withField('shopId', '   '), ['shopId']],
    ['uppercase shopId', withField('shopId', 'ABCD14231499'), ['shopId']],
    ['numeric shopId', withField('shopId', 14231499), ['shopId']],
    ['null shopId', withField('shopId', null), ['shopId']],
    ['array shopId', withField('shopId', ['abcd']), ['shopId']],
    ['object shopId', withField('shopId', { $ne: '' }), ['shopId']],
    ['overlong shopId', withField('shopId', 'a'.repeat(65)), ['shopId']],
    ['SQL injection in shopId', withField('shopId', "abcd'; DROP TABLE shops;--"), ['shopId']],
    ['path traversal in shopId', withField('shopId', '../../etc/passwd'), ['shopId']],
    ['HTML in shopId', withField('shopId', '<script>alert(1)</script>'), ['shopId']],
    ['emoji in shopId', withField('shopId', 'abcd😀'), ['shopId']],
    ['missing shopUrl', without('shopUrl'), ['shopUrl']],
    ['blank shopUrl', withField('shopUrl', ''), ['shopUrl']],
    ['whitespace shopUrl', withField('shopUrl', ' \n '), ['shopUrl']],
    [
      'shopUrl on another host',
      withField('shopUrl', 'https://example.com/abcd14231499'),
      ['shopUrl'],
    ],
    [
      'shopUrl on a look-alike host',
      withField('shopUrl', 'https://www.rakuten.ne.jp.evil.example/abcd14231499'),
      ['shopUrl'],
    ],
    [
      'shopUrl on item.rakuten.co.jp',
      withField('shopUrl', 'https://item.rakuten.co.jp/abcd14231499/'),
      ['shopUrl'],
    ],
    [
      'shopUrl with another shop ID',
      withField('shopUrl', 'https://www.rakuten.ne.jp/othershop'),
      ['shopUrl'],
    ],
    ['shopUrl that is not a URL', withField('shopUrl', 'my rakuten shop'), ['shopUrl']],
    ['javascript: shopUrl', withField('shopUrl', 'javascript:alert(1)'), ['shopUrl']],
    ['ftp shopUrl', withField('shopUrl', 'ftp://www.rakuten.ne.jp/abcd14231499'), ['shopUrl']],
    [
      'shopUrl with a query',
      withField('shopUrl', 'https://www.rakuten.ne.jp/abcd14231499?x=1'),
      ['shopUrl'],
    ],
    [
      'shopUrl with credentials',
      withField('shopUrl', 'https://u:p@www.rakuten.ne.jp/abcd14231499'),
      ['shopUrl'],
    ],
    [
      'shopUrl with a port',
      withField('shopUrl', 'https://www.rakuten.ne.jp:8443/abcd14231499'),
      ['shopUrl'],
    ],
    [
      'shopUrl with an item path',
      withField('shopUrl', 'https://www.rakuten.ne.jp/abcd14231499/item/1'),
      ['shopUrl'],
    ],
    [
      'overlong shopUrl',
      withField('shopUrl', `https://www.rakuten.ne.jp/${'a'.repeat(400)}`),
      ['shopUrl'],
    ],
    ['numeric shopUrl', withField('shopUrl', 42), ['shopUrl']],
    ['missing serviceSecret', without('serviceSecret'), ['serviceSecret']],
    ['blank serviceSecret', withField('serviceSecret', ''), ['serviceSecret']],
    [
      'serviceSecret with an inner space',
      withField('serviceSecret', 'SP338711 abcd'),
      ['serviceSecret'],
    ],
    ['overlong serviceSecret', withField('serviceSecret', 'S'.repeat(257)), ['serviceSecret']],
    ['numeric serviceSecret', withField('serviceSecret', 338711), ['serviceSecret']],
    ['boolean serviceSecret', withField('serviceSecret', true), ['serviceSecret']],
    ['full-width serviceSecret', withField('serviceSecret', 'ＳＰ３３８７１１'), ['serviceSecret']],
    [
      'shell injection in serviceSecret',
      withField('serviceSecret', '"; rm -rf / #'),
      ['serviceSecret'],
    ],
    ['missing licenseKey', without('licenseKey'), ['licenseKey']],
    ['blank licenseKey', withField('licenseKey', ''), ['licenseKey']],
    ['licenseKey with a tab inside', withField('licenseKey', 'SL338711\tabcd'), ['licenseKey']],
    ['overlong licenseKey', withField('licenseKey', 'L'.repeat(257)), ['licenseKey']],
    ['object licenseKey', withField('licenseKey', { key: 'x' }), ['licenseKey']],
    [
      'licenseKeyIssuedAt in words',
      withField('licenseKeyIssuedAt', 'yesterday'),
      ['licenseKeyIssuedAt'],
    ],
    [
      'licenseKeyIssuedAt as a number',
      withField('licenseKeyIssuedAt', 1732000000),
      ['licenseKeyIssuedAt'],
    ],
    [
      'impossible licenseKeyIssuedAt',
      withField('licenseKeyIssuedAt', '2025-13-45T10:00:00+09:00'),
      ['licenseKeyIssuedAt'],
    ],
    ['options as a string', withField('options', 'yes'), ['options']],
    [
      'options.autoOrderSync as a string',
      withField('options', { autoOrderSync: 'true' }),
      ['options.autoOrderSync'],
    ],
    [
      'options.autoOrderConfirm as a number',
      withField('options', { autoOrderConfirm: 1 }),
      ['options.autoOrderConfirm'],
    ],
    [
      'options.autoFulfillmentDispatch in words',
      withField('options', { autoFulfillmentDispatch: 'no' }),
      ['options.autoFulfillmentDispatch'],
    ],
    ['unknown option', withField('options', { autoShip: true }), ['options.autoShip']],
    ['unknown field', withField('password', 'x'), ['password']],
    [
      'NUL in shopUrl',
      withField('shopUrl', 'https://www.rakuten.ne.jp/abcd14231499\u0000'),
      ['shopUrl'],
    ],
    [
      'escape character in serviceSecret',
      withField('serviceSecret', 'SP338711\u001b[2J'),
      ['serviceSecret'],
    ],
    [
      'U+FFFD in shopUrl',
      withField('shopUrl', 'https://www.rakuten.ne.jp/abcd\uFFFD'),
      ['shopUrl'],
    ],
    ['C1 control in licenseKey', withField('licenseKey', 'SL338711\u0085abcd'), ['licenseKey']],
    [
      'lone surrogate in licenseKey',
      rawJson(JSON.stringify(valid).replace(LICENSE_KEY, 'SL338711\\ud800')),
      ['licenseKey'],
      true,
    ],
    ['non-UTF-8 bytes in shopId', nonUtf8('shopId'), ['shopId'], true],
    ['non-UTF-8 bytes in serviceSecret', nonUtf8('serviceSecret'), ['serviceSecret'], true],
    ['non-UTF-8 bytes in licenseKey', nonUtf8('licenseKey'), ['licenseKey'], true],
    ['non-UTF-8 bytes in shopUrl', nonUtf8('shopUrl'), ['shopUrl'], true],
    ['a JSON array', [valid], ['body']],
    ['an empty object', {}, ['shopId', 'shopUrl', 'serviceSecret', 'licenseKey']],
    [
      'everything wrong at once',
      {
        shopId: 1,
        shopUrl: 2,
        serviceSecret: 3,
        licenseKey: 4,
        options: { autoOrderSync: 5 },
        x: 6,
      },
      ['shopId', 'shopUrl', 'serviceSecret', 'licenseKey', 'options.autoOrderSync', 'x'],
    ],
    [
      '__proto__ key',
      rawJson(JSON.stringify(valid).replace('{', '{"__proto__":{"admin":true},')),
      ['__proto__'],
      true,
    ],
  ];

  it('has at least 50 register cases', () => {
    expect(registerCases.length).toBeGreaterThanOrEqual(50);
  });

  // A rest parameter keeps the callback's arity at 0: jest would take a 4th parameter that some
  // rows leave out for its `done` callback.
  it.each(registerCases)(
    'register with %s is a 400 naming the field, not forwarded',
    async (...[, body, fields, raw]: Case) => {
      const answer = raw
        ? await api('POST', '/api/v1/shops/rakuten', { token, raw: body as string | Uint8Array })
        : await api('POST', '/api/v1/shops/rakuten', { token, body });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect(answer.body.statusCode).toBe(400);
      const named = (answer.body.details as { field: string; problems: string[] }[]).map(
        (d) => d.field,
      );
      for (const field of fields) {
        expect(named).toContain(field);
        expect(answer.body.message).toContain(field);
      }
      // The response never echoes a secret back.
      expect(answer.text).not.toContain(SERVICE_SECRET);
      expect(answer.text).not.toContain(LICENSE_KEY);
      expect(fake.calls).toHaveLength(0);
    },
  );

  it.each([
    [
      'PATCH',
      'options.autoOrderSync as a string',
      { options: { autoOrderSync: 'yes' } },
      'options.autoOrderSync',
    ],
    ['PATCH', 'enabled as a string', { enabled: 'no' }, 'enabled'],
    ['PATCH', 'unknown field status', { status: 'active' }, 'status'],
    ['PUT', 'missing licenseKey', { serviceSecret: SERVICE_SECRET }, 'licenseKey'],
    [
      'PUT',
      'shopId on renew',
      { serviceSecret: SERVICE_SECRET, licenseKey: LICENSE_KEY, shopId: 'x' },
      'shopId',
    ],
  ])('%s with %s is a 400 naming the field, not forwarded', async (method, _name, body, field) => {
    const path =
      method === 'PATCH' ? `/api/v1/shops/${shopId}` : `/api/v1/shops/${shopId}/credentials`;
    const answer = await api(method, path, { token, body });
    expect(answer.status).toBe(400);
    expect(answer.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(fake.calls).toHaveLength(0);
  });

  it('malformed JSON is a 400 INVALID_JSON that does not quote the body', async () => {
    const answer = await api('POST', '/api/v1/shops/rakuten', {
      token,
      raw: `{"serviceSecret": "${SERVICE_SECRET}", "shopId": `,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'INVALID_JSON',
      message: expect.any(String),
      details: null,
    });
    expect(answer.text).not.toContain(SERVICE_SECRET);
    const scalar = await api('POST', '/api/v1/shops/rakuten', { token, raw: '"just a string"' });
    expect(scalar.status).toBe(400);
    expect(scalar.body.code).toBe('INVALID_JSON');
    expect(fake.calls).toHaveLength(0);
  });

  it('a body over the limit is a 413 in the error format', async () => {
    const answer = await api('POST', '/api/v1/shops/rakuten', {
      token,
      body: { ...valid, padding: 'x'.repeat(110_000) },
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('102400 bytes'),
      details: { limitBytes: 102_400 },
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('a form or text body is a 415, not parsed', async () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain']) {
      const answer = await api('POST', '/api/v1/shops/rakuten', {
        token,
        raw: 'shopId=abcd14231499',
        contentType,
      });
      expect(answer.status).toBe(415);
      expect(answer.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const latin1 = await api('POST', '/api/v1/shops/rakuten', {
      token,
      raw: JSON.stringify(valid),
      contentType: 'application/json; charset=iso-8859-1',
    });
    expect(latin1.status).toBe(415);
    expect(fake.calls).toHaveLength(0);
  });

  it('an unknown route is a 404 in the error format', async () => {
    const answer = await api('GET', '/api/v1/nothing-here', { token });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: expect.any(String),
      details: null,
    });
  });
});

describe('audit log', () => {
  it('records every successful change without a secret, newest first, for the tenant only', async () => {
    const a = await createTenant('Audit Store');
    const registered = await api('POST', '/api/v1/shops/rakuten', {
      token: a.token,
      body: validBody(),
    });
    const shopId: string = registered.body.shop.id;
    await api('PATCH', `/api/v1/shops/${shopId}`, {
      token: a.token,
      body: { options: { autoOrderSync: false } },
    });
    await api('PUT', `/api/v1/shops/${shopId}/credentials`, {
      token: a.token,
      body: { serviceSecret: `${SERVICE_SECRET}2`, licenseKey: `${LICENSE_KEY}2` },
    });
    await api('POST', `/api/v1/shops/${shopId}/connection-test`, { token: a.token });
    await api('DELETE', `/api/v1/shops/${shopId}`, { token: a.token });
    // A failed change leaves no entry.
    expect(
      (await api('PATCH', `/api/v1/shops/${shopId}`, { token: a.token, body: { enabled: true } }))
        .status,
    ).toBe(404);

    const answer = await api('GET', '/api/v1/audit-log?limit=100', { token: a.token });
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((e: { action: string }) => e.action)).toEqual([
      'shop.deleted',
      'shop.connection_tested',
      'shop.credentials_renewed',
      'shop.updated',
      'shop.registered',
      'token.created',
      'tenant.created',
    ]);
    const updated = answer.body.items.find((e: { action: string }) => e.action === 'shop.updated');
    expect(updated).toMatchObject({ actorId: a.tokenId, resourceType: 'shop', resourceId: shopId });
    expect(updated.details).toEqual({ options: { autoOrderSync: false } });
    const renewed = answer.body.items.find(
      (e: { action: string }) => e.action === 'shop.credentials_renewed',
    );
    expect(renewed.details).toEqual({
      licenseKeyLast4: `${LICENSE_KEY}2`.slice(-4),
      licenseKeyIssuedAt: null,
      licenseKeyExpiresAt: expect.any(String),
      connectionTest: 'OK',
    });

    const rows: { text: string }[] = await db.query(
      `SELECT coalesce(string_agg(a::text, ' '), '') AS text FROM gateway.audit_log a`,
    );
    for (const secret of [SERVICE_SECRET, LICENSE_KEY, 'serviceSecret', 'licenseKey"']) {
      expect(rows[0].text).not.toContain(secret);
    }
    expect(answer.text).not.toContain(SERVICE_SECRET);

    const limited = await api('GET', '/api/v1/audit-log?limit=2', { token: a.token });
    expect(limited.body.items).toHaveLength(2);
    const other = await createTenant('Audit Other Store');
    const otherLog = await api('GET', '/api/v1/audit-log', { token: other.token });
    expect(otherLog.body.items.every((e: { resourceId: string }) => e.resourceId !== shopId)).toBe(
      true,
    );
  });

  it.each(['0', '501', 'ten', '1.5'])('limit=%s is a 400 naming limit', async (limit) => {
    const a = await createTenant('Audit Limit Store');
    const answer = await api('GET', `/api/v1/audit-log?limit=${limit}`, { token: a.token });
    expect(answer.status).toBe(400);
    expect(answer.body.details.map((d: { field: string }) => d.field)).toEqual(['limit']);
  });
});

describe('OpenAPI document', () => {
  it('documents every shop route with its errors, and the contract bodies with their rules', async () => {
    const doc = (await api('GET', '/api/docs-json')).body;
    const routes: [string, string, string[]][] = [
      ['/api/v1/shops/rakuten', 'post', ['201', '400', '401', '409', '503']],
      ['/api/v1/shops', 'get', ['200', '401']],
      ['/api/v1/shops/{id}', 'get', ['200', '400', '404', '503']],
      ['/api/v1/shops/{id}', 'patch', ['200', '400', '404']],
      ['/api/v1/shops/{id}', 'delete', ['204', '404']],
      ['/api/v1/shops/{id}/credentials', 'put', ['200', '400', '404']],
      ['/api/v1/shops/{id}/connection-test', 'post', ['200', '404', '503']],
      ['/api/v1/shops/{id}/connection-tests', 'get', ['200', '404']],
      ['/api/v1/shops/{id}/backfill', 'post', ['202', '400', '404', '409', '429']],
      ['/api/v1/shops/{id}/backfills', 'get', ['200', '404']],
      ['/api/v1/tenants', 'post', ['201', '403']],
      ['/api/v1/tokens', 'post', ['201']],
      ['/api/v1/tokens', 'get', ['200']],
      ['/api/v1/tokens/{id}', 'delete', ['204', '404']],
      ['/api/v1/audit-log', 'get', ['200']],
    ];
    for (const [path, method, statuses] of routes) {
      const operation = doc.paths[path]?.[method];
      expect({ path, method, documented: operation !== undefined }).toEqual({
        path,
        method,
        documented: true,
      });
      for (const status of statuses) expect(Object.keys(operation.responses)).toContain(status);
      expect(operation.security).toEqual([{ bearer: [] }]);
    }
    const register = doc.components.schemas.RegisterRakutenShopBody;
    expect(register.required).toEqual(
      expect.arrayContaining(['shopId', 'shopUrl', 'serviceSecret', 'licenseKey']),
    );
    expect(register.properties.shopId.pattern).toBe('^[a-z0-9][a-z0-9-]{0,63}$');
    expect(register.properties.licenseKey.maxLength).toBe(256);
    // A $ref, possibly inside allOf next to the description.
    expect(JSON.stringify(register.properties.options)).toContain(
      '#/components/schemas/ShopOptionsInput',
    );
    expect(register.required).not.toContain('options');
    expect(doc.components.schemas.ShopOptionsInput.properties.autoOrderSync.type).toBe('boolean');
    expect(doc.components.schemas.ShopOptionsInput.properties.pollIntervalMinutes).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 60,
    });
    expect(doc.components.schemas.StartBackfillBody.required).toEqual(['from', 'to']);
    expect(doc.components.schemas.RenewCredentialsBody.required).toEqual(
      expect.arrayContaining(['serviceSecret', 'licenseKey']),
    );
    expect(doc.components.schemas.ErrorBodyDoc.properties.code).toBeDefined();
  });
});

describe('a credentials service that is down', () => {
  it('is a 503 naming it', async () => {
    const a = await createTenant('Down Store');
    await credentials.close();
    const answer = await api('GET', '/api/v1/shops', { token: a.token });
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(answer.body.details).toEqual({ service: 'credentials' });
    expect(answer.body.message).toContain('credentials');
  });
});
