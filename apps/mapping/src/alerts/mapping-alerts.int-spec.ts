import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AnyEvent,
  type ImportReportView,
  type OrderLine,
  type ShopAlertData,
  type TenantAlertData,
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
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { register } from 'prom-client';
import { DataSource } from 'typeorm';

import { AppModule } from '../app.module';
import { CatalogService } from '../catalog/catalog.service';
import { MappingError } from '../catalog/mapping.errors';
import { MappingConfig } from '../config';

/*
 * Mapping's alerts with the service in this process on the real database and broker:
 * orders_unmapped from the periodic check (every 300 ms here, threshold 1 minute; a held order is
 * made older by moving its held_at back) and tenant.alert import_errors from a refused import.
 * "Not again" is checked after later check cycles have run (mapping.alert_checks counts them) in
 * the outbox, which the check writes in its own transaction.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();

let app: INestApplication;
let catalog: CatalogService;
let db: DataSource;
let producer: Producer;
let collector: TopicCollector;
let serial = 0;

beforeAll(async () => {
  const config = loadConfig('mapping', MappingConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${run}`,
    LOG_LEVEL: 'warn',
    UNMAPPED_ALERT_MINUTES: '1',
    UNMAPPED_CHECK_INTERVAL_MS: '300',
  });
  app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  await app.init();
  catalog = app.get(CatalogService);
  db = app.get(DataSource);
  const kafka = testKafka(infra.kafkaBrokers);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  collector = await new TopicCollector(kafka, ['shop.alert', 'tenant.alert']).start();
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

/** An order.pulled of the shop whose lines match nothing in an empty catalog: held. */
function heldOrder(tenantId: string, shopId: string, lines: Partial<OrderLine>[]) {
  const orderNumber = exampleOrderNumber(++serial, '888888');
  const data = exampleOrderPulledData({ orderNumber, linesPerPackage: lines.length });
  data.order.packages[0].lines = data.order.packages[0].lines.map((line, i) => ({
    ...line,
    ...lines[i],
  }));
  return createEvent('order.pulled', { tenantId, shopId, data });
}

const RICE = {
  itemNumber: 'rice-005',
  itemName: '新米 5kg',
  variantId: null,
  skuInfo: null,
  selectedChoice: '',
  merchantDefinedSkuId: null,
};

function alertsOf(shopId: string): ShopAlertData[] {
  return collector
    .on('shop.alert')
    .filter((m) => m.key === shopId)
    .map((m) => (JSON.parse(m.value!) as { data: ShopAlertData }).data)
    .filter((data) => data.kind === 'orders_unmapped');
}

async function outboxAlerts(key: string, kind: string): Promise<number> {
  const [{ n }] = await db.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM mapping.outbox
      WHERE message_key = $1 AND payload::jsonb -> 'data' ->> 'kind' = $2`,
    [key, kind],
  );
  return n;
}

async function checkRuns(): Promise<number> {
  const rows = await db.query<{ runs: string }[]>(
    "SELECT runs FROM mapping.alert_checks WHERE name = 'unmapped'",
  );
  return Number(rows[0]?.runs ?? 0);
}

/** Waits until two more check cycles have run (the observable point after which nothing new). */
async function twoMoreChecks(): Promise<void> {
  const now = await checkRuns();
  await expectEventually(async () => expect(await checkRuns()).toBeGreaterThanOrEqual(now + 2));
}

async function heldCount(shopId: string): Promise<number> {
  const [{ n }] = await db.query<{ n: number }[]>(
    'SELECT count(*)::int AS n FROM mapping.held_orders WHERE shop_id = $1',
    [shopId],
  );
  return n;
}

it('orders_unmapped: one alert per shop once a held order is older than the threshold, none while the queue stays, again after it emptied', async () => {
  const tenantId = randomUUID();
  const shopId = randomUUID();
  await produce([heldOrder(tenantId, shopId, [RICE, { ...RICE, itemNumber: 'rice-010' }])]);
  await expectEventually(async () => expect(await heldCount(shopId)).toBe(1));
  await twoMoreChecks();
  expect(await outboxAlerts(shopId, 'orders_unmapped')).toBe(0);

  // As if the order had been held for two minutes.
  const [[{ since }]] = await db.query<[{ since: Date }[], number]>(
    `UPDATE mapping.held_orders SET held_at = held_at - interval '2 minutes'
      WHERE shop_id = $1 RETURNING held_at AS since`,
    [shopId],
  );
  await expectEventually(() => expect(alertsOf(shopId)).toHaveLength(1));
  expect(alertsOf(shopId)[0]).toMatchObject({
    severity: 'warning',
    details: { count: 2, since: since.toISOString(), thresholdMinutes: 1 },
  });
  const metric = await register.getSingleMetric('smartship_shop_unmapped_lines')?.get();
  expect(metric?.values.find((v) => v.labels.shop_id === shopId)?.value).toBe(2);

  // More held lines while the queue is not empty: no new alert.
  await produce([heldOrder(tenantId, shopId, [{ ...RICE, itemNumber: 'rice-020' }])]);
  await expectEventually(async () => expect(await heldCount(shopId)).toBe(2));
  await twoMoreChecks();
  expect(await outboxAlerts(shopId, 'orders_unmapped')).toBe(1);

  // The seller links the lines (a name rule releases both orders): the queue is empty.
  await catalog.create({
    actor: { tenantId, actorId: 'test' },
    body: { code: 'RICE', name: 'rice' },
  });
  await catalog.createRule({
    actor: { tenantId, actorId: 'test' },
    body: { itemName: RICE.itemName, optionText: '', skuCode: 'RICE' },
  });
  expect(await heldCount(shopId)).toBe(0);
  await twoMoreChecks();
  const [{ n: marks }] = await db.query<{ n: number }[]>(
    'SELECT count(*)::int AS n FROM mapping.unmapped_alerts WHERE shop_id = $1',
    [shopId],
  );
  expect(marks).toBe(0);

  // Held again and old enough: a second alert.
  await produce([heldOrder(tenantId, shopId, [{ ...RICE, itemName: 'もち米 1kg' }])]);
  await expectEventually(async () => expect(await heldCount(shopId)).toBe(1));
  await db.query(
    `UPDATE mapping.held_orders SET held_at = held_at - interval '2 minutes' WHERE shop_id = $1`,
    [shopId],
  );
  await expectEventually(() => expect(alertsOf(shopId)).toHaveLength(2));
  expect(alertsOf(shopId)[1].details).toMatchObject({ count: 1 });
}, 90_000);

it('tenant.alert import_errors: one per refused import, with its id, file name and counts', async () => {
  const tenantId = randomUUID();
  const file = [
    'sku_code,sku_name,seller_code',
    'OK-1,fine,ok-1',
    ',no code,',
    'BAD 2,space in code,',
  ].join('\n');
  const error = await catalog
    .import({
      actor: { tenantId, actorId: 'test' },
      format: 'csv',
      fileName: '商品マスタ.csv',
      contentBase64: Buffer.from(file).toString('base64'),
    })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MappingError);
  const report = (error as MappingError).details as ImportReportView;
  expect(report.importId).toEqual(expect.any(String));

  const alerts = await expectEventually(() => {
    const found = collector.on('tenant.alert').filter((m) => m.key === tenantId);
    expect(found).toHaveLength(1);
    return found.map((m) => JSON.parse(m.value!) as { shopId: null; data: TenantAlertData });
  });
  expect(alerts[0].shopId).toBeNull();
  expect(alerts[0].data).toMatchObject({
    kind: 'import_errors',
    occurrenceKey: `import_errors:${report.importId}`,
    details: { importId: report.importId, fileName: '商品マスタ.csv', rowsTotal: 3, rowsFailed: 2 },
  });
  expect(JSON.stringify(alerts[0])).not.toContain('space in code');

  // A good import of the tenant is recorded but raises nothing.
  const good = await catalog.import({
    actor: { tenantId, actorId: 'test' },
    format: 'csv',
    fileName: 'ok.csv',
    contentBase64: Buffer.from('sku_code,sku_name,seller_code\nOK-1,fine,ok-1').toString('base64'),
  });
  const rows = await db.query<{ id: string; applied: boolean; rows_failed: number }[]>(
    'SELECT id, applied, rows_failed FROM mapping.sku_imports WHERE tenant_id = $1 ORDER BY created_at',
    [tenantId],
  );
  expect(rows).toEqual([
    { id: report.importId, applied: false, rows_failed: 2 },
    { id: good.importId, applied: true, rows_failed: 0 },
  ]);
  expect(await outboxAlerts(tenantId, 'import_errors')).toBe(1);
}, 60_000);
