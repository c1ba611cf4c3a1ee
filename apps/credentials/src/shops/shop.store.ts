import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AnyEvent, ConnectionTestView, ShopRefCall, createEvent } from '@smartship/contracts';
import { MessagingRuntime } from '@smartship/service-kit';
import { DataSource, EntityManager, IsNull } from 'typeorm';

import { Clock } from './clock';
import { ConnectionTest } from './connection-test.entity';
import type { ProbeResult } from './connection-tester';
import { Shop } from './shop.entity';
import { shopOptions, statusOf } from './shop-status';
import { CredentialsError, CredentialsErrorCode } from './shops.errors';

/**
 * credentials.shops and credentials.connection_tests: every read and write of a shop connection,
 * and its `shop.updated`, written to the outbox in the same transaction as the change.
 */
@Injectable()
export class ShopStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly clock: Clock,
  ) {}

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

  /** The tenant's shop, or 404 — also for another tenant's shop, which must not be told apart. */
  async find({ actor, shopId }: ShopRefCall): Promise<Shop> {
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

  async assertNotRegistered(tenantId: string, rakutenShopId: string): Promise<void> {
    const existing = await this.dataSource
      .getRepository(Shop)
      .exists({ where: { tenantId, rakutenShopId, deletedAt: IsNull() } });
    if (existing) throw this.alreadyRegistered(rakutenShopId);
  }

  alreadyRegistered(rakutenShopId: string): CredentialsError {
    return new CredentialsError(
      CredentialsErrorCode.SHOP_ALREADY_REGISTERED,
      `Rakuten shop ${rakutenShopId} is already registered in this account: renew its keys instead (PUT /shops/:id/credentials)`,
    );
  }

  /** The latest connection test of each shop. */
  async latestTests(
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

  /** Writes the shop's shop.updated (and `extra`) to the outbox, in the caller's transaction. */
  async publish(manager: EntityManager, shop: Shop, extra: AnyEvent[] = []): Promise<void> {
    const updated = createEvent('shop.updated', {
      tenantId: shop.tenantId,
      shopId: shop.id,
      data: {
        marketplace: 'rakuten',
        rakutenShopId: shop.rakutenShopId,
        shopUrl: shop.shopUrl,
        status: shop.status,
        options: shopOptions(shop),
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
