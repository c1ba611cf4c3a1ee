import { Counter, Gauge } from 'prom-client';

/**
 * The service's metrics on the default registry (served at /metrics). Counters move inside the
 * transactions that decide them, so a rolled-back transaction (retried by the consumer) can
 * count twice; they are for dashboards, the tables are the record.
 */
export interface NotificationMetrics {
  /** Notifications created, and alerts suppressed as repeats inside the window, by kind. */
  notifications: Counter<'kind' | 'outcome'>;
  /** Delivery attempts' outcomes by channel: succeeded, retry, failed. */
  deliveries: Counter<'channel' | 'status'>;
  /** Deliveries not finished (pending or in flight), read from the database when scraped. */
  pending: Gauge;
}

let metrics: NotificationMetrics | undefined;
let pendingSource: (() => Promise<number>) | undefined;

/** The metrics; `countPending` (the delivery store's count) feeds the gauge when given. */
export function notificationMetrics(countPending?: () => Promise<number>): NotificationMetrics {
  if (countPending) pendingSource = countPending;
  if (metrics) return metrics;
  metrics = {
    notifications: new Counter({
      name: 'smartship_notifications_total',
      help: 'Alerts accepted by kind: created (a new notification) or suppressed (a repeat inside the window).',
      labelNames: ['kind', 'outcome'],
    }),
    deliveries: new Counter({
      name: 'smartship_notification_deliveries_total',
      help: 'Delivery attempts by channel (email, webhook) and outcome (succeeded, retry, failed).',
      labelNames: ['channel', 'status'],
    }),
    pending: new Gauge({
      name: 'smartship_notification_deliveries_pending',
      help: 'Deliveries not finished yet (pending or being sent).',
      async collect() {
        if (pendingSource) this.set(await pendingSource().catch(() => 0));
      },
    }),
  };
  return metrics;
}
