import type {
  MappedOrder,
  MarketplaceOrder,
  OrderLine,
  ResolvedLineView,
  UnmappedLineView,
} from '@smartship/contracts';

import {
  type CatalogIndex,
  type LineMatch,
  type RuleRow,
  type Sellable,
  optionTextOf,
  perUnit,
} from '../matching/catalog-index';

/** One line with what it matched, kept for listings. */
export interface EvaluatedLine {
  line: OrderLine;
  match: LineMatch;
}

/** The result of matching every line of an order against a tenant's catalog. */
export interface OrderEvaluation {
  /** Every line mapped: the order can be published. */
  complete: boolean;
  lines: EvaluatedLine[];
  mapped: ResolvedLineView[];
  unmapped: UnmappedLineView[];
}

export function evaluateOrder(
  order: MarketplaceOrder,
  index: CatalogIndex,
  extraRule?: RuleRow,
): OrderEvaluation {
  const lines: EvaluatedLine[] = [];
  const mapped: ResolvedLineView[] = [];
  const unmapped: UnmappedLineView[] = [];
  for (const pkg of order.packages) {
    for (const line of pkg.lines) {
      const match = index.match(line, extraRule);
      lines.push({ line, match });
      if (match.mapped) mapped.push(resolvedView(line, match));
      else unmapped.push(unmappedView(line, match));
    }
  }
  return { complete: unmapped.length === 0, lines, mapped, unmapped };
}

export function resolvedView(
  line: OrderLine,
  match: Extract<LineMatch, { mapped: true }>,
): ResolvedLineView {
  return {
    itemDetailId: line.itemDetailId,
    itemName: line.itemName,
    matchedBy: match.resolution.matchedBy,
    ruleId: match.resolution.ruleId ?? null,
    skus: match.resolution.skus,
  };
}

function unmappedView(
  line: OrderLine,
  match: Extract<LineMatch, { mapped: false }>,
): UnmappedLineView {
  return {
    itemDetailId: line.itemDetailId,
    itemName: line.itemName,
    itemNumber: line.itemNumber,
    manageNumber: line.manageNumber,
    variantId: line.variantId ?? null,
    merchantDefinedSkuId: line.merchantDefinedSkuId ?? null,
    optionText: optionTextOf(line),
    units: line.units,
    reason: match.reason,
    candidates: match.candidates,
  };
}

/** The order.mapped form of a completely evaluated order. */
export function toMappedOrder(order: MarketplaceOrder, evaluation: OrderEvaluation): MappedOrder {
  let i = 0;
  return {
    ...order,
    packages: order.packages.map((pkg) => ({
      ...pkg,
      lines: pkg.lines.map((line) => {
        const { match } = evaluation.lines[i++];
        if (!match.mapped) throw new Error('toMappedOrder needs a complete evaluation');
        return { ...line, resolution: match.resolution };
      }),
    })),
  };
}

/** A listing seen on a line and, when the line mapped, what one unit of it takes from stock. */
export interface ListingSighting {
  manageNumber: string;
  /** variantId, or `item:<itemNumber>` for pre-migration lines (no variantId). */
  variantKey: string;
  variantId: string | null;
  merchantDefinedSkuId: string | null;
  itemNumber: string;
  itemName: string;
  links: { skuCode: string; perUnit: number }[] | null;
  matchedBy: string | null;
}

export function listingSightings(evaluation: OrderEvaluation): ListingSighting[] {
  const byKey = new Map<string, ListingSighting>();
  for (const { line, match } of evaluation.lines) {
    const variantKey = line.variantId ?? `item:${line.itemNumber}`;
    const sellable: Sellable | null = match.mapped ? match.sellable : null;
    byKey.set(`${line.manageNumber}\u0000${variantKey}`, {
      manageNumber: line.manageNumber,
      variantKey,
      variantId: line.variantId ?? null,
      merchantDefinedSkuId: line.merchantDefinedSkuId ?? null,
      itemNumber: line.itemNumber,
      itemName: line.itemName,
      links: sellable ? perUnit(sellable) : null,
      matchedBy: match.mapped ? match.resolution.matchedBy : null,
    });
  }
  return [...byKey.values()];
}

/** What is kept of each line of a mapped order, for dry runs over recent orders. */
export interface StoredLine {
  itemDetailId: number;
  itemName: string;
  itemNumber: string;
  manageNumber: string;
  variantId: string | null;
  merchantDefinedSkuId: string | null;
  skuInfo: string | null;
  selectedChoice: string;
  units: number;
  resolved: ResolvedLineView | null;
}

export function storedLines(evaluation: OrderEvaluation): StoredLine[] {
  return evaluation.lines.map(({ line, match }) => ({
    itemDetailId: line.itemDetailId,
    itemName: line.itemName,
    itemNumber: line.itemNumber,
    manageNumber: line.manageNumber,
    variantId: line.variantId ?? null,
    merchantDefinedSkuId: line.merchantDefinedSkuId ?? null,
    skuInfo: line.skuInfo ?? null,
    selectedChoice: line.selectedChoice,
    units: line.units,
    resolved: match.mapped ? resolvedView(line, match) : null,
  }));
}
