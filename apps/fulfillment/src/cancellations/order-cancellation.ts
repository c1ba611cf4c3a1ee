import type { CancellationView } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

/** The marketplace's cancellation of an order, as recorded by order.canceled. */
export type RecordedCancellation = Omit<CancellationView, 'afterShipment'>;

export async function findCancellation(
  manager: EntityManager,
  shopId: string,
  orderNumber: string,
): Promise<RecordedCancellation | undefined> {
  const rows = await manager.query<{ rakuten_status: number; reason: string; detected_at: Date }[]>(
    `SELECT rakuten_status, reason, detected_at FROM fulfillment.order_cancellations
      WHERE shop_id = $1 AND order_number = $2`,
    [shopId, orderNumber],
  );
  const row = rows[0];
  return row
    ? {
        rakutenStatus: row.rakuten_status,
        reason: row.reason,
        detectedAt: row.detected_at.toISOString(),
      }
    : undefined;
}
