/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument --
   HTTP answers are untyped JSON here; the assertions are what checks their shape. */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Controller, INestApplication, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, RpcException, Transport } from '@nestjs/microservices';
import {
  FULFILLMENT_CALLS,
  type FulfillmentOrderDetailView,
  type FulfillmentOrderRefCall,
  type ServiceErrorBody,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import { freePort, testInfrastructure, uniqueSuffix } from '@smartship/testing';

import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';
import { sampleSlipView } from './sample-slip';

/*
 * `GET /api/v1/fulfillment-orders/:id/packing-slip.pdf` over HTTP: the gateway in process on the
 * real database and broker, and a small real TCP microservice in the fulfillment service's place
 * that answers FULFILLMENT_CALLS.get from a Map scoped by the caller's tenant, as the real one
 * does (another tenant's id is its 404 FULFILLMENT_ORDER_NOT_FOUND).
 */

const infra = testInfrastructure();
const OPERATOR_TOKEN = `operator-slip-${uniqueSuffix()}-${'x'.repeat(32)}`;

const fake = {
  orders: new Map<string, { tenantId: string; view: FulfillmentOrderDetailView }>(),
  calls: [] as FulfillmentOrderRefCall[],
};

@Controller()
class FakeFulfillmentController {
  @MessagePattern(FULFILLMENT_CALLS.get)
  get(@Payload() call: FulfillmentOrderRefCall): FulfillmentOrderDetailView {
    fake.calls.push(call);
    const stored = fake.orders.get(call.fulfillmentOrderId);
    if (!stored || stored.tenantId !== call.actor.tenantId) {
      throw new RpcException({
        statusCode: 404,
        code: 'FULFILLMENT_ORDER_NOT_FOUND',
        message: `No fulfillment order ${call.fulfillmentOrderId} in this tenant`,
        details: null,
      } satisfies ServiceErrorBody);
    }
    return stored.view;
  }
}

@Module({ controllers: [FakeFulfillmentController] })
class FakeFulfillmentModule {}

let app: INestApplication;
let fulfillment: INestMicroservice;
let base: string;

async function get(
  path: string,
  token?: string,
): Promise<{ status: number; headers: Headers; bytes: Buffer; body: any }> {
  const response = await fetch(`${base}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  let body: unknown = null;
  if (response.headers.get('content-type')?.includes('json')) body = JSON.parse(bytes.toString());
  return { status: response.status, headers: response.headers, bytes, body };
}

async function createTenant(name: string): Promise<{ tenantId: string; token: string }> {
  const response = await fetch(`${base}/api/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as any;
  return { tenantId: body.tenant.id as string, token: body.token.token as string };
}

/** Stores a fulfillment order of `tenantId` in the fake service; returns its id. */
function storeOrder(tenantId: string, changes: Partial<FulfillmentOrderDetailView> = {}): string {
  const id = randomUUID();
  fake.orders.set(id, { tenantId, view: { ...sampleSlipView(), id, ...changes } });
  return id;
}

beforeAll(async () => {
  const fulfillmentPort = await freePort();
  fulfillment = await NestFactory.createMicroservice(FakeFulfillmentModule, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: fulfillmentPort },
    logger: false,
  });
  await fulfillment.listen();

  const config = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    // Nothing listens on the others.
    CREDENTIALS_TCP: `127.0.0.1:${await freePort()}`,
    INGESTION_TCP: `127.0.0.1:${await freePort()}`,
    MAPPING_TCP: `127.0.0.1:${await freePort()}`,
    FULFILLMENT_TCP: `127.0.0.1:${fulfillmentPort}`,
    NOTIFICATIONS_TCP: `127.0.0.1:${await freePort()}`,
    SERVICE_CALL_TIMEOUT_MS: '5000',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  configureHttp(app, config);
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  await fulfillment?.close();
});

beforeEach(() => {
  fake.calls = [];
});

describe('GET /api/v1/fulfillment-orders/:id/packing-slip.pdf', () => {
  it("answers the tenant's own order as an inline PDF named after the order and package", async () => {
    const a = await createTenant('Slip shop A');
    const id = storeOrder(a.tenantId);
    const answer = await get(`/api/v1/fulfillment-orders/${id}/packing-slip.pdf`, a.token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    const view = sampleSlipView();
    expect(answer.headers.get('content-disposition')).toBe(
      `inline; filename="packing-slip-${view.orderNumber}-${view.basketId}.pdf"`,
    );
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Number(answer.headers.get('content-length'))).toBe(answer.bytes.length);
    expect(answer.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The call named the caller's tenant, taken from the token.
    expect(fake.calls).toEqual([
      expect.objectContaining({
        fulfillmentOrderId: id,
        actor: expect.objectContaining({ tenantId: a.tenantId }),
      }),
    ]);
  });

  it("another tenant's fulfillment order is a 404 in the error format, and no PDF", async () => {
    const a = await createTenant('Slip shop A2');
    const b = await createTenant('Slip shop B');
    const id = storeOrder(a.tenantId);
    const answer = await get(`/api/v1/fulfillment-orders/${id}/packing-slip.pdf`, b.token);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body).toEqual({
      statusCode: 404,
      code: 'FULFILLMENT_ORDER_NOT_FOUND',
      message: `No fulfillment order ${id} in this tenant`,
      details: null,
    });
    expect(fake.calls[0].actor.tenantId).toBe(b.tenantId);
    // An id nobody has is the same answer.
    const unknown = await get(
      `/api/v1/fulfillment-orders/${randomUUID()}/packing-slip.pdf`,
      b.token,
    );
    expect(unknown.status).toBe(404);
  });

  it('an order from before shipment.ready v2 (no warehouse details) is a 409 saying why', async () => {
    const a = await createTenant('Slip shop old');
    const id = storeOrder(a.tenantId, { warehouse: null });
    const answer = await get(`/api/v1/fulfillment-orders/${id}/packing-slip.pdf`, a.token);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('PACKING_SLIP_UNAVAILABLE');
    expect(answer.body.message).toContain('no packing slip can be made');
    expect(answer.body.details).toEqual({
      fulfillmentOrderId: id,
      orderNumber: sampleSlipView().orderNumber,
    });
  });

  it('needs a tenant token (401 without, 403 for the operator) and a UUID (400), without calling', async () => {
    const id = randomUUID();
    const path = `/api/v1/fulfillment-orders/${id}/packing-slip.pdf`;
    expect((await get(path)).status).toBe(401);
    expect((await get(path, OPERATOR_TOKEN)).body.code).toBe('TENANT_TOKEN_REQUIRED');
    const a = await createTenant('Slip shop C');
    const bad = await get('/api/v1/fulfillment-orders/not-a-uuid/packing-slip.pdf', a.token);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(fake.calls).toEqual([]);
  });

  it('is in the OpenAPI document as a PDF with its errors', async () => {
    const answer = await fetch(`${base}/api/docs-json`);
    const document = (await answer.json()) as any;
    const operation = document.paths['/api/v1/fulfillment-orders/{id}/packing-slip.pdf']?.get;
    expect(operation).toBeDefined();
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/pdf']);
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '503']),
    );
  });
});
