import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent, type ShopCredentials } from '@smartship/contracts';
import { SecretBox, shopSecretPurpose } from '@smartship/crypto';
import {
  PgRateLimiter,
  RakutenClient,
  RakutenError,
  RakutenErrorCode,
  RATE_LIMITER_SCHEMA,
  ensureRateLimiterSchema,
  type RmsCredentials,
} from '@smartship/rakuten';
import { adoptSchemaObjects } from '@smartship/persistence';
import { MessagingRuntime, ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import { ShopRecord, returnedRows, whyNotCallable } from './shop-record';
import { ThrottledCalls } from './throttled-calls';

/** The shop's keys may not be used (see `whyNotCallable`). */
export class ShopNotCallableError extends Error {
  constructor(
    readonly shopId: string,
    reason: string,
  ) {
    super(`shop ${shopId}: ${reason}`);
    this.name = 'ShopNotCallableError';
  }
}

/**
 * Every Rakuten call of the service starts here: it decrypts a shop's keys (never stored or
 * logged in plaintext), builds a client that waits for the per-licence-key PostgreSQL rate
 * limiter shared with every instance and with credentials, and handles authentication failures:
 * the keys are blocked (no further call with them) and one `shop.alert` auth_failed is published,
 * which makes credentials mark the shop `needs_reauth`.
 */
@Injectable()
export class RakutenAccess implements OnModuleInit {
  private readonly limiter: PgRateLimiter;
  private readonly clients = new Map<string, RakutenClient>();
  private readonly logger: Logger;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly secrets: SecretBox,
    private readonly messaging: MessagingRuntime,
    private readonly throttles: ThrottledCalls,
  ) {
    this.limiter = new PgRateLimiter((sql, params) => this.dataSource.query(sql, params));
    this.logger = rootLogger.child({ component: 'rakuten-access' });
  }

  async onModuleInit(): Promise<void> {
    await ensureRateLimiterSchema((sql, params) => this.dataSource.query(sql, params));
    // What a superuser created there goes to the schema's owner role (service-roles.ts).
    await adoptSchemaObjects(this.dataSource, RATE_LIMITER_SCHEMA);
  }

  /** The decrypted keys of a `shop.updated`'s credentials. Throws if no master key fits. */
  open(shopId: string, credentials: ShopCredentials): RmsCredentials {
    return {
      serviceSecret: this.secrets.open(
        { keyId: credentials.keyId, ciphertext: credentials.serviceSecretCiphertext },
        shopSecretPurpose(shopId, 'serviceSecret'),
      ),
      licenseKey: this.secrets.open(
        { keyId: credentials.keyId, ciphertext: credentials.licenseKeyCiphertext },
        shopSecretPurpose(shopId, 'licenseKey'),
      ),
    };
  }

  /** Identifies keys without revealing them: re-encrypted keys keep it, renewed keys change it. */
  fingerprint(keys: RmsCredentials): string {
    return createHash('sha256')
      .update(`${keys.serviceSecret.trim()}\n${keys.licenseKey.trim()}`)
      .digest('hex')
      .slice(0, 32);
  }

  /** A client for the shop's current keys; throws ShopNotCallableError when they may not be used. */
  clientFor(shop: ShopRecord): RakutenClient {
    const reason = whyNotCallable(shop);
    if (reason) throw new ShopNotCallableError(shop.id, reason);
    const cacheKey = `${shop.id}:${shop.keyFingerprint}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      let keys: RmsCredentials;
      try {
        keys = this.open(shop.id, {
          keyId: shop.keyId as string,
          serviceSecretCiphertext: shop.serviceSecretCiphertext as string,
          licenseKeyCiphertext: shop.licenseKeyCiphertext as string,
        });
      } catch (error) {
        // A master key dropped from MASTER_KEYS too early: nothing to call with until it is back.
        throw new ShopNotCallableError(
          shop.id,
          `its keys cannot be decrypted (${(error as Error).message})`,
        );
      }
      client = new RakutenClient({
        credentials: keys,
        baseUrl: this.config.RAKUTEN_BASE_URL,
        timeoutMs: this.config.RAKUTEN_TIMEOUT_MS,
        rateLimiter: this.limiter,
        rateLimits: {
          order: this.config.RAKUTEN_ORDER_RPS,
          inventory: this.config.RAKUTEN_INVENTORY_RPS,
          item: this.config.RAKUTEN_ITEM_RPS,
        },
        onAttemptFailed: (error) => {
          if (error.code === RakutenErrorCode.THROTTLED) this.throttles.record(shop);
        },
      });
      for (const key of this.clients.keys()) {
        if (key.startsWith(`${shop.id}:`)) this.clients.delete(key);
      }
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /**
   * Handles a failed call: on an authentication failure the keys are blocked and, once per keys,
   * an auth_failed alert naming the RMS function goes out. Returns true when it was one.
   */
  async handleFailure(shop: ShopRecord, error: unknown): Promise<boolean> {
    if (!(error instanceof RakutenError) || error.code !== RakutenErrorCode.AUTHENTICATION) {
      return false;
    }
    const fingerprint = shop.keyFingerprint;
    await this.dataSource.transaction(async (manager) => {
      const blocked = returnedRows<{ id: string }>(
        await manager.query(
          `UPDATE ingestion.shops SET auth_blocked_fingerprint = $2, auth_failed_at = now()
          WHERE id = $1 AND key_fingerprint = $2
            AND auth_blocked_fingerprint IS DISTINCT FROM $2
          RETURNING id`,
          [shop.id, fingerprint],
        ),
      );
      if (blocked.length === 0) return; // already blocked (another call of ours saw it first)
      const errorCode = error.rmsCode ?? 'ES01-01';
      await this.messaging.outbox.add(
        manager,
        createEvent('shop.alert', {
          tenantId: shop.tenantId,
          shopId: shop.id,
          data: {
            kind: 'auth_failed',
            severity: 'critical',
            message: `Rakuten refused the shop's API keys (${errorCode}) on ${error.function}. Orders are no longer pulled and nothing is reported to Rakuten until new keys are entered (RMS > WEB APIサービス; renew them here).`,
            details: { operation: error.function, errorCode },
            occurrenceKey: `auth_failed:${fingerprint}`,
          },
        }),
      );
      this.logger.warn(
        { shopId: shop.id, operation: error.function, errorCode },
        'Rakuten refused the keys: calls with them stop until they are renewed',
      );
    });
    return true;
  }
}
