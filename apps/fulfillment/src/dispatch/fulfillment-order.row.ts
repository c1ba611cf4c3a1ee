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
