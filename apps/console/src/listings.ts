import type {
  ListingState,
  ListingView,
  ListingsImportView,
  StockDriftCheckView,
  StockDriftView,
} from '@smartship/contracts';

import { translate } from './i18n/messages';
import type { Lang } from './i18n/messages';

/**
 * The link states of a Rakuten listing, in the order the filter offers them. The same set as
 * LISTING_STATES in libs/contracts, copied because the console imports only types from there; a
 * unit test keeps them equal.
 */
export const LISTING_STATE_CHOICES = [
  'suggested',
  'unlinked',
  'linked',
  'hidden',
] as const satisfies readonly ListingState[];

const STATE_TONES: Record<ListingState, 'ok' | 'warn' | 'info' | 'muted'> = {
  linked: 'ok',
  suggested: 'info',
  unlinked: 'warn',
  hidden: 'muted',
};

/** A listing's state badge: its word and the colour class. An unknown state shows as sent. */
export function listingStateBadge(
  lang: Lang,
  state: string,
): { text: string; tone: 'ok' | 'warn' | 'info' | 'muted' } {
  if (!(LISTING_STATE_CHOICES as readonly string[]).includes(state)) {
    return { text: state, tone: 'muted' };
  }
  const known = state as ListingState;
  return { text: translate(lang, `lst.state.${known}`), tone: STATE_TONES[known] };
}

/** "TEE-BK-M, MUG ×2": the SKU codes of a link, with the units per listing unit when not 1. */
export function formatLinks(links: readonly { skuCode: string; perUnit: number }[] | null): string {
  if (!links || links.length === 0) return '—';
  return links
    .map((link) => (link.perUnit === 1 ? link.skuCode : `${link.skuCode} ×${link.perUnit}`))
    .join(', ');
}

/** The SKUs a row shows: its links when linked, else the suggestion waiting to be accepted. */
export function listingSkus(listing: Pick<ListingView, 'links' | 'suggestion'>): {
  kind: 'linked' | 'suggested' | 'none';
  text: string;
} {
  if (listing.links && listing.links.length > 0) {
    return { kind: 'linked', text: formatLinks(listing.links) };
  }
  if (listing.suggestion && listing.suggestion.links.length > 0) {
    return { kind: 'suggested', text: formatLinks(listing.suggestion.links) };
  }
  return { kind: 'none', text: '—' };
}

/**
 * The variant as the seller knows it: the variantId (SKU管理番号), or nothing for a listing seen on
 * orders before the SKU migration (`item:<商品番号>`).
 */
export function variantLabel(listing: Pick<ListingView, 'variantId' | 'variantKey'>): string {
  if (listing.variantId) return listing.variantId;
  return listing.variantKey.startsWith('item:') ? '—' : listing.variantKey;
}

/**
 * One row of `POST /listings/links`: the listing by its key (mapping matches `variantId` against
 * the listing's variant key), with `skuCode` to link it there or without to accept its suggestion.
 */
export function linkInput(
  listing: Pick<ListingView, 'shopId' | 'manageNumber' | 'variantKey'>,
  skuCode?: string,
): { shopId: string; manageNumber: string; variantId: string; skuCode?: string } {
  const input = {
    shopId: listing.shopId,
    manageNumber: listing.manageNumber,
    variantId: listing.variantKey,
  };
  return skuCode === undefined ? input : { ...input, skuCode: skuCode.trim() };
}

const LOCALES: Record<Lang, string> = { ko: 'ko-KR', ja: 'ja-JP', en: 'en-GB' };

/** 12,345 as people write it in the chosen language. */
export function formatCount(lang: Lang, value: number): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(value);
}

/** Whether the import is still going (the page keeps asking how it stands). */
export function importActive(view: Pick<ListingsImportView, 'state'> | null | undefined): boolean {
  return view?.state === 'queued' || view?.state === 'running';
}

/**
 * How far the import is: "1,200 / 5,000개 상품 (24%)" while it runs (only the count before
 * Rakuten said how many there are), the count when it finished.
 */
export function importProgress(
  lang: Lang,
  view: Pick<ListingsImportView, 'state' | 'items' | 'numFound' | 'pages'>,
): { text: string; percent: number | null } {
  const items = formatCount(lang, view.items);
  if (view.state === 'never') return { text: translate(lang, 'lst.import.never'), percent: null };
  if (view.state === 'queued') return { text: translate(lang, 'lst.import.queued'), percent: 0 };
  if (view.numFound === null || view.numFound <= 0) {
    const text = translate(lang, `lst.import.count.${view.state}`, { items, pages: view.pages });
    return { text, percent: view.state === 'finished' ? 100 : null };
  }
  const percent =
    view.state === 'finished' ? 100 : Math.min(100, Math.floor((view.items / view.numFound) * 100));
  return {
    text: translate(lang, `lst.import.of.${view.state}`, {
      items,
      total: formatCount(lang, view.numFound),
      percent,
      pages: view.pages,
    }),
    percent,
  };
}

/** Rakuten's quantity in a drift row: the number, or "no stock row" when Rakuten had none. */
export function rakutenQuantityText(lang: Lang, quantity: number | null): string {
  return quantity === null ? translate(lang, 'drift.noRow') : formatCount(lang, quantity);
}

/** Whether a drift was repaired (pushed again successfully) yet. */
export function driftRepaired(drift: Pick<StockDriftView, 'repairedAt'>): boolean {
  return drift.repairedAt !== null;
}

/**
 * One line on the last check: running, stopped by an error, or "1,200 compared, 3 differed".
 * Null when there has been no check.
 */
export function driftSummary(
  lang: Lang,
  check: Pick<StockDriftCheckView, 'finishedAt' | 'listings' | 'differences' | 'error'> | null,
): { text: string; tone: 'ok' | 'warn' | 'bad' | 'muted' } | null {
  if (!check) return null;
  const params = {
    listings: formatCount(lang, check.listings),
    differences: formatCount(lang, check.differences),
  };
  if (check.error) return { text: translate(lang, 'drift.summary.failed', params), tone: 'bad' };
  if (!check.finishedAt) return { text: translate(lang, 'drift.summary.running'), tone: 'muted' };
  if (check.differences === 0) {
    return { text: translate(lang, 'drift.summary.none', params), tone: 'ok' };
  }
  return { text: translate(lang, 'drift.summary.some', params), tone: 'warn' };
}
