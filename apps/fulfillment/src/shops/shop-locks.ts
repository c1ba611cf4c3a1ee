import type { EntityManager } from 'typeorm';

/*
 * Transaction-scoped advisory locks for the races between consumers of different topics, which
 * Kafka does not order against each other:
 * - order.mapped reads the shop's settings while shop.updated writes them and picks up the orders
 *   that waited for them. Without a lock, an order inserted as `awaiting_shop` by a transaction
 *   that has not committed yet is invisible to the shop.updated that commits meanwhile, and waits
 *   for ever. order.mapped takes the shop's lock shared (orders of one shop do not wait for each
 *   other), shop.updated exclusive.
 * - order.mapped and order.canceled of the same order: the same reasoning for a cancellation
 *   recorded while the order's packages are being created.
 * Keys are hashes: a collision only makes two unrelated transactions wait for each other.
 */
const SHOP_SETTINGS_LOCK = 71_001;
const ORDER_LOCK = 71_002;

export async function lockShopSettings(
  manager: EntityManager,
  shopId: string,
  mode: 'shared' | 'exclusive',
): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await manager.query(`SELECT ${fn}($1, hashtext($2))`, [SHOP_SETTINGS_LOCK, shopId]);
}

export async function lockOrderKey(
  manager: EntityManager,
  shopId: string,
  orderNumber: string,
): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
    ORDER_LOCK,
    `${shopId}:${orderNumber}`,
  ]);
}

/**
 * The shared settings locks of several shops and the locks of several orders, for a chunk of
 * order.mapped: shops first, then orders, each in code order and one statement each (a chunk
 * takes no stock lock before it holds these, so it cannot close a cycle with shop.updated).
 */
export async function lockShopsAndOrders(
  manager: EntityManager,
  shopIds: string[],
  orderKeys: { shopId: string; orderNumber: string }[],
): Promise<void> {
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  await manager.query(
    `SELECT pg_advisory_xact_lock_shared($1, hashtext(s)) FROM unnest($2::text[]) WITH ORDINALITY AS t(s, i) ORDER BY i`,
    [SHOP_SETTINGS_LOCK, [...new Set(shopIds)].sort(byCode)],
  );
  const keys = [...new Set(orderKeys.map((k) => `${k.shopId}:${k.orderNumber}`))].sort(byCode);
  await manager.query(
    `SELECT pg_advisory_xact_lock($1, hashtext(k)) FROM unnest($2::text[]) WITH ORDINALITY AS t(k, i) ORDER BY i`,
    [ORDER_LOCK, keys],
  );
}
