import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { OperatorIngestionShopView } from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';

/** A shop's health facts, as the one grouped query reads them. */
export interface IngestionShopFacts {
  tenantId: string;
  shopId: string;
  /** Polled on a schedule (autoOrderSync on, keys callable): "no pull for long" means trouble. */
  scheduled: boolean;
  lastSuccessAt: Date | null;
  failingSince: Date | null;
  /** The streak is older than PULL_FAILING_ALERT_MINUTES. */
  pullFailing: boolean;
  unpublishable: number;
  pendingReports: number;
  failingListings: number;
  throttled24h: number;
}

/**
 * Per-shop health from ingestion's tables, in one grouped query (each part uses a partial or
 * primary-key index): the metrics and the operator call read the same facts.
 */
@Injectable()
export class ShopHealthStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
  ) {}

  async facts(tenantId?: string): Promise<IngestionShopFacts[]> {
    const rows = await this.dataSource.query<
      {
        tenant_id: string;
        shop_id: string;
        scheduled: boolean;
        last_success_at: Date | null;
        failing_since: Date | null;
        pull_failing: boolean;
        unpublishable: number;
        pending_reports: number;
        failing_listings: number;
        throttled: number;
      }[]
    >(
      `SELECT s.tenant_id, s.id AS shop_id, p.last_success_at,
              s.auto_order_sync AND s.status IN ('active', 'expiring_soon') AS scheduled, p.failing_since,
              coalesce(p.failing_since <= now() - $1::float8 * interval '1 minute', false) AS pull_failing,
              coalesce(u.n, 0)::int AS unpublishable, coalesce(r.n, 0)::int AS pending_reports,
              coalesce(l.n, 0)::int AS failing_listings, coalesce(t.n, 0)::int AS throttled
         FROM ingestion.shops s
         LEFT JOIN ingestion.poll_state p ON p.shop_id = s.id
         LEFT JOIN (SELECT shop_id, count(*) AS n FROM ingestion.orders
                     WHERE state = 'unpublishable' GROUP BY shop_id) u ON u.shop_id = s.id
         LEFT JOIN (SELECT shop_id, count(*) AS n FROM ingestion.shipping_reports
                     WHERE state NOT IN ('done', 'failed', 'rejected') GROUP BY shop_id) r
                ON r.shop_id = s.id
         LEFT JOIN (SELECT shop_id, count(*) AS n FROM ingestion.listing_stock
                     WHERE failing_since IS NOT NULL GROUP BY shop_id) l ON l.shop_id = s.id
         LEFT JOIN (SELECT shop_id, sum(calls) AS n FROM ingestion.throttled_calls
                     WHERE hour > now() - interval '24 hours' GROUP BY shop_id) t ON t.shop_id = s.id
        WHERE s.status <> 'deleted' AND ($2::uuid IS NULL OR s.tenant_id = $2::uuid)
        ORDER BY s.tenant_id, s.id`,
      [this.config.PULL_FAILING_ALERT_MINUTES, tenantId ?? null],
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      shopId: row.shop_id,
      scheduled: row.scheduled,
      lastSuccessAt: row.last_success_at,
      failingSince: row.failing_since,
      pullFailing: row.pull_failing,
      unpublishable: row.unpublishable,
      pendingReports: row.pending_reports,
      failingListings: row.failing_listings,
      throttled24h: row.throttled,
    }));
  }

  async views(tenantId?: string): Promise<OperatorIngestionShopView[]> {
    return (await this.facts(tenantId)).map((row) => ({
      tenantId: row.tenantId,
      shopId: row.shopId,
      lastSuccessfulPullAt: row.lastSuccessAt?.toISOString() ?? null,
      pullFailingSince: row.failingSince?.toISOString() ?? null,
      unpublishableOrders: row.unpublishable,
      pendingShippingReports: row.pendingReports,
      failingStockListings: row.failingListings,
      throttledCalls24h: row.throttled24h,
    }));
  }
}
