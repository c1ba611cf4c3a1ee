/** Lifecycle states of a shop connection. */
export const SHOP_STATUSES = [
  'active',
  'expiring_soon',
  'expired',
  'needs_reauth',
  'disabled',
  'suspended',
  'deleted',
] as const;

/**
 * A shop connection's state: working; licence key expiring soon; key expired; authentication
 * failed and the seller must enter new keys; paused by the seller; suspended by an operator (the
 * whole tenant is disabled: no Rakuten call at all until an operator enables it again, and then
 * the status the seller's own settings give); deleted (final).
 */
export type ShopStatus = (typeof SHOP_STATUSES)[number];

/** Bounds of a shop's own poll interval (`options.pollIntervalMinutes`). */
export const MIN_POLL_INTERVAL_MINUTES = 1;

export const MAX_POLL_INTERVAL_MINUTES = 60;
