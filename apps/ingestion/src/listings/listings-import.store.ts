import type { ListingsImportView } from '@smartship/contracts';

import type { Queryable } from '../shops/shop-record';

/*
 * The `ingestion.listing_imports` rows (one per shop: its current or last listings import).
 * States: queued → running → finished | failed; finished/failed → queued again when the
 * schedule is due or someone starts it. A running import keeps the cursorMark of its next page.
 */

export interface ListingImportRow {
  shop_id: string;
  state: 'queued' | 'running' | 'finished' | 'failed';
  trigger: 'connect' | 'manual' | 'schedule';
  import_id: string | null;
  cursor_mark: string | null;
  pages: number;
  items: number;
  num_found: number | null;
  started_at: Date | null;
  finished_at: Date | null;
  error_code: string | null;
  error_message: string | null;
  next_run_at: Date | null;
}

/** Queues the first import of a shop seen callable for the first time; later calls do nothing. */
export async function queueConnectImport(db: Queryable, shopId: string): Promise<void> {
  await db.query(
    `INSERT INTO ingestion.listing_imports (shop_id, state, trigger)
     VALUES ($1, 'queued', 'connect') ON CONFLICT (shop_id) DO NOTHING`,
    [shopId],
  );
}

/**
 * Queues a manual import. A queued or running import is left as it is (it already covers the
 * request), so starting twice never runs two imports of one shop.
 */
export async function queueManualImport(db: Queryable, shopId: string): Promise<void> {
  await db.query(
    `INSERT INTO ingestion.listing_imports (shop_id, state, trigger)
     VALUES ($1, 'queued', 'manual')
     ON CONFLICT (shop_id) DO UPDATE SET state = 'queued', trigger = 'manual', updated_at = now()
      WHERE listing_imports.state IN ('finished', 'failed')`,
    [shopId],
  );
}

export async function loadImport(db: Queryable, shopId: string): Promise<ListingImportRow | null> {
  const rows = await db.query<ListingImportRow[]>(
    'SELECT * FROM ingestion.listing_imports WHERE shop_id = $1',
    [shopId],
  );
  return rows[0] ?? null;
}

export function importView(shopId: string, row: ListingImportRow | null): ListingsImportView {
  if (!row) {
    return {
      shopId,
      state: 'never',
      trigger: null,
      importId: null,
      startedAt: null,
      finishedAt: null,
      pages: 0,
      items: 0,
      numFound: null,
      error: null,
      nextRunAt: null,
    };
  }
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    shopId,
    state: row.state,
    trigger: row.trigger,
    importId: row.import_id,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    pages: row.pages,
    items: row.items,
    numFound: row.num_found,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    nextRunAt: iso(row.next_run_at),
  };
}
