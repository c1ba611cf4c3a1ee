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
import { cancellationTenant, findCancellation } from '../cancellations/order-cancellation';
import { StockBook } from '../stock/stock-book';
import { Dispatcher } from './dispatcher';
import {
  type PageCursor,
  addHistory,
  findOrder,
  historiesOf,
  listOrders,
  lockOrders,
  ordersOfOrder,
  readOrder,
  toViews,
} from './fulfillment-order.store';

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
    const { cursor, limit, ...filters } = filter;
    const { rows, next } = await listOrders(
      this.dataSource.manager,
      actor.tenantId,
      filters,
      limit ?? DEFAULT_PAGE,
      cursor ? decodeCursor(cursor) : undefined,
    );
    return {
      items: await toViews(this.dataSource.manager, rows),
      nextCursor: next ? `${next.micros}.${next.id}` : null,
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
      const fresh = await readOrder(tx.manager, row.id);
      if (!fresh) throw new Error(`fulfillment order ${row.id} vanished inside its transaction`);
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
    const rows = await ordersOfOrder(manager, actor.tenantId, shopId, orderNumber);
    const histories = await historiesOf(
      manager,
      rows.map((row) => row.id),
    );
    // The cancellation that applies to the newest revision dispatched (any, before the first).
    const newest = Math.max(1, ...rows.map((row) => row.revision));
    const cancellation =
      (await cancellationTenant(manager, shopId, orderNumber)) === actor.tenantId
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

/** Largest creation time a cursor can hold: PostgreSQL's bigint. */
const MAX_MICROS = 9_223_372_036_854_775_807n;

/**
 * A cursor is the nextCursor of a previous page, `<µs since epoch>.<uuid>`; anything else is a
 * 400 naming `cursor`, never a database error.
 */
function decodeCursor(cursor: string): PageCursor {
  const match = /^(\d{1,19})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(
    cursor,
  );
  if (!match || BigInt(match[1]) > MAX_MICROS) {
    throw FulfillmentError.invalid([
      { field: 'cursor', problems: ['cursor must be the nextCursor of a previous page'] },
    ]);
  }
  return { micros: match[1], id: match[2] };
}
