import type { ImportedItem, ImportedVariant, OrderLine } from '@smartship/contracts';

import { type CatalogIndex, perUnit } from '../matching/catalog-index';

/** A link the matching index proposes for an imported listing. */
export interface ListingSuggestion {
  links: { skuCode: string; perUnit: number }[];
  /** The matching rule that found it (merchant_defined_sku_id, item_number, option_code, …). */
  by: string;
}

/**
 * The suggestion for one imported listing, from the same CatalogIndex that links order lines
 * (no second matcher): the listing is asked as the order line it would produce after the SKU
 * migration (variantId, システム連携用SKU番号, 商品番号, title, selector text), so
 * - merchantDefinedSkuId = an option's seller code (システム連携用SKU番号), then variantId = an
 *   option's linked variantId;
 * - 商品番号 = a single SKU's (or bundle's) seller code;
 * - a name rule on (title, selector text).
 * When that finds nothing and the variant has a システム連携用SKU番号, it is asked again as a
 * pre-migration line whose 商品番号 is that code: Rakuten carried 商品番号 + 横軸/縦軸 child codes
 * into システム連携用SKU番号 at the migration, and sellers' options often still carry those codes
 * (the option_code rule), or a single SKU's seller code equals it.
 * Ambiguous or unmatched listings get no suggestion.
 */
export function suggestListing(
  index: CatalogIndex,
  item: Pick<ImportedItem, 'manageNumber' | 'itemNumber' | 'title'>,
  variant: Pick<ImportedVariant, 'variantId' | 'merchantDefinedSkuId' | 'selectorText'>,
): ListingSuggestion | null {
  const line: OrderLine = {
    itemDetailId: 1,
    itemNumber: item.itemNumber,
    manageNumber: item.manageNumber,
    itemName: item.title,
    selectedChoice: '',
    units: 1,
    unitPrice: 0,
    variantId: variant.variantId,
    merchantDefinedSkuId: variant.merchantDefinedSkuId,
    skuInfo: variant.selectorText,
  };
  let match = index.match(line);
  if (!match.mapped && variant.merchantDefinedSkuId) {
    match = index.match({
      ...line,
      variantId: null,
      merchantDefinedSkuId: null,
      itemNumber: variant.merchantDefinedSkuId,
      selectedChoice: variant.selectorText,
    });
  }
  if (!match.mapped) return null;
  return { links: perUnit(match.sellable), by: match.resolution.matchedBy };
}
