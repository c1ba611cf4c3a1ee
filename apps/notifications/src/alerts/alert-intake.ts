import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import type { NotificationKind, NotificationSeverity } from '@smartship/contracts';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';

import { notificationMetrics } from '../metrics';
import { DeliveryStore, type NewDelivery } from '../store/delivery.store';
import { NotificationStore } from '../store/notification.store';
import { SettingsStore } from '../store/settings.store';
import { ShopStore } from '../store/shop.store';
import { TargetsStore } from '../store/targets.store';
import { type AlertFacts, renderAlert } from '../templates/alert-messages';
import { consoleLink } from '../templates/links';

/** An alert as both topics carry it. */
export interface IncomingAlert {
  eventId: string;
  tenantId: string;
  shopId: string | null;
  kind: NotificationKind;
  severity: NotificationSeverity;
  details: AlertFacts | null | undefined;
}

const RANK: Record<NotificationSeverity, number> = { info: 0, warning: 1, critical: 2 };

export type IntakeOutcome =
  | { outcome: 'created'; notificationId: string; deliveries: number }
  | { outcome: 'suppressed'; notificationId: string };

/**
 * Turns an alert into a notification and its delivery intents, inside the consumer's inbox
 * transaction (so exactly once per event). The same alert — tenant, shop, kind — inside the
 * tenant's window is counted on the existing notification instead of being sent again, unless
 * it is more severe (an escalation is news). Recipients who take a digest get non-critical
 * alerts in the daily digest instead of one mail each.
 */
@Injectable()
export class AlertIntake {
  constructor(
    private readonly notifications: NotificationStore,
    private readonly deliveries: DeliveryStore,
    private readonly settings: SettingsStore,
    private readonly shops: ShopStore,
    private readonly targets: TargetsStore,
  ) {}

  async apply(
    manager: EntityManager,
    alert: IncomingAlert,
    logger: Logger,
  ): Promise<IntakeOutcome> {
    const metrics = notificationMetrics();
    await this.notifications.lockAlertKey(manager, alert.tenantId, alert.shopId, alert.kind);
    const settings = await this.settings.get(manager, alert.tenantId);
    const previous = await this.notifications.latestInWindow(
      manager,
      alert.tenantId,
      alert.shopId,
      alert.kind,
      settings.windowMinutes,
    );
    if (previous && RANK[alert.severity] <= RANK[previous.severity]) {
      await this.notifications.countRepeat(manager, previous.id);
      metrics.notifications.inc({ kind: alert.kind, outcome: 'suppressed' });
      logger.info(
        { notificationId: previous.id, kind: alert.kind },
        'repeat inside the window: not sent again',
      );
      return { outcome: 'suppressed', notificationId: previous.id };
    }

    const shopName = alert.shopId ? await this.shops.nameOf(manager, alert.shopId) : null;
    const facts = alert.details ?? {};
    const text = renderAlert(alert.kind, settings.language, shopName, facts);
    const id = randomUUID();
    await this.notifications.insert(manager, {
      id,
      tenantId: alert.tenantId,
      shopId: alert.shopId,
      shopName,
      kind: alert.kind,
      severity: alert.severity,
      title: text.title,
      message: text.message,
      link: consoleLink(alert.kind, alert.shopId, facts),
      details: facts,
      sourceEventId: alert.eventId,
    });

    const { recipients, endpoints } = await this.targets.subscribers(
      manager,
      alert.tenantId,
      alert.kind,
    );
    const base = { tenantId: alert.tenantId, notificationId: id, kind: alert.kind };
    const intents: NewDelivery[] = [
      ...recipients
        .filter((r) => !r.digest || alert.severity === 'critical')
        .map((r) => ({ ...base, id: randomUUID(), channel: 'email' as const, recipientId: r.id })),
      ...endpoints.map((e) => ({
        ...base,
        id: randomUUID(),
        channel: 'webhook' as const,
        endpointId: e.id,
      })),
    ];
    await this.deliveries.insert(manager, intents);
    metrics.notifications.inc({ kind: alert.kind, outcome: 'created' });
    logger.info(
      {
        notificationId: id,
        kind: alert.kind,
        severity: alert.severity,
        deliveries: intents.length,
      },
      'notification created',
    );
    return { outcome: 'created', notificationId: id, deliveries: intents.length };
  }
}
