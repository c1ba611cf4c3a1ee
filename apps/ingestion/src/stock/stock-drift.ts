import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  LastStockDriftView,
  StockDriftCheckCall,
  StockDriftCheckView,
} from '@smartship/contracts';
import { RakutenError, RMS_LIMITS, chunk } from '@smartship/rakuten';
import { MessagingRuntime, ROOT_LOGGER, SERVICE_CONFIG, TickLoop } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { stockDriftAlert } from '../alerts/ingestion-alerts';
import { IngestionConfig } from '../config';
import { IngestionError, IngestionErrorCode } from '../ingestion.errors';
import { RakutenAccess } from '../shops/rakuten-access';
import {
  CALLABLE_STATUSES,
  type ShopRecord,
  callersShop,
  loadShop,
  returnedRows,
  whyNotCallable,
} from '../shops/shop-record';

interface PushedListing {
  manage_number: string;
  variant_id: string;
  quantity: number;
  desired_seq: string;
}

/** Checks kept per shop (older ones and their drifts are deleted). */
const KEEP_CHECKS = 20;

/**
 * Inventory read-back and drift repair. Every STOCK_DRIFT_CHECK_INTERVAL_MS per shop (and on
 * demand, `POST /shops/:id/stock-drift-check`), reads Rakuten's stock of every listing this
 * service has pushed and that has nothing newer to push (inventories.bulk.get, 1000 keys per
 * call, through the shared per-key limiter) and compares it with the quantity last pushed. Each
 * listing that differs is recorded in `stock_drifts`, marked
 * dirty again (a new desired_seq, unless a newer value arrived meanwhile) so that StockPusher
 * pushes our value at its next tick (which sets `repaired_at`), and the shop gets one
 * `shop.alert` stock_drift with the count, all in one transaction.
 */
@Injectable()
export class StockDriftChecker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly loop: TickLoop | null;
  private readonly claimMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly access: RakutenAccess,
    private readonly messaging: MessagingRuntime,
  ) {
    this.logger = rootLogger.child({ component: 'stock-drift' });
    const interval = config.STOCK_DRIFT_CHECK_INTERVAL_MS;
    this.loop =
      interval > 0
        ? new TickLoop(
            'stock drift check',
            Math.min(60_000, Math.max(250, Math.floor(interval / 4))),
            () => this.tick(),
            this.logger,
          )
        : null;
    this.claimMs = Math.max(120_000, config.RAKUTEN_TIMEOUT_MS * 10);
  }

  onApplicationBootstrap(): void {
    this.loop?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop?.stop();
  }

  /** Checks the shops whose check is due (first checks are spread over one interval). */
  async tick(): Promise<void> {
    const interval = this.config.STOCK_DRIFT_CHECK_INTERVAL_MS;
    await this.dataSource.query(
      `INSERT INTO ingestion.stock_drift_schedule (shop_id, next_check_at)
       SELECT id, now() + random() * $1::float8 * interval '1 millisecond' FROM ingestion.shops
       ON CONFLICT (shop_id) DO NOTHING`,
      [interval],
    );
    const due = returnedRows<{ shop_id: string }>(
      await this.dataSource.query(
        `UPDATE ingestion.stock_drift_schedule d
            SET claimed_until = now() + $1::float8 * interval '1 millisecond'
           FROM (SELECT d2.shop_id FROM ingestion.stock_drift_schedule d2
                   JOIN ingestion.shops s ON s.id = d2.shop_id
                  WHERE d2.next_check_at <= now()
                    AND (d2.claimed_until IS NULL OR d2.claimed_until < now())
                    AND s.status = ANY($2) AND s.key_fingerprint IS NOT NULL
                    AND s.auth_blocked_fingerprint IS DISTINCT FROM s.key_fingerprint
                  ORDER BY d2.next_check_at LIMIT 5 FOR UPDATE OF d2 SKIP LOCKED) c
          WHERE d.shop_id = c.shop_id
          RETURNING d.shop_id`,
        [this.claimMs, [...CALLABLE_STATUSES]],
      ),
    );
    for (const { shop_id: shopId } of due) {
      const shop = await loadShop(this.dataSource, shopId);
      try {
        if (shop && !whyNotCallable(shop)) await this.check(shop, 'scheduled');
      } finally {
        await this.release(shopId, interval);
      }
    }
  }

  /** `POST /shops/:id/stock-drift-check`: checks now (409 while a check of the shop runs). */
  async checkNow(call: StockDriftCheckCall): Promise<LastStockDriftView> {
    const shop = await callersShop(this.dataSource, call);
    const why = whyNotCallable(shop);
    if (why) {
      throw new IngestionError(
        IngestionErrorCode.SHOP_NOT_PULLABLE,
        `the shop's stock cannot be read from Rakuten: ${why}`,
        { shopId: shop.id },
      );
    }
    const claimed = returnedRows<{ shop_id: string }>(
      await this.dataSource.query(
        `INSERT INTO ingestion.stock_drift_schedule AS d (shop_id, next_check_at, claimed_until)
         VALUES ($1, now() + $3::float8 * interval '1 millisecond',
                 now() + $2::float8 * interval '1 millisecond')
         ON CONFLICT (shop_id) DO UPDATE SET claimed_until = EXCLUDED.claimed_until
          WHERE d.claimed_until IS NULL OR d.claimed_until < now()
         RETURNING d.shop_id`,
        [shop.id, this.claimMs, this.config.STOCK_DRIFT_CHECK_INTERVAL_MS],
      ),
    );
    if (claimed.length === 0) {
      throw new IngestionError(
        IngestionErrorCode.DRIFT_CHECK_IN_PROGRESS,
        'a stock drift check of this shop is running; try again when it has finished',
        { shopId: shop.id },
      );
    }
    try {
      const checkId = await this.check(shop, 'manual');
      return this.view(shop.id, checkId);
    } finally {
      await this.release(shop.id, this.config.STOCK_DRIFT_CHECK_INTERVAL_MS);
    }
  }

  /** `GET /shops/:id/stock-drift`: the last check and its differences. */
  async last(call: StockDriftCheckCall): Promise<LastStockDriftView> {
    const shop = await callersShop(this.dataSource, call);
    const [last] = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM ingestion.stock_drift_checks WHERE shop_id = $1 ORDER BY id DESC LIMIT 1',
      [shop.id],
    );
    return last ? this.view(shop.id, last.id) : { check: null, drifts: [] };
  }

  /** One check of one shop; answers its id. Rakuten errors end it early (recorded on it). */
  async check(shop: ShopRecord, trigger: 'scheduled' | 'manual'): Promise<string> {
    const [{ id: checkId }] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO ingestion.stock_drift_checks (shop_id, trigger) VALUES ($1, $2) RETURNING id`,
      [shop.id, trigger],
    );
    // Pushed, nothing newer waiting, not being pushed now, not refused by RMS.
    const listings = await this.dataSource.query<PushedListing[]>(
      `SELECT manage_number, variant_id, quantity, desired_seq FROM ingestion.listing_stock
        WHERE shop_id = $1 AND pushed_at IS NOT NULL AND desired_seq = pushed_seq
          AND failing_since IS NULL AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY manage_number, variant_id`,
      [shop.id],
    );
    let calls = 0;
    const drifted: { listing: PushedListing; rakuten: number | null }[] = [];
    try {
      const client = this.access.clientFor(shop);
      for (const batch of chunk(listings, RMS_LIMITS.inventoryBulkGetBatch)) {
        const rows = await client.bulkGetInventory(
          batch.map((l) => ({ manageNumber: l.manage_number, variantId: l.variant_id })),
        );
        calls += 1;
        const rakuten = new Map(
          rows.map((r) => [`${r.manageNumber.toLowerCase()}\u0000${r.variantId}`, r.quantity]),
        );
        for (const listing of batch) {
          const quantity = rakuten.get(`${listing.manage_number}\u0000${listing.variant_id}`);
          // Rakuten has no visible row for a listing whose item it does not know (a push to it
          // makes an invisible orphan row): nothing a push could repair, so not a drift.
          if (quantity !== undefined && quantity !== listing.quantity) {
            drifted.push({ listing, rakuten: quantity });
          }
        }
      }
    } catch (error) {
      await this.access.handleFailure(shop, error);
      const code = error instanceof RakutenError ? (error.rmsCode ?? error.code) : 'INTERNAL';
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ shopId: shop.id, err: message }, 'stock drift check stopped');
      await this.dataSource.query(
        `UPDATE ingestion.stock_drift_checks SET finished_at = now(), listings = $2, calls = $3,
                error_code = $4, error_message = $5 WHERE id = $1`,
        [checkId, listings.length, calls, code.slice(0, 200), message.slice(0, 1000)],
      );
      return checkId;
    }
    await this.dataSource.transaction(async (manager) => {
      // A listing that got a newer value meanwhile is pushed anyway: not recorded as drift.
      const repaired = returnedRows<{ manage_number: string; variant_id: string; seq: string }>(
        await manager.query(
          `UPDATE ingestion.listing_stock l
              SET desired_seq = nextval('ingestion.listing_stock_seq'), next_push_at = now(),
                  updated_at = now()
             FROM unnest($2::text[], $3::text[], $4::bigint[]) AS v(mn, vid, seq)
            WHERE l.shop_id = $1 AND l.manage_number = v.mn AND l.variant_id = v.vid
              AND l.desired_seq = v.seq AND l.pushed_seq = v.seq
            RETURNING l.manage_number, l.variant_id, l.desired_seq AS seq`,
          [
            shop.id,
            drifted.map((d) => d.listing.manage_number),
            drifted.map((d) => d.listing.variant_id),
            drifted.map((d) => d.listing.desired_seq),
          ],
        ),
      );
      const seqOf = new Map(
        repaired.map((r) => [`${r.manage_number}\u0000${r.variant_id}`, r.seq]),
      );
      const recorded = drifted.filter((d) =>
        seqOf.has(`${d.listing.manage_number}\u0000${d.listing.variant_id}`),
      );
      if (recorded.length > 0) {
        await manager.query(
          `INSERT INTO ingestion.stock_drifts
             (check_id, shop_id, manage_number, variant_id, rakuten_quantity, our_quantity, repair_seq)
           SELECT $1, $2, v.mn, v.vid, v.rq, v.oq, v.seq
             FROM unnest($3::text[], $4::text[], $5::int[], $6::int[], $7::bigint[])
                  AS v(mn, vid, rq, oq, seq)`,
          [
            checkId,
            shop.id,
            recorded.map((d) => d.listing.manage_number),
            recorded.map((d) => d.listing.variant_id),
            recorded.map((d) => d.rakuten),
            recorded.map((d) => d.listing.quantity),
            recorded.map(
              (d) => seqOf.get(`${d.listing.manage_number}\u0000${d.listing.variant_id}`) as string,
            ),
          ],
        );
        await this.messaging.outbox.add(
          manager,
          stockDriftAlert(
            { tenantId: shop.tenantId, shopId: shop.id },
            { checkId, count: recorded.length },
          ),
        );
      }
      await manager.query(
        `UPDATE ingestion.stock_drift_checks SET finished_at = now(), listings = $2, calls = $3,
                differences = $4 WHERE id = $1`,
        [checkId, listings.length, calls, recorded.length],
      );
      await manager.query(
        `DELETE FROM ingestion.stock_drift_checks WHERE shop_id = $1
            AND id NOT IN (SELECT id FROM ingestion.stock_drift_checks WHERE shop_id = $1
                            ORDER BY id DESC LIMIT $2)`,
        [shop.id, KEEP_CHECKS],
      );
    });
    if (drifted.length > 0) {
      this.logger.info(
        { shopId: shop.id, listings: listings.length, differences: drifted.length },
        'stock drift found; pushing our quantities again',
      );
    }
    return checkId;
  }

  private async release(shopId: string, interval: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.stock_drift_schedule SET claimed_until = NULL,
              next_check_at = now() + $2::float8 * interval '1 millisecond'
        WHERE shop_id = $1`,
      [shopId, interval > 0 ? interval : 24 * 60 * 60_000],
    );
  }

  private async view(shopId: string, checkId: string): Promise<LastStockDriftView> {
    const [row] = await this.dataSource.query<CheckRow[]>(
      `SELECT id, trigger, started_at, finished_at, listings, differences, calls, error_code,
              error_message FROM ingestion.stock_drift_checks WHERE id = $1`,
      [checkId],
    );
    if (!row) return { check: null, drifts: [] };
    const drifts = await this.dataSource.query<DriftRow[]>(
      `SELECT manage_number, variant_id, rakuten_quantity, our_quantity, found_at, repaired_at
         FROM ingestion.stock_drifts WHERE check_id = $1 ORDER BY manage_number, variant_id`,
      [checkId],
    );
    const check: StockDriftCheckView = {
      id: String(row.id),
      shopId,
      trigger: row.trigger,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
      listings: row.listings,
      differences: row.differences,
      calls: row.calls,
      error: row.error_code
        ? { code: row.error_code, message: row.error_message ?? row.error_code }
        : null,
    };
    return {
      check,
      drifts: drifts.map((d) => ({
        manageNumber: d.manage_number,
        variantId: d.variant_id,
        rakutenQuantity: d.rakuten_quantity,
        ourQuantity: d.our_quantity,
        foundAt: d.found_at.toISOString(),
        repairedAt: d.repaired_at?.toISOString() ?? null,
      })),
    };
  }
}

interface CheckRow {
  id: string;
  trigger: 'scheduled' | 'manual';
  started_at: Date;
  finished_at: Date | null;
  listings: number;
  differences: number;
  calls: number;
  error_code: string | null;
  error_message: string | null;
}

interface DriftRow {
  manage_number: string;
  variant_id: string;
  rakuten_quantity: number | null;
  our_quantity: number;
  found_at: Date;
  repaired_at: Date | null;
}
