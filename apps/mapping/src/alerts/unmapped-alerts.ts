import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent } from '@smartship/contracts';
import { MessagingRuntime, ROOT_LOGGER, SERVICE_CONFIG, TickLoop } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';

import { MappingConfig } from '../config';

/** Both halves of the advisory lock one check holds (one instance checks at a time). */
const LOCK = ['mapping', 'unmapped-alerts'] as const;

interface OpenedAlert {
  shop_id: string;
  tenant_id: string;
  since: Date;
  lines: number;
}

/**
 * `shop.alert` orders_unmapped: every UNMAPPED_CHECK_INTERVAL_MS, one instance (a transaction
 * advisory lock; the others skip that cycle) looks for shops whose oldest held order has waited
 * longer than UNMAPPED_ALERT_MINUTES and publishes ONE alert per shop with the held lines and
 * the oldest one's time. A row in `unmapped_alerts` marks the shop alerted; it goes when the
 * shop's queue is empty, so the shop is not alerted again until its queue has been empty (new
 * held orders while it is not do not repeat the alert; the notifications service also drops
 * repeats inside its own window). The check, the marks and the events are one transaction.
 */
@Injectable()
export class UnmappedAlerts implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: TickLoop;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: MappingConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly messaging: MessagingRuntime,
  ) {
    const logger = rootLogger.child({ component: 'unmapped-alerts' });
    this.loop = new TickLoop(
      'unmapped check',
      config.UNMAPPED_CHECK_INTERVAL_MS,
      async () => {
        await this.check();
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One check; returns the shops alerted (nothing when another instance is checking). */
  check(): Promise<OpenedAlert[]> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked',
        [...LOCK],
      );
      if (!locked) return [];
      await manager.query(
        `INSERT INTO mapping.alert_checks (name, runs, checked_at) VALUES ('unmapped', 1, now())
         ON CONFLICT (name) DO UPDATE SET runs = alert_checks.runs + 1, checked_at = now()`,
      );
      await manager.query(
        `DELETE FROM mapping.unmapped_alerts a
          WHERE NOT EXISTS (SELECT 1 FROM mapping.held_orders h WHERE h.shop_id = a.shop_id)`,
      );
      const opened = await this.openAlerts(manager);
      await this.messaging.outbox.add(
        manager,
        opened.map((row) =>
          createEvent('shop.alert', {
            tenantId: row.tenant_id,
            shopId: row.shop_id,
            data: {
              kind: 'orders_unmapped',
              severity: 'warning',
              message: `${row.lines} order line(s) wait for a SKU link, the oldest since ${row.since.toISOString()} (more than ${this.config.UNMAPPED_ALERT_MINUTES} minutes). Those orders are not sent to the warehouse until their lines are linked (unmapped-order queue).`,
              details: {
                count: row.lines,
                since: row.since.toISOString(),
                thresholdMinutes: this.config.UNMAPPED_ALERT_MINUTES,
              },
              occurrenceKey: `orders_unmapped:${row.since.toISOString()}`,
            },
          }),
        ),
      );
      return opened;
    });
  }

  private openAlerts(manager: EntityManager): Promise<OpenedAlert[]> {
    return manager.query<OpenedAlert[]>(
      `WITH held AS (
         SELECT shop_id, min(tenant_id) AS tenant_id, min(held_at) AS since,
                sum(jsonb_array_length(evaluation -> 'unmapped'))::int AS lines
           FROM mapping.held_orders GROUP BY shop_id
         HAVING min(held_at) <= now() - $1::float8 * interval '1 minute')
       INSERT INTO mapping.unmapped_alerts (shop_id, tenant_id, since, lines)
       SELECT shop_id, tenant_id, since, lines FROM held
       ON CONFLICT (shop_id) DO NOTHING
       RETURNING shop_id, tenant_id, since, lines`,
      [this.config.UNMAPPED_ALERT_MINUTES],
    );
  }
}
