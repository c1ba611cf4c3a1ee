import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AnyEvent,
  RAKUTEN_ORDER_PROGRESS,
  createEvent,
  type RakutenOrderProgress,
} from '@smartship/contracts';
import {
  RMS_LIMITS,
  chunk,
  normalizeOrder,
  parseRmsDateTime,
  type OrderModel,
  type RakutenClient,
  type SearchWindow,
} from '@smartship/rakuten';
import { MessagingRuntime, ROOT_LOGGER } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { failingFields, orderUnpublishableAlert } from '../alerts/ingestion-alerts';
import { ShopRecord, returnedRows } from '../shops/shop-record';
import type { PollCounts } from './poll-counts';

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

/**
 * A transaction that commits only while the caller still owns the work: the poll's lease
 * (PollLeases.fencedTransaction) or a backfill's (BackfillJobs.fencedTransaction).
 */
export type FencedTransaction = <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>;

/** The RMS reads the intake makes. */
export type OrderReader = Pick<RakutenClient, 'getOrder'>;

/** What a caller of the intake gives it besides the orders. */
export interface IntakeContext {
  signal: AbortSignal;
  /** Counts are added here (new, alreadyKnown, failed, canceled, calls.getOrder). */
  counts: PollCounts;
  transaction: FencedTransaction;
  /**
   * Called inside each transaction that publishes, with what it published: a backfill counts its
   * progress in the same commit as the orders, so its numbers stay exact across a crash.
   */
  onCommit?: (
    manager: EntityManager,
    delta: { published: number; failed: number; canceled: number },
  ) => Promise<void>;
}

/**
 * The one path by which orders found at Rakuten become stored orders and `order.pulled` events,
 * shared by the scheduled and manual polls (OrderPoller) and by backfills and deep sweeps
 * (BackfillRunner), so an order is published once whichever finds it first:
 *
 * - Numbers not stored yet are fetched with getOrder (100 per call) and stored with one
 *   `order.pulled` each in the outbox, in one transaction. The insert is `ON CONFLICT (shop,
 *   order number) DO NOTHING RETURNING` and only inserted rows get an event. Rows are inserted in
 *   order-number order, so two writers that overlap (a poll and a backfill) take the unique
 *   index's locks in the same order and cannot deadlock.
 * - Known orders in state `changed` (400) back in 300 are pulled again as the next revision.
 * - `checkLeftOrders`: pulled orders of a window that a complete 300 search no longer returned
 *   are read back: 800/900/400 → `order.canceled`, 500–700 → shipped.
 */
@Injectable()
export class OrderIntake {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly messaging: MessagingRuntime,
  ) {
    this.logger = rootLogger.child({ component: 'order-intake' });
  }

  /** Stores and publishes the orders among `orderNumbers` (found in 300) that are new. */
  async take(
    shop: ShopRecord,
    client: OrderReader,
    orderNumbers: string[],
    context: IntakeContext,
  ): Promise<void> {
    const { counts, signal } = context;
    if (orderNumbers.length === 0) return;
    const known = await this.dataSource.query<{ order_number: string; state: string }[]>(
      `SELECT order_number, state FROM ingestion.orders
        WHERE shop_id = $1 AND order_number = ANY($2)`,
      [shop.id, orderNumbers],
    );
    const knownSet = new Set(known.map((row) => row.order_number));
    // A changed order (400) that is back in 発送待ち after the change was confirmed on Rakuten:
    // pulled again as a new revision, so that it is mapped and shipped as it is now.
    const returned = known.filter((row) => row.state === 'changed').map((row) => row.order_number);
    counts.alreadyKnown += knownSet.size - returned.length;
    for (const batch of chunk(returned.sort(), RMS_LIMITS.getOrderBatch)) {
      const result = await client.getOrder(batch, { signal });
      counts.calls.getOrder += 1;
      await this.storeRevisions(shop, result.orders, context);
    }
    const fresh = orderNumbers.filter((number) => !knownSet.has(number));
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
      await this.store(shop, result.orders, context);
    }
  }

  /** Stores new orders and their order.pulled events in one transaction. */
  private async store(
    shop: ShopRecord,
    models: OrderModel[],
    context: IntakeContext,
  ): Promise<void> {
    const { counts } = context;
    if (models.length === 0) return;
    const rows = [...models]
      .sort((a, b) => (a.orderNumber < b.orderNumber ? -1 : a.orderNumber > b.orderNumber ? 1 : 0))
      .map((model) => {
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
    const inserted = await context.transaction(async (manager) => {
      const numbers = await manager.query<{ order_number: string }[]>(
        `INSERT INTO ingestion.orders
           (shop_id, order_number, tenant_id, ordered_at, rakuten_status, state, raw, event_id, problem)
         SELECT $1, t.order_number, $2, t.ordered_at, t.status, t.state, t.raw::jsonb,
                t.event_id::uuid, t.problem
           FROM unnest($3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::text[],
                       $8::text[], $9::text[])
                WITH ORDINALITY AS t(order_number, ordered_at, status, state, raw, event_id, problem, n)
          ORDER BY t.n
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
      const unreadable = rows.filter((r) => r.problem && fresh.has(r.model.orderNumber)).length;
      await context.onCommit?.(manager, {
        published: events.length,
        failed: unreadable,
        canceled: 0,
      });
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
    context: IntakeContext,
  ): Promise<void> {
    const { counts } = context;
    const inWaiting = models
      .filter((model) => model.orderProgress === RAKUTEN_ORDER_PROGRESS.AWAITING_SHIPMENT)
      .sort((a, b) => (a.orderNumber < b.orderNumber ? -1 : 1));
    if (inWaiting.length === 0) return;
    await context.transaction(async (manager) => {
      let published = 0;
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
        published += 1;
        this.logger.info(
          { shopId: shop.id, orderNumber: model.orderNumber, revision: updated[0].revision },
          'changed order back in 発送待ち: pulled again as a new revision',
        );
      }
      await context.onCommit?.(manager, { published, failed: 0, canceled: 0 });
    });
  }

  /**
   * Orders we pulled whose date is in the window but which the complete 300 search of the window
   * (`inSearch`) no longer returned: read them back and tell fulfillment about cancellations and
   * changes.
   */
  async checkLeftOrders(
    shop: ShopRecord,
    client: OrderReader,
    window: SearchWindow,
    inSearch: string[],
    context: IntakeContext,
  ): Promise<void> {
    const { counts, signal } = context;
    const open = await this.dataSource.query<{ order_number: string }[]>(
      `SELECT order_number FROM ingestion.orders
        WHERE shop_id = $1 AND state = 'pulled' AND ordered_at BETWEEN $2 AND $3
          AND NOT (order_number = ANY($4))
          AND NOT EXISTS (SELECT 1 FROM ingestion.shipping_reports r
                           WHERE r.shop_id = $1 AND r.order_number = orders.order_number)
        ORDER BY order_number`,
      [shop.id, window.start, window.end, inSearch],
    );
    for (const batch of chunk(
      open.map((row) => row.order_number),
      RMS_LIMITS.getOrderBatch,
    )) {
      const result = await client.getOrder(batch, { signal });
      counts.calls.getOrder += 1;
      await context.transaction(async (manager) => {
        let canceled = 0;
        for (const model of result.orders) {
          canceled += await this.applyStatus(manager, shop, model);
        }
        counts.canceled += canceled;
        if (canceled > 0) await context.onCommit?.(manager, { published: 0, failed: 0, canceled });
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
}
