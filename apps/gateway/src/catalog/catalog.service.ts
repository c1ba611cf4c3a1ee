import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  type CatalogChangeView,
  type CreateMappingRuleBody,
  type CreateSkuBody,
  type DryRunView,
  IMPORT_PIECE_BYTES,
  type ImportJobView,
  type ImportReportView,
  type LinkLineBody,
  MAPPING_CALLS,
  type MappingOrderStatus,
  type MappingOrderView,
  type MappingRuleView,
  type ImportKind,
  type SkuImportFormat,
  type SkuView,
  type UpdateSkuBody,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { actorOf, type TenantPrincipal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { ServiceCallError } from '../http/gateway.errors';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';

/** How often a waiting import answer asks the mapping service how its job stands, ms. */
const IMPORT_POLL_MS = 200;

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

  /**
   * Starts a background import of the file: the mapping service gets it in pieces of at most
   * IMPORT_PIECE_BYTES (one call each), then works on it on its own. With `wait`, the answer
   * waits up to IMPORT_WAIT_MS for the job to end and is its report (or its error, as the
   * synchronous import answered); otherwise, or when it takes longer, the job as it stands.
   */
  /**
   * Starts an import job of the mapping service (`skus` or name `rules`), sends the file in
   * pieces and waits for the job (IMPORT_WAIT_MS) unless `wait` is false.
   */
  async importFile(
    tenant: TenantPrincipal,
    kind: ImportKind,
    file: { fileName: string; format: SkuImportFormat; content: Buffer },
    wait: boolean,
  ): Promise<{ done: true; report: ImportReportView } | { done: false; job: ImportJobView }> {
    const actor = actorOf(tenant);
    const pieces = Math.max(1, Math.ceil(file.content.length / IMPORT_PIECE_BYTES));
    const { importId } = await this.call<{ importId: string }>(MAPPING_CALLS.startImport, {
      actor,
      kind,
      format: file.format,
      fileName: file.fileName,
      sizeBytes: file.content.length,
      pieces,
    });
    for (let index = 0; index < pieces; index++) {
      const piece = file.content.subarray(
        index * IMPORT_PIECE_BYTES,
        (index + 1) * IMPORT_PIECE_BYTES,
      );
      await this.call(MAPPING_CALLS.importPiece, {
        actor,
        importId,
        index,
        contentBase64: piece.toString('base64'),
      });
    }
    await this.audit.recordBy(
      tenant,
      kind === 'rules' ? 'mapping.imported' : 'sku.imported',
      kind === 'rules' ? 'mapping' : 'sku',
      importId,
      {
        fileName: file.fileName.slice(0, 300),
        sizeBytes: file.content.length,
      },
    );
    const deadline = Date.now() + (wait ? this.config.IMPORT_WAIT_MS : 0);
    for (;;) {
      const job = await this.getImport(tenant, importId);
      if (job.state === 'applied' && job.report) return { done: true, report: job.report };
      if (job.error) throw new ServiceCallError('mapping', job.error);
      if (Date.now() >= deadline) return { done: false, job };
      await new Promise((resolve) => setTimeout(resolve, IMPORT_POLL_MS));
    }
  }

  getImport(tenant: TenantPrincipal, importId: string): Promise<ImportJobView> {
    return this.call(MAPPING_CALLS.getImport, { actor: actorOf(tenant), importId });
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
