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
  type ShippingLineOutcome,
  type UpdateOrderShippingRequest,
} from '@smartship/rakuten';
import { MessagingRuntime, ROOT_LOGGER, SERVICE_CONFIG, TickLoop } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { IngestionConfig } from '../config';
import { RakutenAccess, ShopNotCallableError } from '../shops/rakuten-access';
import { CALLABLE_STATUSES, ShopRecord, loadShop, returnedRows } from '../shops/shop-record';
import { reportFailedAlert } from './shipping-alerts';
import type { ReportParcel } from './shipping-preflight';

/** One row of `ingestion.shipping_reports` as the worker reads it. */
interface ReportRow {
  id: string;
  shop_id: string;
  tenant_id: string;
  order_number: string;
  basket_id: string;
  parcels: ReportParcel[];
  to_send: ReportParcel[];
  reported: string[];
  state: string;
  request_id: string | null;
  attempts: number;
  sending_at: Date | null;
}

/** How a report ends after a step. */
type Verdict =
  | { state: 'done'; reported: string[]; result: unknown }
  | { state: 'pending'; reported: string[]; toSend: ReportParcel[] }
  | { state: 'failed'; reported: string[]; code: string; message: string; result?: unknown };

/** SQL condition: the shop `s` may be called (mirrors `whyNotCallable`). */
const SHOP_CALLABLE = `s.status = ANY('{${CALLABLE_STATUSES.join(',')}}') AND s.key_fingerprint IS NOT NULL
  AND s.auth_blocked_fingerprint IS DISTINCT FROM s.key_fingerprint`;

/** Failures that concern the order or basket itself: nothing else of it can be reported. */
const ORDER_GONE = new Set(['ORDER_NOT_FOUND', 'ORDER_CANCELED', 'BASKET_NOT_FOUND']);

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
    private readonly messaging: MessagingRuntime,
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
    const shops = await this.dataSource.query<{ shop_id: string }[]>(
      `SELECT DISTINCT r.shop_id FROM ingestion.shipping_reports r
         JOIN ingestion.shops s ON s.id = r.shop_id
        WHERE r.state = 'pending' AND r.next_attempt_at <= now() AND ${SHOP_CALLABLE}
        LIMIT 50`,
    );
    for (const { shop_id: shopId } of shops) {
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
    const claimed = returnedRows<ReportRow>(
      await this.dataSource.query(
        `UPDATE ingestion.shipping_reports r SET state = 'sending', sending_at = now(),
           attempts = r.attempts + 1, request_id = NULL, updated_at = now(),
           next_attempt_at = now() + $3::float8 * interval '1 millisecond'
         FROM (SELECT id FROM ingestion.shipping_reports
                WHERE shop_id = $1 AND state = 'pending' AND next_attempt_at <= now()
                ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) c
        WHERE r.id = c.id RETURNING r.*`,
        [shop.id, BATCH, this.reconcileAfterMs],
      ),
    );
    if (claimed.length === 0) return 0;
    // Nothing left to send (everything already on Rakuten): done without a call.
    const empty = claimed.filter((row) => row.to_send.length === 0);
    for (const row of empty) {
      await this.finish(row, { state: 'done', reported: row.reported, result: null });
    }
    const rows = sortForRequest(claimed.filter((row) => row.to_send.length > 0));
    if (rows.length === 0) return claimed.length;
    const orders = buildRequest(rows);
    try {
      const submission = await client.updateOrderShippingAsync(orders, { signal });
      this.crashPoint();
      if (submission.accepted) {
        await this.dataSource.query(
          `UPDATE ingestion.shipping_reports SET state = 'submitted', request_id = $2,
             submitted_at = now(), updated_at = now(), next_attempt_at = now()
           WHERE id = ANY($1) AND state = 'sending'`,
          [rows.map((row) => row.id), submission.requestId],
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
        await this.finish(
          row,
          { state: 'pending', reported: row.reported, toSend: row.to_send },
          true,
        );
        continue;
      }
      await this.finish(row, {
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
      await this.dataSource.query(
        `UPDATE ingestion.shipping_reports SET state = 'pending', updated_at = now(),
           error_code = $2, error_message = $3,
           next_attempt_at = now() + LEAST(60000, 500 * 2 ^ LEAST(attempts, 10) * (0.75 + random() / 2))
             * interval '1 millisecond'
         WHERE id = ANY($1) AND state = 'sending'`,
        [ids, error.code, message],
      );
      this.logger.warn(
        { shopId: shop.id, reports: ids.length, err: message },
        'shipping reports not taken; retrying',
      );
      return;
    }
    if (invalid) {
      for (const row of rows) {
        await this.finish(row, {
          state: 'failed',
          reported: row.reported,
          code: (error as RakutenError).rmsCode ?? 'INVALID_REQUEST',
          message,
        });
      }
      return;
    }
    // The request may have been applied: read the orders back before sending anything again.
    await this.dataSource.query(
      `UPDATE ingestion.shipping_reports SET state = 'unknown', updated_at = now(),
         error_code = $2, error_message = $3,
         next_attempt_at = sending_at + $4::float8 * interval '1 millisecond'
       WHERE id = ANY($1) AND state = 'sending'`,
      [
        ids,
        error instanceof RakutenError ? error.code : 'INTERNAL',
        message,
        this.reconcileAfterMs,
      ],
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
    const rows = await this.claimForStep(['submitted'], this.config.SHIPPING_TICK_MS);
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
        if (overdue.length > 0) await this.markUnknown(overdue, 'no result for the requestId');
        continue;
      }
      const outcomes = new Map(result.orders.map((o) => [o.orderNumber, o]));
      for (const rowsOfOrder of groupBy(group, (row) => row.order_number).values()) {
        const outcome = outcomes.get(rowsOfOrder[0].order_number);
        if (!outcome) {
          await this.markUnknown(rowsOfOrder, 'the order is missing from the result');
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
          await this.finish(row, verdictFromResult(row, [...lines, ...general]));
        }
      }
    }
  }

  private async markUnknown(rows: ReportRow[], why: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.shipping_reports SET state = 'unknown', updated_at = now(),
         error_message = $2, next_attempt_at = now()
       WHERE id = ANY($1) AND state = 'submitted'`,
      [rows.map((row) => row.id), why],
    );
  }

  // ---- 3. reconcile ---------------------------------------------------------------------------

  private async reconcile(signal: AbortSignal): Promise<void> {
    const rows = await this.claimForStep(['sending', 'unknown'], this.reconcileAfterMs);
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
          await this.finish(
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
          await this.finish(row, { state: 'done', reported, result: { reconciled: true } });
        } else if (
          progress === RAKUTEN_ORDER_PROGRESS.CANCELED ||
          progress === RAKUTEN_ORDER_PROGRESS.AWAITING_CANCELLATION
        ) {
          await this.finish(
            row,
            failed(
              row,
              'ORDER_CANCELED',
              `the order was cancelled on Rakuten (${progress})`,
              reported,
            ),
          );
        } else if (!pkg) {
          await this.finish(
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
          await this.finish(row, { state: 'pending', reported, toSend: missing }, true);
        }
      }
    }
  }

  // ---- shared ---------------------------------------------------------------------------------

  /**
   * Claims reports in `states` that are due, pushing their next attempt `holdMs` ahead so other
   * instances leave them alone meanwhile (the step is a read, so a repeat is harmless anyway).
   */
  private async claimForStep(states: string[], holdMs: number): Promise<ReportRow[]> {
    return returnedRows<ReportRow>(
      await this.dataSource.query(
        `UPDATE ingestion.shipping_reports r
            SET next_attempt_at = now() + $2::float8 * interval '1 millisecond'
           FROM (SELECT r2.id FROM ingestion.shipping_reports r2
                   JOIN ingestion.shops s ON s.id = r2.shop_id
                  WHERE r2.state = ANY($1) AND r2.next_attempt_at <= now() AND ${SHOP_CALLABLE}
                  ORDER BY r2.next_attempt_at LIMIT 500 FOR UPDATE OF r2 SKIP LOCKED) c
          WHERE r.id = c.id RETURNING r.*`,
        [states, holdMs],
      ),
    );
  }

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

  /**
   * Records a step's outcome, if the report is still where the step found it (same state and
   * attempt). A done report with parcels added meanwhile goes on with those.
   */
  private async finish(row: ReportRow, verdict: Verdict, keepAttempt = false): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [current] = await manager.query<ReportRow[]>(
        'SELECT * FROM ingestion.shipping_reports WHERE id = $1 FOR UPDATE',
        [row.id],
      );
      if (!current || current.state !== row.state || current.attempts !== row.attempts) return;
      let next = verdict;
      if (next.state === 'done') {
        const reported = next.reported;
        const left = current.parcels.filter((p) => !reported.includes(p.trackingNumber));
        if (left.length > 0) next = { state: 'pending', reported, toSend: left };
      }
      if (next.state === 'pending') {
        await manager.query(
          `UPDATE ingestion.shipping_reports SET state = 'pending', reported = $2, to_send = $3::jsonb,
             attempts = attempts - $4::int, next_attempt_at = now(), updated_at = now()
           WHERE id = $1`,
          [row.id, next.reported, JSON.stringify(next.toSend), keepAttempt ? 1 : 0],
        );
      } else if (next.state === 'done') {
        await manager.query(
          `UPDATE ingestion.shipping_reports SET state = 'done', reported = $2, result = $3::jsonb,
             done_at = now(), updated_at = now(), error_code = NULL, error_message = NULL
           WHERE id = $1`,
          [row.id, next.reported, JSON.stringify(next.result ?? null)],
        );
        await manager.query(
          `UPDATE ingestion.orders SET problem = NULL, updated_at = now()
            WHERE shop_id = $1 AND order_number = $2 AND problem LIKE 'shipping report%'`,
          [row.shop_id, row.order_number],
        );
      } else {
        await this.recordFailure(manager, row, next);
        // Parcels recorded while this submission was in flight (the other part of a split
        // package, shipped meanwhile) were not part of it: they go on, unless the order itself
        // is gone. The failure stays recorded (alert, error on the report).
        const carried = new Set(row.to_send.map((p) => p.trackingNumber));
        const waiting = current.parcels.filter(
          (p) => !next.reported.includes(p.trackingNumber) && !carried.has(p.trackingNumber),
        );
        if (waiting.length > 0 && !ORDER_GONE.has(next.code)) {
          await manager.query(
            `UPDATE ingestion.shipping_reports SET state = 'pending', to_send = $2::jsonb,
               next_attempt_at = now(), done_at = NULL, updated_at = now()
             WHERE id = $1`,
            [row.id, JSON.stringify(waiting)],
          );
        }
      }
    });
  }

  private async recordFailure(
    manager: EntityManager,
    row: ReportRow,
    verdict: Extract<Verdict, { state: 'failed' }>,
  ): Promise<void> {
    await manager.query(
      `UPDATE ingestion.shipping_reports SET state = 'failed', reported = $2, error_code = $3,
         error_message = $4, result = $5::jsonb, done_at = now(), updated_at = now()
       WHERE id = $1`,
      [
        row.id,
        verdict.reported,
        verdict.code,
        verdict.message,
        JSON.stringify(verdict.result ?? null),
      ],
    );
    await manager.query(
      `UPDATE ingestion.orders SET problem = $3, updated_at = now()
        WHERE shop_id = $1 AND order_number = $2`,
      [row.shop_id, row.order_number, `shipping report failed: ${verdict.code} ${verdict.message}`],
    );
    await this.messaging.outbox.add(
      manager,
      reportFailedAlert({
        tenantId: row.tenant_id,
        shopId: row.shop_id,
        orderNumber: row.order_number,
        operation: 'updateOrderShippingAsync',
        errorCode: verdict.code,
        message: `Rakuten did not record the shipment of order ${row.order_number} (package ${row.basket_id}): ${verdict.message}`,
        occurrenceKey: `report_failed:shipping:${row.id}:${row.attempts}`,
      }),
    );
    this.logger.warn(
      { orderNumber: row.order_number, basketId: row.basket_id, code: verdict.code },
      'shipping report failed',
    );
  }
}

function failed(row: ReportRow, code: string, message: string, reported = row.reported): Verdict {
  return { state: 'failed', reported, code, message };
}

/** A report's outcome from its lines of an async result. */
function verdictFromResult(row: ReportRow, lines: ShippingLineOutcome[]): Verdict {
  const ok = lines.length > 0 && lines.every((line) => line.ok);
  const sentOk = row.to_send
    .filter(
      (_, index) =>
        lines.find((l) => l.dataNumber === null || l.dataNumber === index + 1)?.ok ?? false,
    )
    .map((p) => p.trackingNumber);
  const result = lines.map((l) => ({
    dataNumber: l.dataNumber,
    shippingDetailId: l.shippingDetailId,
    code: l.code,
  }));
  if (ok)
    return {
      state: 'done',
      reported: union(
        row.reported,
        row.to_send.map((p) => p.trackingNumber),
      ),
      result,
    };
  const error = lines.find((line) => !line.ok);
  return {
    state: 'failed',
    reported: union(row.reported, sentOk),
    code: error?.code ?? 'NO_RESULT_FOR_REPORT',
    message: error?.message ?? 'Rakuten returned no result for this package',
    result,
  };
}

/** Reports in a stable order: by order number, then basket (so dataNumbers can be mapped back). */
function sortForRequest(rows: ReportRow[]): ReportRow[] {
  return [...rows].sort(
    (a, b) =>
      a.order_number.localeCompare(b.order_number) || Number(a.basket_id) - Number(b.basket_id),
  );
}

/** One OrderShippingModel per order, one BasketidModel per report. */
function buildRequest(rows: ReportRow[]): UpdateOrderShippingRequest[] {
  return [...groupBy(rows, (row) => row.order_number).values()].map((group) => ({
    orderNumber: group[0].order_number,
    BasketidModelList: group.map((row) => ({
      basketId: Number(row.basket_id),
      ShippingModelList: row.to_send.map((parcel) => ({
        deliveryCompany: parcel.carrierCode,
        shippingNumber: parcel.trackingNumber,
        shippingDate: parcel.shippingDate,
      })),
    })),
  }));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
