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
