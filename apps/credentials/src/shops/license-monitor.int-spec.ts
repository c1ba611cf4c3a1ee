import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SecretBox } from '@smartship/crypto';
import { loadConfig } from '@smartship/service-kit';
import {
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { AppModule } from '../app.module';
import { CredentialsConfig } from '../config';
import { Clock } from './clock';
import { LicenseMonitor } from './license-monitor';
import { Shop } from './shop.entity';
import { ShopKeys } from './shop-keys';
import { ShopsService } from './shops.service';

/**
 * Licence-key expiry with a controllable clock: the credentials app runs in this process on the
 * real database and broker; the test moves its clock and runs the monitor.
 */
const infra = testInfrastructure();
const DAY = 86_400_000;
const tenantId = randomUUID();
const actor = { tenantId, actorId: 'license-monitor-test' };

let app: INestApplication;
let shops: ShopsService;
let monitor: LicenseMonitor;
let clock: Clock;
let alerts: TopicCollector;

const MASTER_KEYS_OF_TEST = SecretBox.generateKey('test');
const baseEnv = {
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
  MASTER_KEYS: MASTER_KEYS_OF_TEST,
  // Nothing listens there: connection tests answer UNREACHABLE at once, which is all we need.
  RAKUTEN_BASE_URL: 'http://127.0.0.1:9',
  RAKUTEN_TIMEOUT_MS: '2000',
  LICENSE_CHECK_INTERVAL_MS: '3600000',
  LOG_LEVEL: 'warn',
};

async function findShop(id: string): Promise<Shop> {
  return await app.get(DataSource).getRepository(Shop).findOneByOrFail({ id });
}

async function readKeys(
  id: string,
): Promise<{ keyId: string; ciphertext: string; shopIdSuffix: string }> {
  const shop = await findShop(id);
  return {
    keyId: shop.keyId,
    ciphertext: shop.licenseKeyCiphertext,
    shopIdSuffix: shop.rakutenShopId.replace(/^rotate-/, ''),
  };
}

beforeAll(async () => {
  const config = loadConfig('credentials', CredentialsConfig, baseEnv);
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  shops = app.get(ShopsService);
  monitor = app.get(LicenseMonitor);
  clock = app.get(Clock);
  alerts = await new TopicCollector(testKafka(infra.kafkaBrokers), [
    'shop.alert',
    'shop.updated',
  ]).start();
});

afterAll(async () => {
  await alerts?.stop();
  await app?.close();
});

function eventsOf(topic: string, shopId: string): { data: Record<string, unknown> }[] {
  return alerts
    .on(topic)
    .filter((message) => message.key === shopId)
    .map((message) => JSON.parse(message.value!) as { data: Record<string, unknown> });
}

async function register(shopId: string, issuedDaysAgo: number): Promise<string> {
  const { shop } = await shops.register({
    actor,
    body: {
      shopId,
      shopUrl: `https://www.rakuten.ne.jp/${shopId}`,
      serviceSecret: 'SP-monitor-secret',
      licenseKey: `SL-monitor-key-${shopId}`,
      licenseKeyIssuedAt: new Date(clock.now().getTime() - issuedDaysAgo * DAY).toISOString(),
    },
  });
  return shop.id;
}

it('warns 14, 7, 3 and 1 days before the key expires, each once, then marks it expired', async () => {
  const id = await register(`monitor-${uniqueSuffix()}`, 70); // expires in 20 days
  expect((await shops.get({ actor, shopId: id })).licenseKeyExpirySource).toBe('issue_date');
  await monitor.runOnce();
  expect(eventsOf('shop.alert', id)).toHaveLength(0);

  const steps: [number, string, string][] = [
    [6, 'license_expiring', 'expiring_soon'], // 14 days left
    [7, 'license_expiring', 'expiring_soon'], // 7
    [4, 'license_expiring', 'expiring_soon'], // 3
    [2, 'license_expiring', 'expiring_soon'], // 1
    [1.5, 'license_expired', 'expired'],
  ];
  for (const [days, kind, status] of steps) {
    clock.advance(days * DAY);
    await monitor.runOnce();
    await monitor.runOnce(); // a second pass raises nothing new
    expect((await shops.get({ actor, shopId: id })).status).toBe(status);
    await expectEventually(() => expect(eventsOf('shop.alert', id).at(-1)?.data.kind).toBe(kind));
  }
  await expectEventually(() =>
    expect(eventsOf('shop.alert', id).map((event) => event.data.details)).toEqual([
      expect.objectContaining({ daysLeft: 14 }),
      expect.objectContaining({ daysLeft: 7 }),
      expect.objectContaining({ daysLeft: 3 }),
      expect.objectContaining({ daysLeft: 1 }),
      expect.objectContaining({ daysLeft: 0 }),
    ]),
  );
  // shop.updated travels on its own topic: the collector may see the alert first.
  await expectEventually(() => {
    const statuses = eventsOf('shop.updated', id).map((event) => event.data.status);
    expect(statuses[0]).toBe('active');
    expect(statuses.at(-1)).toBe('expired');
  });
});

it('a key first seen with 5 days left gets the 7-day warning only', async () => {
  const id = await register(`late-${uniqueSuffix()}`, 85);
  await monitor.runOnce();
  await expectEventually(() => expect(eventsOf('shop.alert', id)).toHaveLength(1));
  expect(eventsOf('shop.alert', id)[0].data).toMatchObject({
    kind: 'license_expiring',
    severity: 'warning',
    details: expect.objectContaining({ daysLeft: 5 }),
    occurrenceKey: 'license_expiring:1:7',
  });
});

it('renewing an expired key returns the shop to active and starts the warnings afresh', async () => {
  const id = await register(`renew-${uniqueSuffix()}`, 89.5);
  clock.advance(DAY);
  await monitor.runOnce();
  expect((await shops.get({ actor, shopId: id })).status).toBe('expired');
  const { shop } = await shops.renew({
    actor,
    shopId: id,
    body: {
      serviceSecret: 'SP-renewed',
      licenseKey: 'SL-renewed-9999',
      licenseKeyIssuedAt: clock.now().toISOString(),
    },
  });
  expect(shop.status).toBe('active');
  expect(shop.licenseKeyLast4).toBe('9999');
  expect(shop.licenseKeyDaysLeft).toBe(90);
});

it('a new master key re-encrypts every shop without downtime (the old key still decrypts meanwhile)', async () => {
  const id = await register(`rotate-${uniqueSuffix()}`, 10);
  const before = await readKeys(id);
  expect(before.keyId).toBe('test');

  // The next deployment lists a new key first and keeps the old one.
  const rotatedKeys = `${SecretBox.generateKey('next')},${MASTER_KEYS_OF_TEST}`;
  const rotated = await NestFactory.create(
    AppModule.forRoot(
      loadConfig('credentials', CredentialsConfig, { ...baseEnv, MASTER_KEYS: rotatedKeys }),
    ),
    { logger: false },
  );
  await rotated.init();
  try {
    // Still readable before the re-encryption (the old key is listed).
    expect(rotated.get(ShopKeys).open(await findShop(id)).licenseKey).toBe(
      `SL-monitor-key-rotate-${before.shopIdSuffix}`,
    );
    const run = await rotated.get(LicenseMonitor).runOnce();
    expect(run.resealed).toBeGreaterThanOrEqual(1);
    const after = await readKeys(id);
    expect(after.keyId).toBe('next');
    expect(after.ciphertext).not.toBe(before.ciphertext);
    expect(rotated.get(ShopKeys).open(await findShop(id)).serviceSecret).toBe('SP-monitor-secret');
    // Consumers get the new ciphertext too.
    await expectEventually(() =>
      expect(
        (eventsOf('shop.updated', id).at(-1)?.data.credentials as { keyId: string } | undefined)
          ?.keyId,
      ).toBe('next'),
    );
  } finally {
    await rotated.close();
  }
});
