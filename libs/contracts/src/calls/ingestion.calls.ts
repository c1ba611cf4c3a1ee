import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, MaxLength, ValidateNested } from 'class-validator';

import { CallActor, ShopRefCall } from './shops.calls';

/**
 * Calls the gateway makes to the ingestion service over the TCP transport. The same classes
 * validate the HTTP request in the gateway and the call in the service.
 */
export const INGESTION_CALLS = {
  /** Pull a shop's orders now, outside the schedule and whatever `autoOrderSync` says. */
  pull: 'ingestion.shops.pull',
  /** The shop's last poll (scheduled or manual) and what it found, for the shop list. */
  lastPull: 'ingestion.shops.last-pull',
  /** Where the shipping reports of some fulfillment orders stand at Rakuten. */
  shippingReports: 'ingestion.shipping.reports',
  /** Start a backfill of a shop over a past range (`StartBackfillCall`, calls/backfill.calls.ts). */
  startBackfill: 'ingestion.shops.backfill.start',
  /** A shop's backfills and deep sweeps with their progress (`ListBackfillsCall`). */
  listBackfills: 'ingestion.shops.backfills',
} as const;

/** The fulfillment orders (ids) whose Rakuten shipping reports the gateway wants to show. */
export class ShippingReportsCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  fulfillmentOrderIds: string[];
}

/**
 * A shipped package's report to Rakuten, as ingestion knows it: `recorded` (waiting to be sent,
 * or being sent), `sent` (Rakuten took the request; its result is not read yet), `reported`
 * (Rakuten holds the tracking numbers), `failed` (Rakuten refused it or a pre-flight check did;
 * `error` says why).
 */
export interface RakutenReportView {
  fulfillmentOrderId: string;
  state: 'recorded' | 'sent' | 'reported' | 'failed';
  /** The tracking numbers of the shipment as recorded for Rakuten. */
  trackingNumbers: string[];
  /** When Rakuten confirmed it (state `reported`). */
  reportedAt: string | null;
  error: { code: string | null; message: string | null } | null;
  updatedAt: string;
}

export interface ShippingReportsView {
  /** Only fulfillment orders ingestion has a report for; others are not there yet. */
  reports: RakutenReportView[];
}

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

/**
 * `GET /shops/:id/last-pull`: the shop's most recent poll, scheduled or manual (null before the
 * first). Counts are order numbers, as in PullResultView.
 */
export interface LastPullView {
  /** `schedule` or `manual`. */
  trigger: string;
  /** ISO-8601. */
  startedAt: string;
  /** ISO-8601; null while the poll runs. */
  finishedAt: string | null;
  searched: number;
  new: number;
  alreadyKnown: number;
  failed: number;
  canceled: number;
  /** Why the poll stopped early (null when it read everything). */
  error: string | null;
}
