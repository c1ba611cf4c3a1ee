import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RAKUTEN_ORDER_PROGRESS } from '@smartship/contracts';
import {
  RakutenError,
  RakutenErrorCode,
  getOrdersChunked,
  type RakutenClient,
} from '@smartship/rakuten';
import { ROOT_LOGGER, SERVICE_CONFIG, TickLoop } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import { RakutenAccess, ShopNotCallableError } from '../shops/rakuten-access';
import { ShopRecord, loadShop } from '../shops/shop-record';
import { ShippingReportStore, type ReportRow } from './shipping-report.store';
import {
  buildRequest,
  failed,
  groupBy,
  sortForRequest,
  union,
  verdictFromResult,
} from './shipping-verdicts';

/** Orders per updateOrderShippingAsync (RMS limit). */
const BATCH = 100;

/** Test-only crash point (TEST_CRASH_POINT with NODE_ENV=test): SIGKILL after the request. */
export const CRASH_AFTER_SHIPPING_SEND = 'shipping-after-send';

/**
 * Sends the recorded shipping reports to Rakuten and follows them to the end. Every
 * SHIPPING_TICK_MS:
 *
 * 1. **Send.** Pending reports of one shop are claimed (`FOR UPDATE SKIP LOCKED`, state
 *    `sending`, committed) before the call, so two instances never send the same one; up to 100
 *    orders (their baskets grouped per order) go in one updateOrderShippingAsync. The requestId
 *    is stored (`submitted`). Throttling and 503 (maintenance) mean RMS did not take the request:
 *    back to `pending` with backoff. Any other failure after the request may have left (timeout,
 *    other 5xx, connection reset, a crash) leaves the outcome unknown.
 * 2. **Results.** getResultUpdateOrderShippingAsync per requestId → per report `done` or
 *    `failed` with Rakuten's message (on the report and the order, plus `shop.alert`
 *    report_failed). A result that never comes (unknown or expired requestId) → unknown.
 * 3. **Reconcile.** A report whose outcome is unknown is read back with getOrder once
 *    SHIPPING_RECONCILE_AFTER_MS (at least the request timeout) has passed since it was sent:
 *    the tracking numbers already on the basket's ShippingModelList count as reported and only
 *    the others are sent again. A tracking number is thus never sent twice nor lost.
 *
 * One report per basket carries the parcels of every fulfillment order of it (the two parts of
 * a split package): parcels recorded while a submission is in flight are sent after it, whether
 * it ends done or failed; only the parcels not yet on Rakuten are ever sent.
 */
@Injectable()
export class ShippingReporter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly loop: TickLoop;
  /** Time after sending before an unknown outcome is read back, ms. */
  private readonly reconcileAfterMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly store: ShippingReportStore,
    private readonly access: RakutenAccess,
  ) {
    this.logger = rootLogger.child({ component: 'shipping-reporter' });
    this.loop = new TickLoop(
      'shipping reports',
      config.SHIPPING_TICK_MS,
      (signal) => this.tick(signal),
      this.logger,
    );
    // A request still in flight (up to the timeout) must not be taken for a lost one.
    this.reconcileAfterMs = Math.max(config.SHIPPING_RECONCILE_AFTER_MS, config.RAKUTEN_TIMEOUT_MS);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One round: send, read results, reconcile. Exposed for tests. */
  async tick(signal: AbortSignal): Promise<void> {
    await this.sendPending(signal);
    await this.readResults(signal);
    await this.reconcile(signal);
  }

  // ---- 1. send --------------------------------------------------------------------------------

  private async sendPending(signal: AbortSignal): Promise<void> {
    for (const shopId of await this.store.shopsWithPending()) {
      if (signal.aborted) return;
      const shop = await loadShop(this.dataSource, shopId);
      if (!shop) continue;
      let client: RakutenClient;
      try {
        client = this.access.clientFor(shop);
      } catch (error) {
        if (error instanceof ShopNotCallableError) continue;
        throw error;
      }
      // Several batches per tick while a backlog lasts.
      while (!signal.aborted && (await this.sendBatch(shop, client, signal)) === BATCH) {
        /* next batch */
      }
    }
  }

  /** Claims and sends one batch; returns how many reports it claimed. */
  private async sendBatch(
    shop: ShopRecord,
    client: RakutenClient,
    signal: AbortSignal,
  ): Promise<number> {
    const claimed = await this.store.claimToSend(shop.id, BATCH, this.reconcileAfterMs);
    if (claimed.length === 0) return 0;
    // Nothing left to send (everything already on Rakuten): done without a call.
    const empty = claimed.filter((row) => row.to_send.length === 0);
    for (const row of empty) {
      await this.store.finish(row, { state: 'done', reported: row.reported, result: null });
    }
    const rows = sortForRequest(claimed.filter((row) => row.to_send.length > 0));
    if (rows.length === 0) return claimed.length;
    const orders = buildRequest(rows);
    try {
      const submission = await client.updateOrderShippingAsync(orders, { signal });
      this.crashPoint();
      if (submission.accepted) {
        await this.store.markSubmitted(
          rows.map((row) => row.id),
          submission.requestId,
        );
        this.logger.info(
          { shopId: shop.id, orders: orders.length, requestId: submission.requestId },
          'shipping reports submitted',
        );
      } else {
        await this.refused(shop, rows, submission.errors);
      }
    } catch (error) {
      await this.sendFailed(shop, rows, error);
    }
    return claimed.length;
  }

  /** RMS refused the request at once (validation): it was not applied. */
  private async refused(
    shop: ShopRecord,
    rows: ReportRow[],
    errors: { orderNumber?: string | null; messageCode: string; message: string }[],
  ): Promise<void> {
    const named = new Set(errors.map((e) => e.orderNumber).filter((n): n is string => !!n));
    for (const row of rows) {
      // Without an order named, the whole request was refused: every report carries the error.
      const mine =
        named.size === 0 ? errors : errors.filter((e) => e.orderNumber === row.order_number);
      if (mine.length === 0) {
        // Refused because of another order of the batch: send again at once, without it.
        await this.store.finish(
          row,
          { state: 'pending', reported: row.reported, toSend: row.to_send },
          true,
        );
        continue;
      }
      await this.store.finish(row, {
        state: 'failed',
        reported: row.reported,
        code: mine[0].messageCode,
        message: mine.map((e) => e.message).join(' '),
      });
    }
    this.logger.warn({ shopId: shop.id, errors }, 'Rakuten refused shipping reports');
  }

  private async sendFailed(shop: ShopRecord, rows: ReportRow[], error: unknown): Promise<void> {
    const notSent =
      error instanceof RakutenError &&
      (error.code === RakutenErrorCode.AUTHENTICATION ||
        error.code === RakutenErrorCode.FUNCTION_NOT_ENABLED ||
        error.code === RakutenErrorCode.THROTTLED ||
        (error.code === RakutenErrorCode.UNAVAILABLE &&
          (error.status === 503 || error.status === 429)));
    const invalid =
      error instanceof RangeError ||
      (error instanceof RakutenError && error.code === RakutenErrorCode.INVALID_REQUEST);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RakutenError) await this.access.handleFailure(shop, error);
    const ids = rows.map((row) => row.id);
    if (notSent) {
      // RMS did not take the request (gateway refusal): send again after a backoff.
      await this.store.retryLater(ids, error.code, message);
      this.logger.warn(
        { shopId: shop.id, reports: ids.length, err: message },
        'shipping reports not taken; retrying',
      );
      return;
    }
    if (invalid) {
      for (const row of rows) {
        await this.store.finish(row, {
          state: 'failed',
          reported: row.reported,
          code: (error as RakutenError).rmsCode ?? 'INVALID_REQUEST',
          message,
        });
      }
      return;
    }
    // The request may have been applied: read the orders back before sending anything again.
    await this.store.markSendUnknown(
      ids,
      error instanceof RakutenError ? error.code : 'INTERNAL',
      message,
      this.reconcileAfterMs,
    );
    this.logger.warn(
      { shopId: shop.id, reports: ids.length, err: message },
      'shipping report outcome unknown; it is read back before anything is sent again',
    );
  }

  /** The fault tests kill the process between the request and its record. */
  private crashPoint(): void {
    if (
      this.config.NODE_ENV === 'test' &&
      this.config.TEST_CRASH_POINT === CRASH_AFTER_SHIPPING_SEND
    ) {
      process.kill(process.pid, 'SIGKILL');
    }
  }

  // ---- 2. results -----------------------------------------------------------------------------

  private async readResults(signal: AbortSignal): Promise<void> {
    const rows = await this.store.claimForStep(['submitted'], this.config.SHIPPING_TICK_MS);
    const byRequest = groupBy(rows, (row) => `${row.shop_id}\n${row.request_id ?? ''}`);
    for (const group of byRequest.values()) {
      if (signal.aborted) return;
      const client = await this.clientOf(group[0].shop_id);
      if (!client) continue;
      const requestId = group[0].request_id as string;
      let result;
      try {
        result = await client.client.getResultUpdateOrderShippingAsync(requestId, { signal });
      } catch (error) {
        await this.access.handleFailure(client.shop, error);
        this.logger.warn(
          { requestId, err: (error as Error).message },
          'reading a shipping result failed',
        );
        continue;
      }
      if (!result.ready) {
        const overdue = group.filter(
          (row) => Date.now() - (row.sending_at?.getTime() ?? 0) >= this.reconcileAfterMs,
        );
        if (overdue.length > 0)
          await this.store.markUnknown(overdue, 'no result for the requestId');
        continue;
      }
      const outcomes = new Map(result.orders.map((o) => [o.orderNumber, o]));
      for (const rowsOfOrder of groupBy(group, (row) => row.order_number).values()) {
        const outcome = outcomes.get(rowsOfOrder[0].order_number);
        if (!outcome) {
          await this.store.markUnknown(rowsOfOrder, 'the order is missing from the result');
          continue;
        }
        // dataNumber counts the ShippingModels of the order across its baskets, in request order.
        let offset = 0;
        for (const row of sortForRequest(rowsOfOrder)) {
          const lines = outcome.lines.filter(
            (line) =>
              line.dataNumber !== null &&
              line.dataNumber > offset &&
              line.dataNumber <= offset + row.to_send.length,
          );
          const general = outcome.lines.filter((line) => line.dataNumber === null);
          offset += row.to_send.length;
          await this.store.finish(row, verdictFromResult(row, [...lines, ...general]));
        }
      }
    }
  }

  // ---- 3. reconcile ---------------------------------------------------------------------------

  private async reconcile(signal: AbortSignal): Promise<void> {
    const rows = await this.store.claimForStep(['sending', 'unknown'], this.reconcileAfterMs);
    for (const group of groupBy(rows, (row) => row.shop_id).values()) {
      if (signal.aborted) return;
      const client = await this.clientOf(group[0].shop_id);
      if (!client) continue;
      let found;
      try {
        found = await getOrdersChunked(
          client.client,
          group.map((row) => row.order_number),
          { signal },
        );
      } catch (error) {
        await this.access.handleFailure(client.shop, error);
        this.logger.warn({ err: (error as Error).message }, 'reading orders back failed');
        continue;
      }
      const orders = new Map(found.orders.map((order) => [order.orderNumber, order]));
      for (const row of group) {
        const order = orders.get(row.order_number);
        const progress = order?.orderProgress;
        if (!order) {
          await this.store.finish(
            row,
            failed(row, 'ORDER_NOT_FOUND', 'Rakuten does not return the order'),
          );
          continue;
        }
        const pkg = order.PackageModelList.find(
          (p) => String(p.basketId) === String(row.basket_id),
        );
        const onRakuten = new Set(
          (pkg?.ShippingModelList ?? [])
            .map((s) => s.shippingNumber)
            .filter((n): n is string => !!n),
        );
        const reported = union(
          row.reported,
          row.parcels.map((p) => p.trackingNumber).filter((n) => onRakuten.has(n)),
        );
        const missing = row.parcels.filter((p) => !reported.includes(p.trackingNumber));
        if (missing.length === 0) {
          await this.store.finish(row, { state: 'done', reported, result: { reconciled: true } });
        } else if (
          progress === RAKUTEN_ORDER_PROGRESS.CANCELED ||
          progress === RAKUTEN_ORDER_PROGRESS.AWAITING_CANCELLATION
        ) {
          await this.store.finish(
            row,
            failed(
              row,
              'ORDER_CANCELED',
              `the order was cancelled on Rakuten (${progress})`,
              reported,
            ),
          );
        } else if (!pkg) {
          await this.store.finish(
            row,
            failed(
              row,
              'BASKET_NOT_FOUND',
              `the order has no package ${row.basket_id} on Rakuten`,
              reported,
            ),
          );
        } else {
          this.logger.info(
            {
              orderNumber: row.order_number,
              basketId: row.basket_id,
              alreadyThere: reported.length,
              missing: missing.length,
            },
            'reconciled a shipping report: sending only what Rakuten lacks',
          );
          await this.store.finish(row, { state: 'pending', reported, toSend: missing }, true);
        }
      }
    }
  }

  // ---- shared ---------------------------------------------------------------------------------

  private async clientOf(
    shopId: string,
  ): Promise<{ shop: ShopRecord; client: RakutenClient } | null> {
    const shop = await loadShop(this.dataSource, shopId);
    if (!shop) return null;
    try {
      return { shop, client: this.access.clientFor(shop) };
    } catch (error) {
      if (error instanceof ShopNotCallableError) return null;
      throw error;
    }
  }
}
