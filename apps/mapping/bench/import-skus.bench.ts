/*
 * SKU imports, on the real PostgreSQL, without Kafka or the gateway:
 *
 *   node_modules/.bin/ts-node -r tsconfig-paths/register --transpile-only \
 *     apps/mapping/bench/import-skus.bench.ts
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/smartship) must exist
 * (`node tools/scripts/prepare-db.mts <url>`). Prints, for a BENCH_ROWS-row file (default
 * 60,000: 20,000 single products and 20,000 products with 2 options), the rows per second of
 * the parse alone and of the whole import (parse, checks against the stored catalog, writes),
 * as CSV and as .xlsx, the same file imported again (nothing changes), and the process's peak
 * RSS; then a zip bomb (a 100 KiB .xlsx whose shared strings unpack to 64 MiB) and a
 * 3.5-million-row CSV, each refused, with the peak RSS after each. The bench tenant's rows are
 * removed at the end.
 */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Outbox } from '@smartship/messaging';
import { openServiceDataSource } from '@smartship/persistence';
import type { MessagingRuntime } from '@smartship/service-kit';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';

import { CatalogService } from '../src/catalog/catalog.service';
import { SkuImportRecords } from '../src/catalog/sku-import-records';
import { parseImportFile } from '../src/catalog/sku-import.parser';
import { CatalogCache } from '../src/matching/catalog-cache';
import { migrations } from '../src/migrations';
import { OrdersService } from '../src/orders/orders.service';

const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/smartship';
const ROWS = Number(process.env.BENCH_ROWS ?? 60_000);

const HEADER = [
  'sku_code',
  'sku_name',
  'seller_code',
  'option_code',
  'option_name',
  'option_seller_code',
];

function rowsOf(count: number): string[][] {
  const rows: string[][] = [];
  const singles = Math.floor(count / 3);
  for (let i = 0; i < singles; i++) rows.push([`S-${i}`, `単品 ${i}`, `item-${i}`, '', '', '']);
  for (let i = 0; rows.length < count; i++) {
    rows.push([`P-${i}`, `オプション商品 ${i}`, '', `P-${i}-A`, 'A', `mdsi-${i}-a`]);
    if (rows.length < count)
      rows.push([`P-${i}`, `オプション商品 ${i}`, '', `P-${i}-B`, 'B', `mdsi-${i}-b`]);
  }
  return rows;
}

function csvOf(rows: string[][]): Buffer {
  return Buffer.from([HEADER, ...rows].map((row) => row.join(',')).join('\n'));
}

async function xlsxOf(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('skus');
  sheet.addRow(HEADER);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20);
function peakMiB(): string {
  peak = Math.max(peak, process.memoryUsage.rss());
  return `${Math.round(peak / 1024 / 1024)} MiB`;
}
const perSecond = (rows: number, ms: number) => Math.round((rows * 1000) / Math.max(ms, 1));

async function main(): Promise<void> {
  const dataSource = await openServiceDataSource({
    url: URL,
    schema: 'mapping',
    entities: [],
    migrations,
    poolSize: 4,
  });
  const tenantId = randomUUID();
  const outbox = new Outbox('mapping');
  const messaging = { outbox } as unknown as MessagingRuntime;
  const cache = new CatalogCache();
  const orders = new OrdersService(cache, messaging);
  const catalog = new CatalogService(
    dataSource,
    cache,
    orders,
    new SkuImportRecords(dataSource, messaging),
  );
  const run = async (format: 'csv' | 'xlsx', content: Buffer, label: string) => {
    const started = Date.now();
    try {
      const report = await catalog.import({
        actor: { tenantId, actorId: 'bench' },
        format,
        fileName: `bench.${format}`,
        contentBase64: content.toString('base64'),
      });
      const ms = Date.now() - started;
      console.log(
        `${label}: ${report.rows} rows in ${ms} ms = ${perSecond(report.rows, ms)} rows/s (created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}); peak RSS ${peakMiB()}`,
      );
    } catch (error) {
      const ms = Date.now() - started;
      console.log(
        `${label}: refused in ${ms} ms — ${(error as Error).message}; peak RSS ${peakMiB()}`,
      );
    }
  };
  try {
    const rows = rowsOf(ROWS);
    const csv = csvOf(rows);
    const xlsx = await xlsxOf(rows);
    console.log(
      `files: ${ROWS} rows, csv ${Math.round(csv.length / 1024)} KiB, xlsx ${Math.round(xlsx.length / 1024)} KiB; RSS before ${peakMiB()}`,
    );
    for (const [format, content] of [
      ['csv', csv],
      ['xlsx', xlsx],
    ] as const) {
      const started = Date.now();
      const parsed = await parseImportFile(format, content);
      const ms = Date.now() - started;
      console.log(
        `parse ${format}: ${parsed.rows} rows in ${ms} ms = ${perSecond(parsed.rows, ms)} rows/s`,
      );
    }
    await run('csv', csv, 'import csv (new catalog)');
    await run('csv', csv, 'import csv again (nothing changes)');
    await run('xlsx', xlsx, 'import xlsx again (nothing changes)');

    peak = 0;
    const bomb = Buffer.from(
      zipSync({
        '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
        'xl/sharedStrings.xml': new TextEncoder().encode(
          `<sst><si><t>${'a'.repeat(64 * 1024 * 1024)}</t></si></sst>`,
        ),
      }),
    );
    console.log(`zip bomb: ${Math.round(bomb.length / 1024)} KiB`);
    await run('xlsx', bomb, 'zip bomb');
    peak = 0;
    const huge = Buffer.from(`sku_code,sku_name\n${'X-1,x\n'.repeat(3_500_000)}`);
    console.log(`3.5 M-row csv: ${Math.round(huge.length / 1024 / 1024)} MiB`);
    await run('csv', huge, '3.5 M rows');
  } finally {
    clearInterval(sampler);
    for (const table of ['sku_imports', 'sku_options', 'skus', 'catalog_versions']) {
      await dataSource
        .query(`DELETE FROM mapping.${table} WHERE tenant_id = $1`, [tenantId])
        .catch(() => undefined);
    }
    await dataSource
      .query(`DELETE FROM mapping.outbox WHERE payload::text LIKE $1`, [`%${tenantId}%`])
      .catch(() => undefined);
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
