import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import {
  IsCount,
  IsIsoDateTime,
  IsNonEmptyString,
  IsNullable,
  NestedArray,
} from '../../decorators';
import { MARKETPLACES, type Marketplace } from '../../models/marketplace.model';

/** One SKU (variant) of an imported Rakuten item. */
export class ImportedVariant {
  /** Rakuten SKU管理番号 (variantId), the Inventory API key within the item. */
  @IsNonEmptyString(40)
  variantId: string;

  /** システム連携用SKU番号 the shop entered, or null when it left it empty. */
  @IsNullable()
  @IsNonEmptyString(255)
  merchantDefinedSkuId: string | null;

  /** The variant's selector values as one text, `key:value` per line (e.g. `サイズ:M`); '' for a single SKU. */
  @IsString()
  @MaxLength(1000)
  selectorText: string;

  /** Hidden from buyers in RMS (the variant or its whole item). */
  @IsBoolean()
  hidden: boolean;
}

/** One Rakuten item (商品) with its variants. */
export class ImportedItem {
  /** Rakuten 商品管理番号, lowercase as RMS stores it. */
  @IsNonEmptyString(255)
  manageNumber: string;

  /** Rakuten 商品番号 (may equal the manage number). */
  @IsNonEmptyString(255)
  itemNumber: string;

  /** Item title (商品名). */
  @IsString()
  @MaxLength(1000)
  title: string;

  /** The whole item is hidden (倉庫に入れる). */
  @IsBoolean()
  hidden: boolean;

  /** Its SKUs (a single-SKU item has exactly one). */
  @NestedArray(() => ImportedVariant, { min: 1, max: 400 })
  variants: ImportedVariant[];
}

/**
 * `listings.imported` v1: one page of a shop's Rakuten listings read with items.search during a
 * listings import. Producer: ingestion. Consumer: mapping, which stores them and suggests SKU
 * links. Key `<shopId>` (the pages of one shop stay in order).
 */
export class ListingsImportedData {
  /** Marketplace of the listings. */
  @IsIn(MARKETPLACES)
  marketplace: Marketplace;

  /** The import run (UUID); pages of one run share it. */
  @IsUUID()
  importId: string;

  /** Page number within the run, from 1 (count). */
  @IsCount(1)
  page: number;

  /** true on the run's last page. */
  @IsBoolean()
  last: boolean;

  /** When the page was read from Rakuten, ISO-8601. */
  @IsIsoDateTime()
  readAt: string;

  /** The page's items, at most 100 (items.search `hits`). */
  @NestedArray(() => ImportedItem, { max: 100 })
  items: ImportedItem[];

  /** Total items Rakuten reported for the search (numFound), when known (count). */
  @IsOptional()
  @IsCount(0)
  numFound?: number;
}
