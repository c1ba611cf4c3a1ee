import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { DeliveryStore } from '../store/delivery.store';
import { NotificationStore } from '../store/notification.store';
import { SettingsStore } from '../store/settings.store';
import { TargetsStore } from '../store/targets.store';

const HOUR = 3_600_000;
const JST_OFFSET = 9 * HOUR;

/** The latest digest time (digestHourJst:00 JST) at or before `now`. */
export function latestDigestSlot(now: Date, digestHourJst: number): Date {
  const jstMidnight =
    Math.floor((now.getTime() + JST_OFFSET) / (24 * HOUR)) * 24 * HOUR - JST_OFFSET;
  let slot = jstMidnight + digestHourJst * HOUR;
  if (slot > now.getTime()) slot -= 24 * HOUR;
  return new Date(slot);
}

/**
 * The daily digest: once a tenant's digest hour has passed, each digest recipient gets one
 * e-mail listing the non-critical alerts of their kinds since the previous digest, up to now
 * (critical ones were sent at once). The tenant's settings row is locked (SKIP LOCKED) and its last_digest_at
 * moved in the same transaction as the delivery intents, so each digest is written once, by
 * one instance. Nothing to list → no e-mail.
 */
@Injectable()
export class DigestScheduler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: SettingsStore,
    private readonly targets: TargetsStore,
    private readonly notifications: NotificationStore,
    private readonly deliveries: DeliveryStore,
  ) {}

  async runDue(now: Date): Promise<number> {
    const candidates = await this.settings.withDigestRecipients(this.dataSource.manager);
    let written = 0;
    for (const candidate of candidates) {
      if (candidate.lastDigestAt >= latestDigestSlot(now, candidate.digestHourJst)) continue;
      written += await this.dataSource.transaction(async (manager) => {
        const settings = await this.settings.lockForDigest(manager, candidate.tenantId);
        if (!settings) return 0;
        const slot = latestDigestSlot(now, settings.digestHourJst);
        if (settings.lastDigestAt >= slot) return 0;
        const recipients = (await this.targets.recipients(manager, settings.tenantId)).filter(
          (r) => r.digest && r.kinds.length > 0,
        );
        let count = 0;
        for (const recipient of recipients) {
          const ids = await this.notifications.forDigest(
            manager,
            settings.tenantId,
            recipient.kinds,
            settings.lastDigestAt,
            now,
          );
          if (ids.length === 0) continue;
          await this.deliveries.insert(manager, [
            {
              id: randomUUID(),
              tenantId: settings.tenantId,
              notificationId: null,
              channel: 'email',
              recipientId: recipient.id,
              kind: 'digest',
              payload: { notificationIds: ids },
            },
          ]);
          count += 1;
        }
        await this.settings.markDigested(manager, settings.tenantId, now);
        return count;
      });
    }
    return written;
  }
}
