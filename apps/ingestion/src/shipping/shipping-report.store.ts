import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessagingRuntime, ROOT_LOGGER } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { CALLABLE_STATUSES, returnedRows } from '../shops/shop-record';
import { reportFailedAlert } from './shipping-alerts';
import type { ReportParcel } from './shipping-preflight';

/*
 * ingestion.shipping_reports (and the shipping problem on ingestion.orders): every statement the
 * shipping reporter runs, each moving reports between states only from the state a step found
 * them in, so that two instances and a restarted one never act on the same report twice.
 */

/** One row of `ingestion.shipping_reports` as the worker reads it. */
export interface ReportRow {
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
export type Verdict =
  | { state: 'done'; reported: string[]; result: unknown }
  | { state: 'pending'; reported: string[]; toSend: ReportParcel[] }
  | { state: 'failed'; reported: string[]; code: string; message: string; result?: unknown };

/** SQL condition: the shop `s` may be called (mirrors `whyNotCallable`). */
const SHOP_CALLABLE = `s.status = ANY('{${CALLABLE_STATUSES.join(',')}}') AND s.key_fingerprint IS NOT NULL
  AND s.auth_blocked_fingerprint IS DISTINCT FROM s.key_fingerprint`;

/** Failures that concern the order or basket itself: nothing else of it can be reported. */
const ORDER_GONE = new Set(['ORDER_NOT_FOUND', 'ORDER_CANCELED', 'BASKET_NOT_FOUND']);

@Injectable()
export class ShippingReportStore {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly messaging: MessagingRuntime,
  ) {
    this.logger = rootLogger.child({ component: 'shipping-reporter' });
  }

  /** Shops (at most 50) with pending reports that are due and that may be called now. */
  async shopsWithPending(): Promise<string[]> {
    const rows = await this.dataSource.query<{ shop_id: string }[]>(
      `SELECT DISTINCT r.shop_id FROM ingestion.shipping_reports r
         JOIN ingestion.shops s ON s.id = r.shop_id
        WHERE r.state = 'pending' AND r.next_attempt_at <= now() AND ${SHOP_CALLABLE}
        LIMIT 50`,
    );
    return rows.map((row) => row.shop_id);
  }

  /**
   * Claims up to `limit` due pending reports of a shop for sending (state `sending`, committed
   * before the call), their next look `holdMs` ahead.
   */
  async claimToSend(shopId: string, limit: number, holdMs: number): Promise<ReportRow[]> {
    return returnedRows<ReportRow>(
      await this.dataSource.query(
        `UPDATE ingestion.shipping_reports r SET state = 'sending', sending_at = now(),
           attempts = r.attempts + 1, request_id = NULL, updated_at = now(),
           next_attempt_at = now() + $3::float8 * interval '1 millisecond'
         FROM (SELECT id FROM ingestion.shipping_reports
                WHERE shop_id = $1 AND state = 'pending' AND next_attempt_at <= now()
                ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) c
        WHERE r.id = c.id RETURNING r.*`,
        [shopId, limit, holdMs],
      ),
    );
  }

  /** Rakuten took the request: its requestId is kept for reading the result. */
  async markSubmitted(ids: string[], requestId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.shipping_reports SET state = 'submitted', request_id = $2,
         submitted_at = now(), updated_at = now(), next_attempt_at = now()
       WHERE id = ANY($1) AND state = 'sending'`,
      [ids, requestId],
    );
  }

  /** Rakuten did not take the request (gateway refusal): pending again after a backoff. */
  async retryLater(ids: string[], code: string, message: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.shipping_reports SET state = 'pending', updated_at = now(),
         error_code = $2, error_message = $3,
         next_attempt_at = now() + LEAST(60000, 500 * 2 ^ LEAST(attempts, 10) * (0.75 + random() / 2))
           * interval '1 millisecond'
       WHERE id = ANY($1) AND state = 'sending'`,
      [ids, code, message],
    );
  }

  /** The request may have been applied: read back `holdMs` after it was sent. */
  async markSendUnknown(
    ids: string[],
    code: string,
    message: string,
    holdMs: number,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.shipping_reports SET state = 'unknown', updated_at = now(),
         error_code = $2, error_message = $3,
         next_attempt_at = sending_at + $4::float8 * interval '1 millisecond'
       WHERE id = ANY($1) AND state = 'sending'`,
      [ids, code, message, holdMs],
    );
  }

  /** A submitted report whose result will not come: read back now. */
  async markUnknown(rows: ReportRow[], why: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.shipping_reports SET state = 'unknown', updated_at = now(),
         error_message = $2, next_attempt_at = now()
       WHERE id = ANY($1) AND state = 'submitted'`,
      [rows.map((row) => row.id), why],
    );
  }

  /**
   * Claims reports in `states` that are due, pushing their next attempt `holdMs` ahead so other
   * instances leave them alone meanwhile (the step is a read, so a repeat is harmless anyway).
   */
  async claimForStep(states: string[], holdMs: number): Promise<ReportRow[]> {
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

  /**
   * Records a step's outcome, if the report is still where the step found it (same state and
   * attempt). A done report with parcels added meanwhile goes on with those.
   */
  async finish(row: ReportRow, verdict: Verdict, keepAttempt = false): Promise<void> {
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
