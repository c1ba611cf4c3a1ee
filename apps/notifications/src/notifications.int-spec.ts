import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  type ShopAlertSeverity,
  createEvent,
  exampleShopAlertData,
  exampleShopUpdatedData,
  exampleTenantAlertData,
} from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import { loadConfig } from '@smartship/service-kit';
import {
  expectEventually,
  publishAndAwaitApplied,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';

import {
  type HttpsReceiver,
  type MailCatcher,
  startHttpsReceiver,
  startMailCatcher,
} from '../test/receivers';
import { AppModule } from './app.module';
import { NotificationsController } from './calls/notifications.controller';
import { NotificationsService } from './calls/notifications.service';
import { NotificationsConfig } from './config';

/**
 * The notifications service in this process on the real database and broker, with a real SMTP
 * server and a real HTTPS receiver: alerts published on Kafka become e-mails and signed webhooks.
 */
const infra = testInfrastructure();
const CONSOLE_URL = 'http://console.test:3000';

let app: INestApplication;
let service: NotificationsService;
let controller: NotificationsController;
let dataSource: DataSource;
let producer: Producer;
let mail: MailCatcher;
let https: HttpsReceiver;

const query = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> =>
  dataSource.query<Record<string, unknown>[]>(sql, params);

beforeAll(async () => {
  mail = await startMailCatcher({ port: 0 });
  https = await startHttpsReceiver();
  const config = loadConfig('notifications', NotificationsConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
    MASTER_KEYS: SecretBox.generateKey('test'),
    SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    CONSOLE_URL,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_CA_FILE: https.caFile,
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_RETRY_MAX_MS: '200',
    WEBHOOK_RETRY_FOR_MS: '4000',
    WEBHOOK_TIMEOUT_MS: '1500',
    DELIVERY_POLL_MS: '50',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  service = app.get(NotificationsService);
  controller = app.get(NotificationsController);
  dataSource = app.get(DataSource);
  producer = testKafka(infra.kafkaBrokers).producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await app?.close();
  await mail?.close();
  await https?.close();
});

function publish(events: AnyEvent[]): Promise<void> {
  return publishAndAwaitApplied(producer, query, 'notifications', events);
}

function shopUpdated(tenantId: string, shopId: string, shopUrl: string): AnyEvent {
  return createEvent('shop.updated', {
    tenantId,
    shopId,
    data: { ...exampleShopUpdatedData(), shopUrl },
  });
}

function licenceAlert(
  tenantId: string,
  shopId: string,
  severity: ShopAlertSeverity = 'warning',
): AnyEvent {
  return createEvent('shop.alert', {
    tenantId,
    shopId,
    data: { ...exampleShopAlertData({ daysLeft: 14, severity }) },
  });
}

function actor(tenantId: string) {
  return { tenantId, actorId: 'notifications-int-test' };
}

async function endpoint(tenantId: string, path: string, kinds: string[] = ['license_expiring']) {
  return service.createEndpoint({
    actor: actor(tenantId),
    body: { url: `https://127.0.0.1:${https.port}${path}`, kinds },
  });
}

async function delivery(id: string): Promise<Record<string, unknown>> {
  const [row] = await query(`SELECT * FROM notifications.deliveries WHERE id = $1`, [id]);
  return row;
}

function headersOf(request: { headers: Record<string, string> }) {
  return {
    'webhook-id': request.headers['webhook-id'],
    'webhook-timestamp': request.headers['webhook-timestamp'],
    'webhook-signature': request.headers['webhook-signature'],
  };
}

it('sends a licence alert once per recipient (in Korean) and once per endpoint, signed; a repeat inside the window is counted, an escalation is sent', async () => {
  const tenantId = randomUUID();
  const shopId = randomUUID();
  const path = `/hooks/${tenantId}`;
  await service.updateSettings({ actor: actor(tenantId), body: { language: 'ko' } });
  const kinds = ['license_expiring', 'auth_failed'];
  const first = `ops-${uniqueSuffix()}@example.com`;
  const second = `owner-${uniqueSuffix()}@example.com`;
  await service.createRecipient({ actor: actor(tenantId), body: { email: first, kinds } });
  await service.createRecipient({ actor: actor(tenantId), body: { email: second, kinds } });
  const created = await endpoint(tenantId, path);
  expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(created.secretHint).toBe(`whsec_…${created.secret.slice(-4)}`);

  await publish([shopUpdated(tenantId, shopId, 'https://www.rakuten.ne.jp/kimchi-house')]);
  await publish([licenceAlert(tenantId, shopId)]);

  const mailsTo = (address: string) => mail.messages.filter((m) => m.to.includes(address));
  await expectEventually(() => {
    expect(mailsTo(first)).toHaveLength(1);
    expect(mailsTo(second)).toHaveLength(1);
    expect(https.on(path)).toHaveLength(1);
  });
  for (const address of [first, second]) {
    const { messageId, ...parsed } = mailsTo(address)[0];
    expect(parsed.subject).toContain('kimchi-house');
    expect(parsed.subject).toContain('라이선스 키가 14일 후 만료됩니다');
    expect(parsed.text).toContain('RMS > WEB APIサービス에서 새 라이선스 키를 발급받아');
    expect(parsed.text).toContain(`${CONSOLE_URL}/shops/${shopId}`);
    expect(parsed.html).toContain(`href="${CONSOLE_URL}/shops/${shopId}"`);
    expect(parsed.html).toContain('라이선스 키');
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@smartship>$/);
  }

  const [request] = https.on(path);
  const verified = new Webhook(created.secret).verify(request.body, headersOf(request)) as {
    type: string;
    data: { kind: string; link: string; shop: { id: string; name: string }; details: unknown };
  };
  expect(verified.type).toBe('alert.license_expiring');
  expect(verified.data.shop).toEqual({ id: shopId, name: 'kimchi-house' });
  expect(verified.data.link).toBe(`/shops/${shopId}`);
  expect(verified.data.details).toMatchObject({ daysLeft: 14 });

  const list = await service.list({ actor: actor(tenantId), query: {} });
  expect(list.unreadCount).toBe(1);
  expect(list.items[0]).toMatchObject({
    kind: 'license_expiring',
    severity: 'warning',
    shopId,
    shopName: 'kimchi-house',
    link: `/shops/${shopId}`,
    suppressedRepeats: 0,
    readAt: null,
  });

  // The same alert again (a new event) inside the window: counted, not sent.
  await publish([licenceAlert(tenantId, shopId)]);
  const [row] = await query(
    `SELECT suppressed_repeats FROM notifications.notifications WHERE tenant_id = $1`,
    [tenantId],
  );
  expect(row.suppressed_repeats).toBe(1);
  await expectEventually(async () => {
    const deliveries = await query(
      `SELECT status FROM notifications.deliveries WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(deliveries.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });
  expect(mailsTo(first)).toHaveLength(1);
  expect(https.on(path)).toHaveLength(1);

  // Escalation to critical: news, sent.
  await publish([licenceAlert(tenantId, shopId, 'critical')]);
  await expectEventually(() => {
    expect(mailsTo(first)).toHaveLength(2);
    expect(mailsTo(second)).toHaveLength(2);
    expect(https.on(path)).toHaveLength(2);
  });
  expect(mailsTo(first)[1].subject).toContain('긴급');
  const ids = https.on(path).map((r) => r.headers['webhook-id']);
  expect(new Set(ids).size).toBe(2);
  expect((await service.list({ actor: actor(tenantId), query: {} })).unreadCount).toBe(2);
  expect(
    (await service.markRead({ actor: actor(tenantId), body: { all: true } })).unreadCount,
  ).toBe(0);
});

it('retries a receiver that answers 500 twice: delivered once, 3 attempts, the same webhook-id', async () => {
  const tenantId = randomUUID();
  const path = `/retry/${tenantId}`;
  const created = await endpoint(tenantId, path);
  https.script.set(path, [{ status: 500 }, { status: 500 }]);
  const { deliveryId } = await service.testEndpoint({ actor: actor(tenantId), id: created.id });
  await expectEventually(async () =>
    expect(await delivery(deliveryId)).toMatchObject({ status: 'succeeded', attempts: 3 }),
  );
  const requests = https.on(path);
  expect(requests).toHaveLength(3);
  expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([deliveryId]));
  for (const request of requests) {
    expect(() =>
      new Webhook(created.secret).verify(request.body, headersOf(request)),
    ).not.toThrow();
  }
  const log = await service.endpointDeliveries({
    actor: actor(tenantId),
    id: created.id,
    query: {},
  });
  expect(log.items[0]).toMatchObject({
    id: deliveryId,
    notificationId: null,
    kind: 'test',
    status: 'succeeded',
    attempts: 3,
    lastStatusCode: 200,
  });
});

it('refuses internal webhook addresses at save (400 naming url) and at delivery, never reaching them', async () => {
  const tenantId = randomUUID();
  for (const url of [
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[::ffff:192.168.0.1]/hook',
    'https://localhost/hook',
    'http://hooks.example.com/plain-http',
  ]) {
    const error = await Promise.resolve()
      .then(() => controller.createEndpoint({ actor: actor(tenantId), body: { url, kinds: [] } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    // `body.url` when the call's contract refuses it, `url` when the address check does.
    expect((error as { details: { field: string }[] }).details[0].field).toMatch(/^(body\.)?url$/);
  }
  const bad = await Promise.resolve()
    .then(() =>
      controller.createEndpoint({
        actor: actor(tenantId),
        body: { url: 'https://hooks.example.com/x', kinds: ['nope'] },
      }),
    )
    .catch((e: unknown) => e);
  expect((bad as { details: { field: string }[] }).details[0].field).toBe('body.kinds');
  expect(
    await query(`SELECT 1 FROM notifications.endpoints WHERE tenant_id = $1`, [tenantId]),
  ).toEqual([]);

  // Saved while allowed, now pointing at a name that resolves to loopback: refused at delivery.
  const path = `/internal/${tenantId}`;
  const created = await endpoint(tenantId, path);
  await query(`UPDATE notifications.endpoints SET url = $2 WHERE id = $1`, [
    created.id,
    `https://localhost:${https.port}${path}`,
  ]);
  const { deliveryId } = await service.testEndpoint({ actor: actor(tenantId), id: created.id });
  await expectEventually(async () =>
    expect(await delivery(deliveryId)).toMatchObject({ status: 'failed', attempts: 1 }),
  );
  expect(String((await delivery(deliveryId)).last_error)).toMatch(
    /localhost resolves to .*internal address \(loopback\)/,
  );
  expect(https.on(path)).toHaveLength(0);
});

it('does not follow a redirect, and one endpoint that never answers does not hold up another', async () => {
  const tenantId = randomUUID();
  const redirect = `/redirect/${tenantId}`;
  const landing = `/landing/${tenantId}`;
  https.script.set(
    redirect,
    Array.from({ length: 100 }, () => ({
      status: 302,
      headers: { location: `https://127.0.0.1:${https.port}${landing}` },
    })),
  );
  const redirecting = await endpoint(tenantId, redirect);
  const hang = `/hang/${tenantId}`;
  const fast = `/fast/${tenantId}`;
  https.script.set(hang, ['hang', 'hang', 'hang', 'hang', 'hang', 'hang']);
  const slow = await endpoint(tenantId, hang);
  const quick = await endpoint(tenantId, fast);

  const redirectDelivery = await service.testEndpoint({
    actor: actor(tenantId),
    id: redirecting.id,
  });
  const slowDelivery = await service.testEndpoint({ actor: actor(tenantId), id: slow.id });
  await expectEventually(() => expect(https.on(hang)).toHaveLength(1));
  const quickDelivery = await service.testEndpoint({ actor: actor(tenantId), id: quick.id });
  await expectEventually(async () =>
    expect(await delivery(quickDelivery.deliveryId)).toMatchObject({ status: 'succeeded' }),
  );
  // The hanging attempt is still open (1.5 s limit) when the other endpoint has its message.
  expect((await delivery(slowDelivery.deliveryId)).last_error).toBeNull();
  await expectEventually(async () =>
    expect(String((await delivery(slowDelivery.deliveryId)).last_error)).toContain(
      'no answer within 1500 ms',
    ),
  );

  await expectEventually(
    async () =>
      expect(await delivery(redirectDelivery.deliveryId)).toMatchObject({ status: 'failed' }),
    { timeoutMs: 15_000 },
  );
  const row = await delivery(redirectDelivery.deliveryId);
  expect(row.last_status_code).toBe(302);
  expect(String(row.last_error)).toContain('redirects are not followed');
  expect(Number(row.attempts)).toBeGreaterThan(1);
  expect(https.on(landing)).toHaveLength(0);
});

it('signs with the new and the old secret for a day after rotation', async () => {
  const tenantId = randomUUID();
  const path = `/rotated/${tenantId}`;
  const created = await endpoint(tenantId, path);
  const { secret } = await service.rotateEndpointSecret({ actor: actor(tenantId), id: created.id });
  expect(secret).not.toBe(created.secret);
  const { deliveryId } = await service.testEndpoint({ actor: actor(tenantId), id: created.id });
  await expectEventually(async () =>
    expect(await delivery(deliveryId)).toMatchObject({ status: 'succeeded' }),
  );
  const [request] = https.on(path);
  expect(request.headers['webhook-signature'].split(' ')).toHaveLength(2);
  expect(() => new Webhook(secret).verify(request.body, headersOf(request))).not.toThrow();
  expect(() => new Webhook(created.secret).verify(request.body, headersOf(request))).not.toThrow();
  const settings = await service.getSettings({ actor: actor(tenantId) });
  expect(JSON.stringify(settings)).not.toContain(secret.slice(6, 30));
  expect(settings.endpoints[0].secretHint).toBe(`whsec_…${secret.slice(-4)}`);
});

it('puts non-critical alerts of a digest recipient in the daily digest, and keeps tenants apart', async () => {
  const tenantId = randomUUID();
  const address = `digest-${uniqueSuffix()}@example.com`;
  await service.updateSettings({ actor: actor(tenantId), body: { language: 'ja' } });
  const recipient = await service.createRecipient({
    actor: actor(tenantId),
    body: { email: address, kinds: ['import_errors'], digest: true },
  });
  await publish([createEvent('tenant.alert', { tenantId, data: exampleTenantAlertData() })]);
  const [notification] = await query(
    `SELECT id, title, link FROM notifications.notifications WHERE tenant_id = $1`,
    [tenantId],
  );
  expect(notification.link).toBe('/skus');
  expect(notification.title).toBe('SKUインポート：3行を登録できませんでした');
  expect(
    await query(`SELECT 1 FROM notifications.deliveries WHERE tenant_id = $1`, [tenantId]),
  ).toEqual([]);

  // The last digest was two days ago: the next pass writes today's.
  await query(
    `UPDATE notifications.settings SET last_digest_at = now() - interval '2 days' WHERE tenant_id = $1`,
    [tenantId],
  );
  await expectEventually(() =>
    expect(mail.messages.filter((m) => m.to.includes(address))).toHaveLength(1),
  );
  const digest = mail.messages.find((m) => m.to.includes(address))!;
  expect(digest.subject).toBe('[Smartship] 本日の通知まとめ（1件）');
  expect(digest.text).toContain('SKUインポート：3行を登録できませんでした');
  expect(digest.text).toContain(`${CONSOLE_URL}/skus`);

  const stranger = actor(randomUUID());
  await expect(
    service.updateRecipient({ actor: stranger, id: recipient.id, body: { digest: false } }),
  ).rejects.toMatchObject({ statusCode: 404 });
  await expect(
    service.deleteRecipient({ actor: stranger, id: recipient.id }),
  ).rejects.toMatchObject({
    statusCode: 404,
  });
  expect((await service.list({ actor: stranger, query: {} })).items).toEqual([]);
});
