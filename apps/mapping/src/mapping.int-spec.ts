import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  type ImportReportView,
  type MappedOrder,
  type MarketplaceOrder,
  type OrderLine,
  type ServiceErrorBody,
  createEvent,
  encodeEvent,
  eventKey,
  exampleOrderNumber,
  exampleOrderPulledData,
} from '@smartship/contracts';
import { loadConfig } from '@smartship/service-kit';
import {
  TopicCollector,
  expectEventually,
  publishAndAwaitApplied,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import ExcelJS from 'exceljs';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';

import { AppModule } from './app.module';
import { CatalogService } from './catalog/catalog.service';
import { MappingError } from './catalog/mapping.errors';
import { MappingConfig } from './config';
import { OrderQueueService } from './orders/order-queue.service';

/**
 * The mapping service in this process on the real database and broker: catalogs imported from
 * generated files, orders put on `order.pulled`, outcomes read from `order.mapped`,
 * `listing.stock.changed` and the service's tables.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const shopId = randomUUID(); // a shop connection id, as ingestion expects on listing.stock.changed

let app: INestApplication;
let catalog: CatalogService;
let queue: OrderQueueService;
let db: DataSource;
let kafka: Kafka;
let producer: Producer;
let collector: TopicCollector;
let serial = 0;

function actor(tenantId: string) {
  return { tenantId, actorId: 'mapping-int-spec' };
}

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
  queue = app.get(OrderQueueService);
  db = app.get(DataSource);
  kafka = testKafka(infra.kafkaBrokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  collector = await new TopicCollector(kafka, ['order.mapped', 'listing.stock.changed']).start();
});

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

/** An order.pulled for the tenant with the given lines (one package) and order fields. */
function pulledOrder(
  tenantId: string,
  lines: Partial<OrderLine>[],
  fields: Partial<Omit<MarketplaceOrder, 'packages'>> = {},
) {
  const orderNumber = exampleOrderNumber(++serial, '777777');
  const data = exampleOrderPulledData({ orderNumber, linesPerPackage: lines.length });
  data.order.packages[0].lines = data.order.packages[0].lines.map((line, i) => ({
    ...line,
    ...lines[i],
  }));
  Object.assign(data.order, fields);
  return createEvent('order.pulled', { tenantId, shopId, data });
}

/** What a buyer asked for, as the Rakuten normaliser fills it: it must reach order.mapped. */
const GIFT_FIELDS = {
  remarks: '[配送日時指定:]\n2025-03-05(水)\n午前中\n\n[備考:]\n<b>ギフト用</b> 🎁',
  remarksDelivery: { date: '2025-03-05', time: '午前中' },
  gift: true,
  wrappings: [{ kind: 'paper' as const, name: 'クリスマス包装', price: 220, taxIncluded: true }],
};

function mappedOrders(): MappedOrder[] {
  return collector
    .on('order.mapped')
    .filter((m) => m.key?.startsWith(`${shopId}:`))
    .map((m) => (JSON.parse(m.value!) as { data: { order: MappedOrder } }).data.order);
}

function csv(rows: string[][]): string {
  return rows
    .map((row) =>
      row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','),
    )
    .join('\n');
}

const HEADER = [
  'sku_code',
  'sku_name',
  'barcode',
  'seller_code',
  'option_code',
  'option_name',
  'option_seller_code',
  'option_barcode',
  'variant_id',
  'components',
];

/** The simulator's default catalog as a seller would enter it (guide: SKU 연결하기). */
const SIM_CATALOG = [
  HEADER,
  ['TEE-001', 'Tシャツ', '', '', 'TEE-M-BK', 'M / ブラック', 'TEE001-M-BK', '', '', ''],
  ['TEE-001', 'Tシャツ', '', '', 'TEE-L-BK', 'L / ブラック', 'TEE001-L-BK', '', '', ''],
  ['MUG-002', 'マグカップ', '4901234567894', 'mug-002', '', '', '', '', '', ''],
  ['TOWEL-003', '今治タオル', '', '', 'TOWEL-WF', 'ホワイト フェイス', 'towel-003wf', '', '', ''],
  ['SOCKS-004', 'ソックス', '', '', 'SOCKS-25', '25cm', 'SOCKS-25', '', '', ''],
  ['SOCKS-004', 'ソックス', '', '', 'SOCKS-27', '27cm', '', '', 'socks-004-27', ''],
  ['MUG-PAIR', 'マグ ペア', '', 'mug-pair', '', '', '', '', '', 'MUG-002*2'],
];

async function importCsv(tenantId: string, rows: string[][], fileName = 'skus.csv') {
  return catalog.import({
    actor: actor(tenantId),
    format: 'csv',
    fileName,
    contentBase64: Buffer.from(csv(rows)).toString('base64'),
  });
}

async function rejection(promise: Promise<unknown>): Promise<ServiceErrorBody> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MappingError);
  return (error as MappingError).toBody();
}

it('pre- and post-migration lines of one shop map by seller code, option code and bundle', async () => {
  const tenantId = randomUUID();
  const report = await importCsv(tenantId, SIM_CATALOG);
  expect(report).toMatchObject({ applied: true, rows: 7, created: 5, updated: 0, unchanged: 0 });

  const order = pulledOrder(
    tenantId,
    [
      {
        itemNumber: 'tee-001',
        variantId: 'tee-001-m-bk',
        merchantDefinedSkuId: 'TEE001-M-BK',
        units: 2,
        taxRate: 0.1,
      },
      {
        itemNumber: 'mug-002',
        variantId: 'mug-002',
        merchantDefinedSkuId: 'MUG002',
        skuInfo: null,
        units: 1,
      },
      // Before the migration: 商品番号 + 横軸 w + 縦軸 f, no variantId.
      {
        itemNumber: 'towel-003wf',
        variantId: null,
        merchantDefinedSkuId: null,
        skuInfo: null,
        units: 3,
      },
      { itemNumber: 'socks-004', variantId: 'socks-004-27', merchantDefinedSkuId: null, units: 1 },
      {
        itemNumber: 'mug-pair',
        variantId: 'mug-pair',
        merchantDefinedSkuId: null,
        skuInfo: null,
        units: 2,
      },
    ],
    GIFT_FIELDS,
  );
  await produce([order]);
  const mapped = await expectEventually(() => {
    const found = mappedOrders().find((o) => o.orderNumber === order.data.order.orderNumber);
    expect(found).toBeDefined();
    return found!;
  });
  expect(mapped.packages[0].lines.map((l) => [l.resolution.matchedBy, l.resolution.skus])).toEqual([
    ['merchant_defined_sku_id', [{ skuCode: 'TEE-M-BK', quantity: 2 }]],
    ['item_number', [{ skuCode: 'MUG-002', quantity: 1 }]],
    ['option_code', [{ skuCode: 'TOWEL-WF', quantity: 3 }]],
    ['variant_id', [{ skuCode: 'SOCKS-27', quantity: 1 }]],
    ['item_number', [{ skuCode: 'MUG-002', quantity: 4 }]],
  ]);
  // The buyer's remarks and gift wrapping pass through to fulfillment unchanged.
  expect(mapped).toMatchObject(GIFT_FIELDS);
  expect(mapped.packages[0].lines[0].taxRate).toBe(0.1);
});

it('a held order is listed with reasons, dry-run shows the release, and a new rule releases it once', async () => {
  const tenantId = randomUUID();
  await importCsv(tenantId, SIM_CATALOG);
  const held = pulledOrder(
    tenantId,
    [
      { itemNumber: 'mug-002', variantId: 'mug-002', merchantDefinedSkuId: null, skuInfo: null },
      {
        itemNumber: 'rice-005',
        itemName: '新米 コシヒカリ 5kg',
        variantId: 'rice-005',
        merchantDefinedSkuId: null,
        skuInfo: null,
      },
    ],
    GIFT_FIELDS,
  );
  await produce([held]);
  const orderNumber = held.data.order.orderNumber;
  const listed = await expectEventually(async () => {
    const page = await queue.list({ actor: actor(tenantId), status: 'needs_mapping' });
    expect(page.items).toHaveLength(1);
    return page.items[0];
  });
  expect(listed).toMatchObject({ orderNumber, status: 'needs_mapping' });
  expect(listed.unmappedLines.map((l) => [l.itemNumber, l.reason])).toEqual([
    ['rice-005', 'no_match'],
  ]);
  expect(listed.mappedLines.map((l) => l.skus[0].skuCode)).toEqual(['MUG-002']);
  // Nothing partial was published.
  expect(mappedOrders().filter((o) => o.orderNumber === orderNumber)).toEqual([]);

  await catalog.create({
    actor: actor(tenantId),
    body: { code: 'RICE-5KG', name: 'コシヒカリ 5kg' },
  });
  const rule = { itemName: '新米 コシヒカリ 5kg', optionText: '', skuCode: 'RICE-5KG' };
  const dryRun = await queue.dryRun(tenantId, rule);
  expect(dryRun.wouldRelease).toEqual([orderNumber]);
  expect(dryRun.lines).toMatchObject([
    { orderNumber, before: null, after: { matchedBy: 'name_rule' } },
  ]);
  // A dry run stores nothing.
  expect((await catalog.listRules({ actor: actor(tenantId) })).items).toEqual([]);

  const created = await catalog.createRule({ actor: actor(tenantId), body: rule });
  expect(created.reevaluation).toEqual({ evaluated: 1, released: 1, stillHeld: 0 });
  const released = await expectEventually(() => {
    const found = mappedOrders().filter((o) => o.orderNumber === orderNumber);
    expect(found).toHaveLength(1);
    return found[0];
  });
  expect(released.packages[0].lines[1].resolution).toMatchObject({
    matchedBy: 'name_rule',
    ruleId: created.item.id,
    skus: [{ skuCode: 'RICE-5KG', quantity: 2 }],
  });
  // Held in the database and released later, the order still carries remarks and wrapping.
  expect(released).toMatchObject(GIFT_FIELDS);
  expect((await queue.list({ actor: actor(tenantId), status: 'needs_mapping' })).items).toEqual([]);
  // The same order pulled again (another event id) is not published again.
  // Once the inbox has applied it, whatever the handler published is in the outbox (same
  // transaction): still the one order.mapped of this order.
  await publishAndAwaitApplied(producer, (sql, params) => db.query(sql, params), 'mapping', [
    createEvent('order.pulled', { tenantId, shopId, data: held.data }),
  ]);
  const [{ n }] = await db.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM mapping.outbox WHERE topic = 'order.mapped' AND message_key = $1`,
    [`${shopId}:${orderNumber}`],
  );
  expect(n).toBe(1);
  expect(mappedOrders().filter((o) => o.orderNumber === orderNumber)).toHaveLength(1);
});

it('an ambiguous line holds the order and lists both candidates', async () => {
  const tenantId = randomUUID();
  await importCsv(tenantId, [
    HEADER,
    ['A', 'A', '', 'dup-01', '', '', '', '', '', ''],
    ['B', 'B', '', 'dup-01', '', '', '', '', '', ''],
  ]);
  const order = pulledOrder(tenantId, [{ itemNumber: 'dup-01', merchantDefinedSkuId: null }]);
  await produce([order]);
  const listed = await expectEventually(async () => {
    const page = await queue.list({ actor: actor(tenantId), status: 'needs_mapping' });
    expect(page.items).toHaveLength(1);
    return page.items[0];
  });
  expect(listed.unmappedLines[0].reason).toBe('ambiguous');
  expect(listed.unmappedLines[0].candidates.map((c) => c.skuCode)).toEqual(['A', 'B']);
});

it('bad csv and xlsx files are refused whole, with every bad row; good xlsx imports', async () => {
  const tenantId = randomUUID();
  const bad = await rejection(
    importCsv(tenantId, [
      HEADER,
      ['OK-1', 'fine', '', 'ok-1', '', '', '', '', '', ''],
      ['', 'no code', '', '', '', '', '', '', '', ''],
      ['BAD 2', 'space in code', '', '', '', '', '', '', '', ''],
      ['OPT', 'has options', '', 'x', 'OPT-1', 'one', '', '', '', ''],
      ['SET', 'bundle', '', 'set', '', '', '', '', '', 'MISSING*2'],
    ]),
  );
  expect(bad).toMatchObject({ statusCode: 422, code: 'IMPORT_REJECTED' });
  expect((bad.details as ImportReportView).problems).toEqual([
    { row: 3, column: 'sku_code', reason: 'required' },
    { row: 4, column: 'sku_code', reason: expect.stringContaining('without spaces') },
    { row: 5, column: 'seller_code', reason: expect.stringContaining('option_seller_code') },
  ]);
  // The component check runs against the catalog: reported on its row once the rows are fine.
  const missing = await rejection(
    importCsv(tenantId, [HEADER, ['SET', 'bundle', '', 'set', '', '', '', '', '', 'MISSING*2']]),
  );
  expect((missing.details as ImportReportView).problems).toEqual([
    { row: 2, column: 'components', reason: expect.stringContaining('MISSING') },
  ]);
  expect((await catalog.list({ actor: actor(tenantId) })).total).toBe(0);

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('skus');
  sheet.addRow(HEADER);
  sheet.addRow(['X-1', 'xlsx one', '', 'x-1']);
  sheet.addRow(['X-2', 'xlsx two', '', '', 'X-2-A', 'A', 'x-2a']);
  sheet.addRow(['X-3', '', '', 'x-3']);
  const badXlsx = Buffer.from(await workbook.xlsx.writeBuffer());
  const xlsxError = await rejection(
    catalog.import({
      actor: actor(tenantId),
      format: 'xlsx',
      fileName: 'bad.xlsx',
      contentBase64: badXlsx.toString('base64'),
    }),
  );
  expect((xlsxError.details as ImportReportView).problems).toEqual([
    { row: 4, column: 'sku_name', reason: 'required' },
  ]);
  sheet.spliceRows(4, 1);
  const good = await catalog.import({
    actor: actor(tenantId),
    format: 'xlsx',
    fileName: 'good.xlsx',
    contentBase64: Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64'),
  });
  expect(good).toMatchObject({ applied: true, rows: 2, created: 2 });
  const unreadable = await rejection(
    catalog.import({
      actor: actor(tenantId),
      format: 'xlsx',
      fileName: 'not.xlsx',
      contentBase64: Buffer.from('not a zip').toString('base64'),
    }),
  );
  expect(unreadable.code).toBe('IMPORT_UNREADABLE');
});

it('a 60,000-row import streams in, and importing it again changes nothing', async () => {
  const tenantId = randomUUID();
  const rows: string[][] = [HEADER];
  for (let i = 0; i < 20_000; i++) {
    rows.push([`S-${i}`, `single ${i}`, '', `s-${i}`, '', '', '', '', '', '']);
    rows.push([`O-${i}`, `options ${i}`, '', '', `O-${i}-A`, 'A', `o-${i}-a`, '', '', '']);
    rows.push([`O-${i}`, `options ${i}`, '', '', `O-${i}-B`, 'B', `o-${i}-b`, '', `v-${i}-b`, '']);
  }
  const heapBefore = process.memoryUsage().heapUsed;
  const started = Date.now();
  const first = await importCsv(tenantId, rows, 'big.csv');
  const firstMs = Date.now() - started;
  expect(first).toMatchObject({ applied: true, rows: 60_000, created: 40_000, updated: 0 });
  const again = await importCsv(tenantId, rows, 'big.csv');
  expect(again).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 40_000 });
  const counts = await db.query<{ skus: number; options: number; version: string }[]>(
    `SELECT (SELECT count(*)::int FROM mapping.skus WHERE tenant_id = $1) AS skus,
            (SELECT count(*)::int FROM mapping.sku_options WHERE tenant_id = $1) AS options,
            (SELECT version FROM mapping.catalog_versions WHERE tenant_id = $1) AS version`,
    [tenantId],
  );
  // Created once; the second import did not even bump the catalog version.
  expect(counts[0]).toEqual({ skus: 40_000, options: 40_000, version: '1' });
  console.log(
    `60,000-row csv import: ${firstMs} ms first, ${again.durationMs} ms again; heap ${Math.round(
      (process.memoryUsage().heapUsed - heapBefore) / 1e6,
    )} MB above the start`,
  );
});

it('inventory.changed gives listing.stock.changed; a bundle listing shows its scarcest component', async () => {
  const tenantId = randomUUID();
  await importCsv(tenantId, SIM_CATALOG);
  const order = pulledOrder(tenantId, [
    {
      itemNumber: 'mug-002',
      manageNumber: 'mug-002',
      variantId: 'mug-002',
      merchantDefinedSkuId: null,
      skuInfo: null,
    },
    {
      itemNumber: 'mug-pair',
      manageNumber: 'mug-pair',
      variantId: 'mug-pair',
      merchantDefinedSkuId: null,
      skuInfo: null,
    },
  ]);
  await produce([order]);
  await expectEventually(() =>
    expect(mappedOrders().some((o) => o.orderNumber === order.data.order.orderNumber)).toBe(true),
  );
  await produce([
    createEvent('inventory.changed', {
      tenantId,
      data: { skuCode: 'MUG-002', onHand: 9, reserved: 2, available: 7, reason: 'adjustment' },
    }),
  ]);
  const ours = () =>
    collector
      .on('listing.stock.changed')
      .filter((m) => m.key?.startsWith(`${shopId}:mug-`))
      .map(
        (m) =>
          JSON.parse(m.value!) as {
            tenantId: string;
            data: { manageNumber: string; quantity: number };
          },
      )
      .filter((e) => e.tenantId === tenantId)
      .map((e) => [e.data.manageNumber, e.data.quantity]);
  await expectEventually(() =>
    expect(ours().sort()).toEqual([
      ['mug-002', 7],
      ['mug-pair', 3],
    ]),
  );
});
