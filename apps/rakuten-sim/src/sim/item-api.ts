import { INVENTORY_CODES, RMS_LIMITS, type Item, type ItemVariant } from '@smartship/rakuten';

import { renderItem } from './catalog';
import { Prng } from './prng';
import { apiErrors, json, type SimResponse } from './sim-http';
import type { SimItem, SimShop, SimVariant } from './sim-state';
import { stockKey } from './sim-store';

/*
 * Item API 2.0 items.search with cursorMark paging (docs/rakuten-rms.md §5.2, [M]). Where the fact
 * sheet is silent (apps/rakuten-sim/README.md, "Item API choices"):
 * - default `hits` 10 (Solr's default; RMS's is not published), 1..100 accepted;
 * - the order is 商品管理番号 ascending, byte by byte (stable: a cursor remembers the last
 *   manageNumber it returned, so items added or removed while a client pages are neither repeated
 *   nor make it skip others);
 * - `cursorMark=*` starts; `nextCursorMark` is present while more results follow and absent on
 *   the last page (Solr would repeat the cursor; clients should accept both); a cursor is opaque
 *   (base64url) and tied to the filters it was issued for; `offset` > 0 with a cursor is refused.
 * - pre-migration (項目選択肢別在庫) items are served as RMS serves migrated items: one variant per
 *   横軸 × 縦軸 cell, variantId `legacy-<横><縦>`, merchantDefinedSkuId = 商品番号 + child codes (what
 *   Rakuten carried over at migration, P11/P12 [M]).
 */

/** Sorted views of each shop's catalog, rebuilt when the catalog changes. */
const sortedViews = new WeakMap<Map<string, SimItem>, { version: number; items: SimItem[] }>();
const versions = new WeakMap<Map<string, SimItem>, number>();

/** Call after changing a shop's catalog: the sorted view is rebuilt on the next search. */
export function catalogChanged(shop: SimShop): void {
  versions.set(shop.catalog, (versions.get(shop.catalog) ?? 0) + 1);
}

function sortedCatalog(shop: SimShop): SimItem[] {
  const version = versions.get(shop.catalog) ?? 0;
  const view = sortedViews.get(shop.catalog);
  if (view && view.version === version && view.items.length === shop.catalog.size) {
    return view.items;
  }
  const items = [...shop.catalog.values()].sort((a, b) =>
    byteCompare(a.manageNumber, b.manageNumber),
  );
  sortedViews.set(shop.catalog, { version, items });
  return items;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The variants of an item as Item API 2.0 shows them (legacy cells included). */
export function apiVariants(item: SimItem): SimVariant[] {
  if (item.kind !== 'legacy' || item.variants.length > 0) return item.variants;
  const rows = item.horizontal?.choices ?? [];
  const columns = item.vertical?.choices ?? [null];
  return rows.flatMap((h) =>
    columns.map((v) => ({
      variantId: `legacy-${h.code}${v?.code ?? ''}`,
      merchantDefinedSkuId: `${item.itemNumber}${h.code}${v?.code ?? ''}`,
      selectorValues: {
        [item.horizontal?.name ?? '横軸']: h.label,
        ...(v && item.vertical ? { [item.vertical.name]: v.label } : {}),
      },
      price: item.price,
    })),
  );
}

/** renderItem with legacy cells and per-variant `hidden`. */
export function renderApiItem(item: SimItem): Item {
  const rendered = renderItem(item);
  if (item.kind === 'legacy' && item.variants.length === 0) {
    const variants: Record<string, ItemVariant> = {};
    for (const v of apiVariants(item)) {
      variants[v.variantId] = {
        merchantDefinedSkuId: v.merchantDefinedSkuId,
        selectorValues: v.selectorValues,
        hidden: false,
        standardPrice: String(v.price),
      };
    }
    rendered.variants = variants;
    rendered.variantSelectors = [item.horizontal, item.vertical]
      .filter((axis) => axis !== undefined)
      .map((axis) => ({
        key: axis.name,
        displayName: axis.name,
        values: axis.choices.map((c) => ({ displayValue: c.label })),
      }));
  }
  for (const v of item.variants) {
    if (v.hidden) rendered.variants[v.variantId].hidden = true;
  }
  return rendered;
}

export function itemGet(shop: SimShop, manageNumber: string): SimResponse {
  const item = shop.catalog.get(manageNumber.toLowerCase());
  if (!item) {
    return apiErrors(404, [
      {
        code: INVENTORY_CODES.NOT_FOUND,
        message: `Not found for inputs; manageNumber=${manageNumber}`,
      },
    ]);
  }
  return json(200, renderApiItem(item));
}

interface Cursor {
  /** Last manageNumber returned. */
  after: string;
  /** The filters the cursor was issued for. */
  f: string;
}

const FILTERS = [
  'manageNumber',
  'itemNumber',
  'variantId',
  'merchantDefinedSkuId',
  'title',
  'isHiddenItem',
] as const;

function invalid(field: string, message: string, code: string = INVENTORY_CODES.INVALID_VALUE) {
  return apiErrors(400, [{ code, message, propertyPath: field }]);
}

export function itemSearch(shop: SimShop, query: URLSearchParams): SimResponse {
  const hits = query.has('hits') ? Number(query.get('hits')) : 10;
  const offset = query.has('offset') ? Number(query.get('offset')) : 0;
  if (!Number.isInteger(hits) || hits < 1 || hits > RMS_LIMITS.itemSearchMaxHits) {
    return invalid('hits', 'hits must be between 1 and 100.', INVENTORY_CODES.OUT_OF_RANGE);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    return invalid('offset', 'offset has an invalid value.');
  }
  const filters = Object.fromEntries(
    FILTERS.filter((name) => query.has(name)).map((name) => [name, query.get(name) as string]),
  ) as Partial<Record<(typeof FILTERS)[number], string>>;
  const filterKey = JSON.stringify(filters);
  const cursorMark = query.get('cursorMark');
  let after: string | null = null;
  if (cursorMark !== null) {
    if (offset > 0) return invalid('offset', 'offset cannot be used with cursorMark.');
    if (cursorMark !== '*') {
      const cursor = decodeCursor(cursorMark);
      if (!cursor || cursor.f !== filterKey) {
        return invalid('cursorMark', 'cursorMark has an invalid value.');
      }
      after = cursor.after;
    }
  }
  const manageNumber = filters.manageNumber?.toLowerCase();
  const { itemNumber, variantId, merchantDefinedSkuId, title, isHiddenItem } = filters;
  let items: SimItem[];
  if (manageNumber !== undefined) {
    const item = shop.catalog.get(manageNumber);
    items = item ? [item] : [];
  } else {
    items = sortedCatalog(shop);
  }
  const filtered = Object.keys(filters).some((k) => k !== 'manageNumber');
  if (filtered) {
    items = items.filter(
      (item) =>
        (!itemNumber || item.itemNumber === itemNumber) &&
        (!variantId || apiVariants(item).some((v) => v.variantId === variantId)) &&
        (!merchantDefinedSkuId ||
          apiVariants(item).some((v) => v.merchantDefinedSkuId === merchantDefinedSkuId)) &&
        (!title || item.title.includes(title)) &&
        (isHiddenItem === undefined || String(item.hidden) === isHiddenItem),
    );
  }
  const start = after === null ? offset : firstAfter(items, after);
  const page = items.slice(start, start + hits);
  const more = start + page.length < items.length;
  const withInventory = query.get('isInventoryIncluded') === 'true';
  return json(200, {
    numFound: items.length,
    offset: cursorMark === null ? offset : 0,
    ...(cursorMark !== null && more && page.length > 0
      ? {
          nextCursorMark: encodeCursor({ after: page[page.length - 1].manageNumber, f: filterKey }),
        }
      : {}),
    results: page.map((item) => ({
      item: renderApiItem(item),
      ...(withInventory
        ? {
            inventory: {
              variants: apiVariants(item).map((v) => ({
                variantId: v.variantId,
                quantity: shop.stock.get(stockKey(item.manageNumber, v.variantId))?.quantity ?? 0,
              })),
            },
          }
        : {}),
    })),
  });
}

/** Index of the first item whose manageNumber sorts after `after` (binary search). */
function firstAfter(items: SimItem[], after: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (byteCompare(items[mid].manageNumber, after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor | null {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    return typeof cursor?.after === 'string' && typeof cursor.f === 'string' ? cursor : null;
  } catch {
    return null;
  }
}

/** What `POST /__sim/shops/:shopId/catalog/generate` takes. */
export interface GenerateCatalogSpec {
  /** Items to create (replaces the catalog), 1..200,000. */
  count: number;
  seed?: number;
  /** manageNumber prefix (default `item`): `item-000001`… */
  prefix?: string;
  /** Share of SKU-migrated items with 2–6 variants (default 0.5); the rest are single. */
  variantsShare?: number;
  /** Share of pre-migration 横/縦 items (default 0.05). */
  legacyShare?: number;
  /** Share of variants with a システム連携用SKU番号 (default 0.9). */
  merchantSkuShare?: number;
  /** Share of hidden items and of hidden variants (default 0.02). */
  hiddenShare?: number;
}

/** Builds `count` deterministic items, quickly (50,000 in well under a second). */
export function generateCatalogItems(
  spec: GenerateCatalogSpec,
  firstItemId: number,
  now: number,
): SimItem[] {
  const random = new Prng(spec.seed ?? 1);
  const prefix = spec.prefix ?? 'item';
  const width = Math.max(6, String(spec.count).length);
  const sizes = ['S', 'M', 'L', 'XL', 'XXL', 'F'];
  const items: SimItem[] = [];
  for (let i = 1; i <= spec.count; i++) {
    const manageNumber = `${prefix}-${String(i).padStart(width, '0')}`.toLowerCase();
    const roll = random.next();
    const base = {
      manageNumber,
      itemNumber: manageNumber,
      itemId: firstItemId + i,
      price: 500 + random.int(0, 100) * 50,
      taxRate: 0.1,
      freeOptions: [],
      hidden: random.chance(spec.hiddenShare ?? 0.02),
      created: now,
      updated: now,
    };
    const code = manageNumber.toUpperCase();
    if (roll < (spec.legacyShare ?? 0.05)) {
      items.push({
        ...base,
        title: `旧項目選択肢 商品 ${i}`,
        kind: 'legacy',
        variantSelectors: [],
        variants: [],
        horizontal: {
          name: 'カラー',
          choices: [
            { code: 'w', label: 'ホワイト' },
            { code: 'b', label: 'ブラック' },
          ],
        },
        vertical: {
          name: 'サイズ',
          choices: [
            { code: 's', label: 'S' },
            { code: 'm', label: 'M' },
          ],
        },
      });
      continue;
    }
    const multi = roll < (spec.legacyShare ?? 0.05) + (spec.variantsShare ?? 0.5);
    const n = multi ? random.int(2, 6) : 1;
    const variants: SimVariant[] = [];
    for (let k = 0; k < n; k++) {
      variants.push({
        variantId: multi ? `${manageNumber}-${sizes[k].toLowerCase()}` : manageNumber,
        merchantDefinedSkuId: random.chance(spec.merchantSkuShare ?? 0.9)
          ? multi
            ? `${code}-${sizes[k]}`
            : code
          : null,
        selectorValues: multi ? { サイズ: sizes[k] } : {},
        price: base.price,
        ...(multi && random.chance(spec.hiddenShare ?? 0.02) ? { hidden: true } : {}),
      });
    }
    items.push({
      ...base,
      title: multi ? `バリエーション商品 ${i}` : `単品商品 ${i}`,
      kind: multi ? 'variants' : 'single',
      variantSelectors: multi
        ? [{ key: 'サイズ', displayName: 'サイズ', values: sizes.slice(0, n) }]
        : [],
      variants,
    });
  }
  return items;
}
