import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  ShopStockSettingsPutCall,
  createEvent,
  encodeEvent,
  eventKey,
} from '@smartship/contracts';
import { InvalidCallError, loadConfig, parseCall } from '@smartship/service-kit';
import {
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import { AppModule } from '../app.module';
import { MappingConfig } from '../config';
import { StockSettingsService } from './stock-settings.service';

/*
 * Safety stock end to end in the mapping service (real Kafka and PostgreSQL): inventory.changed
 * → listing.stock.changed with the buffers taken off, and a buffer change re-publishing the
 * listings it moves. Listings are written as order lines would have left them.
 */
const infra = testInfrastructure();
const shopId = randomUUID();
const tenantId = randomUUID();
const actor = { tenantId, actorId: 'safety-stock-int-spec' };

let app: INestApplication;
let db: DataSource;
let settings: StockSettingsService;
let producer: Producer;
let collector: TopicCollector;

beforeAll(async () => {
  const config = loadConfig('mapping', MappingConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${uniqueSuffix()}`,
    LOG_LEVEL: 'warn',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  db = app.get(DataSource);
  settings = app.get(StockSettingsService);
  const kafka = testKafka(infra.kafkaBrokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  collector = await new TopicCollector(kafka, ['listing.stock.changed']).start();
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await producer?.disconnect();
  await app?.close();
});

async function produce(events: AnyEvent[]): Promise<void> {
  await producer.send({
    topic: events[0].type,
    acks: -1,
    messages: events.map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
  });
}

/**
 * Every listing.stock.changed of this shop as [manageNumber, quantity], in the order received
 * (listings are keyed to different partitions: compare one step's events sorted).
 */
function published(): [string, number][] {
  return collector
    .on('listing.stock.changed')
    .filter((m) => m.key?.startsWith(`${shopId}:`))
    .map(
      (m) => JSON.parse(m.value as string) as { data: { manageNumber: string; quantity: number } },
    )
    .map((e) => [e.data.manageNumber, e.data.quantity]);
}

it('buffers lower what is published, and changing a buffer re-publishes the listings it moves', async () => {
  const skuId = randomUUID();
  await db.query(
    `INSERT INTO mapping.skus (id, tenant_id, code, name) VALUES ($1, $2, 'MUG-1', 'Mug')`,
    [skuId, tenantId],
  );
  await db.query(
    `INSERT INTO mapping.listings (shop_id, tenant_id, manage_number, variant_key, variant_id,
                                   item_number, item_name, sku_links)
     VALUES ($1, $2, 'mug-1', 'mug-1', 'mug-1', 'mug-1', 'Mug', '[{"skuCode":"MUG-1","perUnit":1}]'),
            ($1, $2, 'mug-pair', 'mug-pair', 'mug-pair', 'mug-pair', 'Mug pair',
             '[{"skuCode":"MUG-1","perUnit":2}]')`,
    [shopId, tenantId],
  );
  await produce([
    createEvent('inventory.changed', {
      tenantId,
      data: { skuCode: 'MUG-1', onHand: 9, reserved: 2, available: 7, reason: 'adjustment' },
    }),
  ]);
  await expectEventually(() =>
    expect(published().sort()).toEqual([
      ['mug-1', 7],
      ['mug-pair', 3],
    ]),
  );

  // Shop buffer 1: 7 − 1 = 6 singles, floor(7 / 2) − 1 = 2 pairs.
  const shop = await settings.putShopSettings({ actor, shopId, body: { safetyStock: 1 } });
  expect(shop).toMatchObject({ shopId, safetyStock: 1, republished: 2 });
  await expectEventually(() =>
    expect(published().slice(2).sort()).toEqual([
      ['mug-1', 6],
      ['mug-pair', 2],
    ]),
  );
  // SKU buffer 2 on top: 7 − 2 − 1 = 4 singles, floor(5 / 2) − 1 = 1 pair.
  const sku = await settings.putSkuSafetyStock({ actor, skuId, body: { safetyStock: 2 } });
  expect(sku).toMatchObject({ skuCode: 'MUG-1', safetyStock: 2, republished: 2 });
  await expectEventually(() =>
    expect(published().slice(4).sort()).toEqual([
      ['mug-1', 4],
      ['mug-pair', 1],
    ]),
  );
  // Stock falls to 2: both buffers leave nothing (never below 0).
  await produce([
    createEvent('inventory.changed', {
      tenantId,
      data: { skuCode: 'MUG-1', onHand: 2, reserved: 0, available: 2, reason: 'adjustment' },
    }),
  ]);
  await expectEventually(() =>
    expect(published().slice(6).sort()).toEqual([
      ['mug-1', 0],
      ['mug-pair', 0],
    ]),
  );
  // The same buffer again moves nothing: nothing re-published.
  expect(await settings.putShopSettings({ actor, shopId, body: { safetyStock: 1 } })).toMatchObject(
    { republished: 0 },
  );
  await expect(settings.shopSettings({ actor, shopId })).resolves.toMatchObject({
    safetyStock: 1,
  });
  await expect(settings.skuSafetyStock({ actor, skuId })).resolves.toMatchObject({
    safetyStock: 2,
  });
}, 60_000);

it('refuses a bad buffer naming the field, and another tenant cannot change the shop', async () => {
  expect(() =>
    parseCall(ShopStockSettingsPutCall, { actor, shopId, body: { safetyStock: -1 } }),
  ).toThrow(InvalidCallError);
  try {
    parseCall(ShopStockSettingsPutCall, { actor, shopId, body: { safetyStock: 'x' } });
  } catch (error) {
    expect(JSON.stringify((error as InvalidCallError).problems)).toContain('safetyStock');
  }
  const other = { tenantId: randomUUID(), actorId: 'other' };
  await expect(
    settings.putShopSettings({ actor: other, shopId, body: { safetyStock: 50 } }),
  ).rejects.toMatchObject({ code: 'SHOP_NOT_FOUND' });
  await expect(settings.shopSettings({ actor, shopId })).resolves.toMatchObject({
    safetyStock: 1,
  });
  await expect(
    settings.skuSafetyStock({ actor: other, skuId: randomUUID() }),
  ).rejects.toMatchObject({ code: 'SKU_NOT_FOUND' });
});
