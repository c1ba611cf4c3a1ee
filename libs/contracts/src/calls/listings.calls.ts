import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsNonEmptyString } from '../decorators';
import { PLATFORM_CODE } from './mapping.calls';
import { CallActor, ShopRefCall } from './shops.calls';
import { LISTING_STATES, type ListingState } from '../constants/catalog';

/*
 * Listings imported from Rakuten (issue 18): ingestion runs the import (it is the only service
 * that calls Rakuten), mapping owns the listings, their link state and the suggestions.
 */

export const LISTINGS_CALLS = {
  /** Start (or resume) a shop's listings import now. Ingestion. */
  importStart: 'ingestion.listings.import.start',
  /** Where the shop's listings import stands. Ingestion. */
  importStatus: 'ingestion.listings.import.status',
  /** The tenant's listings with their link state. Mapping. */
  list: 'mapping.listings.list',
  /** Accept suggestions or link listings to SKU codes. Mapping. */
  link: 'mapping.listings.link',
} as const;

/** `POST|GET /shops/:id/listings/import`. */
export class ListingsImportCall extends ShopRefCall {}

/**
 * A shop's listings import: `never` (none yet), `queued` (waiting for its turn), `running`
 * (`pages`/`items` so far; resumes from its last page after a restart), `finished`, `failed`
 * (`error`; the next run starts over).
 */
export interface ListingsImportView {
  shopId: string;
  state: 'never' | 'queued' | 'running' | 'finished' | 'failed';
  /** What started the current or last run: connect, manual or schedule. */
  trigger: 'connect' | 'manual' | 'schedule' | null;
  importId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** items.search pages read (one RMS call each, retries aside). */
  pages: number;
  /** Items (商品) read. */
  items: number;
  /** Items Rakuten reported for the whole shop (numFound), once the first page is read. */
  numFound: number | null;
  error: { code: string; message: string } | null;
  /** When the periodic import runs next. */
  nextRunAt: string | null;
}

/** `GET /listings?shopId=&state=&search=&cursor=&limit=`. */
export class ListListingsQuery {
  @IsOptional()
  @IsUUID()
  shopId?: string;

  @IsOptional()
  @IsIn(LISTING_STATES)
  state?: ListingState;

  /** Part of the manage number, item number, variant, システム連携用SKU番号 or title. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /** From the previous page's `nextCursor`. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  /** Page size 1–200 (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ListListingsCall extends ListListingsQuery {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;
}

/** One listing (a Rakuten SKU of a shop). */
export interface ListingView {
  shopId: string;
  manageNumber: string;
  /** variantId, or `item:<商品番号>` for a pre-migration listing seen on orders. */
  variantKey: string;
  variantId: string | null;
  itemNumber: string;
  title: string;
  selectorText: string | null;
  merchantDefinedSkuId: string | null;
  state: ListingState;
  /** The SKUs the listing is linked to (units of each per listing unit). */
  links: { skuCode: string; perUnit: number }[] | null;
  /** How it was linked: a matching rule (order lines), `suggestion:<rule>` or `manual`. */
  matchedBy: string | null;
  suggestion: { links: { skuCode: string; perUnit: number }[]; by: string } | null;
  /** Seen on an order (`order`), in an import (`import`), or both. */
  source: 'order' | 'import' | 'both';
  lastQuantity: number | null;
  updatedAt: string;
}

export interface ListingsPageView {
  items: ListingView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** One listing to link: to `skuCode`, or to its suggestion when `skuCode` is absent. */
export class ListingLinkInput {
  @IsUUID()
  shopId: string;

  @IsNonEmptyString(255)
  manageNumber: string;

  @IsNonEmptyString(40)
  variantId: string;

  /** Platform code of a single SKU, bundle or option; absent = accept the suggestion. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Matches(PLATFORM_CODE, { message: 'skuCode must be 1–200 printable ASCII characters' })
  skuCode?: string;
}

/** `POST /listings/links`: `links` one by one, and/or `acceptAllSuggested` for a shop. */
export class LinkListingsBody {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ListingLinkInput)
  links?: ListingLinkInput[];

  /** Accept every suggestion of this shop (at most 5,000 per request). */
  @IsOptional()
  @IsUUID()
  acceptAllSuggested?: string;
}

export class LinkListingsCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @ValidateNested()
  @Type(() => LinkListingsBody)
  body: LinkListingsBody;
}

export interface LinkListingsResultView {
  /** Listings now linked by this request. */
  linked: number;
  /** `listing.stock.changed` events published for them (a stock push each). */
  stockPushed: number;
}
