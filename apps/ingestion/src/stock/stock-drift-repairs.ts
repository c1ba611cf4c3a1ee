import type { EntityManager } from 'typeorm';

/**
 * After a successful push: the drifts (see StockDriftChecker) whose repair push is now done —
 * the listing's pushed_seq reached the drift's repair_seq — are marked repaired. Runs in the
 * transaction that records the push.
 */
export async function markDriftsRepaired(
  manager: EntityManager,
  shopId: string,
  rows: readonly { manage_number: string; variant_id: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `UPDATE ingestion.stock_drifts d SET repaired_at = now()
       FROM ingestion.listing_stock l, unnest($2::text[], $3::text[]) AS v(mn, vid)
      WHERE d.shop_id = $1 AND d.repaired_at IS NULL
        AND d.manage_number = v.mn AND d.variant_id = v.vid
        AND l.shop_id = d.shop_id AND l.manage_number = d.manage_number
        AND l.variant_id = d.variant_id AND l.pushed_seq >= d.repair_seq`,
    [shopId, rows.map((r) => r.manage_number), rows.map((r) => r.variant_id)],
  );
}
