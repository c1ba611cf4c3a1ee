import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ListInventoryCall,
  SetInventoryCall,
  SetInventoryResultView,
  StockPageView,
  StockView,
} from '@smartship/contracts';
import { DataSource, type EntityManager } from 'typeorm';

import { CallTransactions } from '../calls/call-transactions';
import { Dispatcher } from '../dispatch/dispatcher';
import { StockBook } from './stock-book';

const DEFAULT_PAGE = 100;

interface StockViewRow {
  sku_code: string;
  on_hand: number;
  reserved: number;
  waiting: string;
  updated_at: Date;
}

/** Stock per SKU: the seller's list, and counts set by the warehouse. */
@Injectable()
export class InventoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: CallTransactions,
    private readonly dispatcher: Dispatcher,
  ) {}

  async list({ actor, filter }: ListInventoryCall): Promise<StockPageView> {
    const limit = filter.limit ?? DEFAULT_PAGE;
    const rows = await queryStock(this.dataSource.manager, actor.tenantId, {
      prefix: filter.skuCode,
      after: filter.cursor,
      shortOnly: filter.shortOnly ?? false,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: page,
      nextCursor: rows.length > limit ? (page.at(-1)?.skuCode ?? null) : null,
    };
  }

  /**
   * Sets the units on hand (a stock-take, or an arrival counted in). Orders held for this SKU are
   * tried again at once, oldest first, in the same transaction: what arrived goes to them before
   * any later order can take it.
   */
  async set({ actor, skuCode, body }: SetInventoryCall): Promise<SetInventoryResultView> {
    return this.transactions.run(async (tx) => {
      const book = new StockBook(tx.manager, actor.tenantId);
      await book.setOnHand(skuCode, body.onHand);
      const released = await this.dispatcher.retryHeld(tx, book, [skuCode]);
      await tx.publish(book.inventoryEvents(tx.correlationId));
      const [stock] = await queryStock(tx.manager, actor.tenantId, { exact: skuCode, limit: 1 });
      return { stock, released };
    });
  }
}

async function queryStock(
  manager: EntityManager,
  tenantId: string,
  options: { exact?: string; prefix?: string; after?: string; shortOnly?: boolean; limit: number },
): Promise<StockView[]> {
  const where = ['s.tenant_id = $1'];
  const params: unknown[] = [tenantId];
  if (options.exact !== undefined) {
    params.push(options.exact);
    where.push(`s.sku_code = $${params.length}`);
  }
  if (options.prefix) {
    params.push(`${options.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`s.sku_code LIKE $${params.length}`);
  }
  if (options.after) {
    params.push(options.after);
    where.push(`s.sku_code COLLATE "C" > $${params.length}`);
  }
  if (options.shortOnly) where.push('(s.on_hand - s.reserved < 0 OR coalesce(w.units, 0) > 0)');
  const rows = await manager.query<StockViewRow[]>(
    `WITH w AS (
       SELECT line->>'skuCode' AS sku_code, sum((line->>'quantity')::int) AS units
         FROM fulfillment.fulfillment_orders fo, jsonb_array_elements(fo.lines) AS line
        WHERE fo.tenant_id = $1 AND fo.status = 'awaiting_stock'
        GROUP BY 1)
     SELECT s.sku_code, s.on_hand, s.reserved, coalesce(w.units, 0) AS waiting, s.updated_at
       FROM fulfillment.stock s LEFT JOIN w ON w.sku_code = s.sku_code
      WHERE ${where.join(' AND ')}
      ORDER BY s.sku_code COLLATE "C" LIMIT ${options.limit}`,
    params,
  );
  return rows.map((row) => ({
    skuCode: row.sku_code,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    waiting: Number(row.waiting),
    updatedAt: row.updated_at.toISOString(),
  }));
}
