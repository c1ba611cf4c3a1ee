import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RAKUTEN_ORDER_PROGRESS } from '@smartship/contracts';
import {
  ONE_DAY_MS,
  RMS_LIMITS,
  SEARCH_DATE_TYPE,
  searchAllOrderNumbers,
  splitSearchWindow,
  type RakutenClient,
  type SearchWindow,
} from '@smartship/rakuten';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { IngestionConfig } from '../config';
import { RakutenAccess, ShopNotCallableError } from '../shops/rakuten-access';
import { ShopRecord, loadShop } from '../shops/shop-record';
import { OrderConfirmer } from './order-confirmer';
import { OrderIntake } from './order-intake';
import { PollCounts, describePollError, emptyCounts } from './poll-counts';
import { PollLeases } from './poll-leases';

/** RMS refuses searches that start more than 730 days back; keep a day of margin. */
const OLDEST_SEARCH_DAYS = RMS_LIMITS.searchLookbackDays - 1;

interface PollState {
  cycle_from: Date | null;
  cycle_to: Date | null;
  cycle_done_until: Date | null;
}

/**
 * One poll of one shop, run by the instance that holds the shop's lease:
 *
 * 1. Search 発送待ち (300) by order date over the look-back, in windows of at most 63 days,
 *    oldest first, paging through every result (`searchAllOrderNumbers`).
 * 2. getOrder, 100 per call, for the numbers not stored yet; store each raw order and add one
 *    `order.pulled` to the outbox in the same transaction. The insert is `ON CONFLICT DO NOTHING`
 *    on (shop, order number) and only inserted rows get an event: never published twice
 *    (OrderIntake, the same path backfills and deep sweeps take).
 * 3. Orders we pulled (and did not ship) that are in the window but no longer in 300 are read
 *    back: 800/900 → `order.canceled`, 400 → `order.canceled` (changed), 500–700 → shipped.
 * 4. After each window, the cycle's progress is saved (fenced by the lease): a crash or a failed
 *    page resumes with the first window not done, and the checkpoint moves only over windows
 *    completely stored. Every poll re-reads the whole look-back, so an order that appeared while
 *    a search was paged, or that reached 300 late, is caught by the next poll.
 * 5. Confirmation: autoOrderConfirm and the 12-day warning (OrderConfirmer).
 */
@Injectable()
export class OrderPoller {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly access: RakutenAccess,
    private readonly leases: PollLeases,
    private readonly confirmer: OrderConfirmer,
    private readonly intake: OrderIntake,
  ) {
    this.logger = rootLogger.child({ component: 'order-poller' });
  }

  /** Polls a shop whose lease this instance holds. Never throws: failures are in `error`. */
  async poll(shopId: string, signal: AbortSignal): Promise<PollCounts> {
    const counts = emptyCounts();
    const shop = await loadShop(this.dataSource, shopId);
    if (!shop) {
      counts.error = describePollError(new ShopNotCallableError(shopId, 'unknown shop'));
      return counts;
    }
    try {
      const client = this.access.clientFor(shop);
      await this.readLookBack(shop, client, signal, counts);
      await this.confirmer.run(shop, client, signal, counts);
      counts.complete = true;
    } catch (error) {
      counts.error = describePollError(error, signal);
      await this.access.handleFailure(shop, error);
      this.logger.warn({ shopId, error: counts.error }, 'poll stopped; the next one resumes');
    }
    return counts;
  }

  private async readLookBack(
    shop: ShopRecord,
    client: RakutenClient,
    signal: AbortSignal,
    counts: PollCounts,
  ): Promise<void> {
    const [state] = await this.dataSource.query<PollState[]>(
      'SELECT cycle_from, cycle_to, cycle_done_until FROM ingestion.poll_state WHERE shop_id = $1',
      [shop.id],
    );
    if (state?.cycle_from && state.cycle_to) {
      // The previous poll stopped part-way: finish its range first, so that the orders at its
      // old end, which may have rolled out of today's look-back, are not skipped.
      await this.readCycle(shop, client, signal, counts, {
        start: state.cycle_from,
        end: state.cycle_to,
        doneUntil: state.cycle_done_until,
      });
    }
    const end = new Date();
    const start = new Date(end.getTime() - this.config.POLL_LOOKBACK_DAYS * ONE_DAY_MS);
    await this.transaction(shop.id, (manager) =>
      manager.query(
        `UPDATE ingestion.poll_state SET cycle_from = $2, cycle_to = $3, cycle_done_until = NULL
          WHERE shop_id = $1`,
        [shop.id, start, end],
      ),
    );
    await this.readCycle(shop, client, signal, counts, { start, end, doneUntil: null });
  }

  private async readCycle(
    shop: ShopRecord,
    client: RakutenClient,
    signal: AbortSignal,
    counts: PollCounts,
    cycle: { start: Date; end: Date; doneUntil: Date | null },
  ): Promise<void> {
    const oldest = Date.now() - OLDEST_SEARCH_DAYS * ONE_DAY_MS;
    for (const window of splitSearchWindow(cycle.start, cycle.end)) {
      if (cycle.doneUntil && window.end.getTime() <= cycle.doneUntil.getTime()) continue;
      if (window.end.getTime() >= oldest) {
        const start = new Date(Math.max(window.start.getTime(), Math.ceil(oldest / 1000) * 1000));
        await this.readWindow(shop, client, signal, counts, { start, end: window.end });
      }
      await this.transaction(shop.id, (manager) =>
        manager.query('UPDATE ingestion.poll_state SET cycle_done_until = $2 WHERE shop_id = $1', [
          shop.id,
          window.end,
        ]),
      );
    }
    await this.transaction(shop.id, (manager) =>
      manager.query(
        `UPDATE ingestion.poll_state
            SET checkpoint_at = greatest(checkpoint_at, $2), cycle_from = NULL, cycle_to = NULL,
                cycle_done_until = NULL
          WHERE shop_id = $1`,
        [shop.id, cycle.end],
      ),
    );
  }

  private async readWindow(
    shop: ShopRecord,
    client: RakutenClient,
    signal: AbortSignal,
    counts: PollCounts,
    window: SearchWindow,
  ): Promise<void> {
    const found = await searchAllOrderNumbers(
      client,
      SEARCH_DATE_TYPE.ORDER_DATE,
      window.start,
      window.end,
      { orderProgressList: [RAKUTEN_ORDER_PROGRESS.AWAITING_SHIPMENT] },
      { pageSize: this.config.SEARCH_PAGE_SIZE, signal },
    );
    counts.calls.searchOrder += found.calls;
    counts.searched += found.orderNumbers.length;
    if (found.cappedWindows.length > 0) {
      this.logger.error(
        { shopId: shop.id, windows: found.cappedWindows },
        'more than 15,000 orders in one second of a search: some cannot be reached',
      );
    }
    const context = {
      signal,
      counts,
      transaction: <T>(work: (manager: EntityManager) => Promise<T>) =>
        this.transaction(shop.id, work),
    };
    await this.intake.take(shop, client, found.orderNumbers, context);
    if (found.cappedWindows.length === 0) {
      await this.intake.checkLeftOrders(shop, client, window, found.orderNumbers, context);
    }
  }

  private transaction<T>(shopId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.leases.fencedTransaction(shopId, work);
  }
}
