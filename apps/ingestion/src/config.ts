import { InternalServiceConfig, IsExternalUrl } from '@smartship/service-kit';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsNumber,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** Production polls at most once a minute per shop (the floor); tests may go faster. */
@ValidatorConstraint({ name: 'pollInterval' })
class PollIntervalFloor implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const floor = (args.object as IngestionConfig).NODE_ENV === 'test' ? 1_000 : 60_000;
    return typeof value === 'number' && value >= floor;
  }

  defaultMessage(): string {
    return 'must be at least 60000 (1000 with NODE_ENV=test)';
  }
}

/** The ingestion service's environment (see .env.example and apps/ingestion/README.md). */
export class IngestionConfig extends InternalServiceConfig {
  override HTTP_PORT = 3102;
  override TCP_PORT = 4102;

  /**
   * Master keys that decrypt the shop keys carried (as ciphertext) by `shop.updated`, the same
   * value the credentials service has: `id:base64(32 bytes)[,id:base64…]`.
   */
  @IsString()
  @Matches(
    /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/,
    { message: 'must be id:base64key[,id:base64key…] with 32-byte keys' },
  )
  MASTER_KEYS: string;

  /** RMS Web API base URL (the simulator's in development and tests; https in production). */
  @IsExternalUrl()
  RAKUTEN_BASE_URL: string = 'https://api.rms.rakuten.co.jp';

  /** Time limit of one RMS request, ms. */
  @IsInt()
  @Min(1_000)
  @Max(120_000)
  RAKUTEN_TIMEOUT_MS: number = 30_000;

  /**
   * Order API requests per second per licence key (Rakuten's guideline: 1). Shared, through the
   * PostgreSQL limiter, by every instance and by credentials' connection tests.
   */
  @IsNumber()
  @Min(0.1)
  @Max(1_000)
  RAKUTEN_ORDER_RPS: number = 1;

  /** Inventory API write requests per second per licence key (Rakuten: 1). */
  @IsNumber()
  @Min(0.1)
  @Max(1_000)
  RAKUTEN_INVENTORY_RPS: number = 1;

  /** Item API (items.search, items.get) requests per second per licence key ([NF]; 1 is cautious). */
  @IsNumber()
  @Min(0.1)
  @Max(1_000)
  RAKUTEN_ITEM_RPS: number = 1;

  /** Every shop's listings are imported again this long after the last import ended, ms (daily). */
  @IsInt()
  @Min(1_000)
  LISTINGS_IMPORT_INTERVAL_MS: number = 24 * 60 * 60_000;

  /** How often the listings importer looks for imports to run, ms. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  LISTINGS_IMPORT_TICK_MS: number = 2_000;

  /** Shops one instance imports at the same time. */
  @IsInt()
  @Min(1)
  @Max(50)
  LISTINGS_IMPORT_CONCURRENCY: number = 4;

  /** How often each shop with autoOrderSync is polled, ms (default 5 min; ≥ 60 s). */
  @IsInt()
  @Validate(PollIntervalFloor)
  POLL_INTERVAL_MS: number = 5 * 60_000;

  /** Share of the interval by which each poll is moved at random, 0..0.5 (spreads the shops). */
  @IsNumber()
  @Min(0)
  @Max(0.5)
  POLL_JITTER: number = 0.1;

  /** Days searched back from now on each poll (RMS allows 730; windows of ≤ 63 days). */
  @IsInt()
  @Min(1)
  @Max(730)
  POLL_LOOKBACK_DAYS: number = 30;

  /**
   * How long a poll lease lasts, ms. A poller renews it every third of this; an instance that
   * dies loses its shops to another within one lease period.
   */
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  POLL_LEASE_MS: number = 60_000;

  /** Days a poll's record (`poll_runs`) is kept; each shop's latest is kept whatever its age. */
  @IsInt()
  @Min(2)
  @Max(3650)
  POLL_RUNS_RETENTION_DAYS: number = 14;

  /** How often the scheduler looks for due shops, ms. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  POLL_TICK_MS: number = 2_000;

  /** Shops one instance polls at the same time. */
  @IsInt()
  @Min(1)
  @Max(100)
  POLL_CONCURRENCY: number = 16;

  /** searchOrder page size (RMS maximum 1000). */
  @IsInt()
  @Min(1)
  @Max(1_000)
  SEARCH_PAGE_SIZE: number = 1_000;

  /** Backfills and deep sweeps one instance works on at the same time (each for another shop). */
  @IsInt()
  @Min(1)
  @Max(100)
  BACKFILL_CONCURRENCY: number = 4;

  /**
   * Share of a licence key's order-API rate (RAKUTEN_ORDER_RPS) one backfill or deep sweep may
   * use: its calls are spaced so that the shop's polls always find the rest free. All calls go
   * through the same per-key limiter, so the total never exceeds RAKUTEN_ORDER_RPS.
   */
  @IsNumber()
  @Min(0.05)
  @Max(1)
  BACKFILL_RATE_SHARE: number = 0.5;

  /**
   * Hours between two deep sweeps of a shop (0: off). A sweep searches 300 over the windows
   * older than the look-back, back to DEEP_SWEEP_DAYS, so an old order that reaches 発送待ち late
   * (a pre-order, a long payment) is still pulled. Shops' sweeps are spread over the interval.
   */
  @IsNumber()
  @Min(0)
  @Max(24 * 30)
  DEEP_SWEEP_INTERVAL_HOURS: number = 24;

  /** How far back a deep sweep reaches, days (RMS allows 730; searched in ≤ 63-day windows). */
  @IsInt()
  @Min(1)
  @Max(730)
  DEEP_SWEEP_DAYS: number = 730;

  /** A manual pull waits this long for a running poll of the same shop to end, ms. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  PULL_WAIT_MS: number = 60_000;

  /** With autoOrderConfirm off: warn when an order has waited this many days in 100. */
  @IsInt()
  @Min(1)
  @Max(13)
  CONFIRMATION_WARNING_DAYS: number = 12;

  /** confirmOrder attempts per order for retryable refusals (amounts not fixed, ERROR_105). */
  @IsInt()
  @Min(1)
  @Max(100)
  CONFIRM_MAX_ATTEMPTS: number = 5;

  /** Least time between two confirm attempts of one order, ms. */
  @IsInt()
  @Min(0)
  CONFIRM_RETRY_AFTER_MS: number = 60 * 60_000;

  /** How often queued shipping reports are sent and results read, ms. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHIPPING_TICK_MS: number = 5_000;

  /**
   * A shipping report whose outcome is unknown (crash or timeout after sending) is read back
   * with getOrder only after this long, ms, so that an accepted async request has been applied.
   */
  @IsInt()
  @Min(0)
  SHIPPING_RECONCILE_AFTER_MS: number = 10 * 60_000;

  /** How often changed listing quantities are pushed to the Inventory API, ms. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  STOCK_PUSH_TICK_MS: number = 3_000;

  /**
   * A listing whose quantity changed waits this long before it is pushed, ms, so that the
   * changes of a busy moment become one push of the latest value (default 2 s).
   */
  @IsInt()
  @Min(0)
  @Max(600_000)
  STOCK_PUSH_COALESCE_MS: number = 2_000;

  /** Every listing's last quantity is pushed again after this long, ms (default daily). */
  @IsInt()
  @Min(1_000)
  STOCK_REASSERT_INTERVAL_MS: number = 24 * 60 * 60_000;

  /**
   * How often each shop's Rakuten stock is read back (inventories.bulk.get, 1000 listings per
   * call) and compared with what the platform last pushed, ms (default 6 h; 0 turns the periodic
   * check off, the on-demand one stays). Differences are recorded, pushed again and alerted.
   */
  @IsInt()
  @Min(0)
  STOCK_DRIFT_CHECK_INTERVAL_MS: number = 6 * 60 * 60_000;

  /**
   * `shop.alert` pull_failing when every poll of a shop has failed for longer than this, minutes
   * (checked when a poll fails; once per streak of failures).
   */
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 60)
  PULL_FAILING_ALERT_MINUTES: number = 30;

  /**
   * `shop.alert` stock_push_failing when a listing's stock pushes have failed for longer than
   * this, minutes (a value Rakuten refused alerts at once); once per streak per shop.
   */
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 60)
  STOCK_PUSH_FAILING_ALERT_MINUTES: number = 30;

  /**
   * Test only (honoured with NODE_ENV=test): `shipping-after-send` kills the process with SIGKILL
   * right after updateOrderShippingAsync answered and before the answer is recorded.
   */
  @IsOptional()
  @IsIn(['shipping-after-send'])
  TEST_CRASH_POINT?: string;
}
