import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import type { ClientProxy } from '@nestjs/microservices';
import {
  type CreatedEndpointView,
  NOTIFICATION_CALLS,
  createEvent,
  encodeEvent,
  eventKey,
  exampleShopAlertData,
} from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import { internalCallClient } from '@smartship/service-kit';
import {
  ServiceProcess,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { firstValueFrom } from 'rxjs';
import { Webhook } from 'standardwebhooks';

// The receivers of the notifications tests: a test may use another app's test helpers.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type HttpsReceiver,
  type MailCatcher,
  startHttpsReceiver,
  startMailCatcher,
} from '../../notifications/test/receivers';

/**
 * The notifications service as a process, SIGKILLed while deliveries are pending and in flight,
 * then started again: every alert reaches the recipient and the endpoint. A delivery can arrive
 * twice only when the kill fell between sending it and recording it (at least once); the copy
 * carries the same Message-ID / webhook-id, which is what receivers dedupe by.
 */
const infra = testInfrastructure();
const HTTP = 21005;
const TCP = 21015;
const ALERTS = 30;
const tenantId = randomUUID();

let mail: MailCatcher;
let https: HttpsReceiver;
let service: ServiceProcess;
let client: ClientProxy;
let producer: Producer;
let db: Client;

beforeAll(async () => {
  mail = await startMailCatcher({ port: 21020 });
  https = await startHttpsReceiver(21021);
  service = new ServiceProcess({
    app: 'notifications',
    httpPort: HTTP,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: infra.databaseUrl,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_GROUP_SUFFIX: `-kill-${uniqueSuffix()}`,
      TCP_PORT: String(TCP),
      MASTER_KEYS: SecretBox.generateKey('kill'),
      SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_CA_FILE: https.caFile,
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_MS: '1000',
      DELIVERY_LEASE_MS: '5000',
      DELIVERY_CONCURRENCY: '2',
      DELIVERY_POLL_MS: '100',
    },
  });
  await service.start();
  client = internalCallClient(TCP);
  producer = testKafka(infra.kafkaBrokers).producer();
  await producer.connect();
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await producer?.disconnect();
  client?.close();
  await service?.stop();
  await mail?.close();
  await https?.close();
});

async function deliveries(): Promise<{ status: string; n: number }[]> {
  const result = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM notifications.deliveries WHERE tenant_id = $1 GROUP BY status`,
    [tenantId],
  );
  return result.rows;
}

function count(rows: { status: string; n: number }[], status?: string): number {
  return rows.filter((r) => !status || r.status === status).reduce((sum, r) => sum + r.n, 0);
}

it('loses no delivery when the service is SIGKILLed between intent and delivery', async () => {
  const actor = { tenantId, actorId: 'kill-test' };
  const path = `/kill/${tenantId}`;
  const address = `kill-${uniqueSuffix()}@example.com`;
  await firstValueFrom(
    client.send(NOTIFICATION_CALLS.createRecipient, {
      actor,
      body: { email: address, kinds: ['license_expiring'] },
    }),
  );
  const endpoint = await firstValueFrom(
    client.send<CreatedEndpointView>(NOTIFICATION_CALLS.createEndpoint, {
      actor,
      body: { url: `https://127.0.0.1:${https.port}${path}`, kinds: ['license_expiring'] },
    }),
  );

  // Slow receivers: two slots, 300 ms each, so most deliveries are still due at the kill.
  mail.delayMs = 300;
  https.delayMs = 300;
  const alerts = Array.from({ length: ALERTS }, () =>
    createEvent('shop.alert', { tenantId, shopId: randomUUID(), data: exampleShopAlertData() }),
  );
  await producer.send({
    topic: 'shop.alert',
    acks: -1,
    messages: alerts.map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
  });

  // Every intent written (one e-mail and one webhook per alert), some sent, most not: kill.
  await expectEventually(
    async () => {
      const rows = await deliveries();
      expect(count(rows)).toBe(2 * ALERTS);
      expect(count(rows, 'succeeded')).toBeGreaterThan(0);
    },
    { intervalMs: 20 },
  );
  await service.kill();
  const atKill = await deliveries();
  expect(count(atKill, 'succeeded')).toBeLessThan(2 * ALERTS);

  mail.delayMs = 0;
  https.delayMs = 0;
  await service.start();
  await expectEventually(
    async () => expect(count(await deliveries(), 'succeeded')).toBe(2 * ALERTS),
    {
      timeoutMs: 60_000,
    },
  );

  const mails = mail.messages.filter((m) => m.to.includes(address));
  const hooks = https.on(path);
  const mailIds = new Set(mails.map((m) => m.messageId));
  const hookIds = new Set(hooks.map((r) => r.headers['webhook-id']));
  expect(mailIds.size).toBe(ALERTS);
  expect(hookIds.size).toBe(ALERTS);
  // Copies only of what was in flight at the kill (two slots per channel at most).
  const extraMails = mails.length - mailIds.size;
  const extraHooks = hooks.length - hookIds.size;
  expect(extraMails + extraHooks).toBeLessThanOrEqual(2);
  for (const request of hooks) {
    new Webhook(endpoint.secret).verify(request.body, {
      'webhook-id': request.headers['webhook-id'],
      'webhook-timestamp': request.headers['webhook-timestamp'],
      'webhook-signature': request.headers['webhook-signature'],
    });
  }
  console.log(
    `notifications kill: ${count(atKill, 'succeeded')} of ${2 * ALERTS} delivered before the kill; ` +
      `copies after restart: ${extraMails} e-mail(s), ${extraHooks} webhook(s)`,
  );
});
