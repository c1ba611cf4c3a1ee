import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  type OrderLine,
  type OrderMappedData,
  createEvent,
  exampleOrderNumber,
  exampleOrderPulledData,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import {
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
  publishAndAwaitApplied,
} from '@smartship/testing';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';

import { AppModule } from '../app.module';
import { CatalogService } from '../catalog/catalog.service';
import { MappingConfig } from '../config';
import { OrderQueueService } from './order-queue.service';

/**
 * Order revisions through the mapping service in this process, on the real broker and database:
 * `order.pulled` of revisions 1, 2, … and `order.canceled` of a revision go on their topics (two
 * topics, so the service may see them in any order), and the outcome is read from `order.mapped`,
 * the unmapped queue and the service's tables.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const tenantId = randomUUID();
const actor = { tenantId, actorId: 'mapping-revisions-int-spec' };

let app: INestApplication;
let db: DataSource;
let queue: OrderQueueService;
let catalog: CatalogService;
let kafka: Kafka;
let producer: Producer;
let collector: TopicCollector;
let serial = 0;

/** Lines the tenant's catalog maps (MUG by 商品番号, TEE-M by システム連携用SKU番号). */
const MUG: Partial<OrderLine> = {
  itemNumber: 'mug-1',
  manageNumber: 'mug-1',
  variantId: 'mug-1',
  merchantDefinedSkuId: null,
  skuInfo: null,
};
const TEE_M: Partial<OrderLine> = {
  itemNumber: 'tee',
  manageNumber: 'tee',
  variantId: 'tee-m',
  merchantDefinedSkuId: 'TEE-M-SELLER',
};
/** A line nothing in the catalog matches, until a SKU with seller code `rice-5` exists. */
const RICE: Partial<OrderLine> = {
  itemNumber: 'rice-5',
  manageNumber: 'rice-5',
  itemName: '新米 5kg',
  variantId: 'rice-5',
  merchantDefinedSkuId: null,
  skuInfo: null,
};

beforeAll(async () => {
  const config = loadConfig('mapping', MappingConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${run}`,
    LOG_LEVEL: 'warn',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  db = app.get(DataSource);
  queue = app.get(OrderQueueService);
  catalog = app.get(CatalogService);
  const rows = [
    'sku_code,sku_name,option_code,option_name,option_seller_code,seller_code',
    'TEE,Tシャツ,TEE-M,M,TEE-M-SELLER,',
    'MUG,マグ,,,,mug-1',
  ];
  await catalog.import({
    actor,
    format: 'csv',
    fileName: 'revisions.csv',
    contentBase64: Buffer.from(rows.join('\n')).toString('base64'),
  });
  kafka = testKafka(infra.kafkaBrokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  collector = await new TopicCollector(kafka, ['order.mapped']).start();
});

afterAll(async () => {
  await collector?.stop();
  await producer?.disconnect();
  await app?.close();
});

/** A new order of a new shop: each test has its own. */
function newOrder(): { shopId: string; orderNumber: string } {
  return { shopId: randomUUID(), orderNumber: exampleOrderNumber(++serial, '666666') };
}

function pulled(
  ref: { shopId: string; orderNumber: string },
  revision: number | undefined,
  lines: Partial<OrderLine>[],
): AnyEvent {
  const data = exampleOrderPulledData({
    orderNumber: ref.orderNumber,
    linesPerPackage: lines.length,
    revision,
  });
  data.order.packages[0].lines = data.order.packages[0].lines.map((line, i) => ({
    ...line,
    ...lines[i],
  }));
  return createEvent('order.pulled', { tenantId, shopId: ref.shopId, data });
}

function canceled(ref: { shopId: string; orderNumber: string }, revision: number): AnyEvent {
  return createEvent('order.canceled', {
    tenantId,
    shopId: ref.shopId,
    data: {
      orderNumber: ref.orderNumber,
      rakutenStatus: 400,
      reason: 'the order was changed on Rakuten and awaits confirmation (400 変更確定待ち)',
      detectedAt: new Date().toISOString(),
      revision,
    },
  });
}

/** Sends the event and waits until the service has applied it (its id is in the inbox). */
function apply(event: AnyEvent): Promise<void> {
  return publishAndAwaitApplied(producer, (sql, params) => db.query(sql, params), 'mapping', [
    event,
  ]);
}

/** The order.mapped events of the order published so far (from the outbox, in order). */
async function published(ref: { shopId: string; orderNumber: string }): Promise<OrderMappedData[]> {
  const rows = await db.query<{ payload: string }[]>(
    `SELECT payload FROM mapping.outbox
      WHERE topic = 'order.mapped' AND message_key = $1 ORDER BY seq`,
    [`${ref.shopId}:${ref.orderNumber}`],
  );
  return rows.map((row) => (JSON.parse(row.payload) as { data: OrderMappedData }).data);
}

/** What mapping keeps of the order: its mapped and held rows with their revisions. */
async function kept(ref: { shopId: string; orderNumber: string }) {
  const [mapped] = await db.query<{ revision: number; lines: number }[]>(
    'SELECT revision, lines FROM mapping.mapped_orders WHERE shop_id = $1 AND order_number = $2',
    [ref.shopId, ref.orderNumber],
  );
  const [held] = await db.query<{ revision: number; order: { packages: unknown[] } }[]>(
    `SELECT revision, "order" FROM mapping.held_orders WHERE shop_id = $1 AND order_number = $2`,
    [ref.shopId, ref.orderNumber],
  );
  return { mapped: mapped ?? null, held: held ? { revision: held.revision } : null };
}

function skusOf(data: OrderMappedData): string[] {
  return data.order.packages.flatMap((pkg) =>
    pkg.lines.flatMap((line) => line.resolution.skus.map((sku) => sku.skuCode)),
  );
}

it('revision 2 replaces a mapped revision 1 and goes out as order.mapped with revision 2; repeating either revision changes nothing', async () => {
  const ref = newOrder();
  await apply(pulled(ref, undefined, [MUG]));
  await apply(canceled(ref, 1)); // the change on Rakuten: fulfillment stops revision 1
  await apply(pulled(ref, 2, [TEE_M, MUG]));

  const out = await published(ref);
  expect(out.map((data) => [data.revision, skusOf(data)])).toEqual([
    [1, ['MUG']],
    [2, ['TEE-M', 'MUG']],
  ]);
  expect(await kept(ref)).toEqual({ mapped: { revision: 2, lines: 2 }, held: null });
  const mappedList = await queue.list({ actor, status: 'mapped', shopId: ref.shopId });
  expect(
    mappedList.items.filter((item) => item.orderNumber === ref.orderNumber).map((i) => i.revision),
  ).toEqual([2]);
  // …and on the topic, in that order, for fulfillment.
  await expectEventually(() => {
    const onTopic = collector
      .on('order.mapped')
      .filter((m) => m.key === `${ref.shopId}:${ref.orderNumber}`)
      .map((m) => (JSON.parse(m.value ?? 'null') as { data: OrderMappedData }).data.revision);
    expect(onTopic).toEqual([1, 2]);
  });

  // Redeliveries with new event ids (a relay or producer resending): lower and equal revisions.
  await apply(pulled(ref, 1, [MUG]));
  await apply(pulled(ref, 2, [TEE_M, MUG]));
  expect(await published(ref)).toHaveLength(2);
  expect(await kept(ref)).toEqual({ mapped: { revision: 2, lines: 2 }, held: null });
});

it('a late cancellation of revision 1 leaves a held revision 2 in the queue; one of revision 2 takes it off, and its late order.pulled is ignored', async () => {
  const ref = newOrder();
  await apply(pulled(ref, 1, [RICE]));
  await apply(pulled(ref, 2, [MUG, RICE, RICE]));
  const listed = async () =>
    (await queue.list({ actor, status: 'needs_mapping', shopId: ref.shopId })).items;
  // Held again with the reasons of revision 2: its lines, not revision 1's.
  expect(
    (await listed()).map((item) => [item.orderNumber, item.revision, item.unmappedLines.length]),
  ).toEqual([[ref.orderNumber, 2, 2]]);
  expect(await kept(ref)).toEqual({ mapped: null, held: { revision: 2 } });

  await apply(canceled(ref, 1));
  expect(await kept(ref)).toEqual({ mapped: null, held: { revision: 2 } });

  await apply(canceled(ref, 2));
  expect(await kept(ref)).toEqual({ mapped: null, held: null });
  expect(await listed()).toEqual([]);
  // Revision 2 pulled again after its cancellation (another event id): neither held nor mapped.
  await apply(pulled(ref, 2, [MUG]));
  expect(await kept(ref)).toEqual({ mapped: null, held: null });
  expect(await published(ref)).toEqual([]);
});

it('a cancellation that overtakes its order.pulled: revision 1 is never mapped, revision 2 is', async () => {
  const ref = newOrder();
  await apply(canceled(ref, 1));
  await apply(pulled(ref, 1, [MUG]));
  expect(await kept(ref)).toEqual({ mapped: null, held: null });
  await apply(pulled(ref, 2, [MUG]));
  expect((await published(ref)).map((data) => data.revision)).toEqual([2]);
  expect(await kept(ref)).toEqual({ mapped: { revision: 2, lines: 1 }, held: null });
});

it('a held revision 2 replaces a mapped revision 1, and a catalog change releases it with revision 2', async () => {
  const ref = newOrder();
  await apply(pulled(ref, 1, [MUG]));
  await apply(pulled(ref, 2, [MUG, RICE]));
  expect(await kept(ref)).toEqual({ mapped: null, held: { revision: 2 } });

  const created = await catalog.create({
    actor,
    body: { code: `RICE-${run}`, name: '新米 5kg', sellerCode: 'rice-5' },
  });
  expect(created.reevaluation).toMatchObject({ released: 1 });
  const out = await published(ref);
  expect(out.map((data) => [data.revision, skusOf(data)])).toEqual([
    [1, ['MUG']],
    [2, ['MUG', `RICE-${run}`]],
  ]);
  expect(await kept(ref)).toEqual({ mapped: { revision: 2, lines: 2 }, held: null });
});
