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
 * Reading one's own writes across services (issue 19, item 8): ingestion learns of a shop from
 * shop.updated a moment after credentials registered it. Stand-ins for both services over TCP
 * let the test decide how long ingestion lags, which a real stack does not reliably do.
 */

const infra = testInfrastructure();
const OPERATOR_TOKEN = `operator-${randomUUID()}-${randomUUID()}`;

const fake = {
  /** Shops credentials has, by id → tenant. */
  registered: new Map<string, string>(),
  /** Calls ingestion answers SHOP_NOT_FOUND before it knows a shop. */
  lagCalls: 0,
  calls: [] as string[],
};

function shopNotFound(shopId: string): RpcException {
  const body: ServiceErrorBody = {
    statusCode: 404,
    code: 'SHOP_NOT_FOUND',
    message: `no shop ${shopId} in this account`,
    details: null,
  };
  return new RpcException(body);
}

@Controller()
class FakeCredentials {
  @MessagePattern(SHOP_CALLS.get)
  get(@Payload() call: ShopRefCall) {
    fake.calls.push('credentials get');
    if (fake.registered.get(call.shopId) !== call.actor.tenantId) throw shopNotFound(call.shopId);
    return { id: call.shopId };
  }
}

@Controller()
class FakeIngestion {
  @MessagePattern(INGESTION_CALLS.pull)
  pull(@Payload() call: ShopRefCall) {
    fake.calls.push('ingestion pull');
    if (fake.lagCalls > 0) {
      fake.lagCalls -= 1;
      throw shopNotFound(call.shopId);
    }
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
  fake.registered.set(shopId, tenantId);
  fake.lagCalls = 3;
  const answer = await pull(shopId);
  expect(answer.status).toBe(200);
  // Three refusals while ingestion lagged, then the pull; credentials asked once.
  expect(fake.calls).toEqual([
    'ingestion pull',
    'credentials get',
    'ingestion pull',
    'ingestion pull',
    'ingestion pull',
  ]);
});

it("a shop credentials does not have (or another tenant's) is a 404 at once", async () => {
  const foreign = randomUUID();
  fake.registered.set(foreign, randomUUID());
  for (const shopId of [randomUUID(), foreign]) {
    fake.calls = [];
    fake.lagCalls = 1_000;
    const answer = await pull(shopId);
    expect(answer).toMatchObject({ status: 404, body: { code: 'SHOP_NOT_FOUND' } });
    expect(fake.calls).toEqual(['ingestion pull', 'credentials get']);
  }
});

it('ingestion still behind after SHOP_SYNC_WAIT_MS is a 503 SHOP_NOT_SYNCED naming the shop', async () => {
  const shopId = randomUUID();
  fake.registered.set(shopId, tenantId);
  fake.lagCalls = 1_000;
  const started = Date.now();
  const answer = await pull(shopId);
  expect(answer).toMatchObject({ status: 503, body: { code: 'SHOP_NOT_SYNCED' } });
  expect(JSON.stringify(answer.body)).toContain(shopId);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  expect(fake.calls.filter((call) => call === 'credentials get')).toHaveLength(1);
});
