import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AnyEvent, createEvent } from '@smartship/contracts';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager, IsNull } from 'typeorm';

import { CredentialsConfig } from '../config';
import { Clock } from './clock';
import { ConnectionTester } from './connection-tester';
import { Shop } from './shop.entity';
import { ShopKeys } from './shop-keys';
import { EXPIRY_WARNING_DAYS, daysLeft, expiryOf, statusOf } from './shop-status';
import { ShopStore } from './shop.store';

export interface MonitorRun {
  alerts: number;
  promoted: number;
  rejected: number;
  resealed: number;
  changed: number;
  failed: number;
}

/**
 * Watches the 90-day licence keys. On a schedule it: promotes renewed keys once Rakuten has
 * activated them; warns 14, 7, 3 and 1 days before a key expires and when it has expired (one
 * `shop.alert` per occurrence and key); moves shops between active, expiring soon and expired;
 * and re-encrypts keys sealed with an older master key.
 */
@Injectable()
export class LicenseMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<MonitorRun>;
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: CredentialsConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly shops: ShopStore,
    private readonly keys: ShopKeys,
    private readonly tester: ConnectionTester,
    private readonly clock: Clock,
  ) {
    this.logger = rootLogger.child({ component: 'license-monitor' });
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.runOnce().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'licence check failed; next run will retry');
        return { alerts: 0, promoted: 0, rejected: 0, resealed: 0, changed: 0, failed: 0 };
      });
      void this.running.finally(() => {
        this.timer = setTimeout(tick, this.config.LICENSE_CHECK_INTERVAL_MS);
      });
    };
    this.timer = setTimeout(tick, Math.min(5_000, this.config.LICENSE_CHECK_INTERVAL_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass over every shop. Public for tests, which move the clock and call it. */
  async runOnce(): Promise<MonitorRun> {
    const run: MonitorRun = {
      alerts: 0,
      promoted: 0,
      rejected: 0,
      resealed: 0,
      changed: 0,
      failed: 0,
    };
    const shops = await this.dataSource
      .getRepository(Shop)
      .find({ where: { deletedAt: IsNull() } });
    for (const shop of shops) {
      // One shop's trouble (say, its master key was dropped from MASTER_KEYS too early) must not
      // stop the others' warnings.
      try {
        // A suspended shop (its tenant disabled by an operator) makes no Rakuten call.
        if (shop.pendingKeyId && !shop.suspendedAt) await this.checkPending(shop, run);
        await this.dataSource.transaction((manager) => this.checkShop(manager, shop.id, run));
      } catch (error) {
        run.failed++;
        this.logger.error(
          { shopId: shop.id, err: (error as Error).message },
          'licence check of a shop failed',
        );
      }
    }
    if (run.alerts + run.promoted + run.rejected + run.resealed + run.changed + run.failed > 0) {
      this.logger.info(run, 'licence check');
    }
    return run;
  }

  /** Renewed keys waiting for Rakuten's activation: use them once they work. */
  private async checkPending(found: Shop, run: MonitorRun): Promise<void> {
    const keys = this.keys.openPending(found);
    if (!keys || !found.pendingSince) return;
    const probe = await this.tester.probe(keys, {
      keysSetAt: found.pendingSince,
      knownExpiry: null,
    });
    const accepted = probe.code === 'OK' || probe.code === 'ORDER_API_NOT_ENABLED';
    const refused = probe.code === 'AUTH_FAILED';
    if (!accepted && !refused) return; // not active yet, or Rakuten unavailable: try next time
    await this.dataSource.transaction(async (manager) => {
      const shop = await this.shops.lock(manager, found.id);
      if (shop.pendingSince?.getTime() !== found.pendingSince?.getTime()) return; // renewed again meanwhile
      const now = this.clock.now();
      const extra: AnyEvent[] = [];
      if (accepted) {
        const expiry = expiryOf(probe, shop.pendingLicenseKeyIssuedAt, now);
        this.keys.use(shop, keys.serviceSecret, keys.licenseKey, expiry, now);
        run.promoted++;
      } else {
        extra.push(
          createEvent('shop.alert', {
            tenantId: shop.tenantId,
            shopId: shop.id,
            data: {
              kind: 'auth_failed',
              severity: 'critical',
              message: `Rakuten refused the renewed keys (licence key ending in ${shop.pendingLicenseKeyLast4}) after the activation time. The previous keys stay in use; enter the new keys again.`,
              details: { operation: 'renewal', errorCode: 'ES01-01' },
              occurrenceKey: `renewal_refused:${shop.pendingSince?.toISOString()}`,
            },
          }),
        );
        this.keys.dropPending(shop);
        run.rejected++;
      }
      await this.shops.recordTest(manager, shop, probe, 'renew');
      await this.shops.save(manager, shop, now, extra);
    });
  }

  private async checkShop(manager: EntityManager, shopId: string, run: MonitorRun): Promise<void> {
    const shop = await this.shops.lock(manager, shopId);
    if (shop.deletedAt) return;
    const now = this.clock.now();
    const alerts = await this.expiryAlerts(manager, shop, now);
    const resealed = this.keys.reseal(shop);
    const statusChanged = statusOf(shop, now) !== shop.status;
    if (alerts.length === 0 && !resealed && !statusChanged) return;
    run.alerts += alerts.length;
    if (resealed) run.resealed++;
    if (statusChanged) run.changed++;
    await this.shops.save(manager, shop, now, alerts);
  }

  /**
   * The warnings due for this key now, each given once (a row per occurrence in license_alerts).
   * A key first seen with 5 days left gets the 7-day warning only, not 14 and 7 at once.
   */
  private async expiryAlerts(manager: EntityManager, shop: Shop, now: Date): Promise<AnyEvent[]> {
    const left = daysLeft(shop.licenseKeyExpiresAt, now);
    const expired = shop.licenseKeyExpiresAt.getTime() <= now.getTime();
    const due = expired
      ? ['expired']
      : EXPIRY_WARNING_DAYS.filter((days) => left <= days).map(String);
    if (due.length === 0) return [];
    const fresh = await manager.query<{ occurrence: string }[]>(
      `INSERT INTO credentials.license_alerts (shop_id, key_revision, occurrence)
         SELECT $1, $2, unnest($3::text[])
       ON CONFLICT DO NOTHING RETURNING occurrence`,
      [shop.id, shop.keyRevision, due],
    );
    const mostUrgent = due[due.length - 1];
    if (!fresh.some((row) => row.occurrence === mostUrgent)) return [];
    const day = shop.licenseKeyExpiresAt.toISOString().slice(0, 10);
    const data = expired
      ? {
          kind: 'license_expired' as const,
          severity: 'critical' as const,
          message: `The Rakuten licence key ending in ${shop.licenseKeyLast4} expired on ${day}. Orders are no longer pulled: issue a new key in RMS (WEB APIサービス > ライセンスキーの確認・変更) and renew it here.`,
          details: { daysLeft: 0, expiresAt: shop.licenseKeyExpiresAt.toISOString() },
          occurrenceKey: `license_expired:${shop.keyRevision}`,
        }
      : {
          kind: 'license_expiring' as const,
          severity: left <= 3 ? ('critical' as const) : ('warning' as const),
          message: `The Rakuten licence key ending in ${shop.licenseKeyLast4} expires in ${left} day${left === 1 ? '' : 's'}, on ${day}. Issue a new key in RMS (WEB APIサービス > ライセンスキーの確認・変更) and renew it here before then.`,
          details: { daysLeft: left, expiresAt: shop.licenseKeyExpiresAt.toISOString() },
          occurrenceKey: `license_expiring:${shop.keyRevision}:${mostUrgent}`,
        };
    return [createEvent('shop.alert', { tenantId: shop.tenantId, shopId: shop.id, data })];
  }
}
