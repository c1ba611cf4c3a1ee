import {
  type CancellationView,
  type FulfillmentOrderHistoryView,
  type FulfillmentOrderStatus,
  type FulfillmentOrderView,
  type HoldView,
  type Marketplace,
  type Party,
  RAKUTEN_CARRIER_CODES,
  type ShipmentLine,
  type ShipmentPart,
} from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

import { type FulfillmentSettings, fulfillmentSettingsOf } from '../shops/fulfillment-settings';
import { type StoredShipmentDetails, senderParty, warehouseView } from './shipment-details';

/*
 * Every statement on fulfillment_orders and fulfillment_order_history, with the row type and its
 * views. The services decide what changes; this module says how it is stored.
 */

/** What the warehouse confirmed, as stored (the view adds the carrier's name). */
export interface StoredShipment {
  carrierCode: string;
  trackingNumbers: string[];
  shippingDate: string;
  shippedAt: string;
}

/** A fulfillment_orders row as raw SQL returns it. */
export interface FulfillmentOrderRow {
  id: string;
  tenant_id: string;
  shop_id: string;
  marketplace: Marketplace;
  order_number: string;
  basket_id: string;
  revision: number;
  status: FulfillmentOrderStatus;
  recipient: Party;
  lines: ShipmentLine[];
  requested_carrier_code: string | null;
  requested_delivery_date: string | null;
  requested_time_slot: number | null;
  hold: HoldView | null;
  stock_reserved: boolean;
  shipment: StoredShipment | null;
  cancellation: CancellationView | null;
  needs_attention: boolean;
  attention_reason: string | null;
  /** whole, or which part of a split package (in_stock, back_order). */
  part_kind: ShipmentPart;
  /** The other part of a split package. */
  other_part_id: string | null;
  /** What shipment.ready v2 needs beyond the lines; null on rows created before v2. */
  shipment_details: StoredShipmentDetails | null;
  /** The sender block it was sent with (set at dispatch, v2 rows only). */
  sender: Party | null;
  /** The slip message it was sent with (set at dispatch). */
  slip_message: string | null;
  created_at: Date;
  updated_at: Date;
}

export const FO_COLUMNS = `id, tenant_id, shop_id, marketplace, order_number, basket_id, revision,
  status, recipient, lines, requested_carrier_code, requested_delivery_date, requested_time_slot, hold,
  stock_reserved, shipment, cancellation, needs_attention, attention_reason, part_kind,
  other_part_id, shipment_details, sender, slip_message, created_at, updated_at`;

/**
 * The sender block and slip message of a fulfillment order: those it was sent with once
 * dispatched; before that, what the shop's fulfillment settings give now (the orderer when the
 * shop has set no sender).
 */
export function senderOf(
  row: Pick<FulfillmentOrderRow, 'sender' | 'slip_message' | 'shipment_details'>,
  settings: FulfillmentSettings | undefined,
): { sender: Party | null; slipMessage: string | null } {
  if (row.sender) return { sender: row.sender, slipMessage: row.slip_message };
  const configured = settings?.sender ?? null;
  return {
    sender: configured ? senderParty(configured) : (row.shipment_details?.orderer ?? null),
    slipMessage: configured?.message ?? null,
  };
}

/**
 * The view of a fulfillment order. `settings` (its shop's fulfillment settings) matters only for
 * one not dispatched yet: see senderOf. Use toViews for rows read from the database.
 */
export function toView(
  row: FulfillmentOrderRow,
  settings?: FulfillmentSettings,
): FulfillmentOrderView {
  const { sender, slipMessage } = senderOf(row, settings);
  return {
    id: row.id,
    shopId: row.shop_id,
    marketplace: row.marketplace,
    orderNumber: row.order_number,
    basketId: Number(row.basket_id),
    revision: row.revision,
    status: row.status,
    recipient: row.recipient,
    lines: row.lines,
    requestedCarrierCode: row.requested_carrier_code,
    requestedDeliveryDate: row.requested_delivery_date,
    requestedTimeSlot: row.requested_time_slot,
    hold: row.hold,
    stockReserved: row.stock_reserved,
    shipment: row.shipment
      ? {
          ...row.shipment,
          carrierName:
            RAKUTEN_CARRIER_CODES[row.shipment.carrierCode as keyof typeof RAKUTEN_CARRIER_CODES] ??
            row.shipment.carrierCode,
        }
      : null,
    cancellation: row.cancellation,
    needsAttention: row.needs_attention,
    attentionReason: row.attention_reason,
    warehouse: sender ? warehouseView(row, sender, slipMessage) : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The views of these rows, with their shops' settings read once for those not dispatched. */
export async function toViews(
  manager: EntityManager,
  rows: FulfillmentOrderRow[],
): Promise<FulfillmentOrderView[]> {
  const undecided = rows.filter((row) => row.shipment_details && !row.sender);
  const settings = await fulfillmentSettingsOf(
    manager,
    undecided.map((row) => row.shop_id),
  );
  return rows.map((row) => toView(row, settings.get(row.shop_id)));
}

/** Names the revision of an order Rakuten changed (2, 3, …) in a note; nothing for the first. */
export function revisionNote(revision: number): string {
  return revision > 1 ? ` (revision ${revision})` : '';
}

/** Locks fulfillment orders for a change, in id order (the lock order every writer uses). */
export async function lockOrders(
  manager: EntityManager,
  where: string,
  params: unknown[],
): Promise<FulfillmentOrderRow[]> {
  return manager.query<FulfillmentOrderRow[]>(
    `SELECT ${FO_COLUMNS} FROM fulfillment.fulfillment_orders WHERE ${where} ORDER BY id FOR UPDATE`,
    params,
  );
}

/** Reads one fulfillment order of the tenant without a lock. */
export async function findOrder(
  manager: EntityManager,
  tenantId: string,
  id: string,
): Promise<FulfillmentOrderRow | undefined> {
  const rows = await manager.query<FulfillmentOrderRow[]>(
    `SELECT ${FO_COLUMNS} FROM fulfillment.fulfillment_orders WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  return rows[0];
}

/** Reads one fulfillment order by id (the caller has it locked or has just written it). */
export async function readOrder(
  manager: EntityManager,
  id: string,
): Promise<FulfillmentOrderRow | undefined> {
  const rows = await manager.query<FulfillmentOrderRow[]>(
    `SELECT ${FO_COLUMNS} FROM fulfillment.fulfillment_orders WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** Every fulfillment order of one marketplace order, by revision, basket, then part. */
export function ordersOfOrder(
  manager: EntityManager,
  tenantId: string,
  shopId: string,
  orderNumber: string,
): Promise<FulfillmentOrderRow[]> {
  return manager.query<FulfillmentOrderRow[]>(
    `SELECT ${FO_COLUMNS} FROM fulfillment.fulfillment_orders
      WHERE tenant_id = $1 AND shop_id = $2 AND order_number = $3
      ORDER BY revision, basket_id, part_kind = 'back_order'`,
    [tenantId, shopId, orderNumber],
  );
}

/** Where a page of the list starts: after this creation time (µs since epoch) and id. */
export interface PageCursor {
  micros: string;
  id: string;
}

export interface OrderListFilter {
  shopId?: string;
  status?: string;
  orderNumber?: string;
  skuCode?: string;
  needsAttention?: boolean;
}

/**
 * One page of the tenant's fulfillment orders, newest first: `limit` rows, and `next` (the
 * cursor after the last) when there are more.
 */
export async function listOrders(
  manager: EntityManager,
  tenantId: string,
  filter: OrderListFilter,
  limit: number,
  after?: PageCursor,
): Promise<{ rows: FulfillmentOrderRow[]; next: PageCursor | null }> {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [tenantId];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.shopId) add((p) => `shop_id = ${p}`, filter.shopId);
  if (filter.status) add((p) => `status = ${p}`, filter.status);
  if (filter.orderNumber) add((p) => `order_number = ${p}`, filter.orderNumber);
  if (filter.skuCode)
    add((p) => `lines @> ${p}::jsonb`, JSON.stringify([{ skuCode: filter.skuCode }]));
  if (filter.needsAttention !== undefined)
    add((p) => `needs_attention = ${p}`, filter.needsAttention);
  if (after) {
    params.push(after.micros, after.id);
    where.push(
      `(created_at, id) < ('epoch'::timestamptz + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`,
    );
  }
  const rows = await manager.query<(FulfillmentOrderRow & { created_us: string })[]>(
    `SELECT ${FO_COLUMNS}, (extract(epoch FROM created_at) * 1000000)::bigint AS created_us
       FROM fulfillment.fulfillment_orders WHERE ${where.join(' AND ')}
      ORDER BY created_at DESC, id DESC LIMIT ${Math.trunc(limit) + 1}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    next: rows.length > limit && last ? { micros: last.created_us, id: last.id } : null,
  };
}

/** The newest revision with fulfillment orders of each of these orders, by `shop \0 number`. */
export async function newestRevisions(
  manager: EntityManager,
  orders: { shopId: string; orderNumber: string }[],
): Promise<Map<string, number>> {
  const keys = [...new Map(orders.map((o) => [`${o.shopId}\u0000${o.orderNumber}`, o])).values()];
  const rows = await manager.query<{ shop_id: string; order_number: string; revision: number }[]>(
    `SELECT f.shop_id, f.order_number, max(f.revision) AS revision
       FROM fulfillment.fulfillment_orders f
       JOIN unnest($1::text[], $2::text[]) AS k(s, o) ON f.shop_id = k.s AND f.order_number = k.o
      GROUP BY f.shop_id, f.order_number`,
    [keys.map((k) => k.shopId), keys.map((k) => k.orderNumber)],
  );
  return new Map(rows.map((row) => [`${row.shop_id}\u0000${row.order_number}`, row.revision]));
}

/**
 * The columns of a new package's row, in the order insertPackages takes them: id, tenant,
 * shop, marketplace, order number, basket id, revision, status, recipient (JSON), lines (JSON),
 * requested carrier, date and time slot, cancellation (JSON or null), shipment details (JSON).
 */
export type NewPackageValues = unknown[];

/**
 * Inserts new packages in one statement, in the order given; a package that exists already
 * (same shop, order, basket and revision; back orders aside) is skipped. Returns the rows
 * inserted.
 */
export function insertPackages(
  manager: EntityManager,
  packages: NewPackageValues[],
): Promise<FulfillmentOrderRow[]> {
  const column = (i: number) => packages.map((values) => values[i]);
  return manager.query<FulfillmentOrderRow[]>(
    `INSERT INTO fulfillment.fulfillment_orders
       (id, tenant_id, shop_id, marketplace, order_number, basket_id, revision, status,
        recipient, lines, requested_carrier_code, requested_delivery_date, requested_time_slot,
        cancellation, shipment_details)
     SELECT id, t, s, m, o, b, rv, st, r::jsonb, l::jsonb, c, d, ts, x::jsonb, sd::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                   $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                   $13::int[], $14::text[], $15::text[])
            WITH ORDINALITY AS i(id, t, s, m, o, b, rv, st, r, l, c, d, ts, x, sd, n)
      ORDER BY n
     ON CONFLICT (shop_id, order_number, basket_id, revision)
       WHERE part_kind <> 'back_order' DO NOTHING
     RETURNING ${FO_COLUMNS}`,
    Array.from({ length: 15 }, (_, i) => column(i)),
  );
}

/** Marks reserved orders ready with the sender and slip message they go with, in one statement. */
export async function saveReady(
  manager: EntityManager,
  rows: Pick<FulfillmentOrderRow, 'id' | 'sender' | 'slip_message'>[],
): Promise<void> {
  await manager.query(
    `UPDATE fulfillment.fulfillment_orders f
        SET status = 'ready', hold = NULL, stock_reserved = true, sender = n.sender::jsonb,
            slip_message = n.slip_message, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS n(id, sender, slip_message)
      WHERE f.id = n.id`,
    [
      rows.map((row) => row.id),
      rows.map((row) => (row.sender ? JSON.stringify(row.sender) : null)),
      rows.map((row) => row.slip_message),
    ],
  );
}

/** Inserts the back-order part of a split package. */
export async function insertBackOrder(
  manager: EntityManager,
  back: FulfillmentOrderRow,
): Promise<void> {
  await manager.query(
    `INSERT INTO fulfillment.fulfillment_orders
       (id, tenant_id, shop_id, marketplace, order_number, basket_id, revision, status,
        recipient, lines, requested_carrier_code, requested_delivery_date, requested_time_slot,
        hold, part_kind, other_part_id, shipment_details, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      back.id,
      back.tenant_id,
      back.shop_id,
      back.marketplace,
      back.order_number,
      back.basket_id,
      back.revision,
      back.status,
      JSON.stringify(back.recipient),
      JSON.stringify(back.lines),
      back.requested_carrier_code,
      back.requested_delivery_date,
      back.requested_time_slot,
      JSON.stringify(back.hold),
      back.part_kind,
      back.other_part_id,
      JSON.stringify(back.shipment_details),
      back.created_at,
    ],
  );
}

/** Makes a package the in-stock part of its split: its lines and details, and its back order. */
export async function saveInStockPart(
  manager: EntityManager,
  row: Pick<FulfillmentOrderRow, 'id' | 'other_part_id' | 'lines' | 'shipment_details'>,
): Promise<void> {
  await manager.query(
    `UPDATE fulfillment.fulfillment_orders
        SET part_kind = 'in_stock', other_part_id = $2, lines = $3, shipment_details = $4,
            updated_at = now()
      WHERE id = $1`,
    [row.id, row.other_part_id, JSON.stringify(row.lines), JSON.stringify(row.shipment_details)],
  );
}

/** Writes the changed fields of a fulfillment order. */
export async function saveOrder(manager: EntityManager, row: FulfillmentOrderRow): Promise<void> {
  await manager.query(
    `UPDATE fulfillment.fulfillment_orders
        SET status = $2, hold = $3, stock_reserved = $4, shipment = $5, cancellation = $6,
            needs_attention = $7, attention_reason = $8, sender = $9, slip_message = $10,
            updated_at = now()
      WHERE id = $1`,
    [
      row.id,
      row.status,
      row.hold ? JSON.stringify(row.hold) : null,
      row.stock_reserved,
      row.shipment ? JSON.stringify(row.shipment) : null,
      row.cancellation ? JSON.stringify(row.cancellation) : null,
      row.needs_attention,
      row.attention_reason,
      row.sender ? JSON.stringify(row.sender) : null,
      row.slip_message,
    ],
  );
}

/** The steps a fulfillment order goes through (FulfillmentOrderHistoryView.event). */
export type HistoryEvent =
  | 'created'
  | 'split'
  | 'held'
  | 'released'
  | 'dispatched'
  | 'shipped'
  | 'shipment_repeated'
  | 'canceled'
  | 'canceled_after_shipment';

export async function addHistory(
  manager: EntityManager,
  row: Pick<FulfillmentOrderRow, 'id' | 'status'>,
  event: HistoryEvent,
  note: string | null,
  details: Record<string, unknown> | null = null,
): Promise<void> {
  await manager.query(
    `INSERT INTO fulfillment.fulfillment_order_history (fulfillment_order_id, event, status, note, details)
     VALUES ($1, $2, $3, $4, $5)`,
    [row.id, event, row.status, note, details ? JSON.stringify(details) : null],
  );
}

/** One history step, for addHistories. */
export interface HistoryEntry {
  row: Pick<FulfillmentOrderRow, 'id' | 'status'>;
  event: HistoryEvent;
  note: string | null;
  details?: Record<string, unknown> | null;
}

/** Several history steps in one statement, in the order given. */
export async function addHistories(manager: EntityManager, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await manager.query(
    `INSERT INTO fulfillment.fulfillment_order_history (fulfillment_order_id, event, status, note, details)
     SELECT o, e, s, n, d::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
            WITH ORDINALITY AS t(o, e, s, n, d, i)
      ORDER BY i`,
    [
      entries.map((entry) => entry.row.id),
      entries.map((entry) => entry.event),
      entries.map((entry) => entry.row.status),
      entries.map((entry) => entry.note),
      entries.map((entry) => (entry.details ? JSON.stringify(entry.details) : null)),
    ],
  );
}

interface HistoryRow {
  fulfillment_order_id: string;
  event: string;
  status: FulfillmentOrderStatus;
  note: string | null;
  details: Record<string, unknown> | null;
  at: Date;
}

/** The histories of these fulfillment orders, oldest step first. */
export async function historiesOf(
  manager: EntityManager,
  ids: string[],
): Promise<Map<string, FulfillmentOrderHistoryView[]>> {
  const byOrder = new Map<string, FulfillmentOrderHistoryView[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byOrder;
  const rows = await manager.query<HistoryRow[]>(
    `SELECT fulfillment_order_id, event, status, note, details, at
       FROM fulfillment.fulfillment_order_history
      WHERE fulfillment_order_id = ANY($1::uuid[]) ORDER BY id`,
    [ids],
  );
  for (const row of rows) {
    byOrder.get(row.fulfillment_order_id)?.push({
      event: row.event,
      status: row.status,
      note: row.note,
      details: row.details,
      at: row.at.toISOString(),
    });
  }
  return byOrder;
}
