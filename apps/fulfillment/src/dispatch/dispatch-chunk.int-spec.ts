import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import {
  type EventOf,
  createEvent,
  exampleOrderMappedData,
  exampleOrderNumber,
} from '@smartship/contracts';
import { Outbox } from '@smartship/messaging';
import { openServiceDataSource } from '@smartship/persistence';
import { testInfrastructure, uniqueSuffix } from '@smartship/testing';
import pino from 'pino';
import type { DataSource } from 'typeorm';

import { CancellationService } from '../cancellations/cancellation.service';
import { migrations } from '../migrations';
import { DispatchService } from './dispatch.service';
import { Dispatcher } from './dispatcher';

/**
 * The chunk handler of order.mapped must leave the database as the per-event handler does: the
 * same orders go through both, each for its own tenant and shops, and the fulfillment orders,
 * their history, the stock and the shipment.ready events are compared. (inventory.changed is
 * published once per SKU per chunk instead of once per event: not compared.) Revisions included:
 * a new revision gets fulfillment orders of its own, an older one is ignored, and a cancellation
 * applies to its revision and older ones only.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const logger = pino({ level: 'silent' });
const outbox = new Outbox('fulfillment');
let dataSource: DataSource;
const dispatcher = new Dispatcher();
const dispatch = new DispatchService(dispatcher, new CancellationService(dispatcher));

beforeAll(async () => {
  dataSource = await openServiceDataSource({
    url: infra.databaseUrl,
    schema: 'fulfillment',
    entities: [],
    migrations,
    poolSize: 2,
  });
});

afterAll(async () => {
  await dataSource?.destroy();
});

interface World {
  tenantId: string;
  auto: string;
  manual: string;
  unknown: string;
}

/** A tenant with a shop that dispatches by itself, one that waits for a person, one unknown. */
async function world(name: string): Promise<World> {
  const w = {
    tenantId: randomUUID(),
    auto: `${name}-auto-${run}`,
    manual: `${name}-manual-${run}`,
    unknown: `${name}-unknown-${run}`,
  };
  await dataSource.query(
    `INSERT INTO fulfillment.shop_settings (shop_id, tenant_id, status, auto_fulfillment_dispatch, revision)
     VALUES ($1, $3, 'active', true, 1), ($2, $3, 'active', false, 1)`,
    [w.auto, w.manual, w.tenantId],
  );
  await dataSource.query(
    `INSERT INTO fulfillment.stock (tenant_id, sku_code, on_hand) VALUES ($1, 'X', 3), ($1, 'Y', 20)`,
    [w.tenantId],
  );
  // order.canceled came before this order's order.mapped (of revision 1; order 10: of revision 2).
  await dataSource.query(
    `INSERT INTO fulfillment.order_cancellations
       (shop_id, order_number, tenant_id, rakuten_status, reason, detected_at, revision)
     VALUES ($1, $2, $4, 900, 'buyer canceled', '2025-03-01T10:00:00+09:00', 1),
            ($1, $3, $4, 400, 'changed', '2025-03-01T10:00:00+09:00', 2)`,
    [w.auto, exampleOrderNumber(6, '555555'), exampleOrderNumber(10, '555555'), w.tenantId],
  );
  return w;
}

function mapped(
  w: World,
  shopId: string,
  serial: number,
  lines: [string, number][],
  packages = 1,
  revision?: number,
) {
  const data = exampleOrderMappedData({
    orderNumber: exampleOrderNumber(serial, '555555'),
    packages,
    linesPerPackage: lines.length,
    revision,
  });
  for (const pkg of data.order.packages) {
    pkg.lines.forEach((line, i) => {
      line.resolution = {
        ...line.resolution,
        skus: [{ skuCode: lines[i][0], quantity: lines[i][1] }],
      };
    });
  }
  return createEvent('order.mapped', { tenantId: w.tenantId, shopId, data });
}

/**
 * Two chunks: the first goes through the chunk handler's multi-row path; the second holds newer
 * revisions of orders of the first (and an older one), which the chunk handler applies one event
 * at a time.
 */
function scenario(w: World): EventOf<'order.mapped'>[][] {
  return [
    [
      mapped(w, w.auto, 1, [['X', 2]]), // reserved: 1 X left
      mapped(w, w.auto, 2, [
        ['X', 2],
        ['Y', 1],
      ]), // short of X: awaiting_stock, nothing reserved
      mapped(w, w.auto, 3, [['X', 1]]), // takes the last X
      mapped(w, w.manual, 4, [['Y', 1]]), // awaiting_release
      mapped(w, w.unknown, 5, [['Y', 1]]), // awaiting_shop
      mapped(w, w.auto, 6, [['Y', 1]]), // canceled before it came
      mapped(w, w.auto, 1, [['Y', 5]]), // the first order again: nothing
      mapped(w, w.auto, 7, [['Y', 2]], 2), // two packages
      mapped(w, w.auto, 8, [['Y', 1]], 1, 2), // revision 2 first…
      mapped(w, w.auto, 9, [['Y', 1]]), // revision 1…
      mapped(w, w.auto, 10, [['Y', 1]]), // canceled with revision 2 before it came
    ],
    [
      mapped(w, w.auto, 6, [['Y', 1]], 1, 2), // revision 2 of the canceled order: not canceled
      mapped(w, w.auto, 8, [['Y', 1]]), // …then revision 1: ignored
      mapped(w, w.auto, 9, [['Y', 2]], 1, 3), // …and revision 3, which supersedes revision 1
    ],
  ];
}

async function state(w: World) {
  const shops = [w.auto, w.manual, w.unknown];
  const orders = await dataSource.query<
    {
      id: string;
      shop: string;
      status: string;
      hold: Record<string, unknown> | null;
      cancellation: Record<string, unknown> | null;
    }[]
  >(
    `SELECT id, replace(shop_id, $2, '') AS shop, order_number, basket_id, revision, status,
            lines, hold, stock_reserved, cancellation, requested_carrier_code
       FROM fulfillment.fulfillment_orders WHERE shop_id = ANY($1::text[])
      ORDER BY order_number, basket_id, revision`,
    [shops, w.auto.split('-auto-')[0]],
  );
  const history = await dataSource.query<unknown[]>(
    `SELECT o.order_number, o.basket_id, h.event, h.status, h.note, h.details
       FROM fulfillment.fulfillment_order_history h
       JOIN fulfillment.fulfillment_orders o ON o.id = h.fulfillment_order_id
      WHERE o.shop_id = ANY($1::text[]) ORDER BY o.order_number, o.basket_id, o.revision, h.id`,
    [shops],
  );
  const stock = await dataSource.query<unknown[]>(
    `SELECT sku_code, on_hand, reserved FROM fulfillment.stock WHERE tenant_id = $1 ORDER BY sku_code`,
    [w.tenantId],
  );
  const ready = (
    await dataSource.query<{ payload: string }[]>(
      `SELECT payload FROM fulfillment.outbox
        WHERE topic = 'shipment.ready' AND message_key LIKE ANY($1::text[]) ORDER BY seq`,
      [shops.map((shop) => `${shop}:%`)],
    )
  ).map((row) => {
    const data = (JSON.parse(row.payload) as { data: Record<string, unknown> }).data;
    const { fulfillmentOrderId: _id, createdAt: _at, shopRef, ...rest } = data;
    return { ...rest, orderNumber: (shopRef as { orderNumber: string }).orderNumber };
  });
  return {
    // hold.since is the wall-clock time the order was held.
    orders: orders.map(({ id: _id, ...row }) => ({
      ...row,
      shop: row.shop.replace(/^-/, ''),
      hold: row.hold ? { ...row.hold, since: 'when held' } : null,
      // A revision superseded here is canceled at the wall-clock time it happened.
      cancellation: row.cancellation ? { ...row.cancellation, detectedAt: 'when detected' } : null,
    })),
    history,
    stock,
    ready,
  };
}

it('a chunk creates, reserves, holds and publishes what the same events do as chunks of one', async () => {
  const perEvent = await world('pe');
  const chunk = await world('ch');
  await dataSource.transaction(async (manager) => {
    for (const event of scenario(perEvent).flat()) {
      await dispatch.dispatchMappedOrders([event], {
        manager,
        logger,
        publish: (events) => outbox.add(manager, events),
      });
    }
  });
  for (const events of scenario(chunk)) {
    await dataSource.transaction((manager) =>
      dispatch.dispatchMappedOrders(events, {
        manager,
        logger,
        publish: (published) => outbox.add(manager, published),
      }),
    );
  }
  const expected = await state(perEvent);
  expect(
    expected.orders.map((o) => [
      (o as unknown as { order_number: string }).order_number.slice(-2),
      (o as unknown as { revision: number }).revision,
      o.status,
    ]),
  ).toEqual([
    ['01', 1, 'ready'],
    ['02', 1, 'awaiting_stock'],
    ['03', 1, 'ready'],
    ['04', 1, 'awaiting_release'],
    ['05', 1, 'awaiting_shop'],
    ['06', 1, 'canceled'],
    ['06', 2, 'ready'],
    ['07', 1, 'ready'],
    ['07', 1, 'ready'],
    ['08', 2, 'ready'],
    ['09', 1, 'canceled'],
    ['09', 3, 'ready'],
    ['10', 1, 'canceled'],
  ]);
  expect(expected.ready).toHaveLength(8);
  expect(await state(chunk)).toEqual(expected);
});
