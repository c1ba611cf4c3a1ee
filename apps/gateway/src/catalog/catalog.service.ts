import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  type CatalogChangeView,
  type CreateMappingRuleBody,
  type CreateSkuBody,
  type DryRunView,
  type ImportReportView,
  type LinkLineBody,
  MAPPING_CALLS,
  type MappingOrderStatus,
  type MappingOrderView,
  type MappingRuleView,
  type SkuImportFormat,
  type SkuView,
  type UpdateSkuBody,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { actorOf, type TenantPrincipal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';

/** A 60,000-row import with re-evaluation takes seconds; its call gets this long (ms). */
const IMPORT_CALL_TIMEOUT_MS = 180_000;

/** Catalog changes re-evaluate held orders: they get the longer of the plain timeouts. */
function changeTimeout(config: GatewayConfig): number {
  return Math.max(config.SERVICE_CALL_TIMEOUT_MS, 30_000);
}

/**
 * The catalog routes: each is one call to the mapping service for the authenticated tenant,
 * and an audit entry once a change succeeded (built from safe fields, never a request body).
 */
@Injectable()
export class CatalogService {
  constructor(
    @Inject(clientToken('mapping')) private readonly mapping: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly audit: AuditService,
  ) {}

  listSkus(
    tenant: TenantPrincipal,
    query: { search?: string; limit?: number; offset?: number },
  ): Promise<{ items: SkuView[]; total: number }> {
    return this.call(MAPPING_CALLS.listSkus, { actor: actorOf(tenant), ...query });
  }

  getSku(tenant: TenantPrincipal, skuId: string): Promise<SkuView> {
    return this.call(MAPPING_CALLS.getSku, { actor: actorOf(tenant), skuId });
  }

  async createSku(
    tenant: TenantPrincipal,
    body: CreateSkuBody,
  ): Promise<CatalogChangeView<SkuView>> {
    const result = await this.call<CatalogChangeView<SkuView>>(
      MAPPING_CALLS.createSku,
      { actor: actorOf(tenant), body },
      changeTimeout(this.config),
    );
    await this.audit.recordBy(tenant, 'sku.created', 'sku', result.item.id, {
      code: result.item.code,
      released: result.reevaluation.released,
    });
    return result;
  }

  async updateSku(
    tenant: TenantPrincipal,
    skuId: string,
    body: UpdateSkuBody,
  ): Promise<CatalogChangeView<SkuView>> {
    const result = await this.call<CatalogChangeView<SkuView>>(
      MAPPING_CALLS.updateSku,
      { actor: actorOf(tenant), skuId, body },
      changeTimeout(this.config),
    );
    await this.audit.recordBy(tenant, 'sku.updated', 'sku', skuId, {
      code: result.item.code,
      fields: Object.keys(body).sort(),
      released: result.reevaluation.released,
    });
    return result;
  }

  async importSkus(
    tenant: TenantPrincipal,
    file: { fileName: string; format: SkuImportFormat; content: Buffer },
  ): Promise<ImportReportView> {
    const report = await this.call<ImportReportView>(
      MAPPING_CALLS.importSkus,
      {
        actor: actorOf(tenant),
        format: file.format,
        fileName: file.fileName,
        contentBase64: file.content.toString('base64'),
      },
      IMPORT_CALL_TIMEOUT_MS,
    );
    await this.audit.recordBy(tenant, 'sku.imported', 'sku', file.fileName, {
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      released: report.reevaluation.released,
    });
    return report;
  }

  listRules(tenant: TenantPrincipal): Promise<{ items: MappingRuleView[] }> {
    return this.call(MAPPING_CALLS.listRules, { actor: actorOf(tenant) });
  }

  async createRule(
    tenant: TenantPrincipal,
    body: CreateMappingRuleBody,
  ): Promise<CatalogChangeView<MappingRuleView>> {
    const result = await this.call<CatalogChangeView<MappingRuleView>>(
      MAPPING_CALLS.createRule,
      { actor: actorOf(tenant), body },
      changeTimeout(this.config),
    );
    await this.audit.recordBy(tenant, 'mapping.created', 'mapping', result.item.id, {
      skuCode: result.item.skuCode,
      released: result.reevaluation.released,
    });
    return result;
  }

  async deleteRule(tenant: TenantPrincipal, ruleId: string): Promise<void> {
    await this.call(MAPPING_CALLS.deleteRule, { actor: actorOf(tenant), ruleId });
    await this.audit.recordBy(tenant, 'mapping.deleted', 'mapping', ruleId, {});
  }

  dryRun(tenant: TenantPrincipal, body: CreateMappingRuleBody): Promise<DryRunView> {
    return this.call(MAPPING_CALLS.dryRunRule, { actor: actorOf(tenant), body });
  }

  listOrders(
    tenant: TenantPrincipal,
    query: { status: MappingOrderStatus; shopId?: string; limit?: number; offset?: number },
  ): Promise<{ items: MappingOrderView[]; total: number }> {
    return this.call(MAPPING_CALLS.listOrders, { actor: actorOf(tenant), ...query });
  }

  async linkLine(
    tenant: TenantPrincipal,
    orderNumber: string,
    itemDetailId: number,
    body: LinkLineBody,
  ): Promise<CatalogChangeView<MappingRuleView>> {
    const result = await this.call<CatalogChangeView<MappingRuleView>>(
      MAPPING_CALLS.linkLine,
      { actor: actorOf(tenant), orderNumber, itemDetailId, body },
      changeTimeout(this.config),
    );
    await this.audit.recordBy(tenant, 'mapping.created', 'mapping', result.item.id, {
      skuCode: result.item.skuCode,
      fromOrder: orderNumber,
      itemDetailId,
      released: result.reevaluation.released,
    });
    return result;
  }

  private call<T>(pattern: string, payload: unknown, timeoutMs?: number): Promise<T> {
    return callService<T>(
      this.mapping,
      'mapping',
      pattern,
      payload,
      timeoutMs ?? this.config.SERVICE_CALL_TIMEOUT_MS,
    );
  }
}
