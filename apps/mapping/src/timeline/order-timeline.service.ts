import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  OrderTimelineCall,
  OrderTimelinePart,
  TimelineEntry,
  UnmappedLineView,
} from '@smartship/contracts';
import { DataSource } from 'typeorm';

import type { StoredLine } from '../orders/order-evaluation';

/**
 * Mapping's part of an order's timeline: when it was mapped and how each line matched, or that
 * it is held and why — from mapping's own tables only.
 */
@Injectable()
export class OrderTimelineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async timeline({ actor, orderNumber, shopId }: OrderTimelineCall): Promise<OrderTimelinePart> {
    const params = [actor.tenantId, orderNumber, shopId ?? null];
    const [mapped] = await this.dataSource.query<
      { shop_id: string; mapped_at: Date; line_details: StoredLine[] | null; revision: number }[]
    >(
      `SELECT shop_id, mapped_at, line_details, revision FROM mapping.mapped_orders
        WHERE tenant_id = $1 AND order_number = $2 AND ($3::text IS NULL OR shop_id = $3)
        ORDER BY mapped_at LIMIT 1`,
      params,
    );
    const [held] = await this.dataSource.query<
      {
        shop_id: string;
        held_at: Date;
        evaluation: { unmapped?: UnmappedLineView[] };
        revision: number;
      }[]
    >(
      `SELECT shop_id, held_at, evaluation, revision FROM mapping.held_orders
        WHERE tenant_id = $1 AND order_number = $2 AND ($3::text IS NULL OR shop_id = $3)
        LIMIT 1`,
      params,
    );
    const entries: TimelineEntry[] = [];
    if (held) {
      const reasons = (held.evaluation.unmapped ?? [])
        .map(
          (line) =>
            `${line.itemName}${line.optionText ? ` (${line.optionText})` : ''}: ${line.reason}`,
        )
        .join('; ');
      entries.push({
        at: held.held_at.toISOString(),
        service: 'mapping',
        step: 'needs_mapping',
        detail: `Held${ofRevision(held.revision)}: a line matches no SKU — ${reasons || 'see GET /orders?status=needs_mapping'}`,
        ok: false,
      });
    }
    if (mapped) {
      const how = (mapped.line_details ?? [])
        .filter((line) => line.resolved)
        .map(
          (line) =>
            `${line.itemName} → ${line.resolved!.skus.map((sku) => `${sku.skuCode}×${sku.quantity}`).join(' + ')} (by ${line.resolved!.matchedBy})`,
        )
        .join('; ');
      entries.push({
        at: mapped.mapped_at.toISOString(),
        service: 'mapping',
        step: 'mapped',
        detail: `Mapped to SKUs${ofRevision(mapped.revision)}: ${how || 'every line'}`,
        ok: true,
      });
    }
    const shop = mapped?.shop_id ?? held?.shop_id;
    return entries.length > 0
      ? { found: true, shopId: shop, entries }
      : { found: false, entries: [] };
  }
}

/** Names the revision of an order Rakuten changed (2, 3, …); nothing for its first pull. */
function ofRevision(revision: number): string {
  return revision > 1 ? ` (revision ${revision})` : '';
}
