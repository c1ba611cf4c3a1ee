import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  CatalogChangeView,
  CreateMappingRuleBody,
  DryRunLineView,
  DryRunView,
  LinkLineCall,
  ListMappingOrdersCall,
  MappingOrderView,
  MappingRuleView,
  OrderLine,
  ResolvedLineView,
  UnmappedLineView,
} from '@smartship/contracts';
import { DataSource } from 'typeorm';

import { CatalogService } from '../catalog/catalog.service';
import { MappingError, MappingErrorCode } from '../catalog/mapping.errors';
import { loadCatalog } from '../matching/catalog-cache';
import { type RuleRow, optionTextOf } from '../matching/catalog-index';
import { evaluateOrder, resolvedView, type StoredLine } from './order-evaluation';
import type { HeldRow } from './orders.service';

/** Mapped orders a dry run looks at besides the held ones (the tenant's newest). */
const DRY_RUN_RECENT_ORDERS = 500;

/**
 * The unmapped-order queue as the seller sees it (`GET /orders?status=needs_mapping`), the
 * dry run of a name rule, and linking a held line to a SKU.
 */
@Injectable()
export class OrderQueueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: CatalogService,
  ) {}

  async list(call: ListMappingOrdersCall): Promise<{ items: MappingOrderView[]; total: number }> {
    const limit = call.limit ?? 50;
    const offset = call.offset ?? 0;
    const params: unknown[] = [call.actor.tenantId];
    let shopFilter = '';
    if (call.shopId) {
      params.push(call.shopId);
      shopFilter = 'AND shop_id = $2';
    }
    const manager = this.dataSource.manager;
    if (call.status === 'needs_mapping') {
      const [count] = await manager.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM mapping.held_orders WHERE tenant_id = $1 ${shopFilter}`,
        params,
      );
      const rows = await manager.query<
        {
          shop_id: string;
          order_number: string;
          revision: number;
          ordered_at: Date | null;
          held_at: Date;
          evaluation: { mapped: ResolvedLineView[]; unmapped: UnmappedLineView[] };
        }[]
      >(
        `SELECT shop_id, order_number, revision, ordered_at, held_at, evaluation FROM mapping.held_orders
          WHERE tenant_id = $1 ${shopFilter}
          ORDER BY held_at, shop_id, order_number LIMIT ${limit} OFFSET ${offset}`,
        params,
      );
      return {
        total: count.n,
        items: rows.map((row) => ({
          shopId: row.shop_id,
          orderNumber: row.order_number,
          revision: row.revision,
          status: 'needs_mapping',
          orderedAt: row.ordered_at?.toISOString() ?? null,
          since: row.held_at.toISOString(),
          unmappedLines: row.evaluation.unmapped,
          mappedLines: row.evaluation.mapped,
        })),
      };
    }
    const [count] = await manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM mapping.mapped_orders WHERE tenant_id = $1 ${shopFilter}`,
      params,
    );
    const rows = await manager.query<
      {
        shop_id: string;
        order_number: string;
        revision: number;
        ordered_at: Date | null;
        mapped_at: Date;
        line_details: StoredLine[] | null;
      }[]
    >(
      `SELECT shop_id, order_number, revision, ordered_at, mapped_at, line_details FROM mapping.mapped_orders
        WHERE tenant_id = $1 ${shopFilter}
        ORDER BY mapped_at DESC, shop_id, order_number LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return {
      total: count.n,
      items: rows.map((row) => ({
        shopId: row.shop_id,
        orderNumber: row.order_number,
        revision: row.revision,
        status: 'mapped',
        orderedAt: row.ordered_at?.toISOString() ?? null,
        since: row.mapped_at.toISOString(),
        unmappedLines: [],
        mappedLines: (row.line_details ?? []).flatMap((line) =>
          line.resolved ? [line.resolved] : [],
        ),
      })),
    };
  }

  /**
   * What a rule would do, without saving it: the lines of held orders and of the tenant's recent
   * mapped orders whose item name and option text equal the rule's, before and with the rule, and
   * the held orders it would release.
   */
  async dryRun(tenantId: string, body: CreateMappingRuleBody): Promise<DryRunView> {
    const manager = this.dataSource.manager;
    const index = await loadCatalog(manager, tenantId);
    if (!index.byCode.has(body.skuCode)) {
      throw new MappingError(
        MappingErrorCode.UNKNOWN_SKU_CODE,
        `skuCode ${body.skuCode} is not a single SKU, bundle or option of this catalog`,
        { skuCode: body.skuCode },
      );
    }
    const rule: RuleRow = { id: 'dry-run', ...body };
    const view: DryRunView = { rule: { ...body }, wouldRelease: [], lines: [] };
    const held = await manager.query<HeldRow[]>(
      `SELECT shop_id, order_number, tenant_id, source_event_id, correlation_id, marketplace,
              "order", evaluation, revision
         FROM mapping.held_orders WHERE tenant_id = $1 ORDER BY held_at`,
      [tenantId],
    );
    for (const row of held) {
      const before = evaluateOrder(row.order, index);
      const after = evaluateOrder(row.order, index, rule);
      if (after.complete) view.wouldRelease.push(row.order_number);
      after.lines.forEach(({ line, match }, i) => {
        if (!sameText(line, body)) return;
        const was = before.lines[i].match;
        view.lines.push({
          shopId: row.shop_id,
          orderNumber: row.order_number,
          status: 'needs_mapping',
          itemDetailId: line.itemDetailId,
          before: was.mapped ? resolvedView(line, was) : null,
          after: match.mapped ? resolvedView(line, match) : null,
          unmappedReason: match.mapped ? null : match.reason,
        });
      });
    }
    const recent = await manager.query<
      { shop_id: string; order_number: string; line_details: StoredLine[] | null }[]
    >(
      `SELECT shop_id, order_number, line_details FROM mapping.mapped_orders
        WHERE tenant_id = $1 ORDER BY mapped_at DESC LIMIT ${DRY_RUN_RECENT_ORDERS}`,
      [tenantId],
    );
    for (const row of recent) {
      for (const stored of row.line_details ?? []) {
        const line = toOrderLine(stored);
        if (!sameText(line, body)) continue;
        const match = index.match(line, rule);
        const line_: DryRunLineView = {
          shopId: row.shop_id,
          orderNumber: row.order_number,
          status: 'mapped',
          itemDetailId: line.itemDetailId,
          before: stored.resolved,
          after: match.mapped ? resolvedView(line, match) : null,
          unmappedReason: match.mapped ? null : match.reason,
        };
        view.lines.push(line_);
      }
    }
    return view;
  }

  /**
   * Links a held line to a SKU from now on: a name rule with the line's exact item name and
   * option text (the guide's 상품명 매핑), which releases every held order it completes.
   */
  async linkLine(call: LinkLineCall): Promise<CatalogChangeView<MappingRuleView>> {
    const tenantId = call.actor.tenantId;
    const rows = await this.dataSource.manager.query<{ order: HeldRow['order'] }[]>(
      `SELECT "order" FROM mapping.held_orders WHERE tenant_id = $1 AND order_number = $2`,
      [tenantId, call.orderNumber],
    );
    if (rows.length === 0) {
      throw new MappingError(
        MappingErrorCode.ORDER_NOT_FOUND,
        'no order waiting for mapping with this number in this tenant',
        { orderNumber: call.orderNumber },
      );
    }
    const line = rows[0].order.packages
      .flatMap((pkg) => pkg.lines)
      .find((l) => l.itemDetailId === call.itemDetailId);
    if (!line) {
      throw new MappingError(MappingErrorCode.LINE_NOT_FOUND, 'the order has no such line', {
        orderNumber: call.orderNumber,
        itemDetailId: call.itemDetailId,
      });
    }
    return this.catalog.createRule({
      actor: call.actor,
      body: { itemName: line.itemName, optionText: optionTextOf(line), skuCode: call.body.skuCode },
    });
  }
}

function sameText(line: OrderLine, rule: CreateMappingRuleBody): boolean {
  return line.itemName === rule.itemName && optionTextOf(line) === rule.optionText;
}

function toOrderLine(stored: StoredLine): OrderLine {
  return {
    itemDetailId: stored.itemDetailId,
    itemName: stored.itemName,
    itemNumber: stored.itemNumber,
    manageNumber: stored.manageNumber,
    variantId: stored.variantId,
    merchantDefinedSkuId: stored.merchantDefinedSkuId,
    skuInfo: stored.skuInfo,
    selectedChoice: stored.selectedChoice,
    units: stored.units,
    unitPrice: 0,
  };
}
