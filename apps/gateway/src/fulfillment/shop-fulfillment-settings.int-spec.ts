import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Controller, INestApplication, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, RpcException, Transport } from '@nestjs/microservices';
import {
  FULFILLMENT_CALLS,
  SHOP_CALLS,
  type ServiceErrorBody,
  type ShopFulfillmentSettingsPutCall,
  type ShopRefCall,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import { freePort, testInfrastructure } from '@smartship/testing';

import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';

/*
 * `GET|PUT /api/v1/shops/:shopId/fulfillment-settings` on the real gateway and database, with
 * a fake credentials service (which owns shops: another tenant's shop is a 404) and a fake
 * fulfillment service that records the calls it gets. What is checked: the shop is the caller's
 * before anything is forwarded, bad input is a 400 naming the field and nothing is forwarded, a
 * change is audited, and the OpenAPI document lists both routes.
 */
const infra = testInfrastructure();
const OPERATOR_TOKEN = `operator-${randomUUID()}-${randomUUID()}`;
/** shopId → tenantId of the shops the fake credentials service knows. */
const shops = new Map<string, string>();
const forwarded: { pattern: string; payload: unknown }[] = [];

@Controller()
class FakeCredentialsController {
  @MessagePattern(SHOP_CALLS.get)
  get(@Payload() call: ShopRefCall) {
    if (shops.get(call.shopId) !== call.actor.tenantId) {
      throw new RpcException({
        statusCode: 404,
        code: 'SHOP_NOT_FOUND',
        message: `No shop ${call.shopId} in this tenant`,
      } satisfies ServiceErrorBody);
    }
    return { id: call.shopId };
  }
}

@Controller()
class FakeFulfillmentController {
  @MessagePattern(FULFILLMENT_CALLS.shopSettingsGet)
  get(@Payload() call: ShopRefCall) {
    forwarded.push({ pattern: FULFILLMENT_CALLS.shopSettingsGet, payload: call });
    return { shopId: call.shopId, splitPolicy: 'hold', sender: null, updatedAt: null };
  }

  @MessagePattern(FULFILLMENT_CALLS.shopSettingsPut)
  put(@Payload() call: ShopFulfillmentSettingsPutCall) {
    forwarded.push({ pattern: FULFILLMENT_CALLS.shopSettingsPut, payload: call });
    return { shopId: call.shopId, ...call.body, updatedAt: new Date().toISOString() };
  }
}

@Module({ controllers: [FakeCredentialsController] })
class FakeCredentialsModule {}

@Module({ controllers: [FakeFulfillmentController] })
class FakeFulfillmentModule {}

let app: INestApplication;
const fakes: INestMicroservice[] = [];
let base: string;

async function fakeService(module: object): Promise<number> {
  const port = await freePort();
  const service = await NestFactory.createMicroservice(module as never, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port },
    logger: false,
  });
  await service.listen();
  fakes.push(service);
  return port;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function tenant(): Promise<{ tenantId: string; token: string }> {
  const answer = await api('POST', '/api/v1/tenants', OPERATOR_TOKEN, { name: randomUUID() });
  expect(answer.status).toBe(201);
  return { tenantId: answer.body.tenant.id, token: answer.body.token.token };
}

beforeAll(async () => {
  const credentialsPort = await fakeService(FakeCredentialsModule);
  const fulfillmentPort = await fakeService(FakeFulfillmentModule);
  const config = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: `127.0.0.1:${credentialsPort}`,
    INGESTION_TCP: `127.0.0.1:${await freePort()}`,
    MAPPING_TCP: `127.0.0.1:${await freePort()}`,
    FULFILLMENT_TCP: `127.0.0.1:${fulfillmentPort}`,
    SERVICE_CALL_TIMEOUT_MS: '2000',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  configureHttp(app, config);
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  for (const service of fakes) await service.close();
});

it('reads and replaces a shop’s fulfillment settings for its own tenant only, audits the change, and forwards nothing invalid', async () => {
  const owner = await tenant();
  const stranger = await tenant();
  const shopId = randomUUID();
  shops.set(shopId, owner.tenantId);
  const path = `/api/v1/shops/${shopId}/fulfillment-settings`;

  const read = await api('GET', path, owner.token);
  expect(read).toEqual({
    status: 200,
    body: { shopId, splitPolicy: 'hold', sender: null, updatedAt: null },
  });

  // Another tenant's shop: 404, and the fulfillment service is never asked.
  forwarded.length = 0;
  expect((await api('GET', path, stranger.token)).status).toBe(404);
  expect((await api('PUT', path, stranger.token, { splitPolicy: 'hold' })).status).toBe(404);
  expect(forwarded).toEqual([]);

  // Bad input: a 400 naming the field; nothing forwarded.
  const bad = await api('PUT', path, owner.token, {
    splitPolicy: 'ship_available',
    sender: { name: 'スマートシップ雑貨店', zipCode: '1500001' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: [expect.objectContaining({ field: 'sender.zipCode' })],
  });
  const invalid = await api('PUT', path, owner.token, { splitPolicy: 'sometimes', extra: 1 });
  const fields = (invalid.body as { details: { field: string }[] }).details.map((d) => d.field);
  expect(fields).toEqual(expect.arrayContaining(['splitPolicy', 'extra']));
  expect(forwarded).toEqual([]);

  const body = {
    splitPolicy: 'ship_available',
    sender: {
      name: 'スマートシップ雑貨店',
      zipCode: '150-0001',
      message: 'ありがとうございました',
    },
  };
  const saved = await api('PUT', path, owner.token, body);
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({ shopId, ...body });
  expect(forwarded).toEqual([
    {
      pattern: FULFILLMENT_CALLS.shopSettingsPut,
      payload: expect.objectContaining({ shopId, body, actor: expect.any(Object) }),
    },
  ]);
  const audit = await api('GET', '/api/v1/audit-log', owner.token);
  expect(audit.body.items[0]).toMatchObject({
    action: 'shop.updated',
    resourceType: 'shop',
    resourceId: shopId,
    details: { fulfillmentSettings: { splitPolicy: 'ship_available', sender: body.sender } },
  });

  const doc = await api('GET', '/api/docs-json', owner.token);
  const route = doc.body.paths['/api/v1/shops/{shopId}/fulfillment-settings'] as object;
  expect(Object.keys(route).sort()).toEqual(['get', 'put']);
  expect(
    doc.body.components.schemas.ShopFulfillmentSettingsBody.properties.splitPolicy.enum,
  ).toEqual(['hold', 'ship_available']);
});
