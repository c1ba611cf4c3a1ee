import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  backfillRangeProblems,
  resolveBackfillRange,
  type BackfillListView,
  type BackfillView,
  type ListBackfillsCall,
  type StartBackfillCall,
} from '@smartship/contracts';
import { InvalidCallError, SERVICE_CONFIG } from '@smartship/service-kit';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import { IngestionError, IngestionErrorCode } from '../ingestion.errors';
import { callersShop, whyNotCallable, type ShopRecord } from '../shops/shop-record';
import { BackfillJobs } from './backfill-jobs';
import { BackfillRunner } from './backfill-runner';
import { backfillWindows, storeWindows, sweepRange } from './backfill-windows';

/** How many of a shop's jobs `GET /shops/:id/backfills` shows. */
const LIST_LIMIT = 20;

/**
 * The calls behind `POST /shops/:id/backfill` and `GET /shops/:id/backfills`: records a backfill
 * (its range cut into ≤ 63-day windows) for the BackfillRunner to work through, one running per
 * shop; lists a shop's backfills and deep sweeps with their progress.
 */
@Injectable()
export class BackfillService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    private readonly jobs: BackfillJobs,
    private readonly runner: BackfillRunner,
  ) {}

  async start(call: StartBackfillCall): Promise<BackfillView> {
    const shop = await callersShop(this.dataSource, call);
    const reason = whyNotCallable(shop);
    if (reason) {
      throw new IngestionError(
        IngestionErrorCode.SHOP_NOT_PULLABLE,
        `the shop cannot be backfilled: ${reason}. A backfill calls Rakuten, which a suspended, disabled or refused shop does not do.`,
        { reason },
      );
    }
    const now = new Date();
    // The gateway checked the range; time has moved on since, so it is checked again here.
    const problems = backfillRangeProblems(call.body.from, call.body.to, now);
    const fields = Object.entries(problems).map(([field, problem]) => ({
      field: `body.${field}`,
      problems: [problem],
    }));
    if (fields.length > 0) throw new InvalidCallError(fields);
    const range = resolveBackfillRange(call.body.from, call.body.to, now);
    const id = await this.jobs.create(this.dataSource, {
      shopId: shop.id,
      tenantId: shop.tenantId,
      kind: 'backfill',
      from: range.from,
      to: range.to,
      windows: storeWindows(backfillWindows(range.from, range.to)),
      requestedBy: call.actor.actorId,
    });
    if (!id) throw await this.alreadyRunning(shop);
    this.runner.wake();
    return (await this.jobs.view(id)) as BackfillView;
  }

  async list(call: ListBackfillsCall): Promise<BackfillListView> {
    const shop = await callersShop(this.dataSource, call);
    const items = await this.jobs.list(shop.id, LIST_LIMIT);
    const sweeping =
      this.config.DEEP_SWEEP_INTERVAL_HOURS > 0 &&
      shop.autoOrderSync &&
      sweepRange(new Date(), this.config.DEEP_SWEEP_DAYS, this.config.POLL_LOOKBACK_DAYS) !== null;
    if (!sweeping) return { items, sweep: null };
    const rows = await this.dataSource.query<{ next_sweep_at: Date | null }[]>(
      'SELECT next_sweep_at FROM ingestion.poll_state WHERE shop_id = $1',
      [shop.id],
    );
    return {
      items,
      sweep: {
        everyHours: this.config.DEEP_SWEEP_INTERVAL_HOURS,
        days: this.config.DEEP_SWEEP_DAYS,
        nextAt: rows[0]?.next_sweep_at?.toISOString() ?? null,
      },
    };
  }

  private async alreadyRunning(shop: ShopRecord): Promise<IngestionError> {
    const running = await this.jobs.running(shop.id, 'backfill');
    const which = running
      ? `${running.id} (${running.from} – ${running.to}, ${running.windows.done} of ${running.windows.total} windows read)`
      : 'one that is finishing now';
    return new IngestionError(
      IngestionErrorCode.BACKFILL_RUNNING,
      `a backfill of this shop is already running: ${which}. One runs at a time; follow it with GET /shops/:id/backfills and start the next when it is done.`,
      { backfillId: running?.id ?? null },
    );
  }
}
