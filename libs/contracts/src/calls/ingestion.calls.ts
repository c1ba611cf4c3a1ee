import { ShopRefCall } from './shops.calls';

/**
 * Calls the gateway makes to the ingestion service over the TCP transport. The same classes
 * validate the HTTP request in the gateway and the call in the service.
 */
export const INGESTION_CALLS = {
  /** Pull a shop's orders now, outside the schedule and whatever `autoOrderSync` says. */
  pull: 'ingestion.shops.pull',
} as const;

/** `POST /shops/:id/pull`: the tenant's shop connection to pull now. */
export class PullShopCall extends ShopRefCall {}

/** Why a pull stopped before the end (it resumes from its checkpoint on the next poll). */
export interface PullErrorView {
  /** AUTH_FAILED, FUNCTION_NOT_ENABLED, RAKUTEN_UNAVAILABLE, THROTTLED, TIMEOUT, LEASE_LOST, … */
  code: string;
  /** What happened, without secrets. */
  message: string;
}

/** What a pull found. Counts are order numbers (Rakuten 受注番号). */
export interface PullResultView {
  /** Shop connection id. */
  shopId: string;
  /** When the pull started and ended, ISO-8601. */
  startedAt: string;
  finishedAt: string;
  /** true when every search window was read and stored; false when it stopped early (`error`). */
  complete: boolean;
  /** Order numbers in 発送待ち (300) the search returned over the look-back. */
  searched: number;
  /** Orders stored and published (`order.pulled`) by this pull. */
  new: number;
  /** Orders returned by the search that had already been pulled (not published again). */
  alreadyKnown: number;
  /** Orders that could not be fetched or read (not returned by getOrder, unreadable data). */
  failed: number;
  /** Known orders found cancelled or changed on Rakuten (`order.canceled` published). */
  canceled: number;
  /** Orders in 注文確認待ち (100) confirmed on Rakuten by this pull (autoOrderConfirm). */
  confirmed: number;
  /** RMS calls made: searchOrder pages and getOrder chunks. */
  calls: { searchOrder: number; getOrder: number; confirmOrder: number };
  /** Set when the pull stopped early. */
  error: PullErrorView | null;
}
