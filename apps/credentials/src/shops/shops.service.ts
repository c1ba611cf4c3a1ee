import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AnyEvent,
  ConnectionTestView,
  RegisterRakutenShopCall,
  RenewCredentialsCall,
  ShopRefCall,
  ShopStatus,
  ShopView,
  ShopWithTestView,
  type SuspendTenantShopsResult,
  UpdateShopCall,
  checkRakutenShopUrl,
  createEvent,
  type ListShopsCall,
} from '@smartship/contracts';
import { SecretBox, shopSecretPurpose } from '@smartship/crypto';
import { InvalidCallError, MessagingRuntime } from '@smartship/service-kit';
import { DataSource, EntityManager, IsNull } from 'typeorm';

import { Clock } from './clock';
import { ConnectionTest } from './connection-test.entity';
import { ConnectionTester, ProbeResult } from './connection-tester';
import { ExpirySource, Shop } from './shop.entity';
import { CredentialsError, CredentialsErrorCode } from './shops.errors';

const DAY_MS = 86_400_000;
/** Rakuten licence keys are valid for 90 days. */
export const LICENSE_KEY_DAYS = 90;
/** Days before expiry at which the seller is warned (each once per key). */
export const EXPIRY_WARNING_DAYS = [14, 7, 3, 1] as const;

/** Whole days from `now` to `at`, rounded up (1 = expires within the next 24 h). */
export function daysLeft(at: Date, now: Date): number {
  return Math.ceil((at.getTime() - now.getTime()) / DAY_MS);
}

/** The status a shop is in, from its facts. Order matters: the first that applies wins. */
export function statusOf(shop: Shop, now: Date): ShopStatus {
  if (shop.deletedAt) return 'deleted';
  if (shop.suspendedAt) return 'suspended';
  if (!shop.enabled) return 'disabled';
  if (shop.licenseKeyExpiresAt.getTime() <= now.getTime()) return 'expired';
  if (shop.authFailedAt) return 'needs_reauth';
  if (daysLeft(shop.licenseKeyExpiresAt, now) <= EXPIRY_WARNING_DAYS[0]) return 'expiring_soon';
  return 'active';
}

/**
 * Shop connections: registration, options, key renewal, deletion and connection tests. Every
 * change is written with its `shop.updated` event in one transaction (outbox). Plaintext keys
 * live only in memory for the time of a Rakuten call; the database and the events hold
 * AES-256-GCM ciphertext.
 */
@Injectable()
export class ShopsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly tester: ConnectionTester,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  async register({ actor, body }: RegisterRakutenShopCall): Promise<ShopWithTestView> {
    // The contract already refused a URL that is not this shop's; this gives its normal form.
    const url = checkRakutenShopUrl(body.shopUrl, body.shopId);
    if (!url.ok) {
      throw new InvalidCallError([{ field: 'shopUrl', problems: [`shopUrl ${url.problem}`] }]);
    }
    const rakutenShopId = body.shopId.toLowerCase();
    await this.assertNotRegistered(actor.tenantId, rakutenShopId);

    const now = this.clock.now();
    const id = randomUUID();
    const probe = await this.tester.probe(
      { serviceSecret: body.serviceSecret, licenseKey: body.licenseKey },
      { keysSetAt: now, knownExpiry: null },
    );
    const { expiresAt, source } = expiryOf(probe, body.licenseKeyIssuedAt, now);
    const options = {
      autoOrderSync: body.options?.autoOrderSync ?? true,
      autoOrderConfirm: body.options?.autoOrderConfirm ?? false,
      autoFulfillmentDispatch: body.options?.autoFulfillmentDispatch ?? false,
      pollIntervalMinutes: body.options?.pollIntervalMinutes ?? null,
    };
    const shop = Object.assign(new Shop(), {
      id,
      tenantId: actor.tenantId,
      marketplace: 'rakuten' as const,
      rakutenShopId,
      shopUrl: url.url,
      enabled: true,
      suspendedAt: null,
      ...options,
      ...this.sealKeys(id, body.serviceSecret, body.licenseKey),
      licenseKeyLast4: last4(body.licenseKey),
      keyRevision: 1,
      keysSetAt: now,
      licenseKeyExpiresAt: expiresAt,
      licenseKeyExpirySource: source,
      pendingKeyId: null,
      pendingServiceSecretCiphertext: null,
      pendingLicenseKeyCiphertext: null,
      pendingLicenseKeyLast4: null,
      pendingLicenseKeyIssuedAt: null,
      pendingSince: null,
      authFailedAt: isAuthFailure(probe) ? now : null,
      revision: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    shop.status = statusOf(shop, now);

    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.insert(Shop, shop);
        const test = await this.recordTest(manager, shop, probe, 'register');
        await this.publish(manager, shop);
        return { shop: this.view(shop, test), connectionTest: toTestView(test) };
      });
    } catch (error) {
      // Two registrations of the same shop at the same moment: the unique index decides.
      if ((error as { code?: string }).code === '23505')
        throw this.alreadyRegistered(rakutenShopId);
      throw error;
    }
  }

  async list({ actor, status }: ListShopsCall): Promise<{ items: ShopView[] }> {
    const shops = await this.dataSource.getRepository(Shop).find({
      where: { tenantId: actor.tenantId, deletedAt: IsNull(), ...(status ? { status } : {}) },
      order: { createdAt: 'ASC' },
    });
    const tests = await this.latestTests(shops.map((shop) => shop.id));
    return { items: shops.map((shop) => this.view(shop, tests.get(shop.id) ?? null)) };
  }

  async get(call: ShopRefCall): Promise<ShopView> {
    const shop = await this.find(call);
    const tests = await this.latestTests([shop.id]);
    return this.view(shop, tests.get(shop.id) ?? null);
  }

  async update({ actor, shopId, body }: UpdateShopCall): Promise<ShopView> {
    return this.change({ actor, shopId }, (shop) => {
      if (body.options?.autoOrderSync !== undefined)
        shop.autoOrderSync = body.options.autoOrderSync;
      if (body.options?.autoOrderConfirm !== undefined)
        shop.autoOrderConfirm = body.options.autoOrderConfirm;
      if (body.options?.autoFulfillmentDispatch !== undefined) {
        shop.autoFulfillmentDispatch = body.options.autoFulfillmentDispatch;
      }
      // null goes back to the platform's interval.
      if (body.options?.pollIntervalMinutes !== undefined) {
        shop.pollIntervalMinutes = body.options.pollIntervalMinutes;
      }
      if (body.enabled !== undefined) shop.enabled = body.enabled;
    });
  }

  /**
   * New keys from the seller. They replace the keys in use at once when Rakuten accepts them.
   * A new licence key that Rakuten has not activated yet (10–30 minutes) is kept as pending while
   * the old key still works, so pulls go on; the licence monitor promotes it once it works.
   */
  async renew({ actor, shopId, body }: RenewCredentialsCall): Promise<ShopWithTestView> {
    const current = await this.find({ actor, shopId });
    const now = this.clock.now();
    const probe = await this.tester.probe(
      { serviceSecret: body.serviceSecret, licenseKey: body.licenseKey },
      { keysSetAt: now, knownExpiry: null },
    );
    const keysAccepted = probe.code === 'OK' || probe.code === 'ORDER_API_NOT_ENABLED';
    const currentStillWorks = current.authFailedAt === null && current.licenseKeyExpiresAt > now;
    return this.dataSource.transaction(async (manager) => {
      const shop = await this.lock(manager, current.id);
      if (keysAccepted || !currentStillWorks) {
        this.useKeys(
          shop,
          body.serviceSecret,
          body.licenseKey,
          expiryOf(probe, body.licenseKeyIssuedAt, now),
          now,
        );
        if (isAuthFailure(probe)) shop.authFailedAt = now;
      } else {
        const sealed = this.sealKeys(shop.id, body.serviceSecret, body.licenseKey);
        shop.pendingKeyId = sealed.keyId;
        shop.pendingServiceSecretCiphertext = sealed.serviceSecretCiphertext;
        shop.pendingLicenseKeyCiphertext = sealed.licenseKeyCiphertext;
        shop.pendingLicenseKeyLast4 = last4(body.licenseKey);
        shop.pendingLicenseKeyIssuedAt = body.licenseKeyIssuedAt
          ? new Date(body.licenseKeyIssuedAt)
          : null;
        shop.pendingSince = now;
      }
      const test = await this.recordTest(manager, shop, probe, 'renew');
      await this.save(manager, shop, now);
      return { shop: this.view(shop, test), connectionTest: toTestView(test) };
    });
  }

  /** Deletes the connection and destroys its keys; consumers learn it from shop.updated. */
  async remove(call: ShopRefCall): Promise<void> {
    await this.change(call, (shop, now) => {
      shop.deletedAt = now;
      shop.serviceSecretCiphertext = '';
      shop.licenseKeyCiphertext = '';
      shop.pendingServiceSecretCiphertext = null;
      shop.pendingLicenseKeyCiphertext = null;
      shop.pendingKeyId = null;
    });
  }

  /** The seller's [연결 테스트하기]: tests the keys in use. Never changes them. */
  async testConnection(call: ShopRefCall): Promise<ConnectionTestView> {
    const current = await this.find(call);
    const probe = await this.tester.probe(this.openKeys(current), {
      keysSetAt: current.keysSetAt,
      knownExpiry: current.licenseKeyExpiresAt,
    });
    return this.dataSource.transaction(async (manager) => {
      const shop = await this.lock(manager, current.id);
      const now = this.clock.now();
      if (isAuthFailure(probe)) shop.authFailedAt ??= now;
      if (probe.code === 'OK') shop.authFailedAt = null;
      if (probe.licenseExpiresAt) {
        shop.licenseKeyExpiresAt = probe.licenseExpiresAt;
        shop.licenseKeyExpirySource = 'license_api';
      }
      const test = await this.recordTest(manager, shop, probe, 'manual');
      await this.save(manager, shop, now);
      return toTestView(test);
    });
  }

  async history(call: ShopRefCall): Promise<{ items: ConnectionTestView[] }> {
    const shop = await this.find(call);
    const tests = await this.dataSource.getRepository(ConnectionTest).find({
      where: { shopId: shop.id },
      order: { testedAt: 'DESC' },
      take: 100,
    });
    return { items: tests.map(toTestView) };
  }

  /**
   * An operator disabled (or enabled again) the tenant: marks (or unmarks) each of its shops,
   * each change with its shop.updated (status `suspended`, or what the seller's own settings
   * give). Idempotent: a shop already in the asked state is left alone, so a retried call after
   * a timeout changes nothing twice.
   */
  async suspendTenant(tenantId: string, suspended: boolean): Promise<SuspendTenantShopsResult> {
    const shops = await this.dataSource
      .getRepository(Shop)
      .find({ where: { tenantId, deletedAt: IsNull() }, select: { id: true } });
    let changed = 0;
    for (const { id } of shops) {
      await this.dataSource.transaction(async (manager) => {
        const shop = await this.lock(manager, id);
        if (shop.deletedAt || (shop.suspendedAt !== null) === suspended) return;
        const now = this.clock.now();
        shop.suspendedAt = suspended ? now : null;
        await this.save(manager, shop, now);
        changed++;
      });
    }
    return { changed, shops: shops.length };
  }

  // ---- used by the licence monitor and the shop.alert consumer ------------------------------

  /** Decrypts a shop's keys in use (for a Rakuten call; never stored or logged). */
  openKeys(shop: Shop): { serviceSecret: string; licenseKey: string } {
    return {
      serviceSecret: this.secrets.open(
        { keyId: shop.keyId, ciphertext: shop.serviceSecretCiphertext },
        shopSecretPurpose(shop.id, 'serviceSecret'),
      ),
      licenseKey: this.secrets.open(
        { keyId: shop.keyId, ciphertext: shop.licenseKeyCiphertext },
        shopSecretPurpose(shop.id, 'licenseKey'),
      ),
    };
  }

  openPendingKeys(shop: Shop): { serviceSecret: string; licenseKey: string } | null {
    if (
      !shop.pendingKeyId ||
      !shop.pendingServiceSecretCiphertext ||
      !shop.pendingLicenseKeyCiphertext
    ) {
      return null;
    }
    return {
      serviceSecret: this.secrets.open(
        { keyId: shop.pendingKeyId, ciphertext: shop.pendingServiceSecretCiphertext },
        shopSecretPurpose(shop.id, 'serviceSecret'),
      ),
      licenseKey: this.secrets.open(
        { keyId: shop.pendingKeyId, ciphertext: shop.pendingLicenseKeyCiphertext },
        shopSecretPurpose(shop.id, 'licenseKey'),
      ),
    };
  }

  /** Replaces the keys in use with new plaintext keys (renewal, or promotion of pending keys). */
  useKeys(
    shop: Shop,
    serviceSecret: string,
    licenseKey: string,
    expiry: { expiresAt: Date; source: ExpirySource },
    now: Date,
  ): void {
    Object.assign(shop, this.sealKeys(shop.id, serviceSecret, licenseKey));
    shop.licenseKeyLast4 = last4(licenseKey);
    shop.keyRevision += 1;
    shop.keysSetAt = now;
    shop.licenseKeyExpiresAt = expiry.expiresAt;
    shop.licenseKeyExpirySource = expiry.source;
    shop.authFailedAt = null;
    shop.pendingKeyId = null;
    shop.pendingServiceSecretCiphertext = null;
    shop.pendingLicenseKeyCiphertext = null;
    shop.pendingLicenseKeyLast4 = null;
    shop.pendingLicenseKeyIssuedAt = null;
    shop.pendingSince = null;
  }

  /** Re-encrypts a shop's keys with the current master key (rotation). */
  resealKeys(shop: Shop): boolean {
    if (!this.secrets.needsReencryption({ keyId: shop.keyId, ciphertext: '' }) || shop.deletedAt)
      return false;
    const keys = this.openKeys(shop);
    const pending = this.openPendingKeys(shop);
    Object.assign(shop, this.sealKeys(shop.id, keys.serviceSecret, keys.licenseKey));
    if (pending) {
      const sealed = this.sealKeys(shop.id, pending.serviceSecret, pending.licenseKey);
      shop.pendingKeyId = sealed.keyId;
      shop.pendingServiceSecretCiphertext = sealed.serviceSecretCiphertext;
      shop.pendingLicenseKeyCiphertext = sealed.licenseKeyCiphertext;
    }
    return true;
  }

  async lock(manager: EntityManager, shopId: string): Promise<Shop> {
    const shop = await manager.getRepository(Shop).findOne({
      where: { id: shopId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!shop) throw new CredentialsError(CredentialsErrorCode.SHOP_NOT_FOUND, 'shop not found');
    return shop;
  }

  /**
   * Saves a changed shop: recomputes its status, bumps its revision and publishes shop.updated
   * (plus whatever extra events the caller passes), all in the caller's transaction.
   */
  async save(manager: EntityManager, shop: Shop, now: Date, extra: AnyEvent[] = []): Promise<void> {
    shop.status = statusOf(shop, now);
    shop.revision += 1;
    shop.updatedAt = now;
    await manager.save(Shop, shop);
    await this.publish(manager, shop, extra);
  }

  async recordTest(
    manager: EntityManager,
    shop: Shop,
    probe: ProbeResult,
    trigger: ConnectionTestView['trigger'],
  ): Promise<ConnectionTest> {
    const test = Object.assign(new ConnectionTest(), {
      id: randomUUID(),
      shopId: shop.id,
      trigger,
      code: probe.code,
      message: probe.message,
      durationMs: probe.durationMs,
      keyRevision: shop.keyRevision,
      testedAt: this.clock.now(),
    });
    await manager.insert(ConnectionTest, test);
    return test;
  }

  view(shop: Shop, test: ConnectionTest | null): ShopView {
    const now = this.clock.now();
    return {
      id: shop.id,
      marketplace: shop.marketplace,
      rakutenShopId: shop.rakutenShopId,
      shopUrl: shop.shopUrl,
      status: shop.status,
      enabled: shop.enabled,
      options: {
        autoOrderSync: shop.autoOrderSync,
        autoOrderConfirm: shop.autoOrderConfirm,
        autoFulfillmentDispatch: shop.autoFulfillmentDispatch,
        pollIntervalMinutes: shop.pollIntervalMinutes ?? null,
      },
      licenseKeyLast4: shop.licenseKeyLast4,
      licenseKeyExpiresAt: shop.licenseKeyExpiresAt.toISOString(),
      licenseKeyExpirySource: shop.licenseKeyExpirySource,
      licenseKeyDaysLeft: daysLeft(shop.licenseKeyExpiresAt, now),
      pendingLicenseKeyLast4: shop.pendingLicenseKeyLast4,
      lastConnectionTest: test ? toTestView(test) : null,
      createdAt: shop.createdAt.toISOString(),
      updatedAt: shop.updatedAt.toISOString(),
    };
  }

  // ---- internals -------------------------------------------------------------------------

  private async change(
    call: ShopRefCall,
    apply: (shop: Shop, now: Date) => void,
  ): Promise<ShopView> {
    const found = await this.find(call);
    return this.dataSource.transaction(async (manager) => {
      const shop = await this.lock(manager, found.id);
      const now = this.clock.now();
      apply(shop, now);
      await this.save(manager, shop, now);
      const tests = await this.latestTests([shop.id], manager);
      return this.view(shop, tests.get(shop.id) ?? null);
    });
  }

  /** The tenant's shop, or 404 — also for another tenant's shop, which must not be told apart. */
  private async find({ actor, shopId }: ShopRefCall): Promise<Shop> {
    const shop = await this.dataSource.getRepository(Shop).findOne({
      where: { id: shopId, tenantId: actor.tenantId, deletedAt: IsNull() },
    });
    if (!shop) {
      throw new CredentialsError(
        CredentialsErrorCode.SHOP_NOT_FOUND,
        `no shop ${shopId} in this account`,
      );
    }
    return shop;
  }

  private async assertNotRegistered(tenantId: string, rakutenShopId: string): Promise<void> {
    const existing = await this.dataSource
      .getRepository(Shop)
      .exists({ where: { tenantId, rakutenShopId, deletedAt: IsNull() } });
    if (existing) throw this.alreadyRegistered(rakutenShopId);
  }

  private alreadyRegistered(rakutenShopId: string): CredentialsError {
    return new CredentialsError(
      CredentialsErrorCode.SHOP_ALREADY_REGISTERED,
      `Rakuten shop ${rakutenShopId} is already registered in this account: renew its keys instead (PUT /shops/:id/credentials)`,
    );
  }

  private async latestTests(
    shopIds: string[],
    manager?: EntityManager,
  ): Promise<Map<string, ConnectionTest>> {
    if (shopIds.length === 0) return new Map();
    const tests = await (manager ?? this.dataSource.manager)
      .getRepository(ConnectionTest)
      .createQueryBuilder('t')
      .distinctOn(['t.shop_id'])
      .where('t.shop_id IN (:...ids)', { ids: shopIds })
      .orderBy('t.shop_id')
      .addOrderBy('t.tested_at', 'DESC')
      .getMany();
    return new Map(tests.map((test) => [test.shopId, test]));
  }

  private sealKeys(
    shopId: string,
    serviceSecret: string,
    licenseKey: string,
  ): Pick<Shop, 'keyId' | 'serviceSecretCiphertext' | 'licenseKeyCiphertext'> {
    const secret = this.secrets.seal(serviceSecret, shopSecretPurpose(shopId, 'serviceSecret'));
    const license = this.secrets.seal(licenseKey, shopSecretPurpose(shopId, 'licenseKey'));
    return {
      keyId: secret.keyId,
      serviceSecretCiphertext: secret.ciphertext,
      licenseKeyCiphertext: license.ciphertext,
    };
  }

  private async publish(manager: EntityManager, shop: Shop, extra: AnyEvent[] = []): Promise<void> {
    const updated = createEvent('shop.updated', {
      tenantId: shop.tenantId,
      shopId: shop.id,
      data: {
        marketplace: 'rakuten',
        rakutenShopId: shop.rakutenShopId,
        shopUrl: shop.shopUrl,
        status: shop.status,
        options: {
          autoOrderSync: shop.autoOrderSync,
          autoOrderConfirm: shop.autoOrderConfirm,
          autoFulfillmentDispatch: shop.autoFulfillmentDispatch,
          pollIntervalMinutes: shop.pollIntervalMinutes ?? null,
        },
        licenseKeyLast4: shop.licenseKeyLast4,
        licenseKeyExpiresAt: shop.licenseKeyExpiresAt.toISOString(),
        credentials: shop.deletedAt
          ? null
          : {
              keyId: shop.keyId,
              serviceSecretCiphertext: shop.serviceSecretCiphertext,
              licenseKeyCiphertext: shop.licenseKeyCiphertext,
            },
        revision: shop.revision,
        updatedAt: shop.updatedAt.toISOString(),
      },
    });
    await this.messaging.outbox.add(manager, [updated, ...extra]);
  }
}

function last4(licenseKey: string): string {
  return licenseKey.slice(-4);
}

function isAuthFailure(probe: ProbeResult): boolean {
  return probe.code === 'AUTH_FAILED' || probe.code === 'LICENSE_KEY_EXPIRED';
}

/** Where the expiry comes from: Rakuten's own answer, else the issue date, else now + 90 days. */
export function expiryOf(
  probe: Pick<ProbeResult, 'licenseExpiresAt'>,
  issuedAt: string | Date | undefined | null,
  now: Date,
): { expiresAt: Date; source: ExpirySource } {
  if (probe.licenseExpiresAt) return { expiresAt: probe.licenseExpiresAt, source: 'license_api' };
  if (issuedAt) {
    return {
      expiresAt: new Date(new Date(issuedAt).getTime() + LICENSE_KEY_DAYS * DAY_MS),
      source: 'issue_date',
    };
  }
  return { expiresAt: new Date(now.getTime() + LICENSE_KEY_DAYS * DAY_MS), source: 'registration' };
}

export function toTestView(test: ConnectionTest): ConnectionTestView {
  return {
    id: test.id,
    code: test.code,
    message: test.message,
    testedAt: test.testedAt.toISOString(),
    durationMs: test.durationMs,
    trigger: test.trigger,
  };
}
