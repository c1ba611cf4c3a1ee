import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

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

import { AppModule } from '../app.module';
import { CredentialsConfig } from '../config';
import { ShopsService } from './shops.service';

/**
 * An operator disables a tenant: the gateway asks credentials to suspend its shops. Each shop's
 * shop.updated then says `suspended` (ingestion calls Rakuten only for active and expiring
 * shops); enabling the tenant gives each shop back the status the seller's settings give, so a
 * shop the seller had disabled stays disabled.
 */
const infra = testInfrastructure();
const tenantId = randomUUID();
const actor = { tenantId, actorId: 'suspension-test' };
const bystander = { tenantId: randomUUID(), actorId: 'suspension-test' };

let app: INestApplication;
let shops: ShopsService;
let events: TopicCollector;

beforeAll(async () => {
  const config = loadConfig('credentials', CredentialsConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
    MASTER_KEYS: SecretBox.generateKey('test'),
    // Nothing listens there: registration tests answer UNREACHABLE at once; the shop is active.
    RAKUTEN_BASE_URL: 'http://127.0.0.1:9',
    RAKUTEN_TIMEOUT_MS: '2000',
    LICENSE_CHECK_INTERVAL_MS: '3600000',
    LOG_LEVEL: 'warn',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  shops = app.get(ShopsService);
  events = await new TopicCollector(testKafka(infra.kafkaBrokers), ['shop.updated']).start();
});

afterAll(async () => {
  await events?.stop();
  await app?.close();
});

async function register(who: typeof actor): Promise<string> {
  const shopId = `suspend-${uniqueSuffix()}`;
  const { shop } = await shops.register({
    actor: who,
    body: {
      shopId,
      shopUrl: `https://www.rakuten.ne.jp/${shopId}`,
      serviceSecret: 'SP-suspend-secret',
      licenseKey: `SL-suspend-key-${shopId}`,
    },
  });
  return shop.id;
}

function statuses(shopId: string): string[] {
  return events
    .on('shop.updated')
    .filter((message) => message.key === shopId)
    .map(
      (message) => (JSON.parse(message.value ?? '{}') as { data: { status: string } }).data.status,
    );
}

it('suspends every shop of the tenant and gives back what the seller had chosen', async () => {
  const running = await register(actor);
  const sellerDisabled = await register(actor);
  const other = await register(bystander);
  await shops.update({ actor, shopId: sellerDisabled, body: { enabled: false } });

  expect(await shops.suspendTenant(tenantId, true)).toEqual({ changed: 2, shops: 2 });
  for (const id of [running, sellerDisabled]) {
    const view = await shops.get({ actor, shopId: id });
    expect(view.status).toBe('suspended');
    await expectEventually(() => expect(statuses(id).at(-1)).toBe('suspended'));
  }
  expect((await shops.get({ actor: bystander, shopId: other })).status).toBe('active');
  // Again: nothing changes, no event.
  const published = statuses(running).length;
  expect(await shops.suspendTenant(tenantId, true)).toEqual({ changed: 0, shops: 2 });

  expect(await shops.suspendTenant(tenantId, false)).toEqual({ changed: 2, shops: 2 });
  const back = await shops.get({ actor, shopId: running });
  expect(back).toEqual(expect.objectContaining({ status: 'active', enabled: true }));
  const stillOff = await shops.get({ actor, shopId: sellerDisabled });
  expect(stillOff).toEqual(expect.objectContaining({ status: 'disabled', enabled: false }));
  await expectEventually(() => {
    expect(statuses(running).at(-1)).toBe('active');
    expect(statuses(sellerDisabled).at(-1)).toBe('disabled');
  });
  expect(statuses(running)).toHaveLength(published + 1);
  expect(statuses(other)).toEqual(['active']);
});
