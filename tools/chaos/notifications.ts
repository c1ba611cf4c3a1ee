/**
 * The notifications part of the chaos run: alerts published on `shop.alert` while the
 * notifications service is SIGKILLed and the broker and PostgreSQL restart, every e-mail caught
 * by a local SMTP server and every webhook by an HTTPS receiver that refuses some requests.
 * Counted afterwards: no alert may be lost (each must reach every recipient and every endpoint)
 * and none may arrive twice (by Message-ID and by webhook-id).
 *
 * Plain TypeScript that Node runs with its type stripping (see chaos.ts).
 */
import { createHash, randomUUID } from 'node:crypto';

import { type Kafka } from 'kafkajs';

import { type CaughtMail } from '../scripts/mail-catcher.ts';
import { type ReceivedWebhook } from '../scripts/webhook-receiver.ts';

/** The shop alert kinds the run cycles through (tenant alerts need a SKU import; not used). */
const KINDS = [
  'license_expiring',
  'auth_failed',
  'pull_failing',
  'stock_push_failing',
  'orders_unmapped',
  'report_failed',
] as const;

/** One alert the run published: its tenant and the (made-up) shop that makes it unique. */
export interface PublishedAlert {
  eventId: string;
  tenantId: string;
  shopId: string;
  kind: string;
}

/**
 * Alert events for `tenants`, `perTenant` each. Every alert names a shop of its own, so the
 * service's repeat window (same tenant, shop and kind) never holds one back: each must be sent.
 */
export function makeAlerts(tenantIds: string[], perTenant: number, seed: number, wave: number) {
  const alerts: PublishedAlert[] = [];
  for (const tenantId of tenantIds) {
    for (let i = 0; i < perTenant; i++) {
      // Shop connection ids are UUIDs (the service stores them as such).
      const hex = createHash('sha256').update(`${seed}:${wave}:${tenantId}:${i}`).digest('hex');
      const shopId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
      alerts.push({ eventId: randomUUID(), tenantId, shopId, kind: KINDS[i % KINDS.length] });
    }
  }
  return alerts;
}

/** The `shop.alert` envelope of an alert, as the platform's producers write it. */
function envelope(alert: PublishedAlert): string {
  return JSON.stringify({
    id: alert.eventId,
    type: 'shop.alert',
    version: 1,
    occurredAt: new Date().toISOString(),
    tenantId: alert.tenantId,
    shopId: alert.shopId,
    correlationId: alert.eventId,
    data: {
      kind: alert.kind,
      severity: 'warning',
      message: `Chaos run alert for ${alert.shopId}.`,
      details: alert.kind === 'license_expiring' ? { daysLeft: 7 } : { count: 3 },
      occurrenceKey: `chaos:${alert.eventId}`,
    },
  });
}

/**
 * Publishes the alerts, trying again while the broker is down. A send that failed after the
 * broker took it is sent again with the same event id: the service's inbox drops the repeat.
 */
export async function publishAlerts(
  kafka: Kafka,
  alerts: PublishedAlert[],
  signal?: AbortSignal,
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        await producer.connect();
        await producer.send({
          topic: 'shop.alert',
          acks: -1,
          messages: alerts.map((alert) => ({ key: alert.shopId, value: envelope(alert) })),
        });
        return;
      } catch (error) {
        if (attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

export interface NotificationCounts {
  alertsPublished: number;
  emailsExpected: number;
  /** Distinct e-mails (by Message-ID) to the run's recipients. */
  emailsReceived: number;
  emailsLost: number;
  emailsDuplicate: number;
  webhooksExpected: number;
  /** Distinct webhooks (by webhook-id) answered 2xx. */
  webhooksDelivered: number;
  /** Alerts whose shop no delivered webhook named. */
  webhooksLost: number;
  /** The same webhook-id answered 2xx more than once. */
  webhooksDuplicate: number;
  /** Webhooks whose signature did not verify with the endpoint's secret. */
  webhooksUnverified: number;
  /** Attempts the receiver refused (500) on purpose, retried by the service. */
  webhooksRefused: number;
}

/** Compares what was published with what the catcher and the receiver got. */
export function countNotifications(input: {
  alerts: PublishedAlert[];
  /** The run's recipients, one per tenant. */
  recipients: string[];
  mails: CaughtMail[];
  webhooks: ReceivedWebhook[];
}): NotificationCounts {
  const recipients = new Set(input.recipients);
  const mails = input.mails.filter((mail) => mail.to.some((to) => recipients.has(to)));
  const mailIds = new Set(mails.map((mail) => mail.messageId ?? mail.file));
  // Each tenant of the run has one recipient for every kind: one e-mail per alert.
  const emailsExpected = input.alerts.length;

  const delivered = input.webhooks.filter((hook) => hook.status === 200);
  const deliveredIds = new Map<string, number>();
  for (const hook of delivered) {
    deliveredIds.set(hook.webhookId, (deliveredIds.get(hook.webhookId) ?? 0) + 1);
  }
  const shopOf = (hook: ReceivedWebhook): string => {
    try {
      return (JSON.parse(hook.body) as { data?: { shop?: { id?: string } } }).data?.shop?.id ?? '';
    } catch {
      return '';
    }
  };
  const shopsNamed = new Set(delivered.map(shopOf));
  return {
    alertsPublished: input.alerts.length,
    emailsExpected,
    emailsReceived: mailIds.size,
    emailsLost: Math.max(0, emailsExpected - mailIds.size),
    emailsDuplicate: mails.length - mailIds.size,
    webhooksExpected: input.alerts.length,
    webhooksDelivered: deliveredIds.size,
    webhooksLost: input.alerts.filter((alert) => !shopsNamed.has(alert.shopId)).length,
    webhooksDuplicate: [...deliveredIds.values()].filter((n) => n > 1).length,
    webhooksUnverified: input.webhooks.filter((hook) => hook.verified !== true).length,
    webhooksRefused: input.webhooks.filter((hook) => hook.status !== 200).length,
  };
}
