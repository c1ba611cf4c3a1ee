import { formatInventoryDateTime, type Item, type ItemVariant } from '@smartship/rakuten';

import type { SimItem, SimLegacyAxis, SimVariant } from './sim-state';

/** What `PUT /__sim/shops/:shopId/catalog` takes for one item. */
export interface CatalogItemSpec {
  /** 商品管理番号; stored lowercase, as RMS does. */
  manageNumber: string;
  /** 商品番号; defaults to the manage number. */
  itemNumber?: string;
  title: string;
  kind: 'single' | 'variants' | 'legacy';
  /** Unit price in yen, tax included (default 1000). */
  price?: number;
  /** 0.1 (default) or 0.08 (food). */
  taxRate?: number;
  /** SKUs. `single`: at most one (default variantId = the manage number). */
  variants?: {
    variantId: string;
    merchantDefinedSkuId?: string | null;
    selectorValues?: Record<string, string>;
    price?: number;
    /** Hidden from buyers (Item API `hidden`). */
    hidden?: boolean;
  }[];
  /** Variation axes; derived from the variants' selector values when absent. */
  variantSelectors?: { key: string; displayName: string; values: string[] }[];
  /** `legacy`: 横軸 and (optionally) 縦軸 with child codes. */
  horizontal?: SimLegacyAxis;
  vertical?: SimLegacyAxis;
  /** Free options (項目選択肢), e.g. `ラッピング:希望する`. */
  freeOptions?: string[];
  hidden?: boolean;
}

export class CatalogError extends Error {}

const KEY = /^[a-zA-Z0-9_-]{1,32}$/;

/** Validates a spec and builds the catalog item. */
export function buildItem(spec: CatalogItemSpec, itemId: number, now: number): SimItem {
  if (!spec || typeof spec.manageNumber !== 'string' || !KEY.test(spec.manageNumber)) {
    throw new CatalogError('manageNumber must be 1–32 characters of [a-zA-Z0-9_-]');
  }
  if (!['single', 'variants', 'legacy'].includes(spec.kind)) {
    throw new CatalogError(`${spec.manageNumber}: kind must be single, variants or legacy`);
  }
  const manageNumber = spec.manageNumber.toLowerCase();
  const price = spec.price ?? 1000;
  let variants: SimVariant[] = (spec.variants ?? []).map((v) => {
    if (!KEY.test(v.variantId))
      throw new CatalogError(`${manageNumber}: bad variantId ${v.variantId}`);
    return {
      variantId: v.variantId,
      merchantDefinedSkuId: v.merchantDefinedSkuId ?? null,
      selectorValues: v.selectorValues ?? {},
      price: v.price ?? price,
      ...(v.hidden ? { hidden: true } : {}),
    };
  });
  if (spec.kind === 'single') {
    if (variants.length > 1) throw new CatalogError(`${manageNumber}: a single item has one SKU`);
    if (variants.length === 0) {
      variants = [
        { variantId: manageNumber, merchantDefinedSkuId: null, selectorValues: {}, price },
      ];
    }
  }
  if (spec.kind === 'variants' && variants.length === 0) {
    throw new CatalogError(`${manageNumber}: a variants item needs variants`);
  }
  if (spec.kind === 'legacy' && !spec.horizontal) {
    throw new CatalogError(`${manageNumber}: a legacy item needs at least a horizontal axis`);
  }
  return {
    manageNumber,
    itemNumber: spec.itemNumber ?? manageNumber,
    itemId,
    title: spec.title,
    kind: spec.kind,
    price,
    taxRate: spec.taxRate ?? 0.1,
    variantSelectors: spec.variantSelectors ?? deriveSelectors(variants),
    variants,
    horizontal: spec.horizontal,
    vertical: spec.vertical,
    freeOptions: spec.freeOptions ?? [],
    hidden: spec.hidden ?? false,
    created: now,
    updated: now,
  };
}

function deriveSelectors(variants: SimVariant[]): SimItem['variantSelectors'] {
  const axes = new Map<string, Set<string>>();
  for (const variant of variants) {
    for (const [key, value] of Object.entries(variant.selectorValues)) {
      if (!axes.has(key)) axes.set(key, new Set());
      axes.get(key)?.add(value);
    }
  }
  return [...axes].map(([key, values]) => ({ key, displayName: key, values: [...values] }));
}

/** The catalog a shop gets when orders are generated before any catalog was set. */
export function defaultCatalogSpecs(): CatalogItemSpec[] {
  const sizes = ['S', 'M', 'L'];
  const colors: [string, string][] = [
    ['bk', 'ブラック'],
    ['wh', 'ホワイト'],
  ];
  return [
    {
      manageNumber: 'tee-001',
      title: '【送料無料】オーガニックコットン Tシャツ',
      kind: 'variants',
      price: 2980,
      variants: sizes.flatMap((size) =>
        colors.map(([code, color]) => ({
          variantId: `tee-001-${size.toLowerCase()}-${code}`,
          merchantDefinedSkuId: `TEE001-${size}-${code.toUpperCase()}`,
          selectorValues: { サイズ: size, カラー: color },
        })),
      ),
      freeOptions: ['ラッピング:希望しない', 'ラッピング:希望する'],
    },
    {
      manageNumber: 'mug-002',
      title: '有田焼 マグカップ 300ml',
      kind: 'single',
      price: 1650,
      variants: [{ variantId: 'mug-002', merchantDefinedSkuId: 'MUG002' }],
      freeOptions: ['のし:不要', 'のし:必要'],
    },
    {
      manageNumber: 'towel-003',
      title: '今治タオル（旧・項目選択肢別在庫）',
      kind: 'legacy',
      price: 1320,
      horizontal: {
        name: 'カラー',
        choices: [
          { code: 'w', label: 'ホワイト' },
          { code: 'b', label: 'ブルー' },
        ],
      },
      vertical: {
        name: 'サイズ',
        choices: [
          { code: 'f', label: 'フェイス' },
          { code: 'b', label: 'バス' },
        ],
      },
    },
    {
      manageNumber: 'socks-004',
      title: 'ビジネスソックス 3足組',
      kind: 'variants',
      price: 1100,
      // Some variants without システム連携用SKU番号, as shops often leave it empty.
      variants: [
        {
          variantId: 'socks-004-25',
          merchantDefinedSkuId: 'SOCKS-25',
          selectorValues: { サイズ: '25cm' },
        },
        { variantId: 'socks-004-27', selectorValues: { サイズ: '27cm' } },
      ],
    },
    {
      manageNumber: 'rice-005',
      title: '新米 コシヒカリ 5kg',
      kind: 'single',
      price: 3480,
      taxRate: 0.08,
    },
  ];
}

/** The item as the Item API 2.0 returns it. */
export function renderItem(item: SimItem): Item {
  const variants: Record<string, ItemVariant> = {};
  for (const variant of item.variants) {
    variants[variant.variantId] = {
      merchantDefinedSkuId: variant.merchantDefinedSkuId,
      selectorValues: variant.selectorValues,
      hidden: false,
      standardPrice: String(variant.price),
    };
  }
  return {
    manageNumber: item.manageNumber,
    itemNumber: item.itemNumber,
    title: item.title,
    itemType: 'NORMAL',
    hideItem: item.hidden,
    unlimitedInventoryFlag: false,
    variantSelectors: item.variantSelectors.map((s) => ({
      key: s.key,
      displayName: s.displayName,
      values: s.values.map((displayValue) => ({ displayValue })),
    })),
    variants,
    created: formatInventoryDateTime(new Date(item.created)),
    updated: formatInventoryDateTime(new Date(item.updated)),
  };
}
