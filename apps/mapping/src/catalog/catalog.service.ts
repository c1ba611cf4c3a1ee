import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  CatalogChangeView,
  CreateRuleCall,
  CreateSkuCall,
  FieldProblem,
  ImportProblemView,
  ImportReportView,
  ImportSkusCall,
  ListRulesCall,
  ListSkusCall,
  MappingRuleView,
  ReevaluationView,
  RuleRefCall,
  SkuOptionInput,
  SkuRefCall,
  SkuView,
  UpdateSkuCall,
} from '@smartship/contracts';
import { SKU_IMPORT_MAX_PROBLEMS } from '@smartship/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';

import { CatalogCache, loadCatalog } from '../matching/catalog-cache';
import type { CatalogProblem } from '../matching/catalog-index';
import { OrdersService } from '../orders/orders.service';
import { MappingError, MappingErrorCode } from './mapping.errors';
import { releaseMemory } from './release-memory';
import { SkuImportRecords } from './sku-import-records';
import {
  ImportTooLargeError,
  ImportUnreadableError,
  type ParsedSku,
  parseImportFile,
} from './sku-import.parser';
import { type ParsedRule, parseRulesFile } from './rule-import.parser';
import {
  type DesiredOption,
  type DesiredSku,
  type StoredSku,
  codeOwners,
  findSkus,
  listSkus,
  toSkuView,
  writeSkus,
} from './sku-store';

/** An import file as a whole and who sends it (a job's pieces put together, or a test's file). */
export type ImportFile = Pick<ImportSkusCall, 'actor' | 'format' | 'fileName'> & {
  content: Buffer;
};

/**
 * The SKU catalog and name rules of a tenant. Every change runs in one transaction under the
 * tenant's catalog lock: write, check that every bundle component and rule still points at
 * something, bump the catalog version, re-evaluate the tenant's held orders (releasing those that
 * now map). So a change and the orders it releases commit together.
 */
@Injectable()
export class CatalogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogs: CatalogCache,
    private readonly orders: OrdersService,
    private readonly imports: SkuImportRecords,
  ) {}

  async list(call: ListSkusCall): Promise<{ items: SkuView[]; total: number }> {
    const page = await listSkus(
      this.dataSource.manager,
      call.actor.tenantId,
      call.search,
      call.limit ?? 100,
      call.offset ?? 0,
    );
    return { items: page.items.map(toSkuView), total: page.total };
  }

  async get(call: SkuRefCall): Promise<SkuView> {
    return toSkuView(await this.find(this.dataSource.manager, call.actor.tenantId, call.skuId));
  }

  async create(call: CreateSkuCall): Promise<CatalogChangeView<SkuView>> {
    const tenantId = call.actor.tenantId;
    const { body } = call;
    const desired: DesiredSku = {
      code: body.code,
      name: body.name,
      barcode: body.barcode ?? null,
      sellerCode: body.sellerCode ?? null,
      components:
        body.components?.map((c) => ({ skuCode: c.skuCode, quantity: c.quantity })) ?? null,
      options: (body.options ?? []).map(toDesiredOption),
    };
    checkShape(desired);
    return this.change(tenantId, async (manager) => {
      await this.checkCodesFree(manager, tenantId, desired, true);
      await writeSkus(manager, tenantId, [desired], new Map());
      const stored = (await findSkus(manager, tenantId, { codes: [desired.code] })).get(
        desired.code,
      )!;
      return toSkuView(stored);
    });
  }

  async update(call: UpdateSkuCall): Promise<CatalogChangeView<SkuView>> {
    const tenantId = call.actor.tenantId;
    const { body } = call;
    return this.change(tenantId, async (manager) => {
      const stored = await this.find(manager, tenantId, call.skuId);
      const options =
        body.options === undefined
          ? stored.options
          : body.options === null
            ? []
            : body.options.map(toDesiredOption);
      const desired: DesiredSku = {
        code: stored.code,
        name: body.name ?? stored.name,
        barcode: body.barcode === undefined ? stored.barcode : body.barcode,
        sellerCode: body.sellerCode === undefined ? stored.sellerCode : body.sellerCode,
        components:
          body.components === undefined
            ? stored.components
            : (body.components?.map((c) => ({ skuCode: c.skuCode, quantity: c.quantity })) ?? null),
        options,
      };
      // Turning a single product into one with options drops its own seller code and bundle.
      if (body.options && body.sellerCode === undefined) desired.sellerCode = null;
      if (body.options && body.components === undefined) desired.components = null;
      checkShape(desired);
      await this.checkCodesFree(manager, tenantId, desired, false);
      await writeSkus(manager, tenantId, [desired], new Map([[stored.code, stored]]));
      return toSkuView((await findSkus(manager, tenantId, { ids: [stored.id] })).get(stored.code)!);
    });
  }

  /**
   * Applies an import file, all or nothing. Bad rows are all reported (IMPORT_REJECTED, with the
   * report in `details`) and nothing is stored. SKUs in the file are created or replaced; for a
   * product with options, the file's options are added or replaced by option code and options
   * the file does not mention are kept. SKUs equal to the stored ones are not written.
   */
  async import(call: ImportSkusCall): Promise<ImportReportView> {
    return this.importFile({ ...call, content: Buffer.from(call.contentBase64, 'base64') });
  }

  /**
   * Imports a whole file (background jobs call this with the pieces put together). `importId`
   * names the import in its report and alert (a job passes its own); `onRows` hears the data
   * rows read so far while the file is parsed.
   */
  async importFile(
    file: ImportFile,
    options: { importId?: string; onRows?: (rows: number) => void } = {},
  ): Promise<ImportReportView> {
    const importId = options.importId ?? randomUUID();
    try {
      return await this.applyImport(file, importId, options.onRows);
    } catch (error) {
      if (error instanceof MappingError && error.code === MappingErrorCode.IMPORT_REJECTED) {
        await this.imports.recordRejected(file, error.details as ImportReportView);
      }
      throw error;
    }
  }

  private async applyImport(
    call: ImportFile,
    importId: string,
    onRows?: (rows: number) => void,
  ): Promise<ImportReportView> {
    const started = Date.now();
    const tenantId = call.actor.tenantId;
    const parsed = await this.readFile(call, () =>
      parseImportFile(call.format, call.content, undefined, onRows),
    );
    releaseMemory();
    const { report, reject } = importAnswers(call, importId, started, parsed);
    if (parsed.problemCount > 0) throw reject(parsed.problems, parsed.problemCount);
    if (parsed.skus.length === 0) {
      throw reject([{ row: 1, column: null, reason: 'the file has no data rows' }]);
    }
    const { skus } = parsed;
    let counts = { created: 0, updated: 0, unchanged: 0 };
    const result = await this.change(
      tenantId,
      async (manager) => {
        const existing = await findSkus(manager, tenantId, { codes: skus.map((s) => s.sku.code) });
        const desired = skus.map(({ sku }) => mergeImported(sku, existing.get(sku.code)));
        const conflicts = await this.importConflicts(manager, tenantId, skus, desired);
        if (conflicts.length > 0) throw reject(conflicts);
        counts = await writeSkus(manager, tenantId, desired, existing);
        await this.imports.recordApplied(manager, call, { importId, rows: parsed.rows });
        // The write's statements (tens of MiB for a big file) go before the catalog is loaded.
        releaseMemory();
        return counts;
      },
      (problems) => reject(problems.map((p) => importProblem(p, skus))),
      () => counts.created + counts.updated > 0,
    );
    return report([], 0, result.item, result.reevaluation);
  }

  /**
   * Imports name rules from a file (`kind: 'rules'` jobs): all or nothing, like the SKU import.
   * Every row must be valid and name a SKU code of the catalog; a rule stored already is
   * `unchanged`, a new one `created`. Held orders that now map are released in the same
   * transaction.
   */
  async importRulesFile(
    call: ImportFile,
    options: { importId?: string; onRows?: (rows: number) => void } = {},
  ): Promise<ImportReportView> {
    const started = Date.now();
    const importId = options.importId ?? randomUUID();
    const tenantId = call.actor.tenantId;
    const parsed = await this.readFile(call, () =>
      parseRulesFile(call.format, call.content, undefined, options.onRows),
    );
    const { report, reject } = importAnswers(call, importId, started, parsed);
    if (parsed.problemCount > 0) throw reject(parsed.problems, parsed.problemCount);
    if (parsed.rules.length === 0) {
      throw reject([{ row: 1, column: null, reason: 'the file has no data rows' }]);
    }
    let counts = { created: 0, updated: 0, unchanged: 0 };
    const result = await this.change(
      tenantId,
      async (manager) => {
        const index = await loadCatalog(manager, tenantId);
        const unknown = parsed.rules.filter((rule) => !index.byCode.has(rule.skuCode));
        if (unknown.length > 0) {
          throw reject(
            unknown.slice(0, SKU_IMPORT_MAX_PROBLEMS).map((rule) => ({
              row: rule.row,
              column: 'sku_code',
              reason: `${rule.skuCode} is not a single SKU, bundle or option of this catalog`,
            })),
            unknown.length,
          );
        }
        const created = await insertRules(manager, tenantId, parsed.rules);
        counts = { created, updated: 0, unchanged: parsed.rules.length - created };
        return counts;
      },
      catalogProblemsError,
      () => counts.created > 0,
    );
    return report([], 0, result.item, result.reevaluation);
  }

  /** Runs a file parser, turning its refusals into the import's errors. */
  private async readFile<T>(call: ImportFile, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ImportTooLargeError) {
        throw new MappingError(MappingErrorCode.IMPORT_TOO_MANY_ROWS, error.message, {
          fileName: call.fileName,
          format: call.format,
          maxRows: error.maxRows,
        });
      }
      if (error instanceof ImportUnreadableError) {
        throw new MappingError(MappingErrorCode.IMPORT_UNREADABLE, error.message, {
          fileName: call.fileName,
          format: call.format,
        });
      }
      throw error;
    }
  }

  async listRules(call: ListRulesCall): Promise<{ items: MappingRuleView[] }> {
    const rows = await this.dataSource.manager.query<RuleDbRow[]>(
      `SELECT id, item_name, option_text, sku_code, created_at FROM mapping.mapping_rules
        WHERE tenant_id = $1 ORDER BY created_at, id`,
      [call.actor.tenantId],
    );
    return { items: rows.map(toRuleView) };
  }

  async createRule(call: CreateRuleCall): Promise<CatalogChangeView<MappingRuleView>> {
    const tenantId = call.actor.tenantId;
    const { itemName, optionText, skuCode } = call.body;
    return this.change(tenantId, async (manager) => {
      const index = await loadCatalog(manager, tenantId);
      if (!index.byCode.has(skuCode)) {
        throw new MappingError(
          MappingErrorCode.UNKNOWN_SKU_CODE,
          `skuCode ${skuCode} is not a single SKU, bundle or option of this catalog`,
          { skuCode },
        );
      }
      const rows = await manager.query<RuleDbRow[]>(
        `INSERT INTO mapping.mapping_rules (id, tenant_id, item_name, option_text, sku_code)
         VALUES (gen_random_uuid(), $1, $2, $3, $4)
         ON CONFLICT (tenant_id, item_name, option_text, sku_code) DO NOTHING
         RETURNING id, item_name, option_text, sku_code, created_at`,
        [tenantId, itemName, optionText, skuCode],
      );
      if (rows.length === 0) {
        throw new MappingError(
          MappingErrorCode.RULE_ALREADY_EXISTS,
          'a rule with the same item name, option text and skuCode exists',
          { itemName, optionText, skuCode },
        );
      }
      return toRuleView(rows[0]);
    });
  }

  async deleteRule(call: RuleRefCall): Promise<void> {
    const tenantId = call.actor.tenantId;
    await this.dataSource.transaction(async (manager) => {
      await this.catalogs.lockForChange(manager, tenantId);
      const rows = await manager.query<unknown[]>(
        'DELETE FROM mapping.mapping_rules WHERE tenant_id = $1 AND id = $2 RETURNING 1',
        [tenantId, call.ruleId],
      );
      // DELETE … RETURNING answers [rows, count] through TypeORM's postgres driver.
      const deleted = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
      if (deleted === 0) {
        throw new MappingError(MappingErrorCode.RULE_NOT_FOUND, 'no such rule in this tenant', {
          ruleId: call.ruleId,
        });
      }
      // Removing a rule releases nothing; held orders stay as they are until the next change.
      await this.catalogs.bumpVersion(manager, tenantId);
    });
  }

  /**
   * One catalog change: lock, write, check references, bump the version, re-evaluate held
   * orders — one transaction. `changed` tells whether anything was written (a re-import of the
   * same file writes nothing and then re-evaluates nothing).
   */
  private async change<T>(
    tenantId: string,
    write: (manager: EntityManager) => Promise<T>,
    onProblems: (problems: CatalogProblem[]) => Error = catalogProblemsError,
    changed: () => boolean = () => true,
  ): Promise<CatalogChangeView<T>> {
    return this.dataSource.transaction(async (manager) => {
      await this.catalogs.lockForChange(manager, tenantId);
      const item = await write(manager);
      if (!changed()) {
        return { item, reevaluation: { evaluated: 0, released: 0, stillHeld: 0 } };
      }
      const index = await loadCatalog(manager, tenantId);
      if (index.problems.length > 0) throw onProblems(index.problems);
      await this.catalogs.bumpVersion(manager, tenantId);
      const reevaluation = await this.orders.reevaluateTenant(manager, tenantId, index);
      return { item, reevaluation };
    });
  }

  private async find(manager: EntityManager, tenantId: string, skuId: string): Promise<StoredSku> {
    const found = [...(await findSkus(manager, tenantId, { ids: [skuId] })).values()][0];
    if (!found) {
      throw new MappingError(MappingErrorCode.SKU_NOT_FOUND, 'no such SKU in this tenant', {
        skuId,
      });
    }
    return found;
  }

  /** The SKU's code (when new) and option codes must not belong to another SKU of the tenant. */
  private async checkCodesFree(
    manager: EntityManager,
    tenantId: string,
    sku: DesiredSku,
    isNew: boolean,
  ): Promise<void> {
    const owners = await codeOwners(manager, tenantId);
    const taken = [sku.code, ...sku.options.map((o) => o.code)].filter((code) => {
      const owner = owners.get(code);
      return owner !== undefined && (isNew || owner !== sku.code);
    });
    if (taken.length > 0) {
      throw new MappingError(
        MappingErrorCode.CODE_ALREADY_EXISTS,
        `code(s) already used by another SKU or option: ${taken.join(', ')}`,
        { codes: taken },
      );
    }
  }

  /** Codes of the file that belong to other SKUs of the tenant, by row. */
  private async importConflicts(
    manager: EntityManager,
    tenantId: string,
    parsed: ParsedSku[],
    desired: DesiredSku[],
  ): Promise<ImportProblemView[]> {
    const owners = await codeOwners(manager, tenantId);
    const problems: ImportProblemView[] = [];
    desired.forEach((sku, i) => {
      const { firstRow, rowOf } = parsed[i];
      const owner = owners.get(sku.code);
      if (owner !== undefined && owner !== sku.code) {
        problems.push({
          row: firstRow,
          column: 'sku_code',
          reason: `is an option code of SKU ${owner}`,
        });
      }
      for (const option of sku.options) {
        const optionOwner = owners.get(option.code);
        if (optionOwner !== undefined && optionOwner !== sku.code) {
          problems.push({
            row: rowOf.get(option.code) ?? firstRow,
            column: 'option_code',
            reason: `already used by SKU ${optionOwner}`,
          });
        }
      }
    });
    return problems.sort((a, b) => a.row - b.row);
  }
}

interface RuleDbRow {
  id: string;
  item_name: string;
  option_text: string;
  sku_code: string;
  created_at: Date;
}

function toRuleView(row: RuleDbRow): MappingRuleView {
  return {
    id: row.id,
    itemName: row.item_name,
    optionText: row.option_text,
    skuCode: row.sku_code,
    createdAt: row.created_at.toISOString(),
  };
}

function toDesiredOption(option: SkuOptionInput): DesiredOption {
  return {
    code: option.code,
    name: option.name,
    sellerCode: option.sellerCode ?? null,
    barcode: option.barcode ?? null,
    variantId: option.variantId ?? null,
    components:
      option.components?.map((c) => ({ skuCode: c.skuCode, quantity: c.quantity })) ?? null,
  };
}

/** Rules of a SKU's shape that the field validators cannot see. */
function checkShape(sku: DesiredSku): void {
  const problems: FieldProblem[] = [];
  if (sku.options.length > 0) {
    if (sku.sellerCode) {
      problems.push({
        field: 'sellerCode',
        problems: ['a product with options has its seller codes on its options'],
      });
    }
    if (sku.components) {
      problems.push({
        field: 'components',
        problems: ['a product with options has its bundles on its options'],
      });
    }
  }
  const seen = new Set<string>([sku.code]);
  sku.options.forEach((option, i) => {
    if (seen.has(option.code)) {
      problems.push({
        field: `options.${i}.code`,
        problems: ['must differ from the SKU code and the other option codes'],
      });
    }
    seen.add(option.code);
    if (option.components?.some((c) => c.skuCode === option.code)) {
      problems.push({ field: `options.${i}.components`, problems: ['cannot contain itself'] });
    }
  });
  if (sku.components?.some((c) => c.skuCode === sku.code)) {
    problems.push({ field: 'components', problems: ['cannot contain itself'] });
  }
  if (problems.length > 0) throw MappingError.invalid(problems);
}

/** An imported SKU over the stored one: options merged by code, the file's winning. */
function mergeImported(sku: DesiredSku, stored: StoredSku | undefined): DesiredSku {
  if (!stored || sku.options.length === 0 || stored.options.length === 0) return sku;
  const fromFile = new Map(sku.options.map((o) => [o.code, o]));
  const options = stored.options.map((o) => fromFile.get(o.code) ?? o);
  for (const option of sku.options) {
    if (!stored.options.some((o) => o.code === option.code)) options.push(option);
  }
  return { ...sku, options };
}

function catalogProblemsError(problems: CatalogProblem[]): MappingError {
  const inUse = problems.filter((p) => p.kind === 'rule');
  if (inUse.length > 0 && inUse.length === problems.length) {
    return new MappingError(
      MappingErrorCode.CODE_IN_USE,
      `name rules point at code(s) this change removes: ${inUse.map((p) => p.ref).join(', ')}; delete or change those rules first`,
      problems,
    );
  }
  return new MappingError(
    MappingErrorCode.UNKNOWN_SKU_CODE,
    problems.map((p) => `${p.owner}: ${p.ref}: ${p.reason}`).join('; '),
    problems,
  );
}

function importProblem(problem: CatalogProblem, skus: ParsedSku[]): ImportProblemView {
  if (problem.kind === 'rule') {
    return {
      row: 1,
      column: null,
      reason: `name rule ${problem.owner} points at ${problem.ref}, which this file removes`,
    };
  }
  for (const { sku, firstRow, rowOf } of skus) {
    if (sku.code === problem.owner) {
      return { row: firstRow, column: 'components', reason: `${problem.ref}: ${problem.reason}` };
    }
    if (rowOf.has(problem.owner)) {
      return {
        row: rowOf.get(problem.owner)!,
        column: 'components',
        reason: `${problem.ref}: ${problem.reason}`,
      };
    }
  }
  return { row: 1, column: null, reason: `${problem.owner}: ${problem.ref}: ${problem.reason}` };
}

/**
 * An import's report (applied, or with the first problems and their count) and its refusal
 * (422 IMPORT_REJECTED carrying the report), for a file read as `parsed`.
 */
function importAnswers(
  call: ImportFile,
  importId: string,
  started: number,
  parsed: { encoding: ImportReportView['encoding']; rows: number },
) {
  const report = (
    problems: ImportProblemView[],
    problemCount = problems.length,
    counts = { created: 0, updated: 0, unchanged: 0 },
    reevaluation: ReevaluationView = { evaluated: 0, released: 0, stillHeld: 0 },
  ): ImportReportView => ({
    importId,
    fileName: call.fileName,
    format: call.format,
    encoding: parsed.encoding,
    rows: parsed.rows,
    applied: problemCount === 0,
    ...counts,
    problems: problems.slice(0, SKU_IMPORT_MAX_PROBLEMS),
    problemCount,
    reevaluation,
    durationMs: Date.now() - started,
  });
  const reject = (problems: ImportProblemView[], problemCount = problems.length) =>
    new MappingError(
      MappingErrorCode.IMPORT_REJECTED,
      `${problemCount} problem(s) in ${call.fileName}; nothing was stored`,
      report(problems, problemCount),
    );
  return { report, reject };
}

/** Stores the rules not stored yet (one statement); answers how many were new. */
async function insertRules(
  manager: EntityManager,
  tenantId: string,
  rules: ParsedRule[],
): Promise<number> {
  const [{ created }] = await manager.query<{ created: number }[]>(
    `WITH added AS (
       INSERT INTO mapping.mapping_rules (id, tenant_id, item_name, option_text, sku_code)
       SELECT gen_random_uuid(), $1, item_name, option_text, sku_code
         FROM unnest($2::text[], $3::text[], $4::text[]) AS r(item_name, option_text, sku_code)
       ON CONFLICT (tenant_id, item_name, option_text, sku_code) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS created FROM added`,
    [
      tenantId,
      rules.map((rule) => rule.itemName),
      rules.map((rule) => rule.optionText),
      rules.map((rule) => rule.skuCode),
    ],
  );
  return created;
}
