import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ShopStockSettingsGetCall,
  ShopStockSettingsPutCall,
  ShopStockSettingsView,
  SkuSafetyStockGetCall,
  SkuSafetyStockPutCall,
  SkuSafetyStockView,
} from '@smartship/contracts';
import { MessagingRuntime } from '@smartship/service-kit';
import { DataSource, type EntityManager } from 'typeorm';

import { MappingError, MappingErrorCode } from '../catalog/mapping.errors';
import { LISTING_LOCK_ORDER } from './listing.store';
import { type LockedListing, listingStockEvents } from './safety-stock';

/**
 * The safety-stock calls (`GET|PUT /shops/:id/stock-settings`, `GET|PUT /skus/:id/safety-stock`
 * through the gateway, which has checked that the shop is the caller's). A change stores the
 * buffer and, in the same transaction, re-derives the listings it concerns — those that were
 * published before (`last_quantity` set; a listing never published waits for its stock) — and
 * publishes `listing.stock.changed` for each whose quantity moved.
 */
@Injectable()
export class StockSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
  ) {}

  async shopSettings({ actor, shopId }: ShopStockSettingsGetCall): Promise<ShopStockSettingsView> {
    const [row] = await this.dataSource.query<{ safety_stock: number; updated_at: Date }[]>(
      `SELECT safety_stock, updated_at FROM mapping.shop_stock_settings
        WHERE shop_id = $1 AND tenant_id = $2`,
      [shopId, actor.tenantId],
    );
    return {
      shopId,
      safetyStock: row?.safety_stock ?? 0,
      updatedAt: row ? row.updated_at.toISOString() : null,
    };
  }

  async putShopSettings({
    actor,
    shopId,
    body,
  }: ShopStockSettingsPutCall): Promise<ShopStockSettingsView> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ safety_stock: number; updated_at: Date }[]>(
        `INSERT INTO mapping.shop_stock_settings (shop_id, tenant_id, safety_stock)
         VALUES ($1, $2, $3)
         ON CONFLICT (shop_id) DO UPDATE SET safety_stock = EXCLUDED.safety_stock, updated_at = now()
         WHERE mapping.shop_stock_settings.tenant_id = EXCLUDED.tenant_id
         RETURNING safety_stock, updated_at`,
        [shopId, actor.tenantId, body.safetyStock],
      );
      if (!row) {
        throw new MappingError(MappingErrorCode.SHOP_NOT_FOUND, 'no such shop in this tenant', {
          shopId,
        });
      }
      const republished = await this.republish(
        manager,
        actor.tenantId,
        'tenant_id = $1 AND shop_id = $2',
        [actor.tenantId, shopId],
      );
      return {
        shopId,
        safetyStock: row.safety_stock,
        updatedAt: row.updated_at.toISOString(),
        republished,
      };
    });
  }

  async skuSafetyStock({ actor, skuId }: SkuSafetyStockGetCall): Promise<SkuSafetyStockView> {
    const code = await skuCodeOf(this.dataSource.manager, actor.tenantId, skuId);
    const [row] = await this.dataSource.query<{ safety_stock: number; updated_at: Date }[]>(
      `SELECT safety_stock, updated_at FROM mapping.sku_safety_stock
        WHERE tenant_id = $1 AND sku_code = $2`,
      [actor.tenantId, code],
    );
    return {
      skuId,
      skuCode: code,
      safetyStock: row?.safety_stock ?? 0,
      updatedAt: row ? row.updated_at.toISOString() : null,
    };
  }

  async putSkuSafetyStock({
    actor,
    skuId,
    body,
  }: SkuSafetyStockPutCall): Promise<SkuSafetyStockView> {
    return this.dataSource.transaction(async (manager) => {
      const code = await skuCodeOf(manager, actor.tenantId, skuId);
      const [row] = await manager.query<{ safety_stock: number; updated_at: Date }[]>(
        `INSERT INTO mapping.sku_safety_stock (tenant_id, sku_code, safety_stock)
         VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, sku_code) DO UPDATE
           SET safety_stock = EXCLUDED.safety_stock, updated_at = now()
         RETURNING safety_stock, updated_at`,
        [actor.tenantId, code, body.safetyStock],
      );
      const republished = await this.republish(
        manager,
        actor.tenantId,
        'tenant_id = $1 AND sku_links @> $2::jsonb',
        [actor.tenantId, JSON.stringify([{ skuCode: code }])],
      );
      return {
        skuId,
        skuCode: code,
        safetyStock: row.safety_stock,
        updatedAt: row.updated_at.toISOString(),
        republished,
      };
    });
  }

  /**
   * Locks the published listings matching `where` in the listing lock order, re-derives them and
   * adds `listing.stock.changed` for those that moved to the outbox. Answers how many moved.
   */
  private async republish(
    manager: EntityManager,
    tenantId: string,
    where: string,
    params: unknown[],
  ): Promise<number> {
    const listings = await manager.query<LockedListing[]>(
      `SELECT shop_id, manage_number, variant_id, sku_links, last_quantity
         FROM mapping.listings
        WHERE ${where} AND variant_id IS NOT NULL AND sku_links IS NOT NULL
          AND last_quantity IS NOT NULL
        ORDER BY ${LISTING_LOCK_ORDER}
        FOR UPDATE`,
      params,
    );
    const events = await listingStockEvents(manager, tenantId, listings);
    if (events.length > 0) await this.messaging.outbox.add(manager, events);
    return events.length;
  }
}

async function skuCodeOf(manager: EntityManager, tenantId: string, skuId: string): Promise<string> {
  const [sku] = await manager.query<{ code: string }[]>(
    'SELECT code FROM mapping.skus WHERE tenant_id = $1 AND id = $2',
    [tenantId, skuId],
  );
  if (!sku) {
    throw new MappingError(MappingErrorCode.SKU_NOT_FOUND, 'no such SKU in this tenant', {
      skuId,
    });
  }
  return sku.code;
}
