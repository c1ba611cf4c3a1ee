/* eslint-disable @typescript-eslint/no-explicit-any --
   HTTP answers are untyped JSON here; the assertions are what checks their shape. */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@smartship/service-kit';
import { freePort, testInfrastructure } from '@smartship/testing';
import { DataSource } from 'typeorm';

import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';

/*
 * Per-tenant limits shared by gateway instances: two gateways (two Nest apps in this process)
 * on one PostgreSQL count against the same budget. The internal services are not running: a
 * call the limiter lets through ends in a quick 503 (or 200 for what the gateway answers
 * itself), never 429.
 */

const infra = testInfrastructure();
const OPERATOR_TOKEN = `operator-${randomUUID()}-${randomUUID()}`;

const apps: INestApplication[] = [];
const bases: string[] = [];
let db: DataSource;

interface Answer {
  status: number;
  body: any;
  retryAfter: string | null;
}

async function call(
  instance: number,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${bases[instance]}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    retryAfter: response.headers.get('retry-after'),
  };
}

async function tenantToken(): Promise<string> {
  const answer = await call(0, 'POST', '/api/v1/tenants', OPERATOR_TOKEN, {
    name: `Limits ${randomUUID().slice(0, 6)}`,
  });
  expect(answer.status).toBe(201);
  return answer.body.token.token as string;
}

const SHOP = {
  shopId: 'abcd14231499',
  shopUrl: 'https://www.rakuten.ne.jp/abcd14231499',
  serviceSecret: 'SP1001_demo',
  licenseKey: 'SL1001_demo_key',
};

beforeAll(async () => {
  const ports = {
    CREDENTIALS_TCP: `127.0.0.1:${await freePort()}`,
    INGESTION_TCP: `127.0.0.1:${await freePort()}`,
    MAPPING_TCP: `127.0.0.1:${await freePort()}`,
    FULFILLMENT_TCP: `127.0.0.1:${await freePort()}`,
    NOTIFICATIONS_TCP: `127.0.0.1:${await freePort()}`,
  };
  const config = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    ...ports,
    SERVICE_CALL_TIMEOUT_MS: '2000',
    RAKUTEN_CALL_TIMEOUT_MS: '2000',
    PULL_CALL_TIMEOUT_MS: '2000',
    // Small budgets, so a test uses them up in a few requests.
    RATE_LIMIT_API_PER_SECOND: '1',
    RATE_LIMIT_API_BURST: '7',
    RATE_LIMIT_RAKUTEN_PER_MINUTE: '1',
    RATE_LIMIT_RAKUTEN_BURST: '3',
    RATE_LIMIT_SHOP_REGISTRATIONS_PER_DAY: '1',
  });
  for (let i = 0; i < 2; i++) {
    const app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
    configureHttp(app, config);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    bases.push((await app.getUrl()).replace('[::1]', '127.0.0.1'));
  }
  db = new DataSource({ type: 'postgres', url: infra.databaseUrl });
  await db.initialize();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await db?.destroy();
});

describe('the per-tenant API limit', () => {
  it('lets a burst through across both instances, then answers 429 with Retry-After', async () => {
    const token = await tenantToken();
    const other = await tenantToken();
    const answers: number[] = [];
    // Seven requests, alternating between the two gateways: the burst, shared.
    for (let i = 0; i < 7; i++) {
      answers.push((await call(i % 2, 'GET', '/api/v1/audit-log', token)).status);
    }
    expect(answers).toEqual([200, 200, 200, 200, 200, 200, 200]);
    for (const instance of [0, 1]) {
      const refused = await call(instance, 'GET', '/api/v1/audit-log', token);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/limit api allows 1 per second \(burst 7\)/),
        details: { limit: 'api', retryAfterSeconds: 1 },
      });
      expect(refused.retryAfter).toBe('1');
    }
    // Another tenant has its own budget.
    expect((await call(1, 'GET', '/api/v1/audit-log', other)).status).toBe(200);
    // The operator is not limited.
    for (let i = 0; i < 8; i++) {
      expect((await call(i % 2, 'GET', '/api/v1/tokens', OPERATOR_TOKEN)).status).toBe(403);
    }
    // After Retry-After, the sustained rate lets one through again (a few, on a slow machine:
    // one more per second that passed), and then the limit holds again.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await call(1, 'GET', '/api/v1/audit-log', token)).status).toBe(200);
    let refusedAfter = 0;
    for (let i = 1; i <= 10 && refusedAfter === 0; i++) {
      if ((await call(i % 2, 'GET', '/api/v1/audit-log', token)).status === 429) refusedAfter = i;
    }
    expect(refusedAfter).toBeGreaterThan(0);
  });
});

describe('the limits on calls that reach Rakuten', () => {
  it('connection tests, renewals and manual pulls share a tighter budget', async () => {
    const token = await tenantToken();
    const shopId = randomUUID();
    // A body the gateway refuses never reaches Rakuten, and costs nothing.
    const invalid = await call(1, 'PUT', `/api/v1/shops/${shopId}/credentials`, token, SHOP);
    expect(invalid.status).toBe(400);
    const keys = { serviceSecret: SHOP.serviceSecret, licenseKey: SHOP.licenseKey };
    const statuses = [
      (await call(0, 'POST', `/api/v1/shops/${shopId}/connection-test`, token)).status,
      (await call(1, 'POST', `/api/v1/shops/${shopId}/pull`, token)).status,
      (await call(0, 'PUT', `/api/v1/shops/${shopId}/credentials`, token, keys)).status,
    ];
    // Let through to the (absent) services.
    expect(statuses).toEqual([503, 503, 503]);
    const refused = await call(1, 'POST', `/api/v1/shops/${shopId}/connection-test`, token);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(refused.body.details.limit).toBe('rakuten_calls');
    const wait = Number(refused.retryAfter);
    expect(wait).toBeGreaterThan(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.body.details.retryAfterSeconds).toBe(wait);
    // Reading goes on: the API limit is another budget.
    expect((await call(0, 'GET', `/api/v1/audit-log`, token)).status).toBe(200);
  });

  it('backfills count against rakuten_calls like pulls; a bad range is a 400 naming the field and costs nothing', async () => {
    const token = await tenantToken();
    const shopId = randomUUID();
    const today = new Date().toISOString().slice(0, 10);
    const bad = [
      { from: '2001-01-01', to: today },
      { from: today, to: '2001-01-01' },
      { to: today },
    ];
    const fields = [];
    for (const body of bad) {
      const answer = await call(0, 'POST', `/api/v1/shops/${shopId}/backfill`, token, body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      fields.push((answer.body.details as { field: string }[]).map((d) => d.field));
    }
    expect(fields).toEqual([['from'], ['to'], ['from']]);
    // As many refused bodies as the burst, and the valid ones still go through: they cost nothing.
    const valid = { from: new Date(Date.now() - 100 * 86_400_000).toISOString(), to: today };
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await call(i % 2, 'POST', `/api/v1/shops/${shopId}/backfill`, token, valid)).status,
      );
    }
    expect(statuses).toEqual([503, 503, 503]);
    const refused = await call(1, 'POST', `/api/v1/shops/${shopId}/backfill`, token, valid);
    expect(refused.status).toBe(429);
    expect(refused.body.details.limit).toBe('rakuten_calls');
  });

  it('shop registrations have a daily cap of their own', async () => {
    const token = await tenantToken();
    const first = await call(0, 'POST', '/api/v1/shops/rakuten', token, SHOP);
    expect(first.status).toBe(503);
    const second = await call(1, 'POST', '/api/v1/shops/rakuten', token, SHOP);
    expect(second.status).toBe(429);
    expect(second.body.details.limit).toBe('shop_registrations');
    expect(Number(second.retryAfter)).toBeGreaterThan(86_000);
    const [row] = await db.query(
      `SELECT count(*)::int AS count FROM gateway.rate_limits WHERE name = 'shop_registrations'`,
    );
    expect(row.count).toBeGreaterThanOrEqual(1);
  });
});
