import { IsArray, IsIn, IsInt, IsOptional } from 'class-validator';

import { IsCount, IsIsoDateTime, IsNonEmptyString, NestedObject } from '../../decorators';
import {
  SHOP_ALERT_KINDS,
  type ShopAlertKind,
  SHOP_ALERT_SEVERITIES,
  type ShopAlertSeverity,
} from '../../constants/alerts';

/** Machine-readable facts behind an alert; which fields are set depends on `kind`. */
export class ShopAlertDetails {
  /** Whole days until the licence key expires (license_expiring). */
  @IsOptional()
  @IsInt()
  daysLeft?: number | null;

  /** When the licence key expires or expired, ISO-8601 with offset (license_*). */
  @IsOptional()
  @IsIsoDateTime()
  expiresAt?: string | null;

  /** Orders concerned (confirmation_deadline, report_failed). */
  @IsOptional()
  @IsArray()
  @IsNonEmptyString(400, { each: true })
  orderNumbers?: string[] | null;

  /** Earliest deadline among the orders, ISO-8601 with offset (confirmation_deadline). */
  @IsOptional()
  @IsIsoDateTime()
  deadlineAt?: string | null;

  /** The Rakuten operation that failed, e.g. `updateOrderShipping` (report_failed, auth_failed). */
  @IsOptional()
  @IsNonEmptyString(100)
  operation?: string | null;

  /** Rakuten's error or message code, e.g. `ES01-01` (report_failed, auth_failed). */
  @IsOptional()
  @IsNonEmptyString(200)
  errorCode?: string | null;

  /** How many things are concerned: held order lines, failing listings, unpublishable orders. */
  @IsOptional()
  @IsCount(0)
  count?: number | null;

  /** Since when the trouble has lasted, ISO-8601 with offset (pull_failing, stock_push_failing,
   * orders_unmapped: the oldest held line). */
  @IsOptional()
  @IsIsoDateTime()
  since?: string | null;

  /** The threshold that was crossed, minutes (pull_failing, orders_unmapped). */
  @IsOptional()
  @IsCount(0)
  thresholdMinutes?: number | null;
}

/**
 * `shop.alert` v1: something a seller or operator must act on, one event per occurrence.
 * Producers: credentials, ingestion, mapping. Consumers: credentials (auth_failed →
 * needs_reauth), notifications. Key: the shop connection id.
 */
export class ShopAlertData {
  /** What happened. */
  @IsIn(SHOP_ALERT_KINDS)
  kind: ShopAlertKind;

  /** How urgent it is. */
  @IsIn(SHOP_ALERT_SEVERITIES)
  severity: ShopAlertSeverity;

  /** Explanation a seller can act on (Japanese or English); never contains secrets. */
  @IsNonEmptyString(2000)
  message: string;

  /** Machine-readable facts, when the kind has any. */
  @IsOptional()
  @NestedObject(() => ShopAlertDetails)
  details?: ShopAlertDetails | null;

  /**
   * Makes one occurrence unique so repeats can be dropped, e.g. `license_expiring:7` (7 days left)
   * or `confirmation_deadline:2025-03-14`.
   */
  @IsNonEmptyString(300)
  occurrenceKey: string;
}
