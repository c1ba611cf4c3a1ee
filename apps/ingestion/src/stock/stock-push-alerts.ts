import { Inject, Injectable } from '@nestjs/common';
import { MessagingRuntime, SERVICE_CONFIG } from '@smartship/service-kit';
import type { EntityManager } from 'typeorm';

import { stockPushFailingAlert } from '../alerts/ingestion-alerts';
import { IngestionConfig } from '../config';
import { returnedRows } from '../shops/shop-record';

/**
 * `shop.alert` stock_push_failing, once per streak per shop. A listing is failing from its first
 * failed push until a push of it succeeds (`listing_stock.failing_since`). The shop is alerted
 * when RMS refused a listing's value (it is not retried until the quantity changes or the daily
 * re-assert, so waiting cannot help), or when a listing has kept failing for longer than
 * STOCK_PUSH_FAILING_ALERT_MINUTES (transient errors are retried every few seconds meanwhile).
 * A row in `stock_push_alerts` marks the streak alerted; it goes when no listing of the shop is
 * failing any more, so the next streak alerts again. Runs inside the transaction that records the
 * failure or the success.
 */
@Injectable()
export class StockPushAlerts {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    private readonly messaging: MessagingRuntime,
  ) {}

  async afterFailure(
    manager: EntityManager,
    shopId: string,
    errorCode: string,
    refused: boolean,
  ): Promise<void> {
    const [state] = await manager.query<
      { tenant_id: string; count: number; since: Date | null; due: boolean }[]
    >(
      `SELECT s.tenant_id, count(l.*)::int AS count, min(l.failing_since) AS since,
              coalesce(bool_or(l.failing_since <= now() - $2::float8 * interval '1 minute'), false) AS due
         FROM ingestion.shops s
         LEFT JOIN ingestion.listing_stock l ON l.shop_id = s.id AND l.failing_since IS NOT NULL
        WHERE s.id = $1
        GROUP BY s.tenant_id`,
      [shopId, this.config.STOCK_PUSH_FAILING_ALERT_MINUTES],
    );
    if (!state?.since || !(refused || state.due)) return;
    const opened = returnedRows<{ shop_id: string }>(
      await manager.query(
        `INSERT INTO ingestion.stock_push_alerts (shop_id, since) VALUES ($1, $2)
         ON CONFLICT (shop_id) DO NOTHING RETURNING shop_id`,
        [shopId, state.since],
      ),
    );
    if (opened.length === 0) return; // this streak was alerted already
    await this.messaging.outbox.add(
      manager,
      stockPushFailingAlert(
        { tenantId: state.tenant_id, shopId },
        {
          since: state.since,
          count: state.count,
          thresholdMinutes: this.config.STOCK_PUSH_FAILING_ALERT_MINUTES,
          errorCode,
        },
      ),
    );
  }

  /** A push succeeded: the streak ends once no listing of the shop is failing. */
  async afterSuccess(manager: EntityManager, shopId: string): Promise<void> {
    await manager.query(
      `DELETE FROM ingestion.stock_push_alerts a WHERE a.shop_id = $1
          AND NOT EXISTS (SELECT 1 FROM ingestion.listing_stock l
                           WHERE l.shop_id = $1 AND l.failing_since IS NOT NULL)`,
      [shopId],
    );
  }
}
