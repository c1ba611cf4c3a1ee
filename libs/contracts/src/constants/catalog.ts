/** Link states of a listing. */
export const LISTING_STATES = ['linked', 'suggested', 'unlinked', 'hidden'] as const;

export type ListingState = (typeof LISTING_STATES)[number];

/** Largest safety stock, units (Rakuten shows at most 99,999). */
export const MAX_SAFETY_STOCK = 99_999;
