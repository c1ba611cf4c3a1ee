import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import {
  createEvent,
  encodeEvent,
  eventKey,
  type AnyEvent,
  type EventOf,
} from '@smartship/contracts';
import { SecretBox, shopSecretPurpose } from '@smartship/crypto';
import { loadConfig, tcpServerOptions } from '@smartship/service-kit';
import type { Kafka, Producer } from 'kafkajs';
import { randomInt, randomUUID } from 'node:crypto';
import { Pool } from 'pg';

import { AppModule } from '../src/app.module';
import { IngestionConfig } from '../src/config';

/*
 * Helpers for the ingestion integration tests (imported by *.int-spec.ts only). They do not use
 * @smartship/testing themselves so that this folder stays out of the production lint rule's way;
 * the spec files pass what they need.
 */

/** The simulator's admin API (`/__sim`), over HTTP. */
export class SimAdmin {
  constructor(readonly url: string) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sim ${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  settings(patch: Record<string, unknown>): Promise<unknown> {
    return this.request('PUT', '/settings', patch);
  }

  createShop(spec: {
    shopId: string;
    serviceSecret: string;
    licenseKey: string;
    rateLimits?: Record<string, number>;
  }): Promise<unknown> {
    return this.request('POST', '/shops', spec);
  }

  /** Generates orders; returns nothing useful (ask the calls or search for numbers). */
  generate(shopId: string, spec: Record<string, unknown>): Promise<unknown> {
    return this.request('POST', `/shops/${shopId}/orders/generate`, spec);
  }

  async addOrder(
    shopId: string,
    spec: { progress?: number; orderedAt?: string; amountsFixed?: boolean } = {},
  ): Promise<string> {
    // The default catalog exists once something was generated.
    const order = await this.request<{ orderNumber: string }>('POST', `/shops/${shopId}/orders`, {
      lines: [{ manageNumber: 'tee-001', variantId: 'tee-001-m-bk' }],
      ...spec,
    });
    return order.orderNumber;
  }

  setState(orderNumber: string, spec: { progress?: number }): Promise<unknown> {
    return this.request('POST', `/orders/${orderNumber}/state`, spec);
  }

  /** The order as getOrder v10 shows it (`model`). */
  order(orderNumber: string): Promise<{
    model: { orderProgress: number; PackageModelList: { basketId: number }[] };
  }> {
    return this.request('GET', `/orders/${orderNumber}`);
  }

  /** Every shipping record the simulator added, updated or deleted for the shop. */
  shippingReports(shopId: string): Promise<SimShippingRecord[]> {
    return this.request('GET', `/shops/${shopId}/shipping-reports`);
  }

  /** The shop's stock rows (Inventory API). */
  stock(shopId: string): Promise<{ manageNumber: string; variantId: string; quantity: number }[]> {
    return this.request('GET', `/shops/${shopId}/stock`);
  }

  /** The quantity the simulator's RMS shows for an item of the shop (undefined: none). */
  async quantityOf(shopId: string, manageNumber: string): Promise<number | undefined> {
    const rows = await this.stock(shopId);
    return rows.find((row) => row.manageNumber === manageNumber)?.quantity;
  }

  putStock(
    shopId: string,
    rows: { manageNumber: string; variantId: string; quantity: number }[],
  ): Promise<unknown> {
    return this.request('PUT', `/shops/${shopId}/stock`, { rows });
  }

  calls(query: { shopId?: string; function?: string } = {}): Promise<SimCall[]> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
    return this.request('GET', `/calls?${params.toString()}`);
  }

  faults(plan: { rules: Record<string, unknown>[]; maintenance?: unknown }): Promise<unknown> {
    return this.request('PUT', '/faults', { maintenance: null, ...plan });
  }

  addKey(shopId: string, spec: { serviceSecret: string; licenseKey: string }): Promise<unknown> {
    return this.request('POST', `/shops/${shopId}/keys`, { revokeOthers: true, ...spec });
  }
}

export interface SimShippingRecord {
  at: string;
  via: 'sync' | 'async';
  orderNumber: string;
  basketId: number;
  shippingDetailId: number;
  action: 'added' | 'updated' | 'deleted';
  deliveryCompany: string | null;
  shippingNumber: string | null;
  shippingDate: string | null;
}

export interface SimCall {
  seq: number;
  atMs: number;
  function: string | null;
  shopId: string | null;
  status: number;
  fault: string | null;
  licenseKeyLast4: string | null;
  body: unknown;
}

/** A Rakuten shop in the simulator and its platform shop connection. */
export interface TestShop {
  /** Platform shop connection id (uuid). */
  id: string;
  tenantId: string;
  /** Rakuten shop id in the simulator (digits). */
  rakutenShopId: string;
  serviceSecret: string;
  licenseKey: string;
  revision: number;
  options: { autoOrderSync: boolean; autoOrderConfirm: boolean };
  status: string;
}

/** One master key for every ingestion test file (a shared database holds all their shops). */
export const TEST_MASTER_KEYS = `ingtest:${Buffer.alloc(32, 7).toString('base64')}`;

let shopCounter = randomInt(100, 9000);

/** A new simulator shop with its keys, and the matching platform shop (not yet announced). */
export async function newShop(
  sim: SimAdmin,
  options: Partial<TestShop['options']> & { rateLimits?: Record<string, number> } = {},
): Promise<TestShop> {
  shopCounter += 1;
  const rakutenShopId = `${randomInt(10, 99)}${String(shopCounter).padStart(4, '0')}`;
  const shop: TestShop = {
    id: randomUUID(),
    tenantId: randomUUID(),
    rakutenShopId,
    serviceSecret: `SP${rakutenShopId}_${randomUUID().slice(0, 8)}`,
    licenseKey: `SL${rakutenShopId}_${randomUUID().slice(0, 8)}`,
    revision: 1,
    options: { autoOrderSync: false, autoOrderConfirm: false, ...options },
    status: 'active',
  };
  await sim.createShop({
    shopId: rakutenShopId,
    serviceSecret: shop.serviceSecret,
    licenseKey: shop.licenseKey,
    rateLimits: options.rateLimits,
  });
  return shop;
}

/** The `shop.updated` credentials would publish for this shop (keys sealed with `box`). */
export function shopUpdated(box: SecretBox, shop: TestShop): AnyEvent {
  const secret = box.seal(shop.serviceSecret, shopSecretPurpose(shop.id, 'serviceSecret'));
  const license = box.seal(shop.licenseKey, shopSecretPurpose(shop.id, 'licenseKey'));
  return createEvent('shop.updated', {
    tenantId: shop.tenantId,
    shopId: shop.id,
    data: {
      marketplace: 'rakuten',
      rakutenShopId: shop.rakutenShopId,
      shopUrl: `https://www.rakuten.ne.jp/shop${shop.rakutenShopId}`,
      status: shop.status as 'active',
      options: { ...shop.options, autoFulfillmentDispatch: false },
      licenseKeyLast4: shop.licenseKey.slice(-4),
      licenseKeyExpiresAt: new Date(Date.now() + 80 * 86_400_000).toISOString(),
      credentials: {
        keyId: secret.keyId,
        serviceSecretCiphertext: secret.ciphertext,
        licenseKeyCiphertext: license.ciphertext,
      },
      revision: shop.revision,
      updatedAt: new Date().toISOString(),
    },
  });
}

/** An `order.shipped` for one package of a shop's order, as fulfillment publishes it. */
export function orderShipped(
  shop: TestShop,
  orderNumber: string,
  basketId: number,
  parcels: { carrierCode: string; trackingNumber: string; shippingDate: string }[],
): EventOf<'order.shipped'> {
  return createEvent('order.shipped', {
    tenantId: shop.tenantId,
    shopId: shop.id,
    data: {
      orderNumber,
      basketId,
      parcels,
      fulfillmentOrderId: `fo-${orderNumber}-${basketId}`,
      shippedAt: new Date().toISOString(),
    },
  });
}

/** Sends events in one produce request, so that a consumer gets them in one batch. */
export async function produceTogether(producer: Producer, events: AnyEvent[]): Promise<void> {
  await producer.send({
    topic: events[0].type,
    messages: events.map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
  });
}

export async function produce(producer: Producer, events: AnyEvent[]): Promise<void> {
  for (const event of events) {
    await producer.send({
      topic: event.type,
      messages: [{ key: eventKey(event), value: encodeEvent(event) }],
    });
  }
}

export async function connectProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

/** The environment of an ingestion instance under test. */
export function ingestionEnv(
  infra: { databaseUrl: string; kafkaBrokers: string[] },
  simUrl: string,
  masterKeys: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    MASTER_KEYS: masterKeys,
    RAKUTEN_BASE_URL: simUrl,
    RAKUTEN_TIMEOUT_MS: '5000',
    RAKUTEN_ORDER_RPS: '50',
    RAKUTEN_INVENTORY_RPS: '50',
    POLL_INTERVAL_MS: '3600000',
    POLL_TICK_MS: '300',
    POLL_LEASE_MS: '5000',
    // No deep sweep unless a test asks for one: its calls would join the counts tests assert.
    DEEP_SWEEP_INTERVAL_HOURS: '0',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Starts an ingestion app in this process (with its TCP transport when `tcpPort` is given). */
export async function startIngestion(
  env: Record<string, string>,
  tcpPort?: number,
): Promise<INestApplication> {
  const config = loadConfig('ingestion', IngestionConfig, {
    ...env,
    ...(tcpPort ? { TCP_PORT: String(tcpPort) } : {}),
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  if (tcpPort) {
    app.connectMicroservice<MicroserviceOptions>(tcpServerOptions(config), {
      inheritAppConfig: true,
    });
    await app.startAllMicroservices();
  }
  await app.init();
  return app;
}

export function testPool(databaseUrl: string): Pool {
  return new Pool({ connectionString: databaseUrl, max: 3 });
}

/** Decoded events of a topic for one shop (the key starts with the shop connection id). */
export function eventsFor<T = Record<string, unknown>>(
  messages: { key: string | null; value: string | null }[],
  shopId: string,
): { id: string; data: T }[] {
  return messages
    .filter((m) => m.key === shopId || m.key?.startsWith(`${shopId}:`))
    .map((m) => JSON.parse(m.value as string) as { id: string; data: T });
}

/** The `listing.stock.changed` mapping would publish for one listing of the shop. */
export function stockChanged(
  shop: TestShop,
  manageNumber: string,
  quantity: number,
  variantId = 'v-1',
): EventOf<'listing.stock.changed'> {
  return createEvent('listing.stock.changed', {
    tenantId: shop.tenantId,
    shopId: shop.id,
    data: {
      marketplace: 'rakuten',
      manageNumber,
      variantId,
      quantity,
      derivedFrom: [{ skuCode: `SKU-${manageNumber}`, available: quantity, perUnit: 1 }],
    },
  });
}

/**
 * Announces a new simulator shop to ingestion with its shop.updated and waits (at most 30 s)
 * until ingestion has stored it.
 */
export async function announceNewShop(
  sim: SimAdmin,
  producer: Producer,
  db: Pool,
  box: SecretBox,
): Promise<TestShop> {
  const shop = await newShop(sim);
  await produce(producer, [shopUpdated(box, shop)]);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await db.query('SELECT 1 FROM ingestion.shops WHERE id = $1', [shop.id]);
    if (rows.length === 1) return shop;
    if (Date.now() > deadline) throw new Error(`ingestion did not store shop ${shop.id} in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
