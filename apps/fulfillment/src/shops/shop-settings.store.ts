import type { EntityManager } from 'typeorm';

/*
 * fulfillment.shop_settings: the service's own copy of what it needs of a shop (from
 * shop.updated), so that it decides dispatch without asking the credentials service.
 */

/** The copy of a shop's settings, or undefined before its first shop.updated. */
export async function findShopSettings(
  manager: EntityManager,
  shopId: string,
): Promise<{ autoFulfillmentDispatch: boolean; revision: number } | undefined> {
  const rows = await manager.query<{ auto_fulfillment_dispatch: boolean; revision: number }[]>(
    'SELECT auto_fulfillment_dispatch, revision FROM fulfillment.shop_settings WHERE shop_id = $1',
    [shopId],
  );
  return rows[0]
    ? { autoFulfillmentDispatch: rows[0].auto_fulfillment_dispatch, revision: rows[0].revision }
    : undefined;
}

/** autoFulfillmentDispatch of each of these shops that has had a shop.updated, by shop id. */
export async function autoDispatchOf(
  manager: EntityManager,
  shopIds: string[],
): Promise<Map<string, boolean>> {
  const rows = await manager.query<{ shop_id: string; auto_fulfillment_dispatch: boolean }[]>(
    `SELECT shop_id, auto_fulfillment_dispatch FROM fulfillment.shop_settings
      WHERE shop_id = ANY($1::text[])`,
    [[...new Set(shopIds)]],
  );
  return new Map(rows.map((row) => [row.shop_id, row.auto_fulfillment_dispatch]));
}

/** Keeps the copy of a shop's settings a newer shop.updated brought. */
export async function saveShopSettings(
  manager: EntityManager,
  shop: {
    shopId: string;
    tenantId: string;
    status: string;
    autoFulfillmentDispatch: boolean;
    revision: number;
  },
): Promise<void> {
  await manager.query(
    `INSERT INTO fulfillment.shop_settings (shop_id, tenant_id, status, auto_fulfillment_dispatch, revision)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (shop_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, status = EXCLUDED.status,
       auto_fulfillment_dispatch = EXCLUDED.auto_fulfillment_dispatch,
       revision = EXCLUDED.revision, updated_at = now()`,
    [shop.shopId, shop.tenantId, shop.status, shop.autoFulfillmentDispatch, shop.revision],
  );
}

/** The tenants this service has seen the shop under (from shop.updated or its settings). */
export async function tenantsOfShop(manager: EntityManager, shopId: string): Promise<string[]> {
  const rows = await manager.query<{ tenant_id: string }[]>(
    `SELECT tenant_id FROM fulfillment.shop_settings WHERE shop_id = $1
     UNION SELECT tenant_id FROM fulfillment.shop_fulfillment_settings WHERE shop_id = $1`,
    [shopId],
  );
  return rows.map((row) => row.tenant_id);
}
