/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   HTTP answers are untyped JSON here; the assertions are what checks their shape. */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Controller, INestApplication, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, Transport } from '@nestjs/microservices';
import {
  ACCOUNT_CALLS,
  OPERATOR_CALLS,
  SHOP_CALLS,
  type ListShopsCall,
  type OperatorCredentialsShopView,
  type OperatorShopsCall,
  type SendAccountEmailCall,
  type SuspendTenantShopsCall,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import { freePort, testInfrastructure } from '@smartship/testing';
import { DataSource } from 'typeorm';

import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';

/*
 * Operators act on tenants: the gateway in process against PostgreSQL, with stand-in
 * credentials, ingestion, mapping and notifications services (real TCP microservices) that
 * record what the gateway asks of them. Disabling a tenant refuses its tokens and sessions at
 * once and asks credentials to suspend its shops; enabling undoes both; revoking ends every
 * token. (That a suspended shop is not polled: apps/ingestion/src/polling/order-pull.int-spec.ts;
 * that credentials publishes `suspended`: apps/credentials/src/shops/tenant-suspension.int-spec.ts.)
 */

const infra = testInfrastructure();
const OPERATOR_TOKEN = `operator-${randomUUID()}-${randomUUID()}`;
const PASSWORD = 'correct-horse-battery-7';
const COOKIE = 'smartship_session';

const seen = {
  emails: [] as SendAccountEmailCall[],
  suspensions: [] as SuspendTenantShopsCall[],
  /** Shops the stand-in credentials service knows, per tenant. */
  shops: new Map<string, OperatorCredentialsShopView[]>(),
};

@Controller()
class FakeServices {
  @MessagePattern(ACCOUNT_CALLS.sendEmail)
  send(@Payload() call: SendAccountEmailCall) {
    seen.emails.push(call);
    return { sent: true };
  }

  @MessagePattern(OPERATOR_CALLS.credentialsSuspendTenant)
  suspend(@Payload() call: SuspendTenantShopsCall) {
    seen.suspensions.push(call);
    const shops = seen.shops.get(call.tenantId) ?? [];
    return { changed: shops.length, shops: shops.length };
  }

  @MessagePattern(OPERATOR_CALLS.credentialsShops)
  shops(@Payload() call: OperatorShopsCall) {
    const all = [...seen.shops.values()].flat();
    return { items: call.tenantId ? all.filter((s) => s.tenantId === call.tenantId) : all };
  }

  @MessagePattern(OPERATOR_CALLS.ingestionShopHealth)
  pulls() {
    return { items: [] };
  }

  @MessagePattern(OPERATOR_CALLS.mappingShopHealth)
  held() {
    return { items: [] };
  }

  @MessagePattern(SHOP_CALLS.list)
  list(@Payload() _call: ListShopsCall) {
    return { items: [] };
  }
}

@Module({ controllers: [FakeServices] })
class FakeServicesModule {}

let app: INestApplication;
let services: INestMicroservice;
let db: DataSource;
let base: string;

interface Answer {
  status: number;
  body: any;
}

/** A caller: a bearer token, or a browser with its session cookie and CSRF token. */
class Caller {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(readonly token: string | null = null) {}

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.cookie) headers.cookie = `${COOKIE}=${this.cookie}`;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const match = new RegExp(`${COOKIE}=([^;]*)`).exec(response.headers.get('set-cookie') ?? '');
    if (match) this.cookie = match[1] || null;
    const parsed: any = text ? JSON.parse(text) : null;
    if (parsed?.csrfToken) this.csrf = parsed.csrfToken;
    return { status: response.status, body: parsed };
  }
}

const operator = new Caller(OPERATOR_TOKEN);

function shop(tenantId: string, problems: Partial<OperatorCredentialsShopView> = {}) {
  return {
    tenantId,
    shopId: randomUUID(),
    rakutenShopId: `shop${randomUUID().slice(0, 6)}`,
    status: 'active' as const,
    licenseKeyExpiresAt: new Date(Date.now() + 60 * 86_400_000).toISOString(),
    licenseKeyDaysLeft: 60,
    needsReauth: false,
    ...problems,
  };
}

/** A tenant with its first token and a signed-in owner. */
async function tenantWithOwner(name: string) {
  const created = await operator.call('POST', '/api/v1/tenants', { name });
  expect(created.status).toBe(201);
  const tenantId: string = created.body.tenant.id;
  const email = `owner-${randomUUID().slice(0, 8)}@example.com`;
  expect(
    (
      await operator.call('POST', `/api/v1/tenants/${tenantId}/invitations`, {
        email,
        role: 'owner',
      })
    ).status,
  ).toBe(201);
  const invitation = [...seen.emails].reverse().find((e) => e.to === email);
  const owner = new Caller();
  const accepted = await owner.call('POST', '/api/v1/invitations/accept', {
    token: invitation?.token,
    password: PASSWORD,
  });
  expect(accepted.status).toBe(201);
  return { tenantId, token: new Caller(created.body.token.token as string), owner, email };
}

beforeAll(async () => {
  const port = await freePort();
  services = await NestFactory.createMicroservice(FakeServicesModule, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port },
    logger: false,
  });
  await services.listen();
  const config = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    NOTIFICATIONS_TCP: `127.0.0.1:${port}`,
    CREDENTIALS_TCP: `127.0.0.1:${port}`,
    INGESTION_TCP: `127.0.0.1:${port}`,
    MAPPING_TCP: `127.0.0.1:${port}`,
    FULFILLMENT_TCP: `127.0.0.1:${await freePort()}`,
    SERVICE_CALL_TIMEOUT_MS: '2000',
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
  await services?.close();
  await db?.destroy();
});

beforeEach(async () => {
  await db.query(`DELETE FROM gateway.auth_failures WHERE scope <> 'account'`);
});

describe('disabling a tenant', () => {
  it('refuses its tokens and sessions at once, suspends its shops, and enabling undoes it', async () => {
    const { tenantId, token, owner, email } = await tenantWithOwner('Disabled Co');
    const other = await tenantWithOwner('Bystander Co');
    seen.shops.set(tenantId, [shop(tenantId), shop(tenantId)]);
    expect((await token.call('GET', '/api/v1/shops')).status).toBe(200);
    expect((await owner.call('GET', '/api/v1/session')).status).toBe(200);

    const disabled = await operator.call('POST', `/api/v1/operator/tenants/${tenantId}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({
      tenant: expect.objectContaining({ id: tenantId, disabledAt: expect.any(String) }),
      shopsChanged: 2,
    });
    expect(seen.suspensions).toContainEqual({ tenantId, suspended: true });

    for (const [caller, method, path] of [
      [token, 'GET', '/api/v1/shops'],
      [token, 'GET', '/api/v1/audit-log'],
      [token, 'POST', '/api/v1/tokens'],
      [owner, 'GET', '/api/v1/session'],
      [owner, 'GET', '/api/v1/users'],
      [owner, 'POST', '/api/v1/users/invitations'],
    ] as const) {
      const answer = await caller.call(method, path, method === 'POST' ? {} : undefined);
      expect({ path, status: answer.status, code: answer.body?.code }).toEqual({
        path,
        status: 403,
        code: 'TENANT_DISABLED',
      });
    }
    // A new sign-in is refused too (as a wrong password: nothing is told before the password).
    expect(
      (await new Caller().call('POST', '/api/v1/session', { email, password: PASSWORD })).status,
    ).toBe(401);
    // Another tenant goes on as before.
    expect((await other.token.call('GET', '/api/v1/shops')).status).toBe(200);
    // A failed check of a disabled tenant's token is not counted against the address.
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM gateway.auth_failures WHERE scope = 'token_address'`,
    );
    expect(count).toBe(0);

    // Disabling twice changes nothing in the gateway and asks credentials again (idempotent).
    expect(
      (await operator.call('POST', `/api/v1/operator/tenants/${tenantId}/disable`)).status,
    ).toBe(200);

    const enabled = await operator.call('POST', `/api/v1/operator/tenants/${tenantId}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body.tenant.disabledAt).toBeNull();
    expect(seen.suspensions.at(-1)).toEqual({ tenantId, suspended: false });
    expect((await token.call('GET', '/api/v1/shops')).status).toBe(200);
    expect((await owner.call('GET', '/api/v1/session')).status).toBe(200);

    const audit = await token.call('GET', '/api/v1/audit-log');
    const actions = audit.body.items.map((e: any) => [e.action, e.actorType, e.actorId]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['tenant.disabled', 'operator', 'operator'],
        ['tenant.enabled', 'operator', 'operator'],
      ]),
    );
    expect(actions.filter((a: string[]) => a[0] === 'tenant.disabled')).toHaveLength(1);
  });

  it('is done by an operator user signed in with a session (audited as that user)', async () => {
    const { tenantId, token } = await tenantWithOwner('Session Ops Co');
    const email = `ops-${randomUUID().slice(0, 8)}@example.com`;
    const created = await operator.call('POST', '/api/v1/operators', { email, password: PASSWORD });
    expect(created.status).toBe(201);
    const ops = new Caller();
    expect((await ops.call('POST', '/api/v1/session', { email, password: PASSWORD })).status).toBe(
      200,
    );
    expect((await ops.call('POST', `/api/v1/operator/tenants/${tenantId}/disable`)).status).toBe(
      200,
    );
    expect((await token.call('GET', '/api/v1/shops')).body.code).toBe('TENANT_DISABLED');
    const [entry] = await db.query(
      `SELECT actor_id, actor_type FROM gateway.audit_log WHERE tenant_id = $1 AND action = 'tenant.disabled'`,
      [tenantId],
    );
    expect(entry).toEqual({ actor_id: created.body.id, actor_type: 'user' });
    expect((await ops.call('POST', `/api/v1/operator/tenants/${tenantId}/enable`)).status).toBe(
      200,
    );
  });

  it('answers 404 for an unknown tenant and 400 for a bad id, and only to the operator', async () => {
    const unknown = await operator.call('POST', `/api/v1/operator/tenants/${randomUUID()}/disable`);
    expect(unknown).toEqual({
      status: 404,
      body: expect.objectContaining({ code: 'TENANT_NOT_FOUND' }),
    });
    expect((await operator.call('POST', '/api/v1/operator/tenants/nope/disable')).status).toBe(400);
    const { tenantId, token, owner } = await tenantWithOwner('Not An Operator Co');
    for (const caller of [token, owner]) {
      const answer = await caller.call('POST', `/api/v1/operator/tenants/${tenantId}/disable`);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('OPERATOR_ONLY');
    }
  });

  it('answers 503 when credentials does not answer, with the tenant already disabled; a retry finishes', async () => {
    const { tenantId, token } = await tenantWithOwner('Flaky Co');
    await services.close();
    try {
      const answer = await operator.call('POST', `/api/v1/operator/tenants/${tenantId}/disable`);
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('SERVICE_UNAVAILABLE');
      expect((await token.call('GET', '/api/v1/audit-log')).body.code).toBe('TENANT_DISABLED');
    } finally {
      await services.listen();
    }
    const retried = await operator.call('POST', `/api/v1/operator/tenants/${tenantId}/disable`);
    expect(retried.status).toBe(200);
    expect(seen.suspensions.at(-1)).toEqual({ tenantId, suspended: true });
  });
});

describe('the operator console routes', () => {
  it("lists tenants with people, tokens and their worst shop's health, and shows one", async () => {
    const { tenantId } = await tenantWithOwner('Health Co');
    seen.shops.set(tenantId, [
      shop(tenantId),
      shop(tenantId, { licenseKeyDaysLeft: 5, status: 'expiring_soon' }),
      shop(tenantId, { needsReauth: true, status: 'needs_reauth' }),
    ]);
    const list = await operator.call('GET', '/api/v1/operator/tenants');
    expect(list.status).toBe(200);
    expect(list.body.healthAvailable).toBe(true);
    expect(list.body.items.find((t: any) => t.id === tenantId)).toEqual({
      id: tenantId,
      name: 'Health Co',
      createdAt: expect.any(String),
      disabledAt: null,
      users: 1,
      activeTokens: 1,
      shops: 3,
      shopsWithProblems: 2,
      worstHealth: 'critical',
    });
    const one = await operator.call('GET', `/api/v1/operator/tenants/${tenantId}`);
    expect(one.status).toBe(200);
    expect(one.body.tenant.worstHealth).toBe('critical');
    expect(one.body.shops).toHaveLength(3);
    expect(
      one.body.shops
        .map((s: any) => s.problems)
        .flat()
        .sort(),
    ).toEqual(['license_expiring', 'needs_reauth']);
    const without = await tenantWithOwner('No Shops Co');
    const empty = await operator.call('GET', `/api/v1/operator/tenants/${without.tenantId}`);
    expect(empty.body).toEqual({
      tenant: expect.objectContaining({ shops: 0, worstHealth: null }),
      shops: [],
    });
    expect((await operator.call('GET', `/api/v1/operator/tenants/${randomUUID()}`)).status).toBe(
      404,
    );
  });

  it('still lists tenants when the services do not answer (shop columns null)', async () => {
    await services.close();
    try {
      const list = await operator.call('GET', '/api/v1/operator/tenants');
      expect(list.status).toBe(200);
      expect(list.body.healthAvailable).toBe(false);
      expect(list.body.items[0]).toEqual(
        expect.objectContaining({ shops: null, worstHealth: null }),
      );
    } finally {
      await services.listen();
    }
  });
});

describe("revoking a tenant's tokens", () => {
  it('revokes every live token, says how many, and is audited', async () => {
    const { tenantId, token } = await tenantWithOwner('Leaky Co');
    const minted = [];
    for (const scope of ['read', 'write']) {
      const answer = await token.call('POST', '/api/v1/tokens', { name: scope, scope });
      expect(answer.status).toBe(201);
      minted.push(new Caller(answer.body.token as string));
    }
    const other = await tenantWithOwner('Unaffected Co');
    const revoked = await operator.call(
      'POST',
      `/api/v1/operator/tenants/${tenantId}/revoke-tokens`,
    );
    expect(revoked).toEqual({ status: 200, body: { revoked: 3 } });
    for (const caller of [token, ...minted]) {
      const answer = await caller.call('GET', '/api/v1/shops');
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('UNAUTHENTICATED');
    }
    expect((await other.token.call('GET', '/api/v1/shops')).status).toBe(200);
    const again = await operator.call('POST', `/api/v1/operator/tenants/${tenantId}/revoke-tokens`);
    expect(again.body).toEqual({ revoked: 0 });
    const entries = await db.query(
      `SELECT actor_type, details FROM gateway.audit_log
        WHERE tenant_id = $1 AND action = 'tenant.tokens_revoked' ORDER BY created_at`,
      [tenantId],
    );
    expect(entries).toEqual([
      { actor_type: 'operator', details: { revoked: 3 } },
      { actor_type: 'operator', details: { revoked: 0 } },
    ]);
    const [{ live }] = await db.query(
      'SELECT count(*)::int AS live FROM gateway.api_tokens WHERE tenant_id = $1 AND revoked_at IS NULL',
      [tenantId],
    );
    expect(live).toBe(0);
  });
});
