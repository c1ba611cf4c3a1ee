import type { EntityManager } from 'typeorm';

/*
 * Transaction-scoped advisory locks on orders, for the race Kafka does not order: order.pulled and
 * order.canceled of one order are on two topics, applied by two consumers at the same time. Both
 * take the order's lock before they read what mapping keeps of it, so a cancellation cannot miss
 * a held order a pull is storing, nor a pull miss a cancellation being recorded. A transaction
 * takes them after its tenants' catalog locks (CatalogCache), in key order, so that two
 * transactions never wait for each other in a cycle.
 * Keys are hashes: a collision only makes two unrelated transactions wait for each other.
 */
const ORDER_LOCK = 7_104;

/** Locks these orders until the transaction ends. */
export async function lockOrderKeys(
  manager: EntityManager,
  orders: { shopId: string; orderNumber: string }[],
): Promise<void> {
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const keys = [...new Set(orders.map((o) => `${o.shopId}:${o.orderNumber}`))].sort(byCode);
  if (keys.length === 0) return;
  await manager.query(
    `SELECT pg_advisory_xact_lock($1, hashtext(k)) FROM unnest($2::text[]) WITH ORDINALITY AS t(k, i) ORDER BY i`,
    [ORDER_LOCK, keys],
  );
}
