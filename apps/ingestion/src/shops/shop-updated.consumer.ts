import { Inject, Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import { MessagingRuntime, SERVICE_CONFIG } from '@smartship/service-kit';

import { IngestionConfig } from '../config';
import { queueConnectImport } from '../listings/listings-import.store';
import { RakutenAccess } from './rakuten-access';

/**
 * Consumer group `ingestion.shop-updated`: keeps the service's own copy of every shop (status,
 * options, encrypted keys), so it goes on pulling while credentials is down. Older revisions are
 * ignored. New keys (a different fingerprint) lift an authentication block; a shop that becomes
 * pollable is polled soon; a shorter poll interval (options.pollIntervalMinutes) applies at once.
 */
@Injectable()
export class ShopUpdatedConsumer {
  constructor(
    messaging: MessagingRuntime,
    private readonly access: RakutenAccess,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
  ) {
    messaging.registerConsumer({
      groupId: 'ingestion.shop-updated',
      handlers: { 'shop.updated': (event, context) => this.apply(event, context) },
    });
  }

  async apply(event: EventOf<'shop.updated'>, { manager, logger }: HandlerContext): Promise<void> {
    const data = event.data;
    const shopId = event.shopId;
    const current = await manager.query<
      {
        revision: number;
        key_fingerprint: string | null;
        auth_blocked_fingerprint: string | null;
        poll_interval_minutes: number | null;
      }[]
    >(
      `SELECT revision, key_fingerprint, auth_blocked_fingerprint, poll_interval_minutes
         FROM ingestion.shops WHERE id = $1 FOR UPDATE`,
      [shopId],
    );
    if (current[0] && current[0].revision >= data.revision) return;

    let fingerprint: string | null = null;
    if (data.credentials) {
      try {
        fingerprint = this.access.fingerprint(this.access.open(shopId, data.credentials));
      } catch (error) {
        // A master key missing from MASTER_KEYS: keep the copy, call nothing until it is fixed.
        logger.error(
          { shopId, keyId: data.credentials.keyId, err: (error as Error).message },
          'cannot decrypt the shop keys: check MASTER_KEYS',
        );
      }
    }
    const status = data.credentials === null ? 'deleted' : data.status;
    const keysChanged = fingerprint !== (current[0]?.key_fingerprint ?? null);
    // Absent in events from before the option existed: the platform's interval.
    const pollIntervalMinutes = data.options.pollIntervalMinutes ?? null;
    await manager.query(
      `INSERT INTO ingestion.shops (id, tenant_id, rakuten_shop_id, status, auto_order_sync,
         auto_order_confirm, key_id, service_secret_ct, license_key_ct, key_fingerprint, revision,
         poll_interval_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET
         tenant_id = EXCLUDED.tenant_id, rakuten_shop_id = EXCLUDED.rakuten_shop_id,
         status = EXCLUDED.status, auto_order_sync = EXCLUDED.auto_order_sync,
         auto_order_confirm = EXCLUDED.auto_order_confirm, key_id = EXCLUDED.key_id,
         service_secret_ct = EXCLUDED.service_secret_ct, license_key_ct = EXCLUDED.license_key_ct,
         key_fingerprint = EXCLUDED.key_fingerprint, revision = EXCLUDED.revision,
         poll_interval_minutes = EXCLUDED.poll_interval_minutes, updated_at = now()`,
      [
        shopId,
        event.tenantId,
        data.rakutenShopId,
        status,
        data.options.autoOrderSync,
        data.options.autoOrderConfirm,
        data.credentials?.keyId ?? null,
        data.credentials?.serviceSecretCiphertext ?? null,
        data.credentials?.licenseKeyCiphertext ?? null,
        fingerprint,
        data.revision,
        pollIntervalMinutes,
      ],
    );
    // A new shop is first polled within the jitter share of an interval, so that many shops
    // registered at once (or a restart of credentials) do not all fire together.
    const firstPollWithinMs = Math.max(
      1_000,
      this.config.POLL_INTERVAL_MS * this.config.POLL_JITTER,
    );
    await manager.query(
      `INSERT INTO ingestion.poll_state (shop_id, next_poll_at)
       VALUES ($1, now() + random() * $2::float8 * interval '1 millisecond')
       ON CONFLICT (shop_id) DO NOTHING`,
      [shopId, firstPollWithinMs],
    );
    if (status === 'active' || status === 'expiring_soon') {
      // A shop first seen callable gets its listings imported (issue 18); later imports follow
      // the schedule or a manual start.
      await queueConnectImport(manager, shopId);
    }
    if (current[0] && pollIntervalMinutes !== current[0].poll_interval_minutes) {
      // A new interval: a poll already scheduled further out than it allows is brought forward.
      const intervalMs = pollIntervalMinutes
        ? pollIntervalMinutes * 60_000
        : this.config.POLL_INTERVAL_MS;
      await manager.query(
        `UPDATE ingestion.poll_state
            SET next_poll_at = least(next_poll_at, now() + $2::float8 * interval '1 millisecond')
          WHERE shop_id = $1`,
        [shopId, intervalMs],
      );
    }
    if (current[0] && keysChanged && current[0].auth_blocked_fingerprint) {
      // Renewed keys after a refusal: resume at once rather than at the next interval.
      await manager.query(
        'UPDATE ingestion.poll_state SET next_poll_at = now() WHERE shop_id = $1',
        [shopId],
      );
      logger.info({ shopId }, 'new keys: calls to Rakuten resume');
    }
  }
}
