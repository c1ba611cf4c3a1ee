import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import {
  type EventOf,
  type OrderLine,
  createEvent,
  exampleOrderNumber,
  exampleOrderPulledData,
} from '@smartship/contracts';
import { Outbox } from '@smartship/messaging';
import { openServiceDataSource } from '@smartship/persistence';
import type { MessagingRuntime } from '@smartship/service-kit';
import { testInfrastructure, uniqueSuffix } from '@smartship/testing';
import pino from 'pino';
import type { DataSource } from 'typeorm';

import { CatalogService } from '../catalog/catalog.service';
import { SkuImportRecords } from '../catalog/sku-import-records';
import { CatalogCache } from '../matching/catalog-cache';
import { migrations } from '../migrations';
import { OrdersService } from './orders.service';

/**
 * The chunk handler of order.pulled must leave the database as the per-event handler does: the
 * same events go through both (each into its own shop) and the stored rows and published events
 * are compared. Revisions included: replaced, ignored when lower, ignored when canceled.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const tenantId = randomUUID();
const logger = pino({ level: 'silent' });
let dataSource: DataSource;
let orders: OrdersService;
const outbox = new Outbox('mapping');

beforeAll(async () => {
  dataSource = await openServiceDataSource({
    url: infra.databaseUrl,
    schema: 'mapping',
    entities: [],
    migrations,
    poolSize: 2,
  });
  const cache = new CatalogCache();
  orders = new OrdersService(cache, {
    outbox,
  } as unknown as MessagingRuntime);
  const catalog = new CatalogService(
    dataSource,
    cache,
    orders,
    new SkuImportRecords(dataSource, { outbox } as unknown as MessagingRuntime),
  );
  const rows = [
    'sku_code,sku_name,option_code,option_name,option_seller_code,seller_code',
    'TEE,Tシャツ,TEE-M,M,TEE-M-SELLER,',
    'TEE,Tシャツ,TEE-L,L,TEE-L-SELLER,',
    'MUG,マグ,,,,mug-1',
  ];
  await catalog.import({
    actor: { tenantId, actorId: 'test' },
    format: 'csv',
    fileName: 'chunk.csv',
    contentBase64: Buffer.from(rows.join('\n')).toString('base64'),
  });
});

afterAll(async () => {
  await dataSource?.destroy();
});

function pulled(
  shopId: string,
  orderNumber: string,
  lines: Partial<OrderLine>[],
  revision?: number,
) {
  const data = exampleOrderPulledData({ orderNumber, linesPerPackage: lines.length, revision });
  data.order.packages[0].lines = data.order.packages[0].lines.map((line, i) => ({
    ...line,
    ...lines[i],
  }));
  return createEvent('order.pulled', { tenantId, shopId, data });
}

/** The events of one scenario for a shop: the same content whatever the shop. */
function scenario(shopId: string): EventOf<'order.pulled'>[] {
  const n = (i: number) => exampleOrderNumber(900_000 + i, '888888');
  const tee = (size: 'M' | 'L') => ({
    merchantDefinedSkuId: `TEE-${size}-SELLER`,
    manageNumber: 'tee',
    variantId: `tee-${size.toLowerCase()}`,
  });
  const mug = {
    itemNumber: 'mug-1',
    manageNumber: 'mug-1',
    variantId: 'mug-1',
    merchantDefinedSkuId: null,
    skuInfo: null,
  };
  const unknown = {
    itemNumber: 'nothing-like-it',
    manageNumber: 'nothing',
    merchantDefinedSkuId: null,
    variantId: 'nothing-v',
    itemName: 'unknown item',
    skuInfo: null,
  };
  return [
    pulled(shopId, n(1), [tee('M'), mug]),
    pulled(shopId, n(2), [tee('L'), unknown]), // held
    pulled(shopId, n(1), [tee('L')]), // the same order again: the first one counts
    pulled(shopId, n(3), [tee('M')]), // shares a listing with the first order
    pulled(shopId, n(2), [tee('M')]), // the held order again, now mapping: released
    pulled(shopId, n(4), [mug, mug]),
    pulled(shopId, n(5), [unknown]), // held
    pulled(shopId, n(5), [unknown, mug]), // held already: nothing changes
    pulled(shopId, n(6), [mug]), // mapped as revision 1…
    pulled(shopId, n(6), [unknown, tee('M')], 2), // …then held as revision 2 (the mapped row goes)
    pulled(shopId, n(7), [tee('M')], 2), // revision 2 first…
    pulled(shopId, n(7), [mug]), // …then revision 1: ignored
    pulled(shopId, n(8), [unknown]), // held as revision 1…
    pulled(shopId, n(8), [mug, tee('L')], 3), // …replaced by revision 3, which maps
    pulled(shopId, n(9), [mug]), // revision 1 was canceled before it came: ignored
    pulled(shopId, n(9), [tee('L')], 2), // revision 2 maps
  ];
}

/** order.canceled of revision 1 of order 9 came before its order.pulled. */
async function cancelledBefore(shopId: string): Promise<void> {
  await dataSource.query(
    `INSERT INTO mapping.order_cancellations (shop_id, order_number, tenant_id, revision)
     VALUES ($1, $2, $3, 1)`,
    [shopId, exampleOrderNumber(900_009, '888888'), tenantId],
  );
}

async function state(shopId: string) {
  const mapped = await dataSource.query<unknown[]>(
    `SELECT order_number, tenant_id, lines, line_details, ordered_at, revision
       FROM mapping.mapped_orders WHERE shop_id = $1 ORDER BY order_number`,
    [shopId],
  );
  const held = await dataSource.query<unknown[]>(
    `SELECT order_number, marketplace, "order", evaluation, revision
       FROM mapping.held_orders WHERE shop_id = $1 ORDER BY order_number`,
    [shopId],
  );
  const listings = await dataSource.query<unknown[]>(
    `SELECT manage_number, variant_key, variant_id, merchant_defined_sku_id, item_number,
            item_name, sku_links, matched_by
       FROM mapping.listings WHERE shop_id = $1 ORDER BY manage_number, variant_key`,
    [shopId],
  );
  const published = (
    await dataSource.query<{ payload: string }[]>(
      `SELECT payload FROM mapping.outbox WHERE message_key LIKE $1 ORDER BY seq`,
      [`${shopId}:%`],
    )
  ).map((row) => {
    const event = JSON.parse(row.payload) as { type: string; data: unknown };
    return { type: event.type, data: event.data };
  });
  return { mapped, held, listings, published };
}

it('a chunk stores and publishes what the same events do as chunks of one', async () => {
  const perEventShop = `per-event-${run}`;
  const chunkShop = `chunk-${run}`;
  await cancelledBefore(perEventShop);
  await cancelledBefore(chunkShop);
  await dataSource.transaction(async (manager) => {
    for (const event of scenario(perEventShop)) {
      await orders.mapPulledOrders([event], {
        manager,
        logger,
        publish: (events) => outbox.add(manager, events),
      });
    }
  });
  await dataSource.transaction((manager) =>
    orders.mapPulledOrders(scenario(chunkShop), {
      manager,
      logger,
      publish: (events) => outbox.add(manager, events),
    }),
  );
  const expected = await state(perEventShop);
  const n = (i: number) => exampleOrderNumber(900_000 + i, '888888');
  expect(
    (expected.mapped as { order_number: string; revision: number }[]).map((row) => [
      row.order_number,
      row.revision,
    ]),
  ).toEqual([
    [n(1), 1],
    [n(2), 1],
    [n(3), 1],
    [n(4), 1],
    [n(7), 2],
    [n(8), 3],
    [n(9), 2],
  ]);
  expect(
    (expected.held as { order_number: string; revision: number }[]).map((row) => [
      row.order_number,
      row.revision,
    ]),
  ).toEqual([
    [n(5), 1],
    [n(6), 2],
  ]);
  expect(
    expected.published.map((event) => [
      event.type,
      (event.data as { order: { orderNumber: string }; revision: number }).order.orderNumber,
      (event.data as { revision: number }).revision,
    ]),
  ).toEqual([
    ['order.mapped', n(1), 1],
    ['order.mapped', n(3), 1],
    ['order.mapped', n(2), 1],
    ['order.mapped', n(4), 1],
    ['order.mapped', n(6), 1],
    ['order.mapped', n(7), 2],
    ['order.mapped', n(8), 3],
    ['order.mapped', n(9), 2],
  ]);
  expect(await state(chunkShop)).toEqual(expected);
});

it('a chunk that repeats orders already stored stores and publishes nothing more', async () => {
  const shopId = `again-${run}`;
  await cancelledBefore(shopId);
  const apply = (events: EventOf<'order.pulled'>[]) =>
    dataSource.transaction((manager) =>
      orders.mapPulledOrders(events, {
        manager,
        logger,
        publish: (out) => outbox.add(manager, out),
      }),
    );
  await apply(scenario(shopId));
  const before = await state(shopId);
  await apply(scenario(shopId));
  expect(await state(shopId)).toEqual(before);
});
