import { Controller, Injectable, OnModuleDestroy, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  OPERATOR_CALLS,
  OperatorShopsCall,
  type OperatorCredentialsShopView,
} from '@smartship/contracts';
import { ServiceCallFilter, ShopGauges, parseCall } from '@smartship/service-kit';
import { DataSource, IsNull } from 'typeorm';

import { Clock } from '../shops/clock';
import { Shop } from '../shops/shop.entity';
import { daysLeft, statusOf } from '../shops/shop-status';

/**
 * Every shop that is not deleted, with the facts operators watch: status, licence key expiry,
 * whether Rakuten refused the keys. One query over the shops table (no secret column is read
 * into the answer).
 */
@Injectable()
export class ShopHealthStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async views(tenantId?: string): Promise<OperatorCredentialsShopView[]> {
    const shops = await this.dataSource.getRepository(Shop).find({
      where: { deletedAt: IsNull(), ...(tenantId ? { tenantId } : {}) },
      order: { tenantId: 'ASC', id: 'ASC' },
    });
    const now = this.clock.now();
    return shops.map((shop) => ({
      tenantId: shop.tenantId,
      shopId: shop.id,
      rakutenShopId: shop.rakutenShopId,
      status: statusOf(shop, now),
      licenseKeyExpiresAt: shop.licenseKeyExpiresAt.toISOString(),
      licenseKeyDaysLeft: daysLeft(shop.licenseKeyExpiresAt, now),
      needsReauth: shop.authFailedAt !== null,
    }));
  }
}

/**
 * Credentials' per-shop gauges (labels tenant_id, shop_id), from the database at scrape time
 * (see ShopGauges): days left on the licence key (rounded up as the expiry warnings count them:
 * 14 → the first warning, ≤ 0 expired) and whether the shop needs new keys.
 */
@Injectable()
export class ShopHealthMetrics implements OnModuleDestroy {
  private readonly gauges: ShopGauges<OperatorCredentialsShopView>;

  constructor(store: ShopHealthStore) {
    this.gauges = new ShopGauges(
      () => store.views(),
      [
        {
          name: 'smartship_shop_license_key_days_left',
          help: 'Whole days until the licence key in use expires (rounded up; <= 0 expired).',
          value: (row) =>
            row.status === 'disabled' || row.status === 'suspended' ? null : row.licenseKeyDaysLeft,
        },
        {
          name: 'smartship_shop_needs_reauth',
          help: '1 when Rakuten refused the shop keys and new ones must be entered.',
          value: (row) => (row.needsReauth ? 1 : 0),
        },
      ],
    );
  }

  onModuleDestroy(): void {
    this.gauges.close();
  }
}

/** The operator's shop-health call (gateway `GET /api/v1/operator/shops`). */
@Controller()
@UseFilters(ServiceCallFilter)
export class ShopHealthController {
  constructor(private readonly store: ShopHealthStore) {}

  @MessagePattern(OPERATOR_CALLS.credentialsShops)
  async shops(@Payload() payload: unknown): Promise<{ items: OperatorCredentialsShopView[] }> {
    const call = parseCall(OperatorShopsCall, payload);
    return { items: await this.store.views(call.tenantId) };
  }
}
