import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ROOT_LOGGER } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { Counter, register } from 'prom-client';
import { DataSource } from 'typeorm';

import type { ShopRecord } from './shop-record';

const METRIC = 'smartship_shop_rakuten_throttled_total';

/**
 * RMS calls Rakuten answered "throttled" (HTTP 429 or its throttling codes), per shop: a
 * process counter for Prometheus (each instance counts its own calls, so dashboards sum over
 * instances), and an hourly count in `ingestion.throttled_calls` for the operator API's last 24
 * hours (rows older than two days are pruned on the way). Throttling is rare (the shared rate limiter spaces calls), so one upsert per throttled
 * call costs nothing; it is not awaited and a failed write is only logged.
 */
@Injectable()
export class ThrottledCalls implements OnModuleDestroy {
  private readonly counter: Counter<'tenant_id' | 'shop_id'>;
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'throttled-calls' });
    register.removeSingleMetric(METRIC);
    this.counter = new Counter({
      name: METRIC,
      help: 'RMS calls of a shop that Rakuten throttled (HTTP 429), retried ones included.',
      labelNames: ['tenant_id', 'shop_id'],
    });
  }

  onModuleDestroy(): void {
    if (register.getSingleMetric(METRIC) === this.counter) register.removeSingleMetric(METRIC);
  }

  record(shop: Pick<ShopRecord, 'id' | 'tenantId'>): void {
    this.counter.inc({ tenant_id: shop.tenantId, shop_id: shop.id });
    this.dataSource
      .query(
        `WITH pruned AS (DELETE FROM ingestion.throttled_calls
                           WHERE shop_id = $1 AND hour < now() - interval '2 days')
         INSERT INTO ingestion.throttled_calls (shop_id, hour, calls)
         VALUES ($1, date_trunc('hour', now()), 1)
         ON CONFLICT (shop_id, hour) DO UPDATE SET calls = throttled_calls.calls + 1`,
        [shop.id],
      )
      .catch((error: unknown) =>
        this.logger.warn(
          { shopId: shop.id, err: (error as Error).message },
          'throttled call not counted',
        ),
      );
  }
}
