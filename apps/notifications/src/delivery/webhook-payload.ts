import type { WebhookFormat } from '@smartship/contracts';
import { Webhook } from 'standardwebhooks';

import type { NotificationRecord } from '../store/notification.store';

/**
 * Webhook bodies and Standard Webhooks 1.0 signatures. The body of a delivery is the same on
 * every attempt (its timestamp is the notification's), and so is `webhook-id` (the delivery id):
 * a receiver drops what it has seen. `webhook-timestamp` is the attempt's time, as the spec asks.
 */

export interface WebhookContent {
  type: string;
  timestamp: string;
  title: string;
  message: string;
  url: string;
  data: Record<string, unknown>;
}

/** The content of an alert's webhook: the notification's fields, its shop and the facts. */
export function alertContent(notification: NotificationRecord, url: string): WebhookContent {
  return {
    type: `alert.${notification.kind}`,
    timestamp: notification.createdAt,
    title: notification.title,
    message: notification.message,
    url,
    data: {
      id: notification.id,
      kind: notification.kind,
      severity: notification.severity,
      title: notification.title,
      message: notification.message,
      link: notification.link,
      url,
      createdAt: notification.createdAt,
      shop: notification.shopId ? { id: notification.shopId, name: notification.shopName } : null,
      details: notification.details,
    },
  };
}

/** Slack's mrkdwn reserves &, < and >. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The JSON body for the endpoint's format. */
export function webhookBody(
  content: WebhookContent,
  format: WebhookFormat,
  openLabel: string,
): string {
  if (format === 'slack') {
    return JSON.stringify({
      text: `*${slackEscape(content.title)}*\n${slackEscape(content.message)}\n<${content.url}|${slackEscape(openLabel)}>`,
    });
  }
  return JSON.stringify({ type: content.type, timestamp: content.timestamp, data: content.data });
}

/**
 * The three Standard Webhooks headers. With a rotated secret still valid, two signatures,
 * space-separated: receivers accept a message if any one verifies.
 */
export function signedHeaders(
  webhookId: string,
  body: string,
  secrets: string[],
  now: Date,
): Record<string, string> {
  const timestamp = new Date(Math.floor(now.getTime() / 1000) * 1000);
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': secrets
      .map((secret) => new Webhook(secret).sign(webhookId, timestamp, body))
      .join(' '),
  };
}
