import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ShopGauges } from '@smartship/service-kit';

import { IngestionShopFacts, ShopHealthStore } from './shop-health.store';

/**
 * Ingestion's per-shop gauges (labels tenant_id, shop_id), computed from the database at scrape
 * time (see ShopGauges). The throttled-call counter is ThrottledCalls.
 */
@Injectable()
export class ShopHealthMetrics implements OnModuleDestroy {
  private readonly gauges: ShopGauges<IngestionShopFacts>;

  constructor(store: ShopHealthStore) {
    this.gauges = new ShopGauges(
      () => store.facts(),
      [
        {
          name: 'smartship_shop_seconds_since_last_pull',
          help: 'Seconds since the last successful pull of a shop polled on a schedule (autoOrderSync on); absent for other shops and before the first success.',
          value: (row) =>
            row.scheduled && row.lastSuccessAt
              ? Math.max(0, (Date.now() - row.lastSuccessAt.getTime()) / 1000)
              : null,
        },
        {
          name: 'smartship_shop_pull_failing',
          help: '1 when every pull of the shop has failed for longer than PULL_FAILING_ALERT_MINUTES.',
          value: (row) => (row.pullFailing ? 1 : 0),
        },
        {
          name: 'smartship_shop_unpublishable_orders',
          help: 'Orders pulled from Rakuten that cannot be published (they do not ship).',
          value: (row) => row.unpublishable,
        },
        {
          name: 'smartship_shop_pending_shipping_reports',
          help: 'Shipping reports not yet confirmed by Rakuten.',
          value: (row) => row.pendingReports,
        },
        {
          name: 'smartship_shop_failing_stock_listings',
          help: 'Listings whose stock push to Rakuten is failing.',
          value: (row) => row.failingListings,
        },
      ],
    );
  }

  onModuleDestroy(): void {
    this.gauges.close();
  }
}
