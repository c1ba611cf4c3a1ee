/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call --
   HTTP answers are untyped JSON here; the assertions are what checks their shape. */
import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { SecretBox } from '@smartship/crypto';
import { loadConfig } from '@smartship/service-kit';
import { freePort, testInfrastructure, uniqueSuffix } from '@smartship/testing';
import { DataSource } from 'typeorm';

// The real notifications service behind the gateway: a test may wire two apps, production code may not.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AppModule as NotificationsAppModule } from '../../../notifications/src/app.module';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { NotificationsConfig } from '../../../notifications/src/config';
import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';

/**
 * The notification routes end to end over HTTP: the gateway and the real notifications service
 * (over the TCP transport) in this process, on the real database and broker. Validation names
 * the field and stores nothing; one tenant never sees or changes another's settings.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-notifications-${run}-${'x'.repeat(32)}`;

let gateway: INestApplication;
let notifications: INestApplication;
let db: DataSource;
let base: string;

async function api(
  method: string,
  path: string,
  token: string | undefined,
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
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function tenant(name: string): Promise<{ token: string; tenantId: string }> {
  const answer = await api('POST', '/api/v1/tenants', OPERATOR_TOKEN, { name });
  expect(answer.status).toBe(201);
  return { token: answer.body.token.token as string, tenantId: answer.body.tenant.id as string };
}

function fields(answer: { body: any }): string[] {
  return (answer.body.details as { field: string }[]).map((d) => d.field);
}

beforeAll(async () => {
  const tcp = await freePort();
  const config = loadConfig('notifications', NotificationsConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${run}`,
    MASTER_KEYS: SecretBox.generateKey('test'),
    // Nothing listens there; these tests queue deliveries but do not wait for them.
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    // The test delivery to 8.8.8.8 gives up at once instead of holding the shutdown.
    WEBHOOK_TIMEOUT_MS: '100',
    LOG_LEVEL: 'error',
  });
  notifications = await NestFactory.create(NotificationsAppModule.forRoot(config), {
    logger: false,
  });
  notifications.connectMicroservice({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: tcp },
  });
  await notifications.startAllMicroservices();
  await notifications.init();

  const gatewayConfig = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: `127.0.0.1:${await freePort()}`,
    INGESTION_TCP: `127.0.0.1:${await freePort()}`,
    MAPPING_TCP: `127.0.0.1:${await freePort()}`,
    FULFILLMENT_TCP: `127.0.0.1:${await freePort()}`,
    NOTIFICATIONS_TCP: `127.0.0.1:${tcp}`,
  });
  gateway = await NestFactory.create(AppModule.forRoot(gatewayConfig), { logger: false });
  configureHttp(gateway, gatewayConfig);
  await gateway.listen(0, '127.0.0.1');
  base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  db = new DataSource({ type: 'postgres', url: infra.databaseUrl });
  await db.initialize();
});

afterAll(async () => {
  await db?.destroy();
  await gateway?.close();
  await notifications?.close();
});

it('settings, recipients and endpoints through the gateway: validated, audited, tenant-scoped', async () => {
  const a = await tenant(`notify-a-${run}`);
  const b = await tenant(`notify-b-${run}`);

  const settings = await api('GET', '/api/v1/notification-settings', a.token);
  expect(settings.status).toBe(200);
  expect(settings.body).toEqual({
    language: 'ko',
    windowMinutes: 360,
    digestHourJst: 9,
    recipients: [],
    endpoints: [],
  });
  const put = await api('PUT', '/api/v1/notification-settings', a.token, {
    language: 'ja',
    windowMinutes: 60,
  });
  expect(put.body).toMatchObject({ language: 'ja', windowMinutes: 60, digestHourJst: 9 });
  const badSettings = await api('PUT', '/api/v1/notification-settings', a.token, {
    language: 'fr',
    windowMinutes: 1,
    digestHourJst: 24,
  });
  expect(badSettings.status).toBe(400);
  expect(fields(badSettings).sort()).toEqual(['digestHourJst', 'language', 'windowMinutes']);

  const recipient = await api('POST', '/api/v1/notification-recipients', a.token, {
    email: 'ops@example.com',
    kinds: ['license_expiring', 'orders_unmapped'],
    digest: true,
  });
  expect(recipient.status).toBe(201);
  expect(recipient.body).toMatchObject({ email: 'ops@example.com', digest: true });

  for (const [body, field] of [
    [{ email: 'not-an-email', kinds: [] }, 'email'],
    [{ email: `${'a'.repeat(250)}@example.com`, kinds: [] }, 'email'],
    [{ email: 'x@example.com', kinds: ['license_expiring', 'nope'] }, 'kinds'],
    [{ email: 'x@example.com', kinds: 'license_expiring' }, 'kinds'],
    [{ email: 'x@example.com', kinds: [], digest: 'yes' }, 'digest'],
  ] as const) {
    const answer = await api('POST', '/api/v1/notification-recipients', a.token, body);
    expect(answer.status).toBe(400);
    expect(fields(answer)).toContain(field);
  }

  for (const url of [
    'http://hooks.example.com/x',
    'https://127.0.0.1/x',
    'https://10.1.2.3/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/',
    `https://hooks.example.com/${'x'.repeat(2000)}`,
  ]) {
    const answer = await api('POST', '/api/v1/webhook-endpoints', a.token, { url, kinds: [] });
    expect(answer.status).toBe(400);
    expect(fields(answer)).toEqual(['url']);
  }
  const badKinds = await api('POST', '/api/v1/webhook-endpoints', a.token, {
    url: 'https://8.8.8.8/hook',
    kinds: ['everything'],
  });
  expect(fields(badKinds)).toEqual(['kinds']);

  const endpoint = await api('POST', '/api/v1/webhook-endpoints', a.token, {
    url: 'https://8.8.8.8/hook',
    kinds: ['auth_failed'],
    format: 'slack',
  });
  expect(endpoint.status).toBe(201);
  const secret = endpoint.body.secret as string;
  expect(secret).toMatch(/^whsec_/);
  expect(endpoint.body.secretHint).toBe(`whsec_…${secret.slice(-4)}`);

  // Only the recipient and the endpoint above were stored.
  const [stored] = await db.query(
    `SELECT (SELECT count(*) FROM notifications.recipients WHERE tenant_id = $1) AS recipients,
            (SELECT count(*) FROM notifications.endpoints WHERE tenant_id = $1) AS endpoints`,
    [a.tenantId],
  );
  expect(stored).toEqual({ recipients: '1', endpoints: '1' });

  const listed = await api('GET', '/api/v1/notification-settings', a.token);
  expect(listed.body.endpoints).toHaveLength(1);
  expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));

  // Another tenant sees nothing of them and cannot change them.
  const other = await api('GET', '/api/v1/notification-settings', b.token);
  expect(other.body.recipients).toEqual([]);
  expect(other.body.endpoints).toEqual([]);
  const rid = recipient.body.id as string;
  const eid = endpoint.body.id as string;
  for (const [method, path, body] of [
    ['PATCH', `/api/v1/notification-recipients/${rid}`, { digest: false }],
    ['DELETE', `/api/v1/notification-recipients/${rid}`, undefined],
    ['POST', `/api/v1/notification-recipients/${rid}/test`, undefined],
    ['PATCH', `/api/v1/webhook-endpoints/${eid}`, { enabled: false }],
    ['DELETE', `/api/v1/webhook-endpoints/${eid}`, undefined],
    ['POST', `/api/v1/webhook-endpoints/${eid}/rotate-secret`, undefined],
    ['POST', `/api/v1/webhook-endpoints/${eid}/test`, undefined],
    ['GET', `/api/v1/webhook-endpoints/${eid}/deliveries`, undefined],
  ] as const) {
    const answer = await api(method, path, b.token, body);
    expect([answer.status, method, path]).toEqual([404, method, path]);
  }
  expect((await api('GET', '/api/v1/notifications', b.token)).body).toEqual({
    items: [],
    unreadCount: 0,
    nextCursor: null,
  });

  // The owner can use them.
  const test = await api('POST', `/api/v1/webhook-endpoints/${eid}/test`, a.token);
  expect(test.status).toBe(202);
  const log = await api('GET', `/api/v1/webhook-endpoints/${eid}/deliveries?limit=5`, a.token);
  expect(log.body.items[0]).toMatchObject({ id: test.body.deliveryId, kind: 'test' });
  const rotated = await api('POST', `/api/v1/webhook-endpoints/${eid}/rotate-secret`, a.token);
  expect(rotated.status).toBe(200);
  expect(rotated.body.secret).not.toBe(secret);
  expect(
    (await api('PATCH', `/api/v1/webhook-endpoints/${eid}`, a.token, { enabled: false })).body,
  ).toMatchObject({ enabled: false, format: 'slack' });
  expect((await api('DELETE', `/api/v1/notification-recipients/${rid}`, a.token)).status).toBe(204);
  expect((await api('DELETE', `/api/v1/notification-recipients/${rid}`, a.token)).status).toBe(404);

  const read = await api('POST', '/api/v1/notifications/read', a.token, { ids: ['nope'] });
  expect(read.status).toBe(400);
  expect(fields(read)).toContain('ids');
  expect((await api('GET', '/api/v1/notifications?limit=0', a.token)).status).toBe(400);
  expect((await api('GET', '/api/v1/notifications?unread=true&limit=10', a.token)).status).toBe(
    200,
  );

  // Audited, without secrets.
  const audit = await api('GET', '/api/v1/audit-log', a.token);
  const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
  expect(actions).toEqual(
    expect.arrayContaining([
      'notification_settings.updated',
      'notification_recipient.created',
      'notification_recipient.deleted',
      'webhook_endpoint.created',
      'webhook_endpoint.secret_rotated',
      'webhook_endpoint.updated',
    ]),
  );
  expect(JSON.stringify(audit.body)).not.toContain(secret.slice(6));
  expect(JSON.stringify(audit.body)).not.toContain(rotated.body.secret.slice(6));
});

it('refuses a 51st recipient with 409 and stores nothing more', async () => {
  const a = await tenant(`notify-limit-${run}`);
  for (let i = 0; i < 50; i += 1) {
    const answer = await api('POST', '/api/v1/notification-recipients', a.token, {
      email: `r${i}@example.com`,
      kinds: [],
    });
    expect(answer.status).toBe(201);
  }
  const over = await api('POST', '/api/v1/notification-recipients', a.token, {
    email: 'r50@example.com',
    kinds: [],
  });
  expect(over.status).toBe(409);
  expect(over.body.code).toBe('TOO_MANY_RECIPIENTS');
  const [row] = await db.query(
    `SELECT count(*) AS n FROM notifications.recipients WHERE tenant_id = $1`,
    [a.tenantId],
  );
  expect(row.n).toBe('50');
});
