import { Injectable } from '@nestjs/common';
import type { BundleComponentView } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

import { CatalogIndex, type OptionRow, type RuleRow, type SkuRow } from './catalog-index';

/** Advisory-lock class of a tenant's catalog (the object id is hashtext(tenant id)). */
const CATALOG_LOCK_CLASS = 7_103;
/** Tenants whose catalog one process keeps in memory at most. */
const MAX_CACHED_TENANTS = 200;

/**
 * Each tenant's catalog as a CatalogIndex, kept in memory while its version in
 * `mapping.catalog_versions` stays the same.
 *
 * Why the locks: a catalog change re-evaluates the tenant's held orders. An order being mapped at
 * that moment with the old catalog would be held after the re-evaluation looked, and stay held.
 * So a catalog change takes the tenant's advisory lock exclusively, and mapping an order takes it
 * shared (consumers do not wait for each other) before it reads the catalog: the change waits
 * for orders in flight to be stored, and orders wait for the change to commit.
 */
@Injectable()
export class CatalogCache {
  private readonly byTenant = new Map<string, { version: string; index: CatalogIndex }>();
  /** Per transaction: the lock is held until commit, so it is taken once per tenant. */
  private readonly perTransaction = new WeakMap<EntityManager, Map<string, CatalogIndex>>();

  /** The tenant's catalog for mapping orders in this transaction (shared lock taken). */
  async forMapping(manager: EntityManager, tenantId: string): Promise<CatalogIndex> {
    let held = this.perTransaction.get(manager);
    if (!held) {
      held = new Map();
      this.perTransaction.set(manager, held);
    }
    const known = held.get(tenantId);
    if (known) return known;
    await this.lockShared(manager, tenantId);
    const index = await this.current(manager, tenantId);
    held.set(tenantId, index);
    return index;
  }

  /**
   * Takes the tenant's catalog lock shared (until the transaction ends) without reading the
   * catalog: for a change to the held queue, such as a cancellation, that must not interleave with
   * a catalog change's re-evaluation of the held orders.
   */
  async lockShared(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [
      CATALOG_LOCK_CLASS,
      tenantId,
    ]);
  }

  /** Takes the tenant's catalog lock for a change (until the transaction ends). */
  async lockForChange(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      CATALOG_LOCK_CLASS,
      tenantId,
    ]);
  }

  /** Marks the tenant's catalog changed (in the change's transaction). */
  async bumpVersion(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(
      `INSERT INTO mapping.catalog_versions (tenant_id, version) VALUES ($1, 1)
       ON CONFLICT (tenant_id) DO UPDATE SET version = mapping.catalog_versions.version + 1`,
      [tenantId],
    );
  }

  /** The catalog as this transaction sees it, from memory when the version did not move. */
  async current(manager: EntityManager, tenantId: string): Promise<CatalogIndex> {
    const rows = await manager.query<{ version: string }[]>(
      'SELECT version FROM mapping.catalog_versions WHERE tenant_id = $1',
      [tenantId],
    );
    const version = rows[0]?.version ?? '0';
    const cached = this.byTenant.get(tenantId);
    if (cached?.version === version) return cached.index;
    const index = await loadCatalog(manager, tenantId);
    if (this.byTenant.size >= MAX_CACHED_TENANTS && !cached) {
      const oldest = this.byTenant.keys().next().value;
      if (oldest !== undefined) this.byTenant.delete(oldest);
    }
    this.byTenant.set(tenantId, { version, index });
    return index;
  }
}

/** Reads a tenant's whole catalog and builds its index (three queries, one after the other:
 * they may share the transaction's connection). */
export async function loadCatalog(manager: EntityManager, tenantId: string): Promise<CatalogIndex> {
  const skus = await manager.query<
    {
      id: string;
      code: string;
      name: string;
      seller_code: string | null;
      components: BundleComponentView[] | null;
      has_options: boolean;
    }[]
  >(
    `SELECT id, code, name, seller_code, components, has_options
         FROM mapping.skus WHERE tenant_id = $1 ORDER BY code`,
    [tenantId],
  );
  const options = await manager.query<
    {
      id: string;
      code: string;
      name: string;
      seller_code: string | null;
      variant_id: string | null;
      components: BundleComponentView[] | null;
    }[]
  >(
    `SELECT id, code, name, seller_code, variant_id, components
         FROM mapping.sku_options WHERE tenant_id = $1 ORDER BY code`,
    [tenantId],
  );
  const rules = await manager.query<
    { id: string; item_name: string; option_text: string; sku_code: string }[]
  >(
    `SELECT id, item_name, option_text, sku_code FROM mapping.mapping_rules
        WHERE tenant_id = $1 ORDER BY created_at, id`,
    [tenantId],
  );
  const skuRows: SkuRow[] = skus.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    sellerCode: r.seller_code,
    components: r.components,
    hasOptions: r.has_options,
  }));
  const optionRows: OptionRow[] = options.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    sellerCode: r.seller_code,
    variantId: r.variant_id,
    components: r.components,
  }));
  const ruleRows: RuleRow[] = rules.map((r) => ({
    id: r.id,
    itemName: r.item_name,
    optionText: r.option_text,
    skuCode: r.sku_code,
  }));
  return new CatalogIndex(skuRows, optionRows, ruleRows);
}
