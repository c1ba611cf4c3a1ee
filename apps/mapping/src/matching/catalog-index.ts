import type {
  BundleComponentView,
  CandidateView,
  LineResolution,
  MatchedBy,
  OrderLine,
  ResolvedSku,
  UnmappedReason,
} from '@smartship/contracts';

/*
 * The in-memory form of one tenant's catalog and the matching rules of the SKU-mapping issue.
 * Pure: no database, no Nest, so every path and precedence rule has a unit test and the
 * benchmark measures the matching itself.
 */

/** Something a seller code or a rule can point at: a single SKU, a bundle or an option. */
export interface Sellable {
  /** `sku:<id>` or `option:<id>`: one per SKU row or option row. */
  key: string;
  /** Platform code (SKU code or option code). */
  code: string;
  name: string;
  /** Set for bundles: what one unit ships. */
  components: BundleComponentView[] | null;
  /** 판매자 정의 코드, kept for suggestions (the loose index is built from it when first asked). */
  sellerCode?: string | null;
}

/** A catalog row as loaded from the database (see CatalogRepository). */
export interface SkuRow {
  id: string;
  code: string;
  name: string;
  sellerCode: string | null;
  components: BundleComponentView[] | null;
  /** The SKU has options: then it is not sellable by itself, only its options are. */
  hasOptions: boolean;
}

export interface OptionRow {
  id: string;
  code: string;
  name: string;
  sellerCode: string | null;
  variantId: string | null;
  components: BundleComponentView[] | null;
}

export interface RuleRow {
  id: string;
  itemName: string;
  optionText: string;
  skuCode: string;
}

/** A reference in the catalog that points at nothing usable. */
export interface CatalogProblem {
  kind: 'component' | 'rule';
  /** Code of the bundle, or id of the rule. */
  owner: string;
  /** The code it refers to. */
  ref: string;
  reason: string;
}

export type LineMatch =
  | { mapped: true; resolution: LineResolution; sellable: Sellable }
  | { mapped: false; reason: UnmappedReason; candidates: CandidateView[] };

/**
 * The text name rules are compared with: after the SKU migration (the line has a variantId) the
 * variation lines (skuInfo); before it, 項目・選択肢 (selectedChoice), which then carries the
 * variation choices. Free options after the migration stay out, so a rule does not depend on
 * whether the buyer wanted gift wrapping.
 */
export function optionTextOf(line: Pick<OrderLine, 'variantId' | 'skuInfo' | 'selectedChoice'>) {
  return line.variantId ? (line.skuInfo ?? '') : line.selectedChoice;
}

function ruleKey(itemName: string, optionText: string): string {
  return `${itemName}\u0000${optionText}`;
}

/** Loose form of a code or name for suggestions only: never used to match. */
export function looseForm(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_./・:：]+/g, '');
}

function push<T>(map: Map<string, T[]>, key: string | null | undefined, value: T): void {
  if (!key) return;
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

export class CatalogIndex {
  /** Options by 판매자 정의 코드 (システム連携用SKU番号, or pre-migration option code). */
  private readonly optionsBySellerCode = new Map<string, Sellable[]>();
  /** Options by the Rakuten variantId the seller linked. */
  private readonly optionsByVariantId = new Map<string, Sellable[]>();
  /** Single SKUs and bundles by 판매자 정의 코드 (商品番号). */
  private readonly singlesBySellerCode = new Map<string, Sellable[]>();
  /** Name rules by exact (item name, option text). */
  private readonly rulesByText = new Map<string, { rule: RuleRow; target: Sellable }[]>();
  /** Every sellable by platform code. */
  readonly byCode = new Map<string, Sellable>();
  /** Codes that hold stock (single SKUs and options that are not bundles). */
  private readonly stockCodes = new Set<string>();
  /**
   * Loose forms of seller and platform codes and names, for suggestions: built when a line first
   * needs suggestions, not with the index (an import's check and most mapping never ask, and it
   * is about half of the index's memory).
   */
  private looseIndex: Map<string, { sellable: Sellable; why: string }[]> | null = null;
  readonly problems: CatalogProblem[] = [];
  readonly size: { skus: number; options: number; rules: number };

  constructor(skus: SkuRow[], options: OptionRow[], rules: RuleRow[]) {
    for (const sku of skus) {
      if (sku.hasOptions) continue;
      const sellable: Sellable = {
        key: `sku:${sku.id}`,
        code: sku.code,
        name: sku.name,
        components: sku.components,
        sellerCode: sku.sellerCode,
      };
      this.byCode.set(sku.code, sellable);
      if (!sku.components) this.stockCodes.add(sku.code);
      push(this.singlesBySellerCode, sku.sellerCode, sellable);
    }
    for (const option of options) {
      const sellable: Sellable = {
        key: `option:${option.id}`,
        code: option.code,
        name: option.name,
        components: option.components,
        sellerCode: option.sellerCode,
      };
      this.byCode.set(option.code, sellable);
      if (!option.components) this.stockCodes.add(option.code);
      push(this.optionsBySellerCode, option.sellerCode, sellable);
      push(this.optionsByVariantId, option.variantId, sellable);
    }
    for (const sellable of this.byCode.values()) {
      for (const component of sellable.components ?? []) {
        if (!this.stockCodes.has(component.skuCode)) {
          this.problems.push({
            kind: 'component',
            owner: sellable.code,
            ref: component.skuCode,
            reason: this.byCode.has(component.skuCode)
              ? 'a bundle component must be a single SKU or an option, not another bundle'
              : 'no single SKU or option has this code',
          });
        }
      }
    }
    for (const rule of rules) {
      const target = this.byCode.get(rule.skuCode);
      if (!target) {
        this.problems.push({
          kind: 'rule',
          owner: rule.id,
          ref: rule.skuCode,
          reason: 'no single SKU, bundle or option has this code',
        });
        continue;
      }
      const key = ruleKey(rule.itemName, rule.optionText);
      const list = this.rulesByText.get(key) ?? [];
      list.push({ rule, target });
      this.rulesByText.set(key, list);
    }
    this.size = { skus: skus.length, options: options.length, rules: rules.length };
  }

  /** True when the code holds stock (a single SKU or an option, not a bundle). */
  isStockCode(code: string): boolean {
    return this.stockCodes.has(code);
  }

  /**
   * Links one order line to SKUs, in the order (first match wins):
   * 1. after the migration, システム連携用SKU番号 = an option's seller code, then variantId = an
   *    option's linked variantId;
   * 2. 商品番号 = a single SKU's (or bundle's) seller code;
   * 3. before the migration, 商品番号 + 横軸 + 縦軸 codes (itemNumber) = an option's seller code;
   * 4. name rules: item name and option text exactly equal.
   * A step with two candidates stops the search: the line is `ambiguous`, nothing is guessed.
   * `extraRule` is a rule not saved yet (dry run); it ranks with the saved rules.
   */
  match(line: OrderLine, extraRule?: RuleRow): LineMatch {
    const postMigration = Boolean(line.variantId);
    if (postMigration) {
      const byMdsi = this.candidates(this.optionsBySellerCode, line.merchantDefinedSkuId);
      if (byMdsi.length > 0) return this.decide(line, byMdsi, 'merchant_defined_sku_id');
      const byVariant = this.candidates(this.optionsByVariantId, line.variantId);
      if (byVariant.length > 0) return this.decide(line, byVariant, 'variant_id');
    }
    const bySingle = this.candidates(this.singlesBySellerCode, line.itemNumber);
    if (bySingle.length > 0) return this.decide(line, bySingle, 'item_number');
    if (!postMigration) {
      const byOptionCode = this.candidates(this.optionsBySellerCode, line.itemNumber);
      if (byOptionCode.length > 0) return this.decide(line, byOptionCode, 'option_code');
    }
    const key = ruleKey(line.itemName, optionTextOf(line));
    const rules = [...(this.rulesByText.get(key) ?? [])];
    if (extraRule && ruleKey(extraRule.itemName, extraRule.optionText) === key) {
      const target = this.byCode.get(extraRule.skuCode);
      if (target) rules.push({ rule: extraRule, target });
    }
    const targets = [...new Map(rules.map((r) => [r.target.key, r])).values()];
    if (targets.length === 1) {
      return this.decide(line, [targets[0].target], 'name_rule', targets[0].rule.id);
    }
    if (targets.length > 1) {
      return {
        mapped: false,
        reason: 'ambiguous',
        candidates: targets.map(({ target, rule }) => ({
          skuCode: target.code,
          name: target.name,
          why: `name rule ${rule.id}`,
        })),
      };
    }
    return { mapped: false, reason: 'no_match', candidates: this.suggest(line) };
  }

  private candidates(map: Map<string, Sellable[]>, value: string | null | undefined): Sellable[] {
    return value ? (map.get(value) ?? []) : [];
  }

  private decide(
    line: OrderLine,
    candidates: Sellable[],
    matchedBy: MatchedBy,
    ruleId?: string,
  ): LineMatch {
    if (candidates.length > 1) {
      return {
        mapped: false,
        reason: 'ambiguous',
        candidates: candidates.map((c) => ({
          skuCode: c.code,
          name: c.name,
          why: `${matchedBy} matches both`,
        })),
      };
    }
    const sellable = candidates[0];
    const resolution: LineResolution = {
      skus: expand(sellable, line.units),
      matchedBy,
      ...(ruleId ? { ruleId } : {}),
    };
    return { mapped: true, resolution, sellable };
  }

  /** Similar codes and names: the same code but for case, spaces and punctuation; prefixes. */
  private suggest(line: OrderLine): CandidateView[] {
    const found = new Map<string, CandidateView>();
    const probes = [line.merchantDefinedSkuId, line.itemNumber, line.variantId, line.itemName];
    for (const probe of probes) {
      if (!probe) continue;
      for (const hit of this.loose().get(looseForm(probe)) ?? []) {
        if (!found.has(hit.sellable.key)) {
          found.set(hit.sellable.key, {
            skuCode: hit.sellable.code,
            name: hit.sellable.name,
            why: `${hit.why} is like "${probe}"`,
          });
        }
      }
    }
    // A product whose options carry seller codes starting with the 商品番号 (e.g. tee-001 →
    // tee-001mbk): the seller probably has the right option but not this line's code.
    const item = line.itemNumber ? looseForm(line.itemNumber) : '';
    if (item.length >= 3 && found.size < 5) {
      for (const [loose, hits] of this.loose()) {
        if (found.size >= 5) break;
        if (!loose.startsWith(item) || loose === item) continue;
        for (const hit of hits) {
          if (hit.why !== 'sellerCode' || found.has(hit.sellable.key)) continue;
          found.set(hit.sellable.key, {
            skuCode: hit.sellable.code,
            name: hit.sellable.name,
            why: `sellerCode starts with 商品番号 "${line.itemNumber}"`,
          });
        }
      }
    }
    return [...found.values()].slice(0, 5);
  }

  /** The loose index, built on first use: single SKUs (seller code, code, name), options
   *  (seller code, code), then rules' item names; at most 5 hits a form. */
  private loose(): Map<string, { sellable: Sellable; why: string }[]> {
    if (this.looseIndex) return this.looseIndex;
    const loose = new Map<string, { sellable: Sellable; why: string }[]>();
    const add = (text: string | null | undefined, sellable: Sellable, why: string) => {
      if (!text) return;
      const key = looseForm(text);
      if (!key) return;
      const list = loose.get(key) ?? [];
      if (list.length < 5 && !list.some((h) => h.sellable.key === sellable.key)) {
        list.push({ sellable, why });
      }
      loose.set(key, list);
    };
    const sellables = [...this.byCode.values()];
    for (const single of sellables.filter((s) => s.key.startsWith('sku:'))) {
      add(single.sellerCode, single, 'sellerCode');
      add(single.code, single, 'code');
      add(single.name, single, 'name');
    }
    for (const option of sellables.filter((s) => s.key.startsWith('option:'))) {
      add(option.sellerCode, option, 'sellerCode');
      add(option.code, option, 'code');
    }
    for (const list of this.rulesByText.values()) {
      for (const { rule, target } of list) add(rule.itemName, target, 'rule item name');
    }
    this.looseIndex = loose;
    return loose;
  }
}

/** What one line ships: line units × component quantities for a bundle, else line units. */
export function expand(sellable: Sellable, units: number): ResolvedSku[] {
  if (!sellable.components) return [{ skuCode: sellable.code, quantity: units }];
  const merged = new Map<string, number>();
  for (const { skuCode, quantity } of sellable.components) {
    merged.set(skuCode, (merged.get(skuCode) ?? 0) + quantity * units);
  }
  return [...merged].map(([skuCode, quantity]) => ({ skuCode, quantity }));
}

/** Per-unit composition of a sellable: what one unit of the listing takes from each SKU. */
export function perUnit(sellable: Sellable): { skuCode: string; perUnit: number }[] {
  return expand(sellable, 1).map(({ skuCode, quantity }) => ({ skuCode, perUnit: quantity }));
}
