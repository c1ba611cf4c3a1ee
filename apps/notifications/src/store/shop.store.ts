import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** SQL of notifications.shops: each shop's tenant and display name, from shop.updated. */
@Injectable()
export class ShopStore {
  /** Keeps the newest revision only (shop.updated may arrive again, or out of order on replay). */
  async upsert(
    manager: EntityManager,
    shop: { shopId: string; tenantId: string; name: string; revision: number },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.shops (shop_id, tenant_id, shop_name, revision)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (shop_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id,
         shop_name = EXCLUDED.shop_name, revision = EXCLUDED.revision
       WHERE notifications.shops.revision < EXCLUDED.revision`,
      [shop.shopId, shop.tenantId, shop.name, shop.revision],
    );
  }

  async nameOf(manager: EntityManager, shopId: string): Promise<string | null> {
    const rows: { shop_name: string }[] = await manager.query(
      `SELECT shop_name FROM notifications.shops WHERE shop_id = $1`,
      [shopId],
    );
    return rows[0]?.shop_name ?? null;
  }
}
