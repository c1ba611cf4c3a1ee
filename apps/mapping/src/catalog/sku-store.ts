import { randomUUID } from 'node:crypto';

import type { BundleComponentView, SkuOptionView, SkuView } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

/*
 * Reading and writing SKUs in bulk, for the CRUD calls and the import alike. A SKU is written as
 * its whole desired state; a SKU whose state does not differ from the stored one is not touched,
 * which is what makes a re-import of the same file change nothing.
 */

/** An option as it should be stored. */
export interface DesiredOption {
  code: string;
  name: string;
  sellerCode: string | null;
  barcode: string | null;
  variantId: string | null;
  components: BundleComponentView[] | null;
}

/** A SKU as it should be stored. `options` non-empty: a product with options. */
export interface DesiredSku {
  code: string;
  name: string;
  barcode: string | null;
  sellerCode: string | null;
  components: BundleComponentView[] | null;
  options: DesiredOption[];
}

export interface StoredSku extends DesiredSku {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  optionIds: string[];
}

/** Rows per statement for bulk writes (PostgreSQL takes arrays, so this bounds memory only). */
const BATCH = 5_000;

function sameState(a: DesiredSku, b: DesiredSku): boolean {
  return stateKey(a) === stateKey(b);
}

function stateKey(sku: DesiredSku): string {
  return JSON.stringify([
    sku.name,
    sku.barcode,
    sku.sellerCode,
    sku.components?.map((c) => [c.skuCode, c.quantity]) ?? null,
    sku.options.map((o) => [
      o.code,
      o.name,
      o.sellerCode,
      o.barcode,
      o.variantId,
      o.components?.map((c) => [c.skuCode, c.quantity]) ?? null,
    ]),
  ]);
}

interface SkuDbRow {
  id: string;
  code: string;
  name: string;
  barcode: string | null;
  seller_code: string | null;
  components: BundleComponentView[] | null;
  created_at: Date;
  updated_at: Date;
}

interface OptionDbRow {
  id: string;
  sku_id: string;
  code: string;
  name: string;
  seller_code: string | null;
  barcode: string | null;
  variant_id: string | null;
  components: BundleComponentView[] | null;
}

/** The stored SKUs of a tenant with the given codes, or with the given ids. */
export async function findSkus(
  manager: EntityManager,
  tenantId: string,
  where: { codes: string[] } | { ids: string[] },
): Promise<Map<string, StoredSku>> {
  const byCodes = 'codes' in where;
  const skus = await manager.query<SkuDbRow[]>(
    `SELECT id, code, name, barcode, seller_code, components, created_at, updated_at
       FROM mapping.skus
      WHERE tenant_id = $1 AND ${byCodes ? 'code = ANY($2::text[])' : 'id = ANY($2::uuid[])'}`,
    [tenantId, byCodes ? where.codes : where.ids],
  );
  return attachOptions(manager, skus);
}

async function attachOptions(
  manager: EntityManager,
  skus: SkuDbRow[],
): Promise<Map<string, StoredSku>> {
  const result = new Map<string, StoredSku>();
  if (skus.length === 0) return result;
  const byId = new Map<string, StoredSku>();
  for (const row of skus) {
    const sku: StoredSku = {
      id: row.id,
      code: row.code,
      name: row.name,
      barcode: row.barcode,
      sellerCode: row.seller_code,
      components: row.components,
      options: [],
      optionIds: [],
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    result.set(row.code, sku);
    byId.set(row.id, sku);
  }
  const options = await manager.query<OptionDbRow[]>(
    `SELECT id, sku_id, code, name, seller_code, barcode, variant_id, components
       FROM mapping.sku_options WHERE sku_id = ANY($1::uuid[]) ORDER BY sku_id, position`,
    [[...byId.keys()]],
  );
  for (const row of options) {
    const sku = byId.get(row.sku_id);
    if (!sku) continue;
    sku.options.push({
      code: row.code,
      name: row.name,
      sellerCode: row.seller_code,
      barcode: row.barcode,
      variantId: row.variant_id,
      components: row.components,
    });
    sku.optionIds.push(row.id);
  }
  return result;
}

/** A page of the tenant's SKUs, by code. */
export async function listSkus(
  manager: EntityManager,
  tenantId: string,
  search: string | undefined,
  limit: number,
  offset: number,
): Promise<{ items: StoredSku[]; total: number }> {
  const params: unknown[] = [tenantId];
  let filter = '';
  if (search) {
    params.push(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    filter = `AND (s.code ILIKE $2 OR s.name ILIKE $2 OR s.seller_code ILIKE $2 OR EXISTS (
                SELECT 1 FROM mapping.sku_options o WHERE o.sku_id = s.id
                   AND (o.code ILIKE $2 OR o.seller_code ILIKE $2 OR o.name ILIKE $2)))`;
  }
  const total = await manager.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM mapping.skus s WHERE s.tenant_id = $1 ${filter}`,
    params,
  );
  const rows = await manager.query<SkuDbRow[]>(
    `SELECT id, code, name, barcode, seller_code, components, created_at, updated_at
       FROM mapping.skus s WHERE s.tenant_id = $1 ${filter}
      ORDER BY code LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const found = await attachOptions(manager, rows);
  return { items: rows.map((r) => found.get(r.code)!), total: total[0].n };
}

/** Every code of the tenant (SKU codes and option codes) with the SKU code that owns it. */
export async function codeOwners(
  manager: EntityManager,
  tenantId: string,
): Promise<Map<string, string>> {
  const rows = await manager.query<{ code: string; owner: string }[]>(
    `SELECT code, code AS owner FROM mapping.skus WHERE tenant_id = $1
     UNION ALL
     SELECT o.code, s.code FROM mapping.sku_options o JOIN mapping.skus s ON s.id = o.sku_id
      WHERE o.tenant_id = $1`,
    [tenantId],
  );
  return new Map(rows.map((r) => [r.code, r.owner]));
}

export interface WriteResult {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Writes the desired SKUs: new codes are inserted, changed ones updated (their options are
 * replaced), equal ones left alone. Returns the counts.
 */
export async function writeSkus(
  manager: EntityManager,
  tenantId: string,
  desired: DesiredSku[],
  existing: Map<string, StoredSku>,
): Promise<WriteResult> {
  const toInsert: (DesiredSku & { id: string })[] = [];
  const toUpdate: (DesiredSku & { id: string })[] = [];
  let unchanged = 0;
  for (const sku of desired) {
    const stored = existing.get(sku.code);
    if (!stored) toInsert.push({ ...sku, id: randomUUID() });
    else if (!sameState(stored, sku)) toUpdate.push({ ...sku, id: stored.id });
    else unchanged++;
  }
  for (let i = 0; i < toInsert.length; i += BATCH) {
    const batch = toInsert.slice(i, i + BATCH);
    await manager.query(
      `INSERT INTO mapping.skus (id, tenant_id, code, name, barcode, seller_code, components, has_options)
       SELECT t.id, $1, t.code, t.name, t.barcode, t.seller_code, t.components::jsonb, t.has_options
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::boolean[]) AS t(id, code, name, barcode, seller_code, components, has_options)`,
      [tenantId, ...skuColumns(batch)],
    );
  }
  for (let i = 0; i < toUpdate.length; i += BATCH) {
    const batch = toUpdate.slice(i, i + BATCH);
    await manager.query(
      `UPDATE mapping.skus s
          SET name = t.name, barcode = t.barcode, seller_code = t.seller_code,
              components = t.components::jsonb, has_options = t.has_options, updated_at = now()
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::boolean[]) AS t(id, code, name, barcode, seller_code, components, has_options)
        WHERE s.id = t.id AND s.tenant_id = $1`,
      [tenantId, ...skuColumns(batch)],
    );
    await manager.query('DELETE FROM mapping.sku_options WHERE sku_id = ANY($1::uuid[])', [
      batch.map((s) => s.id),
    ]);
  }
  const options = [...toInsert, ...toUpdate].flatMap((sku) =>
    sku.options.map((option, position) => ({ ...option, skuId: sku.id, position })),
  );
  for (let i = 0; i < options.length; i += BATCH) {
    const batch = options.slice(i, i + BATCH);
    await manager.query(
      `INSERT INTO mapping.sku_options
              (id, sku_id, tenant_id, position, code, name, seller_code, barcode, variant_id, components)
       SELECT gen_random_uuid(), t.sku_id, $1, t.position, t.code, t.name, t.seller_code, t.barcode,
              t.variant_id, t.components::jsonb
         FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[])
              AS t(sku_id, position, code, name, seller_code, barcode, variant_id, components)`,
      [
        tenantId,
        batch.map((o) => o.skuId),
        batch.map((o) => o.position),
        batch.map((o) => o.code),
        batch.map((o) => o.name),
        batch.map((o) => o.sellerCode),
        batch.map((o) => o.barcode),
        batch.map((o) => o.variantId),
        batch.map((o) => (o.components ? JSON.stringify(o.components) : null)),
      ],
    );
  }
  return { created: toInsert.length, updated: toUpdate.length, unchanged };
}

function skuColumns(batch: (DesiredSku & { id: string })[]): unknown[] {
  return [
    batch.map((s) => s.id),
    batch.map((s) => s.code),
    batch.map((s) => s.name),
    batch.map((s) => s.barcode),
    batch.map((s) => s.sellerCode),
    batch.map((s) => (s.components ? JSON.stringify(s.components) : null)),
    batch.map((s) => s.options.length > 0),
  ];
}

export function toSkuView(sku: StoredSku): SkuView {
  const options: SkuOptionView[] = sku.options.map((o, i) => ({
    id: sku.optionIds[i],
    code: o.code,
    name: o.name,
    sellerCode: o.sellerCode,
    barcode: o.barcode,
    variantId: o.variantId,
    components: o.components,
  }));
  return {
    id: sku.id,
    code: sku.code,
    name: sku.name,
    barcode: sku.barcode,
    kind: options.length > 0 ? 'options' : sku.components ? 'bundle' : 'single',
    sellerCode: sku.sellerCode,
    components: sku.components,
    options,
    createdAt: sku.createdAt.toISOString(),
    updatedAt: sku.updatedAt.toISOString(),
  };
}
