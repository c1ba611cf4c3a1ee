import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ConnectionTestView,
  RegisterRakutenShopCall,
  RenewCredentialsCall,
  ShopRefCall,
  ShopView,
  ShopWithTestView,
  type SuspendTenantShopsResult,
  UpdateShopCall,
  checkRakutenShopUrl,
  type ListShopsCall,
} from '@smartship/contracts';
import { InvalidCallError } from '@smartship/service-kit';
import { DataSource, IsNull } from 'typeorm';

import { Clock } from './clock';
import { ConnectionTest } from './connection-test.entity';
import { ConnectionTester } from './connection-tester';
import { Shop } from './shop.entity';
import { ShopKeys, last4 } from './shop-keys';
import { expiryOf, isAuthFailure, shopView, statusOf, toTestView } from './shop-status';
import { ShopStore } from './shop.store';

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
    private readonly store: ShopStore,
    private readonly keys: ShopKeys,
    private readonly tester: ConnectionTester,
    private readonly clock: Clock,
  ) {}

  async register({ actor, body }: RegisterRakutenShopCall): Promise<ShopWithTestView> {
    // The contract already refused a URL that is not this shop's; this gives its normal form.
    const url = checkRakutenShopUrl(body.shopUrl, body.shopId);
    if (!url.ok) {
      throw new InvalidCallError([{ field: 'shopUrl', problems: [`shopUrl ${url.problem}`] }]);
    }
    const rakutenShopId = body.shopId.toLowerCase();
    await this.store.assertNotRegistered(actor.tenantId, rakutenShopId);

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
      ...this.keys.seal(id, body.serviceSecret, body.licenseKey),
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
        const test = await this.store.recordTest(manager, shop, probe, 'register');
        await this.store.publish(manager, shop);
        return { shop: shopView(shop, test, this.clock.now()), connectionTest: toTestView(test) };
      });
    } catch (error) {
      // Two registrations of the same shop at the same moment: the unique index decides.
      if ((error as { code?: string }).code === '23505')
        throw this.store.alreadyRegistered(rakutenShopId);
      throw error;
    }
  }

  async list({ actor, status }: ListShopsCall): Promise<{ items: ShopView[] }> {
    const shops = await this.dataSource.getRepository(Shop).find({
      where: { tenantId: actor.tenantId, deletedAt: IsNull(), ...(status ? { status } : {}) },
      order: { createdAt: 'ASC' },
    });
    const tests = await this.store.latestTests(shops.map((shop) => shop.id));
    return {
      items: shops.map((shop) => shopView(shop, tests.get(shop.id) ?? null, this.clock.now())),
    };
  }

  async get(call: ShopRefCall): Promise<ShopView> {
    const shop = await this.store.find(call);
    const tests = await this.store.latestTests([shop.id]);
    return shopView(shop, tests.get(shop.id) ?? null, this.clock.now());
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
    const current = await this.store.find({ actor, shopId });
    const now = this.clock.now();
    const probe = await this.tester.probe(
      { serviceSecret: body.serviceSecret, licenseKey: body.licenseKey },
      { keysSetAt: now, knownExpiry: null },
    );
    const keysAccepted = probe.code === 'OK' || probe.code === 'ORDER_API_NOT_ENABLED';
    const currentStillWorks = current.authFailedAt === null && current.licenseKeyExpiresAt > now;
    return this.dataSource.transaction(async (manager) => {
      const shop = await this.store.lock(manager, current.id);
      if (keysAccepted || !currentStillWorks) {
        this.keys.use(
          shop,
          body.serviceSecret,
          body.licenseKey,
          expiryOf(probe, body.licenseKeyIssuedAt, now),
          now,
        );
        if (isAuthFailure(probe)) shop.authFailedAt = now;
      } else {
        const sealed = this.keys.seal(shop.id, body.serviceSecret, body.licenseKey);
        shop.pendingKeyId = sealed.keyId;
        shop.pendingServiceSecretCiphertext = sealed.serviceSecretCiphertext;
        shop.pendingLicenseKeyCiphertext = sealed.licenseKeyCiphertext;
        shop.pendingLicenseKeyLast4 = last4(body.licenseKey);
        shop.pendingLicenseKeyIssuedAt = body.licenseKeyIssuedAt
          ? new Date(body.licenseKeyIssuedAt)
          : null;
        shop.pendingSince = now;
      }
      const test = await this.store.recordTest(manager, shop, probe, 'renew');
      await this.store.save(manager, shop, now);
      return { shop: shopView(shop, test, this.clock.now()), connectionTest: toTestView(test) };
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
    const current = await this.store.find(call);
    const probe = await this.tester.probe(this.keys.open(current), {
      keysSetAt: current.keysSetAt,
      knownExpiry: current.licenseKeyExpiresAt,
    });
    return this.dataSource.transaction(async (manager) => {
      const shop = await this.store.lock(manager, current.id);
      const now = this.clock.now();
      if (isAuthFailure(probe)) shop.authFailedAt ??= now;
      if (probe.code === 'OK') shop.authFailedAt = null;
      if (probe.licenseExpiresAt) {
        shop.licenseKeyExpiresAt = probe.licenseExpiresAt;
        shop.licenseKeyExpirySource = 'license_api';
      }
      const test = await this.store.recordTest(manager, shop, probe, 'manual');
      await this.store.save(manager, shop, now);
      return toTestView(test);
    });
  }

  async history(call: ShopRefCall): Promise<{ items: ConnectionTestView[] }> {
    const shop = await this.store.find(call);
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
        const shop = await this.store.lock(manager, id);
        if (shop.deletedAt || (shop.suspendedAt !== null) === suspended) return;
        const now = this.clock.now();
        shop.suspendedAt = suspended ? now : null;
        await this.store.save(manager, shop, now);
        changed++;
      });
    }
    return { changed, shops: shops.length };
  }

  private async change(
    call: ShopRefCall,
    apply: (shop: Shop, now: Date) => void,
  ): Promise<ShopView> {
    const found = await this.store.find(call);
    return this.dataSource.transaction(async (manager) => {
      const shop = await this.store.lock(manager, found.id);
      const now = this.clock.now();
      apply(shop, now);
      await this.store.save(manager, shop, now);
      const tests = await this.store.latestTests([shop.id], manager);
      return shopView(shop, tests.get(shop.id) ?? null, this.clock.now());
    });
  }
}
