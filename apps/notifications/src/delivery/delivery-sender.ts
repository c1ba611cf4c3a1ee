import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NotificationLanguage } from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { DataSource } from 'typeorm';

import { NotificationsConfig } from '../config';
import type { DeliveryRecord } from '../store/delivery.store';
import { NotificationStore } from '../store/notification.store';
import { SettingsStore } from '../store/settings.store';
import { TargetsStore } from '../store/targets.store';
import { renderAlert } from '../templates/alert-messages';
import { renderAlertEmail, renderDigestEmail } from '../templates/emails';
import { absoluteLink } from '../templates/links';
import { AddressGuard } from './address-guard';
import { EmailSender } from './email-sender';
import { webhookSecretPurpose } from './webhook-secrets';
import { type WebhookContent, alertContent, signedHeaders, webhookBody } from './webhook-payload';
import { type AttemptResult, WebhookSender } from './webhook-sender';

const OPEN_LABEL: Record<NotificationLanguage, string> = {
  ko: '스마트십에서 확인하기',
  ja: 'Smartshipで確認する',
  en: 'Open in Smartship',
};

/**
 * One attempt of one claimed delivery: reads what it needs (recipient or endpoint, the
 * notification, the tenant's language) at send time, so a changed address or rotated secret
 * applies to retries, renders and sends. A recipient or endpoint deleted (or an endpoint
 * disabled) since the intent was written ends the delivery as failed.
 */
@Injectable()
export class DeliverySender implements OnApplicationShutdown {
  readonly guard: AddressGuard;
  private readonly email: EmailSender;
  private readonly webhooks: WebhookSender;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: NotificationsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly notifications: NotificationStore,
    private readonly settings: SettingsStore,
    private readonly targets: TargetsStore,
  ) {
    this.guard = new AddressGuard(config.WEBHOOK_ALLOWED_HOSTS);
    this.email = new EmailSender({
      url: config.SMTP_URL,
      from: config.SMTP_FROM,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
    });
    const ca = config.WEBHOOK_CA_FILE
      ? [...rootCertificates, readFileSync(config.WEBHOOK_CA_FILE, 'utf8')]
      : undefined;
    this.webhooks = new WebhookSender(this.guard, { timeoutMs: config.WEBHOOK_TIMEOUT_MS, ca });
  }

  onApplicationShutdown(): void {
    this.email.close();
  }

  async attempt(delivery: DeliveryRecord, now: Date): Promise<AttemptResult> {
    return delivery.channel === 'email'
      ? this.sendEmail(delivery)
      : this.sendWebhook(delivery, now);
  }

  private async sendEmail(delivery: DeliveryRecord): Promise<AttemptResult> {
    const manager = this.dataSource.manager;
    const recipient = delivery.recipientId
      ? await this.targets.recipient(manager, delivery.tenantId, delivery.recipientId)
      : null;
    if (!recipient) return gone('the recipient was deleted');
    const { language } = await this.settings.get(manager, delivery.tenantId);
    let email;
    if (delivery.kind === 'digest') {
      const items = await this.notifications.getMany(
        manager,
        delivery.tenantId,
        delivery.payload.notificationIds ?? [],
      );
      email = renderDigestEmail(
        language,
        items.map((n) => ({
          title: n.title,
          url: this.link(n.link),
          createdAt: n.createdAt,
          suppressedRepeats: n.suppressedRepeats,
        })),
      );
    } else {
      const content = await this.content(delivery, language);
      if (!content) return gone('the notification no longer exists');
      email = renderAlertEmail({
        lang: language,
        severity: (content.data.severity as 'info' | 'warning' | 'critical') ?? 'info',
        title: content.title,
        message: content.message,
        url: content.url,
      });
    }
    return this.email.send(recipient.email, `<${delivery.id}@smartship>`, email);
  }

  private async sendWebhook(delivery: DeliveryRecord, now: Date): Promise<AttemptResult> {
    const manager = this.dataSource.manager;
    const endpoint = delivery.endpointId
      ? await this.targets.endpoint(manager, delivery.tenantId, delivery.endpointId)
      : null;
    if (!endpoint) return gone('the endpoint was deleted');
    if (!endpoint.enabled) return gone('the endpoint is disabled');
    const { language } = await this.settings.get(manager, delivery.tenantId);
    const content = await this.content(delivery, language);
    if (!content) return gone('the notification no longer exists');
    const body = webhookBody(content, endpoint.format, OPEN_LABEL[language]);
    const secrets = [this.box.open(endpoint.secret, webhookSecretPurpose(endpoint.id))];
    if (endpoint.previousSecret && endpoint.previousUntil && endpoint.previousUntil > now) {
      secrets.push(this.box.open(endpoint.previousSecret, webhookSecretPurpose(endpoint.id)));
    }
    return this.webhooks.send(endpoint.url, body, signedHeaders(delivery.id, body, secrets, now));
  }

  /** What an alert or a test delivery says. */
  private async content(
    delivery: DeliveryRecord,
    language: NotificationLanguage,
  ): Promise<WebhookContent | null> {
    if (delivery.notificationId) {
      const notification = await this.notifications.get(
        this.dataSource.manager,
        delivery.notificationId,
      );
      return notification ? alertContent(notification, this.link(notification.link)) : null;
    }
    const text = renderAlert('test', language, null, null);
    const url = this.link('/');
    const createdAt = delivery.createdAt.toISOString();
    return {
      type: 'test',
      timestamp: createdAt,
      title: text.title,
      message: text.message,
      url,
      data: {
        id: delivery.id,
        kind: 'test',
        severity: 'info',
        ...text,
        link: '/',
        url,
        createdAt,
        shop: null,
        details: {},
      },
    };
  }

  private link(path: string): string {
    return absoluteLink(this.config.CONSOLE_URL, path);
  }
}

function gone(error: string): AttemptResult {
  return { ok: false, statusCode: null, error, permanent: true };
}
