import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LastPullView, PullResultView, PullShopCall } from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import { IngestionError, IngestionErrorCode } from '../ingestion.errors';
import { callersShop, whyNotCallable } from '../shops/shop-record';
import { PollLeases } from './poll-leases';
import { PollScheduler } from './poll-scheduler';

/**
 * The manual pull (`POST /shops/:id/pull` through the gateway): polls the shop now, whatever
 * autoOrderSync says, under the same lease as scheduled polls, so a shop is still polled by one
 * instance at a time. If a poll is running it waits for it (PULL_WAIT_MS), then pulls.
 */
@Injectable()
export class PullService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    private readonly leases: PollLeases,
    private readonly scheduler: PollScheduler,
  ) {}

  async pull(call: PullShopCall): Promise<PullResultView> {
    const shop = await callersShop(this.dataSource, call);
    const reason = whyNotCallable(shop);
    if (reason) {
      throw new IngestionError(
        IngestionErrorCode.SHOP_NOT_PULLABLE,
        `the shop cannot be pulled: ${reason}`,
      );
    }
    const deadline = Date.now() + this.config.PULL_WAIT_MS;
    while (!(await this.leases.claimNow(shop.id))) {
      if (Date.now() >= deadline) {
        throw new IngestionError(
          IngestionErrorCode.PULL_IN_PROGRESS,
          'a pull of this shop is running and did not finish in time; try again shortly',
        );
      }
      await sleep(250);
    }
    return this.scheduler.run(shop.id, 'manual');
  }

  /** The shop's most recent poll (scheduled or manual), for the console's shop list. */
  async lastPull(call: PullShopCall): Promise<{ lastPull: LastPullView | null }> {
    const shop = await callersShop(this.dataSource, call);
    const rows: {
      trigger: string;
      started_at: Date;
      finished_at: Date | null;
      searched: number;
      new_orders: number;
      known_orders: number;
      failed_orders: number;
      canceled_orders: number;
      error: string | null;
    }[] = await this.dataSource.query(
      `SELECT trigger, started_at, finished_at, searched, new_orders, known_orders,
              failed_orders, canceled_orders, error
         FROM ingestion.poll_runs WHERE shop_id = $1 ORDER BY started_at DESC LIMIT 1`,
      [shop.id],
    );
    const row = rows[0];
    if (!row) return { lastPull: null };
    return {
      lastPull: {
        trigger: row.trigger,
        startedAt: row.started_at.toISOString(),
        finishedAt: row.finished_at?.toISOString() ?? null,
        searched: row.searched,
        new: row.new_orders,
        alreadyKnown: row.known_orders,
        failed: row.failed_orders,
        canceled: row.canceled_orders,
        error: row.error,
      },
    };
  }
}
