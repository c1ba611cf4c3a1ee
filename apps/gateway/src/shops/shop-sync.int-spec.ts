import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Controller, type INestApplication, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, RpcException, Transport } from '@nestjs/microservices';
import {
  INGESTION_CALLS,
  SHOP_CALLS,
  type ServiceErrorBody,
  type ShopRefCall,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import { freePort, testInfrastructure } from '@smartship/testing';

import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';

/*
 * Reading one's own writes across services (issue 19, item 8): ingestion learns of a shop, and of
 * every change to it, from shop.updated a moment after credentials made the change. Stand-ins for
 * both services over TCP let the test decide how long ingestion lags, which a real stack does not
 * reliably do; ingestion's own side (SHOP_NOT_SYNCED from its stale copy) is tested in
 * order-pull.int-spec.
 */

const infra = testInfrastructure();
const OPERATOR_TOKEN = `operator-${randomUUID()}-${randomUUID()}`;

const fake = {
  /** Shops credentials has: id → tenant and current revision. */
  registered: new Map<string, { tenantId: string; revision: number }>(),
  /** Ingestion's copy of each shop: its revision, and whether those keys were refused. */
  copies: new Map<string, { revision: number; blocked: boolean }>(),
  /** Calls ingestion answers before shop.updated brings it credentials' revision. */
  lagCalls: 0,
  calls: [] as string[],
};

function refusal(statusCode: number, code: string, message: string): RpcException {
  const body: ServiceErrorBody = { statusCode, code, message, details: null };
  return new RpcException(body);
}

@Controller()
class FakeCredentials {
  @MessagePattern(SHOP_CALLS.get)
  get(@Payload() call: ShopRefCall) {
    fake.calls.push('credentials get');
    const shop = fake.registered.get(call.shopId);
    if (shop?.tenantId !== call.actor.tenantId) {
      throw refusal(404, 'SHOP_NOT_FOUND', `no shop ${call.shopId} in this account`);
    }
    return { id: call.shopId, revision: shop.revision };
  }
}

/** Answers as ingestion does: from its copy, unless the caller names a newer revision. */
@Controller()
class FakeIngestion {
  @MessagePattern(INGESTION_CALLS.pull)
  pull(@Payload() call: ShopRefCall) {
    fake.calls.push(`ingestion pull r${call.shopRevision}`);
    if (fake.lagCalls > 0) fake.lagCalls -= 1;
    else {
      const shop = fake.registered.get(call.shopId);
      if (shop) fake.copies.set(call.shopId, { revision: shop.revision, blocked: false });
    }
    const copy = fake.copies.get(call.shopId);
    if ((copy?.revision ?? 0) < (call.shopRevision ?? 0)) {
      throw refusal(503, 'SHOP_NOT_SYNCED', 'not yet');
    }
    if (!copy) throw refusal(404, 'SHOP_NOT_FOUND', `no shop ${call.shopId} in this account`);
    if (copy.blocked) throw refusal(409, 'SHOP_NOT_PULLABLE', 'Rakuten refused the keys');
    return { complete: true, new: 0, searched: 0 };
  }
}

@Module({ controllers: [FakeCredentials] })
class FakeCredentialsModule {}

@Module({ controllers: [FakeIngestion] })
class FakeIngestionModule {}

let app: INestApplication;
const services: INestMicroservice[] = [];
let base: string;
let tenantId: string;
let token: string;

async function listen(module: unknown): Promise<number> {
  const port = await freePort();
  const service = await NestFactory.createMicroservice(module as never, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port },
    logger: false,
  });
  await service.listen();
  services.push(service);
  return port;
}

beforeAll(async () => {
  const config = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    RATE_LIMIT_API_PER_SECOND: '0',
    RATE_LIMIT_RAKUTEN_PER_MINUTE: '0',
    CREDENTIALS_TCP: `127.0.0.1:${await listen(FakeCredentialsModule)}`,
    INGESTION_TCP: `127.0.0.1:${await listen(FakeIngestionModule)}`,
    MAPPING_TCP: `127.0.0.1:${await freePort()}`,
    FULFILLMENT_TCP: `127.0.0.1:${await freePort()}`,
    SHOP_SYNC_WAIT_MS: '1500',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  configureHttp(app, config);
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tenant = await fetch(`${base}/api/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `sync-${randomUUID().slice(0, 8)}` }),
  });
  const body = (await tenant.json()) as { tenant: { id: string }; token: { token: string } };
  tenantId = body.tenant.id;
  token = body.token.token;
});

afterAll(async () => {
  await app?.close();
  await Promise.all(services.map((service) => service.close()));
});

beforeEach(() => {
  fake.calls = [];
  fake.lagCalls = 0;
});

async function pull(shopId: string): Promise<{ status: number; body: { code?: string } }> {
  const answer = await fetch(`${base}/api/v1/shops/${shopId}/pull`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: answer.status, body: (await answer.json()) as { code?: string } };
}

it('a shop credentials has but ingestion has not learnt of yet is waited for, not a 404', async () => {
  const shopId = randomUUID();
  fake.registered.set(shopId, { tenantId, revision: 1 });
  fake.lagCalls = 3;
  const answer = await pull(shopId);
  expect(answer.status).toBe(200);
  // Credentials asked once; three refusals while ingestion lagged, then the pull.
  expect(fake.calls).toEqual([
    'credentials get',
    'ingestion pull r1',
    'ingestion pull r1',
    'ingestion pull r1',
    'ingestion pull r1',
  ]);
});

it('keys renewed a moment ago: the pull waits for the new revision instead of the old keys’ 409', async () => {
  const shopId = randomUUID();
  // Ingestion holds revision 4, whose keys Rakuten refused; credentials has the renewal, 5.
  fake.copies.set(shopId, { revision: 4, blocked: true });
  fake.registered.set(shopId, { tenantId, revision: 5 });
  fake.lagCalls = 2;
  const answer = await pull(shopId);
  expect(answer.status).toBe(200);
  expect(fake.calls).toEqual([
    'credentials get',
    'ingestion pull r5',
    'ingestion pull r5',
    'ingestion pull r5',
  ]);
});

it("a shop credentials does not have (or another tenant's) is a 404 at once", async () => {
  const foreign = randomUUID();
  fake.registered.set(foreign, { tenantId: randomUUID(), revision: 1 });
  for (const shopId of [randomUUID(), foreign]) {
    fake.calls = [];
    fake.lagCalls = 1_000;
    const answer = await pull(shopId);
    expect(answer).toMatchObject({ status: 404, body: { code: 'SHOP_NOT_FOUND' } });
    expect(fake.calls).toEqual(['credentials get']);
  }
});

it('ingestion still behind after SHOP_SYNC_WAIT_MS is a 503 SHOP_NOT_SYNCED naming the shop', async () => {
  const shopId = randomUUID();
  fake.registered.set(shopId, { tenantId, revision: 1 });
  fake.lagCalls = 1_000;
  const started = Date.now();
  const answer = await pull(shopId);
  expect(answer).toMatchObject({ status: 503, body: { code: 'SHOP_NOT_SYNCED' } });
  expect(JSON.stringify(answer.body)).toContain(shopId);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  expect(fake.calls.filter((call) => call === 'credentials get')).toHaveLength(1);
});
