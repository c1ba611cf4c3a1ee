import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  FulfillmentOrderDetailView,
  FulfillmentOrderPageView,
  FulfillmentOrderRefCall,
  FulfillmentTimelineCall,
  FulfillmentTimelineView,
  ListFulfillmentOrdersCall,
  ReleaseResultView,
} from '@smartship/contracts';
import { DataSource } from 'typeorm';

import { CallTransactions } from '../calls/call-transactions';
import { FulfillmentError, FulfillmentErrorCode } from '../calls/fulfillment.errors';
import { findCancellation } from '../cancellations/order-cancellation';
import { StockBook } from '../stock/stock-book';
import { Dispatcher, findOrder } from './dispatcher';
import {
  FO_COLUMNS,
  type FulfillmentOrderRow,
  addHistory,
  historiesOf,
  lockOrders,
  toViews,
} from './fulfillment-order.row';

const DEFAULT_PAGE = 50;

/** The fulfillment-order calls: reads for the seller and the timeline, and the manual release. */
@Injectable()
export class FulfillmentOrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: CallTransactions,
    private readonly dispatcher: Dispatcher,
  ) {}

  async list({ actor, filter }: ListFulfillmentOrdersCall): Promise<FulfillmentOrderPageView> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [actor.tenantId];
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
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      params.push(cursor.micros, cursor.id);
      where.push(
        `(created_at, id) < ('epoch'::timestamptz + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`,
      );
    }
    const limit = filter.limit ?? DEFAULT_PAGE;
    const rows = await this.dataSource.query<(FulfillmentOrderRow & { created_us: string })[]>(
      `SELECT ${FO_COLUMNS}, (extract(epoch FROM created_at) * 1000000)::bigint AS created_us
         FROM fulfillment.fulfillment_orders WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await toViews(this.dataSource.manager, page),
      nextCursor: rows.length > limit && last ? `${last.created_us}.${last.id}` : null,
    };
  }

  async get({
    actor,
    fulfillmentOrderId,
  }: FulfillmentOrderRefCall): Promise<FulfillmentOrderDetailView> {
    const row = await findOrder(this.dataSource.manager, actor.tenantId, fulfillmentOrderId);
    if (!row) throw FulfillmentError.notFound(fulfillmentOrderId);
    const histories = await historiesOf(this.dataSource.manager, [row.id]);
    const [view] = await toViews(this.dataSource.manager, [row]);
    return { ...view, history: histories.get(row.id) ?? [] };
  }

  /**
   * A person sends a held order to the warehouse: its stock is reserved and shipment.ready
   * published, or it waits for stock (and then goes by itself when stock arrives). Releasing an
   * order already released changes nothing.
   */
  async release({
    actor,
    fulfillmentOrderId,
  }: FulfillmentOrderRefCall): Promise<ReleaseResultView> {
    return this.transactions.run(async (tx) => {
      const [row] = await lockOrders(tx.manager, 'id = $1 AND tenant_id = $2', [
        fulfillmentOrderId,
        actor.tenantId,
      ]);
      if (!row) throw FulfillmentError.notFound(fulfillmentOrderId);
      if (row.status === 'shipped' || row.status === 'canceled') {
        throw new FulfillmentError(
          FulfillmentErrorCode.NOT_RELEASABLE,
          `Fulfillment order ${row.id} is ${row.status}; there is nothing to release`,
          { status: row.status },
        );
      }
      if (row.hold?.code === 'cod_amount_unfixed') {
        throw new FulfillmentError(
          FulfillmentErrorCode.COD_AMOUNT_UNFIXED,
          `Fulfillment order ${row.id} is cash on delivery and Rakuten has not fixed the amount to collect (requestPrice -9999); it cannot be released. The seller fixes the amount in RMS; the order then comes back as a new revision, which supersedes this one.`,
          { status: row.status, hold: row.hold },
        );
      }
      if (row.hold?.code === 'shipment_data_invalid') {
        throw new FulfillmentError(
          FulfillmentErrorCode.SHIPMENT_DATA_INVALID,
          `Fulfillment order ${row.id} cannot be released: ${row.hold.message}`,
          { status: row.status, hold: row.hold },
        );
      }
      if (row.status === 'ready' || row.status === 'awaiting_stock') {
        const [view] = await toViews(tx.manager, [row]);
        return { fulfillmentOrder: view, released: false };
      }
      await addHistory(tx.manager, row, 'released', `released by ${actor.actorId}`);
      const book = new StockBook(tx.manager, row.tenant_id);
      await this.dispatcher.tryDispatch(tx, book, row, 'release');
      await tx.publish(book.inventoryEvents(tx.correlationId));
      const [fresh] = await tx.manager.query<FulfillmentOrderRow[]>(
        `SELECT ${FO_COLUMNS} FROM fulfillment.fulfillment_orders WHERE id = $1`,
        [row.id],
      );
      const [view] = await toViews(tx.manager, [fresh]);
      return { fulfillmentOrder: view, released: true };
    });
  }

  /** The fulfillment side of an order's timeline: its packages with every step and time. */
  async timeline({
    actor,
    shopId,
    orderNumber,
  }: FulfillmentTimelineCall): Promise<FulfillmentTimelineView> {
    const manager = this.dataSource.manager;
    const rows = await manager.query<FulfillmentOrderRow[]>(
      `SELECT ${FO_COLUMNS} FROM fulfillment.fulfillment_orders
        WHERE tenant_id = $1 AND shop_id = $2 AND order_number = $3
        ORDER BY revision, basket_id, part_kind = 'back_order'`,
      [actor.tenantId, shopId, orderNumber],
    );
    const histories = await historiesOf(
      manager,
      rows.map((row) => row.id),
    );
    const tenantCancellation = await manager.query<{ tenant_id: string }[]>(
      'SELECT tenant_id FROM fulfillment.order_cancellations WHERE shop_id = $1 AND order_number = $2 LIMIT 1',
      [shopId, orderNumber],
    );
    // The cancellation that applies to the newest revision dispatched (any, before the first).
    const newest = Math.max(1, ...rows.map((row) => row.revision));
    const cancellation =
      tenantCancellation[0]?.tenant_id === actor.tenantId
        ? ((await findCancellation(manager, shopId, orderNumber, newest)) ?? null)
        : null;
    const views = await toViews(manager, rows);
    return {
      shopId,
      orderNumber,
      cancellation,
      fulfillmentOrders: views.map((view) => ({
        ...view,
        history: histories.get(view.id) ?? [],
      })),
    };
  }
}

function decodeCursor(cursor: string): { micros: string; id: string } {
  const match = /^(\d{1,20})\.([0-9a-f-]{36})$/.exec(cursor);
  if (!match) {
    throw FulfillmentError.invalid([
      { field: 'cursor', problems: ['cursor must be the nextCursor of a previous page'] },
    ]);
  }
  return { micros: match[1], id: match[2] };
}
