import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  RakutenError,
  RakutenErrorCode,
  RMS_LIMITS,
  bulkUpsertInventoryChunked,
} from '@smartship/rakuten';
import { ROOT_LOGGER, SERVICE_CONFIG, TickLoop } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import { RakutenAccess, ShopNotCallableError } from '../shops/rakuten-access';
import { CALLABLE_STATUSES, loadShop, returnedRows } from '../shops/shop-record';
import { markDriftsRepaired } from './stock-drift-repairs';
import { StockPushAlerts } from './stock-push-alerts';

interface ClaimedRow {
  shop_id: string;
  manage_number: string;
  variant_id: string;
  quantity: number;
  desired_seq: string;
}

/** Listings claimed per tick (5 bulk-upsert calls of 400). */
const CLAIM_LIMIT = 2_000;

/** After a failed push, the listing waits this long before the next attempt, ms. */
const RETRY_AFTER_MS = 5_000;

/**
 * Pushes listing quantities to the Inventory API. Every STOCK_PUSH_TICK_MS it claims listings
 * that are dirty (a newer quantity than the last pushed) or whose last push is older than
 * STOCK_REASSERT_INTERVAL_MS (the periodic re-assert that repairs a push that silently failed, or
 * a quantity changed in RMS by hand), per shop, with `FOR UPDATE SKIP LOCKED` and a claim time so
 * two instances never push the same listing at once. It sends them with bulk-upsert, ABSOLUTE,
 * 400 per call (an absolute write is idempotent, so a retry after a timeout is safe), and marks
 * pushed only the listings whose desired value did not change meanwhile; the others stay dirty.
 */
@Injectable()
export class StockPusher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly loop: TickLoop;
  /** How long a claim holds a listing: longer than any push of one claim can take. */
  private readonly claimMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly access: RakutenAccess,
    private readonly alerts: StockPushAlerts,
  ) {
    this.logger = rootLogger.child({ component: 'stock-pusher' });
    this.loop = new TickLoop(
      'stock push',
      config.STOCK_PUSH_TICK_MS,
      (signal) => this.tick(signal),
      this.logger,
    );
    this.claimMs = Math.max(60_000, config.RAKUTEN_TIMEOUT_MS * 6);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async tick(signal: AbortSignal): Promise<void> {
    const claimed = returnedRows<ClaimedRow>(
      await this.dataSource.query(
        `UPDATE ingestion.listing_stock l SET claimed_until = now() + $1::float8 * interval '1 millisecond'
           FROM (SELECT l2.shop_id, l2.manage_number, l2.variant_id
                   FROM ingestion.listing_stock l2 JOIN ingestion.shops s ON s.id = l2.shop_id
                  WHERE (l2.desired_seq > l2.pushed_seq
                         OR l2.pushed_at < now() - $2::float8 * interval '1 millisecond')
                    AND l2.next_push_at <= now()
                    AND (l2.claimed_until IS NULL OR l2.claimed_until < now())
                    AND s.status = ANY($4) AND s.key_fingerprint IS NOT NULL
                    AND s.auth_blocked_fingerprint IS DISTINCT FROM s.key_fingerprint
                  ORDER BY l2.shop_id, l2.desired_seq
                  LIMIT $3 FOR UPDATE OF l2 SKIP LOCKED) c
          WHERE l.shop_id = c.shop_id AND l.manage_number = c.manage_number
            AND l.variant_id = c.variant_id
          RETURNING l.shop_id, l.manage_number, l.variant_id, l.quantity, l.desired_seq`,
        [this.claimMs, this.config.STOCK_REASSERT_INTERVAL_MS, CLAIM_LIMIT, [...CALLABLE_STATUSES]],
      ),
    );
    const byShop = new Map<string, ClaimedRow[]>();
    for (const row of claimed) byShop.set(row.shop_id, [...(byShop.get(row.shop_id) ?? []), row]);
    for (const [shopId, rows] of byShop) {
      if (signal.aborted) {
        await this.release(shopId, rows, null, 0);
        continue;
      }
      await this.push(shopId, rows, signal);
    }
  }

  private async push(shopId: string, rows: ClaimedRow[], signal: AbortSignal): Promise<void> {
    const shop = await loadShop(this.dataSource, shopId);
    if (!shop) return this.release(shopId, rows, null, 0);
    let written = 0;
    try {
      const client = this.access.clientFor(shop);
      const result = await bulkUpsertInventoryChunked(
        client,
        rows.map((row) => ({
          manageNumber: row.manage_number,
          variantId: row.variant_id,
          mode: 'ABSOLUTE' as const,
          quantity: row.quantity,
        })),
        { signal },
      );
      written = result.written;
      await this.markPushed(shopId, rows);
      this.logger.info({ shopId, listings: rows.length, calls: result.calls }, 'stock pushed');
    } catch (error) {
      written = (error as { writtenBeforeFailure?: number }).writtenBeforeFailure ?? 0;
      await this.markPushed(shopId, rows.slice(0, written));
      const failing = rows.slice(written);
      if (error instanceof ShopNotCallableError) return this.release(shopId, failing, null, 0);
      await this.access.handleFailure(shop, error);
      const message = error instanceof Error ? error.message : String(error);
      const failure = { message, code: errorCodeOf(error) };
      const bad = badRowIndex(error);
      const chunkRows = failing.slice(0, RMS_LIMITS.inventoryBulkUpsertBatch);
      if (bad !== null && chunkRows[bad]) {
        // RMS named the listing it refuses: it waits for a new quantity (or the re-assert), the
        // others of the call go again at once.
        const [refused] = chunkRows.splice(bad, 1);
        await this.markPushed(shopId, [refused], failure);
        await this.release(
          shopId,
          failing.filter((row) => row !== refused),
          null,
          0,
        );
      } else {
        await this.release(shopId, failing, failure, RETRY_AFTER_MS);
      }
      this.logger.warn(
        { shopId, pushed: written, failed: failing.length, err: message },
        'stock push failed; retrying',
      );
    }
  }

  /**
   * Marks listings pushed at the value sent, unless a newer value arrived meanwhile (those stay
   * dirty), and releases their claim. With `failure`, the value was refused by RMS: the listing
   * is failing (and alerted at once, see StockPushAlerts). A success ends a listing's failure.
   */
  private async markPushed(
    shopId: string,
    rows: ClaimedRow[],
    failure?: PushFailure,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE ingestion.listing_stock l SET
           pushed_seq = CASE WHEN l.desired_seq = v.seq THEN v.seq ELSE l.pushed_seq END,
           pushed_at = CASE WHEN l.desired_seq = v.seq THEN now() ELSE l.pushed_at END,
           last_error = CASE WHEN l.desired_seq = v.seq THEN $5::text ELSE l.last_error END,
           failing_since = CASE WHEN $5::text IS NOT NULL THEN coalesce(l.failing_since, now())
                                WHEN l.desired_seq = v.seq THEN NULL
                                ELSE l.failing_since END,
           claimed_until = NULL
          FROM unnest($2::text[], $3::text[], $4::bigint[]) AS v(mn, vid, seq)
         WHERE l.shop_id = $1 AND l.manage_number = v.mn AND l.variant_id = v.vid`,
        [
          shopId,
          rows.map((row) => row.manage_number),
          rows.map((row) => row.variant_id),
          rows.map((row) => row.desired_seq),
          failure?.message ?? null,
        ],
      );
      if (failure) await this.alerts.afterFailure(manager, shopId, failure.code, true);
      else {
        await this.alerts.afterSuccess(manager, shopId);
        await markDriftsRepaired(manager, shopId, rows);
      }
    });
  }

  /**
   * Releases claimed listings. With `failure` (a push that may work later) they are retried after
   * `retryInMs` and count as failing since their first failed push.
   */
  private async release(
    shopId: string,
    rows: ClaimedRow[],
    failure: PushFailure | null,
    retryInMs: number,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE ingestion.listing_stock l SET claimed_until = NULL,
           last_error = COALESCE($4, l.last_error),
           failing_since = CASE WHEN $4::text IS NULL THEN l.failing_since
                                ELSE coalesce(l.failing_since, now()) END,
           next_push_at = now() + $5::float8 * (0.75 + random() / 2) * interval '1 millisecond'
          FROM unnest($2::text[], $3::text[]) AS v(mn, vid)
         WHERE l.shop_id = $1 AND l.manage_number = v.mn AND l.variant_id = v.vid`,
        [
          shopId,
          rows.map((row) => row.manage_number),
          rows.map((row) => row.variant_id),
          failure?.message ?? null,
          retryInMs,
        ],
      );
      if (failure) await this.alerts.afterFailure(manager, shopId, failure.code, false);
    });
  }
}

/** A failed push: the message kept on the listing and the code an alert names. */
interface PushFailure {
  message: string;
  code: string;
}

/** The RMS error code of a failed push (or the client's class of error), never a value. */
function errorCodeOf(error: unknown): string {
  if (error instanceof RakutenError) return error.rmsCode ?? error.code;
  return 'INTERNAL';
}

/** The position, within the failing call, of the listing RMS complained about (IE… errors). */
function badRowIndex(error: unknown): number | null {
  if (!(error instanceof RakutenError) || error.code !== RakutenErrorCode.INVALID_REQUEST) {
    return null;
  }
  for (const item of error.errors ?? []) {
    const match = /inventories\[(\d+)\]/.exec(item.metadata?.propertyPath ?? '');
    if (match) return Number(match[1]);
  }
  return null;
}
