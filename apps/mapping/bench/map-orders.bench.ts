/*
 * Lines mapped per second, on the real PostgreSQL, without Kafka:
 *
 *   node_modules/.bin/ts-node -r tsconfig-paths/register --transpile-only \
 *     apps/mapping/bench/map-orders.bench.ts
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/smartship) must exist
 * (`node tools/scripts/prepare-db.mts <url>`); the mapping schema is migrated if needed and the
 * bench tenant's rows are removed at the end. BENCH_ORDERS (default 20000) orders of 3 lines
 * each are mapped against a 20,000-option catalog: first the matching alone, then the consumer's
 * whole handler (catalog lock and version check, matching, mapped_orders, listings, outbox) in
 * transactions of 200 orders, as the Kafka consumer runs them: once as 200 chunks of one event
 * (what the consumer does when events come one at a time), once as one chunk of 200 (its one write
 * path handles both). Kafka and the inbox are not in the figure.
 */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { type EventOf, createEvent, exampleOrderPulledData } from '@smartship/contracts';
import { Outbox } from '@smartship/messaging';
import { openServiceDataSource } from '@smartship/persistence';
import type { MessagingRuntime } from '@smartship/service-kit';
import pino from 'pino';

import { CatalogService } from '../src/catalog/catalog.service';
import { SkuImportRecords } from '../src/catalog/sku-import-records';
import { CatalogCache, loadCatalog } from '../src/matching/catalog-cache';
import { migrations } from '../src/migrations';
import { OrdersService } from '../src/orders/orders.service';

const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/smartship';
const ORDERS = Number(process.env.BENCH_ORDERS ?? 20_000);
const OPTIONS = 20_000;
const CHUNK = 200;

async function main(): Promise<void> {
  const dataSource = await openServiceDataSource({
    url: URL,
    schema: 'mapping',
    entities: [],
    migrations,
    poolSize: 4,
  });
  const tenantId = randomUUID();
  const shopId = `bench-${Date.now()}`;
  const shops: string[] = [];
  const outbox = new Outbox('mapping');
  const cache = new CatalogCache();
  const orders = new OrdersService(cache, { outbox } as unknown as MessagingRuntime);
  const catalog = new CatalogService(
    dataSource,
    cache,
    orders,
    new SkuImportRecords(dataSource, { outbox } as unknown as MessagingRuntime),
  );
  const logger = pino({ level: 'warn' });
  try {
    const rows = ['sku_code,sku_name,option_code,option_name,option_seller_code'];
    for (let i = 0; i < OPTIONS / 2; i++) {
      rows.push(
        `P-${i},product ${i},P-${i}-A,A,MDSI-${i}-A`,
        `P-${i},product ${i},P-${i}-B,B,old-${i}b`,
      );
    }
    for (let i = 0; i < 2_000; i++) rows.push(`S-${i},single ${i},,,`);
    rows[0] = 'sku_code,sku_name,option_code,option_name,option_seller_code,seller_code';
    for (let i = 1; i < rows.length; i++) {
      rows[i] += rows[i].startsWith('S-') ? `,item-${rows[i].slice(2, rows[i].indexOf(','))}` : ',';
    }
    const importStarted = Date.now();
    const report = await catalog.import({
      actor: { tenantId, actorId: 'bench' },
      format: 'csv',
      fileName: 'bench.csv',
      contentBase64: Buffer.from(rows.join('\n')).toString('base64'),
    });
    console.log(
      `catalog: ${report.rows} rows imported in ${Date.now() - importStarted} ms (${report.created} SKUs)`,
    );

    const events: EventOf<'order.pulled'>[] = [];
    for (let o = 0; o < ORDERS; o++) {
      const data = exampleOrderPulledData({
        orderNumber: `999999-20250301-${String(o).padStart(10, '0')}`,
        linesPerPackage: 3,
      });
      data.order.packages[0].lines.forEach((line, l) => {
        const n = (o * 3 + l) % (OPTIONS / 2);
        if (l === 0)
          Object.assign(line, {
            merchantDefinedSkuId: `MDSI-${n}-A`,
            manageNumber: `p-${n}`,
            variantId: `v-${n}-a`,
          });
        if (l === 1)
          Object.assign(line, {
            itemNumber: `old-${n}b`,
            variantId: null,
            merchantDefinedSkuId: null,
            skuInfo: null,
          });
        if (l === 2)
          Object.assign(line, {
            itemNumber: `item-${n % 2_000}`,
            manageNumber: `item-${n % 2_000}`,
            merchantDefinedSkuId: null,
            variantId: `item-${n % 2_000}`,
            skuInfo: null,
          });
      });
      events.push(createEvent('order.pulled', { tenantId, shopId, data }));
    }
    const lines = ORDERS * 3;

    /** Maps the events (copied to `shop`) and prints and returns lines mapped per second. */
    const timed = async (
      shop: string,
      run: (list: EventOf<'order.pulled'>[]) => Promise<void>,
    ): Promise<number> => {
      shops.push(shop);
      const list = events.map((event) => ({ ...event, id: randomUUID(), shopId: shop }));
      const start = process.hrtime.bigint();
      await run(list);
      const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      const [{ n }] = await dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM mapping.mapped_orders WHERE shop_id = $1',
        [shop],
      );
      const rate = lines / elapsed;
      console.log(
        `consumer, ${shop.endsWith('-chunk') ? 'chunks of 200' : 'chunks of one event'}: ` +
          `${Math.round(rate).toLocaleString('en')} lines mapped per second ` +
          `(${ORDERS} orders, ${lines} lines, ${elapsed.toFixed(2)} s; ${n} orders stored)`,
      );
      return rate;
    };

    const index = await loadCatalog(dataSource.manager, tenantId);
    const started = process.hrtime.bigint();
    let matched = 0;
    for (const event of events) {
      for (const line of event.data.order.packages[0].lines)
        if (index.match(line).mapped) matched++;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `matching only: ${Math.round(lines / seconds).toLocaleString('en')} lines/s (${matched}/${lines} mapped)`,
    );

    // Chunks of one event (what a consumer does when events come one at a time) against chunks of
    // 200 (multi-row statements), side by side on the same machine.
    const perEvent = await timed(shopId, async (list) => {
      for (let i = 0; i < list.length; i += CHUNK) {
        await dataSource.transaction(async (manager) => {
          for (const event of list.slice(i, i + CHUNK)) {
            await orders.mapPulledOrders([event], {
              manager,
              publish: (e) => outbox.add(manager, e),
              logger,
            });
          }
        });
      }
    });
    const perChunk = await timed(`${shopId}-chunk`, async (list) => {
      for (let i = 0; i < list.length; i += CHUNK) {
        await dataSource.transaction((manager) =>
          orders.mapPulledOrders(list.slice(i, i + CHUNK), {
            manager,
            publish: (e) => outbox.add(manager, e),
            logger,
          }),
        );
      }
    });
    console.log(
      `chunks of 200 vs chunks of one: ${(perChunk / perEvent).toFixed(2)}× lines mapped per second`,
    );
  } finally {
    for (const shop of shops) {
      await dataSource.query(`DELETE FROM mapping.outbox WHERE message_key LIKE $1`, [`${shop}:%`]);
    }
    for (const table of ['mapped_orders', 'held_orders', 'listings']) {
      await dataSource.query(`DELETE FROM mapping.${table} WHERE tenant_id = $1`, [tenantId]);
    }
    for (const table of ['sku_options', 'mapping_rules', 'catalog_versions']) {
      await dataSource.query(`DELETE FROM mapping.${table} WHERE tenant_id = $1`, [tenantId]);
    }
    await dataSource.query('DELETE FROM mapping.skus WHERE tenant_id = $1', [tenantId]);
    await dataSource.destroy();
  }
}

void main();
