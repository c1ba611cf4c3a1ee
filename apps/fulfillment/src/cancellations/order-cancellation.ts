import type { CancellationView } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

/** The marketplace's cancellation of an order, as recorded by order.canceled. */
export type RecordedCancellation = Omit<CancellationView, 'afterShipment'>;

/** A recorded cancellation and the order revision it canceled (that one and older ones). */
export interface RevisionCancellation extends RecordedCancellation {
  revision: number;
}

/**
 * The cancellation that applies to one revision of an order: the one recorded for that revision,
 * else for the nearest later one (an order is pulled again only after a change, so a cancellation
 * of revision 2 stops revision 1 too). undefined when no cancellation reaches the revision: a
 * cancellation of revision 1 never applies to revision 2.
 */
export function cancellationFor(
  cancellations: RevisionCancellation[],
  revision: number,
): RecordedCancellation | undefined {
  let found: RevisionCancellation | undefined;
  for (const cancellation of cancellations) {
    if (cancellation.revision < revision) continue;
    if (!found || cancellation.revision < found.revision) found = cancellation;
  }
  if (!found) return undefined;
  const { revision: _revision, ...recorded } = found;
  return recorded;
}

interface CancellationRow {
  shop_id: string;
  order_number: string;
  revision: number;
  rakuten_status: number;
  reason: string;
  detected_at: Date;
}

function fromRow(row: CancellationRow): RevisionCancellation {
  return {
    revision: row.revision,
    rakutenStatus: row.rakuten_status,
    reason: row.reason,
    detectedAt: row.detected_at.toISOString(),
  };
}

/** Every cancellation recorded for these orders, by `<shopId>\u0000<orderNumber>`. */
export async function cancellationsOf(
  manager: EntityManager,
  orders: { shopId: string; orderNumber: string }[],
): Promise<Map<string, RevisionCancellation[]>> {
  const keys = uniqueOrders(orders);
  const rows = await manager.query<CancellationRow[]>(
    `SELECT c.shop_id, c.order_number, c.revision, c.rakuten_status, c.reason, c.detected_at
       FROM fulfillment.order_cancellations c
       JOIN unnest($1::text[], $2::text[]) AS k(s, o) ON c.shop_id = k.s AND c.order_number = k.o`,
    [keys.map((o) => o.shopId), keys.map((o) => o.orderNumber)],
  );
  const byOrder = new Map<string, RevisionCancellation[]>();
  for (const row of rows) {
    const key = `${row.shop_id}\u0000${row.order_number}`;
    byOrder.set(key, [...(byOrder.get(key) ?? []), fromRow(row)]);
  }
  return byOrder;
}

/** Records a revision's cancellation; the first recorded for a revision wins. */
export async function recordCancellation(
  manager: EntityManager,
  cancellation: {
    tenantId: string;
    shopId: string;
    orderNumber: string;
    revision: number;
    rakutenStatus: number;
    reason: string;
    detectedAt: string;
  },
): Promise<void> {
  const { tenantId, shopId, orderNumber, revision, rakutenStatus, reason, detectedAt } =
    cancellation;
  await manager.query(
    `INSERT INTO fulfillment.order_cancellations
       (shop_id, order_number, revision, tenant_id, rakuten_status, reason, detected_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [shopId, orderNumber, revision, tenantId, rakutenStatus, reason, detectedAt],
  );
}

/**
 * The tenant an order's cancellations were recorded for (null: none recorded): the timeline shows
 * a cancellation only to that tenant.
 */
export async function cancellationTenant(
  manager: EntityManager,
  shopId: string,
  orderNumber: string,
): Promise<string | null> {
  const rows = await manager.query<{ tenant_id: string }[]>(
    'SELECT tenant_id FROM fulfillment.order_cancellations WHERE shop_id = $1 AND order_number = $2 LIMIT 1',
    [shopId, orderNumber],
  );
  return rows[0]?.tenant_id ?? null;
}

/** Each (shop, order number) once. */
export function uniqueOrders(
  orders: { shopId: string; orderNumber: string }[],
): { shopId: string; orderNumber: string }[] {
  const byKey = new Map(orders.map((o) => [`${o.shopId}\u0000${o.orderNumber}`, o]));
  return [...byKey.values()];
}

/** The cancellation that applies to this revision of the order (see cancellationFor). */
export async function findCancellation(
  manager: EntityManager,
  shopId: string,
  orderNumber: string,
  revision: number,
): Promise<RecordedCancellation | undefined> {
  const recorded = await cancellationsOf(manager, [{ shopId, orderNumber }]);
  return cancellationFor(recorded.get(`${shopId}\u0000${orderNumber}`) ?? [], revision);
}
