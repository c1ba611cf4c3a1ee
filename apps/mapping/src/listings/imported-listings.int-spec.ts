import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  createEvent,
  encodeEvent,
  eventKey,
  exampleListingsImportedData,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import {
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';

import { AppModule } from '../app.module';
import { CatalogService } from '../catalog/catalog.service';
import { MappingConfig } from '../config';
import { ListingLinksService } from './listing-links.service';

/*
 * listings.imported through the real broker into the real database: listings stored with their
 * suggestions (idempotently), listed by state, linked one by one or all at once, and each link
 * publishes listing.stock.changed with the quantity the SKU allows.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();

let app: INestApplication;
let catalog: CatalogService;
let links: ListingLinksService;
let db: DataSource;
let kafka: Kafka;
let producer: Producer;
let collector: TopicCollector;

beforeAll(async () => {
  const config = loadConfig('mapping', MappingConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${run}`,
    LOG_LEVEL: 'warn',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  catalog = app.get(CatalogService);
  links = app.get(ListingLinksService);
  db = app.get(DataSource);
  kafka = testKafka(infra.kafkaBrokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  collector = await new TopicCollector(kafka, ['listing.stock.changed']).start();
}, 60_000);

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

it('stores imported listings with suggestions, once; links them one by one and in bulk, pushing stock', async () => {
  const tenantId = randomUUID();
  const shopId = randomUUID();
  const actor = { tenantId, actorId: 'int' };
  await catalog.create({
    actor,
    body: {
      code: 'TEE',
      name: 'Tシャツ',
      options: [
        { code: 'TEE-S', name: 'S', sellerCode: 'TEE001-S' },
        { code: 'TEE-M', name: 'M', sellerCode: null },
      ],
    },
  });
  await catalog.create({ actor, body: { code: 'MUG', name: 'マグ', sellerCode: 'MUG002' } });
  await db.query(
    `INSERT INTO mapping.sku_stock (tenant_id, sku_code, available, on_hand, reserved)
     VALUES ($1, 'TEE-S', 7, 7, 0), ($1, 'MUG', 3, 3, 0)`,
    [tenantId],
  );
  const event = createEvent('listings.imported', {
    tenantId,
    shopId,
    data: exampleListingsImportedData(),
  });
  // Twice: the inbox drops the second.
  await produce([event, event]);
  const listAll = () => links.list({ actor, shopId });
  await expectEventually(async () => expect((await listAll()).items).toHaveLength(3));
  const byVariant = Object.fromEntries((await listAll()).items.map((l) => [l.variantKey, l]));
  expect(byVariant['tee-001-s']).toMatchObject({
    state: 'suggested',
    suggestion: { links: [{ skuCode: 'TEE-S', perUnit: 1 }], by: 'merchant_defined_sku_id' },
    source: 'import',
  });
  expect(byVariant['tee-001-m']).toMatchObject({ state: 'hidden', suggestion: null });
  expect(byVariant['mug-002']).toMatchObject({
    state: 'suggested',
    suggestion: { by: 'item_number' },
  });
  const suggested = await links.list({ actor, shopId, state: 'suggested', limit: 1 });
  expect(suggested.items).toHaveLength(1);
  const next = await links.list({
    actor,
    shopId,
    state: 'suggested',
    cursor: suggested.nextCursor!,
  });
  expect(next.items.map((l) => l.variantKey)).not.toContain(suggested.items[0].variantKey);

  // Bad input: 400 naming the field, nothing stored.
  await expect(
    links.link({
      actor,
      body: {
        links: [{ shopId, manageNumber: 'tee-001', variantId: 'tee-001-m', skuCode: 'NOPE' }],
      },
    }),
  ).rejects.toMatchObject({ statusCode: 400 });
  // Another tenant's listing is not found.
  await expect(
    links.link({
      actor: { tenantId: randomUUID(), actorId: 'x' },
      body: { links: [{ shopId, manageNumber: 'tee-001', variantId: 'tee-001-s' }] },
    }),
  ).rejects.toMatchObject({ statusCode: 404 });

  // One by one: accept the T-shirt's suggestion.
  expect(
    await links.link({
      actor,
      body: { links: [{ shopId, manageNumber: 'tee-001', variantId: 'tee-001-s' }] },
    }),
  ).toEqual({ linked: 1, stockPushed: 1 });
  // All suggested of the shop: the mug.
  expect(await links.link({ actor, body: { acceptAllSuggested: shopId } })).toEqual({
    linked: 1,
    stockPushed: 1,
  });
  const pushed = () =>
    collector
      .on('listing.stock.changed')
      .filter((m) => m.key?.startsWith(`${shopId}:`))
      .map((m) => (JSON.parse(m.value!) as { data: { variantId: string; quantity: number } }).data);
  await expectEventually(() => expect(pushed()).toHaveLength(2));
  expect(pushed()).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ variantId: 'tee-001-s', quantity: 7 }),
      expect.objectContaining({ variantId: 'mug-002', quantity: 3 }),
    ]),
  );
  expect((await links.list({ actor, shopId, state: 'linked' })).items).toHaveLength(2);

  // A later import does not undo a link (nor suggest again for linked listings).
  await produce([
    createEvent('listings.imported', {
      tenantId,
      shopId,
      data: exampleListingsImportedData({ importId: randomUUID() }),
    }),
  ]);
  await expectEventually(async () => {
    const { length } = (await links.list({ actor, shopId, state: 'linked' })).items;
    const rows = await db.query(
      'SELECT count(DISTINCT import_id)::int AS n FROM mapping.listings WHERE shop_id = $1',
      [shopId],
    );
    expect(rows[0].n).toBe(1);
    expect(length).toBe(2);
  });
  // Linking the hidden one by SKU code works too.
  expect(
    await links.link({
      actor,
      body: {
        links: [{ shopId, manageNumber: 'tee-001', variantId: 'tee-001-m', skuCode: 'TEE-M' }],
      },
    }),
  ).toEqual({ linked: 1, stockPushed: 1 });
}, 60_000);
