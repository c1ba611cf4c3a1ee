import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AnyEvent,
  RAKUTEN_ORDER_PROGRESS,
  createEvent,
  type RakutenOrderProgress,
} from '@smartship/contracts';
import {
  ONE_DAY_MS,
  RMS_LIMITS,
  SEARCH_DATE_TYPE,
  chunk,
  normalizeOrder,
  parseRmsDateTime,
  searchAllOrderNumbers,
  splitSearchWindow,
  type OrderModel,
  type RakutenClient,
  type SearchWindow,
} from '@smartship/rakuten';
import { MessagingRuntime, ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { failingFields, orderUnpublishableAlert } from '../alerts/ingestion-alerts';
import { IngestionConfig } from '../config';
import { RakutenAccess, ShopNotCallableError } from '../shops/rakuten-access';
import { ShopRecord, loadShop, returnedRows } from '../shops/shop-record';
import { OrderConfirmer } from './order-confirmer';
import { PollCounts, describePollError, emptyCounts } from './poll-counts';
import { PollLeases } from './poll-leases';

/** RMS refuses searches that start more than 730 days back; keep a day of margin. */
const OLDEST_SEARCH_DAYS = RMS_LIMITS.searchLookbackDays - 1;

/** Orders that left 発送待ち for one of these were cancelled or changed: fulfillment must stop. */
const STOP_STATUSES = new Map<number, { state: 'canceled' | 'changed'; reason: string }>([
  [
    RAKUTEN_ORDER_PROGRESS.CANCELED,
    { state: 'canceled', reason: 'Rakuten cancelled the order (900 キャンセル確定)' },
  ],
  [
    RAKUTEN_ORDER_PROGRESS.AWAITING_CANCELLATION,
    {
      state: 'canceled',
      reason: 'a cancellation was requested on Rakuten (800 キャンセル確定待ち)',
    },
  ],
  [
    RAKUTEN_ORDER_PROGRESS.AWAITING_CHANGE_CONFIRMATION,
    {
      state: 'changed',
      reason: 'the order was changed on Rakuten and awaits confirmation (400 変更確定待ち)',
    },
  ],
]);

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
 *    on (shop, order number) and only inserted rows get an event: never published twice.
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
    private readonly messaging: MessagingRuntime,
    private readonly access: RakutenAccess,
    private readonly leases: PollLeases,
    private readonly confirmer: OrderConfirmer,
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
    const known = await this.dataSource.query<{ order_number: string; state: string }[]>(
      `SELECT order_number, state FROM ingestion.orders
        WHERE shop_id = $1 AND order_number = ANY($2)`,
      [shop.id, found.orderNumbers],
    );
    const knownSet = new Set(known.map((row) => row.order_number));
    // A changed order (400) that is back in 発送待ち after the change was confirmed on Rakuten:
    // pulled again as a new revision, so that it is mapped and shipped as it is now.
    const returned = known.filter((row) => row.state === 'changed').map((row) => row.order_number);
    counts.alreadyKnown += knownSet.size - returned.length;
    for (const batch of chunk(returned, RMS_LIMITS.getOrderBatch)) {
      const result = await client.getOrder(batch, { signal });
      counts.calls.getOrder += 1;
      await this.storeRevisions(shop, result.orders, counts);
    }
    const fresh = found.orderNumbers.filter((number) => !knownSet.has(number));
    for (const batch of chunk(fresh, RMS_LIMITS.getOrderBatch)) {
      const result = await client.getOrder(batch, { signal });
      counts.calls.getOrder += 1;
      counts.failed += result.missing.length;
      if (result.missing.length > 0) {
        this.logger.warn(
          { shopId: shop.id, missing: result.missing },
          'getOrder did not return some searched orders; the next poll tries again',
        );
      }
      await this.store(shop, result.orders, counts);
    }
    if (found.cappedWindows.length === 0) {
      await this.checkLeftOrders(shop, client, signal, counts, window, found.orderNumbers);
    }
  }

  /** Stores new orders and their order.pulled events in one transaction. */
  private async store(shop: ShopRecord, models: OrderModel[], counts: PollCounts): Promise<void> {
    if (models.length === 0) return;
    const rows = models.map((model) => {
      try {
        const order = normalizeOrder(model);
        const event = createEvent('order.pulled', {
          tenantId: shop.tenantId,
          shopId: shop.id,
          data: { marketplace: 'rakuten', order },
        });
        return { model, event, problem: null as string | null, fields: null as string | null };
      } catch (error) {
        return {
          model,
          event: null,
          problem: (error as Error).message,
          fields: failingFields(error),
        };
      }
    });
    const inserted = await this.transaction(shop.id, async (manager) => {
      const numbers = await manager.query<{ order_number: string }[]>(
        `INSERT INTO ingestion.orders
           (shop_id, order_number, tenant_id, ordered_at, rakuten_status, state, raw, event_id, problem)
         SELECT $1, t.order_number, $2, t.ordered_at, t.status, t.state, t.raw::jsonb,
                t.event_id::uuid, t.problem
           FROM unnest($3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::text[],
                       $8::text[], $9::text[])
                AS t(order_number, ordered_at, status, state, raw, event_id, problem)
         ON CONFLICT (shop_id, order_number) DO NOTHING
         RETURNING order_number`,
        [
          shop.id,
          shop.tenantId,
          rows.map((r) => r.model.orderNumber),
          rows.map((r) => parseRmsDateTime(r.model.orderDatetime)),
          rows.map((r) => r.model.orderProgress),
          rows.map((r) => (r.event ? 'pulled' : 'unpublishable')),
          rows.map((r) => JSON.stringify(r.model)),
          rows.map((r) => r.event?.id ?? null),
          rows.map((r) => r.problem),
        ],
      );
      const fresh = new Set(numbers.map((row) => row.order_number));
      const events = rows
        .filter((r) => r.event && fresh.has(r.model.orderNumber))
        .map((r) => r.event as AnyEvent);
      // An order stored as unpublishable is told once, when it is first stored (the insert above
      // is the only time it is fresh).
      const alerts = rows
        .filter((r) => r.fields !== null && fresh.has(r.model.orderNumber))
        .map((r) =>
          orderUnpublishableAlert(
            { tenantId: shop.tenantId, shopId: shop.id },
            { orderNumber: r.model.orderNumber, fields: r.fields as string },
          ),
        );
      await this.messaging.outbox.add(manager, [...events, ...alerts]);
      return { fresh, published: events.length };
    });
    counts.new += inserted.published;
    counts.alreadyKnown += rows.length - inserted.fresh.size;
    const unreadable = rows.filter((r) => r.problem && inserted.fresh.has(r.model.orderNumber));
    counts.failed += unreadable.length;
    for (const row of unreadable) {
      this.logger.error(
        { shopId: shop.id, orderNumber: row.model.orderNumber, problem: row.problem },
        'order stored but not published: it cannot be normalised',
      );
    }
  }

  /**
   * Changed orders back in 300: each becomes `pulled` again with the next revision, and one
   * `order.pulled` carrying that revision (the consumers replace what they hold for an older one).
   * The update is conditional on state `changed`, so a repeated poll publishes nothing more.
   */
  private async storeRevisions(
    shop: ShopRecord,
    models: OrderModel[],
    counts: PollCounts,
  ): Promise<void> {
    const inWaiting = models.filter(
      (model) => model.orderProgress === RAKUTEN_ORDER_PROGRESS.AWAITING_SHIPMENT,
    );
    if (inWaiting.length === 0) return;
    await this.transaction(shop.id, async (manager) => {
      for (const model of inWaiting) {
        let order;
        try {
          order = normalizeOrder(model);
        } catch (error) {
          counts.failed += 1;
          this.logger.error(
            { shopId: shop.id, orderNumber: model.orderNumber, problem: (error as Error).message },
            'changed order cannot be normalised; it stays changed',
          );
          continue;
        }
        const updated = returnedRows<{ revision: number }>(
          await manager.query(
            `UPDATE ingestion.orders
                SET state = 'pulled', revision = revision + 1, rakuten_status = $3,
                    raw = $4::jsonb, problem = NULL, updated_at = now()
              WHERE shop_id = $1 AND order_number = $2 AND state = 'changed'
              RETURNING revision`,
            [shop.id, model.orderNumber, model.orderProgress, JSON.stringify(model)],
          ),
        );
        if (updated.length === 0) continue;
        const event = createEvent('order.pulled', {
          tenantId: shop.tenantId,
          shopId: shop.id,
          data: { marketplace: 'rakuten', order, revision: updated[0].revision },
        });
        await manager.query(
          'UPDATE ingestion.orders SET event_id = $3 WHERE shop_id = $1 AND order_number = $2',
          [shop.id, model.orderNumber, event.id],
        );
        await this.messaging.outbox.add(manager, event);
        counts.new += 1;
        this.logger.info(
          { shopId: shop.id, orderNumber: model.orderNumber, revision: updated[0].revision },
          'changed order back in 発送待ち: pulled again as a new revision',
        );
      }
    });
  }

  /**
   * Orders we pulled whose date is in the window but which the 300 search no longer returned:
   * read them back and tell fulfillment about cancellations and changes.
   */
  private async checkLeftOrders(
    shop: ShopRecord,
    client: RakutenClient,
    signal: AbortSignal,
    counts: PollCounts,
    window: SearchWindow,
    inSearch: string[],
  ): Promise<void> {
    const open = await this.dataSource.query<{ order_number: string }[]>(
      `SELECT order_number FROM ingestion.orders
        WHERE shop_id = $1 AND state = 'pulled' AND ordered_at BETWEEN $2 AND $3
          AND NOT (order_number = ANY($4))
          AND NOT EXISTS (SELECT 1 FROM ingestion.shipping_reports r
                           WHERE r.shop_id = $1 AND r.order_number = orders.order_number)`,
      [shop.id, window.start, window.end, inSearch],
    );
    for (const batch of chunk(
      open.map((row) => row.order_number),
      RMS_LIMITS.getOrderBatch,
    )) {
      const result = await client.getOrder(batch, { signal });
      counts.calls.getOrder += 1;
      await this.transaction(shop.id, async (manager) => {
        for (const model of result.orders) {
          counts.canceled += await this.applyStatus(manager, shop, model);
        }
      });
    }
  }

  /** Records an order's new Rakuten status; returns 1 when an order.canceled was published. */
  private async applyStatus(
    manager: EntityManager,
    shop: ShopRecord,
    model: OrderModel,
  ): Promise<number> {
    const stop = STOP_STATUSES.get(model.orderProgress);
    const shipped = model.orderProgress >= 500 && model.orderProgress <= 700;
    const state = stop?.state ?? (shipped ? 'shipped' : 'pulled');
    const updated = returnedRows<{ revision: number }>(
      await manager.query(
        `UPDATE ingestion.orders SET state = $3, rakuten_status = $4, raw = $5::jsonb, updated_at = now()
        WHERE shop_id = $1 AND order_number = $2 AND state = 'pulled'
        RETURNING revision`,
        [shop.id, model.orderNumber, state, model.orderProgress, JSON.stringify(model)],
      ),
    );
    if (!stop || updated.length === 0) return 0;
    await this.messaging.outbox.add(
      manager,
      createEvent('order.canceled', {
        tenantId: shop.tenantId,
        shopId: shop.id,
        data: {
          orderNumber: model.orderNumber,
          rakutenStatus: model.orderProgress as RakutenOrderProgress,
          reason: stop.reason,
          detectedAt: new Date().toISOString(),
          // The revision it stops: a later one (the changed order pulled again) stays alive.
          revision: updated[0].revision,
        },
      }),
    );
    this.logger.info(
      {
        shopId: shop.id,
        orderNumber: model.orderNumber,
        rakutenStatus: model.orderProgress,
        revision: updated[0].revision,
      },
      'pulled order cancelled or changed on Rakuten',
    );
    return 1;
  }

  private transaction<T>(shopId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.leases.fencedTransaction(shopId, work);
  }
}
