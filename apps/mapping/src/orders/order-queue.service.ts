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
} from '@smartship/contracts';
import { DataSource } from 'typeorm';

import { CatalogService } from '../catalog/catalog.service';
import { MappingError, MappingErrorCode } from '../catalog/mapping.errors';
import { loadCatalog } from '../matching/catalog-cache';
import { type RuleRow, optionTextOf } from '../matching/catalog-index';
import { evaluateOrder, resolvedView, type StoredLine } from './order-evaluation';
import {
  heldOrderByNumber,
  heldOrdersOf,
  heldPage,
  mappedPage,
  recentMappedLines,
} from './order.store';

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
    const query = { tenantId: call.actor.tenantId, shopId: call.shopId, limit, offset };
    const manager = this.dataSource.manager;
    if (call.status === 'needs_mapping') {
      const { total, rows } = await heldPage(manager, query);
      return {
        total,
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
    const { total, rows } = await mappedPage(manager, query);
    return {
      total,
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
    const held = await heldOrdersOf(manager, tenantId);
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
    const recent = await recentMappedLines(manager, tenantId, DRY_RUN_RECENT_ORDERS);
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
    const order = await heldOrderByNumber(this.dataSource.manager, tenantId, call.orderNumber);
    if (!order) {
      throw new MappingError(
        MappingErrorCode.ORDER_NOT_FOUND,
        'no order waiting for mapping with this number in this tenant',
        { orderNumber: call.orderNumber },
      );
    }
    const line = order.packages
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
