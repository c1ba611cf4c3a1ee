import {
  ONE_DAY_MS,
  RMS_LIMITS,
  halveSearchWindow,
  splitSearchWindow,
  type SearchWindow,
} from '@smartship/rakuten';

/*
 * The window arithmetic of backfills and deep sweeps (docs/rakuten-rms.md §2.1): a range cut into
 * searchOrder windows of at most 63 days, oldest first; a window RMS can no longer search (its
 * start slid past the 730-day limit while the job waited) cut to what it still can; a window with
 * 15,000 matches or more halved in place. Pure functions, unit-tested in backfill-windows.spec.ts.
 */

/** A window as stored in `ingestion.backfills.windows`: ISO-8601 start and end, both inclusive. */
export type StoredWindow = [string, string];

/**
 * Margin kept from RMS's 730-day limit when a search starts: the job's clock and RMS's may
 * differ a little, and a search refused for its start would stop the job.
 */
export const SEARCH_LIMIT_MARGIN_MS = 10 * 60_000;

/** The ≤ 63-day windows of a range, oldest first, each starting a second after the previous. */
export function backfillWindows(from: Date, to: Date): SearchWindow[] {
  return splitSearchWindow(from, to, RMS_LIMITS.searchWindowDays);
}

export function storeWindows(windows: SearchWindow[]): StoredWindow[] {
  return windows.map((w) => [w.start.toISOString(), w.end.toISOString()]);
}

export function loadWindows(stored: StoredWindow[]): SearchWindow[] {
  return stored.map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
}

/** The oldest instant searchOrder accepts as a start at `now` (730 days, less the margin). */
export function oldestSearchable(now: Date): Date {
  const at = now.getTime() - RMS_LIMITS.searchLookbackDays * ONE_DAY_MS + SEARCH_LIMIT_MARGIN_MS;
  return new Date(Math.ceil(at / 1000) * 1000);
}

/**
 * The part of a window RMS still searches at `now`: the start moved up to the 730-day limit, or
 * null when the whole window is older (nothing in it can be searched any more).
 */
export function searchablePart(window: SearchWindow, now: Date): SearchWindow | null {
  const oldest = oldestSearchable(now);
  if (window.end < oldest) return null;
  return window.start < oldest ? { start: oldest, end: window.end } : window;
}

/**
 * The windows with window `index` replaced by its two halves (for a window with 15,000 or more
 * matches: only the first 15,000 of a search can be reached); null when it is one second long.
 */
export function halveWindowAt(windows: SearchWindow[], index: number): SearchWindow[] | null {
  const halves = halveSearchWindow(windows[index]);
  if (!halves) return null;
  return [...windows.slice(0, index), ...halves, ...windows.slice(index + 1)];
}

/**
 * The range of a deep sweep at `now`: from `days` back to where the regular look-back starts,
 * overlapping it by an hour (an order dated at the boundary is in one or the other). Null when
 * the look-back already covers `days`.
 */
export function sweepRange(
  now: Date,
  days: number,
  lookbackDays: number,
): { from: Date; to: Date } | null {
  if (days <= lookbackDays) return null;
  const from = oldestSearchable(now);
  const wanted = new Date(now.getTime() - days * ONE_DAY_MS);
  const to = new Date(now.getTime() - lookbackDays * ONE_DAY_MS + 60 * 60_000);
  return { from: wanted > from ? wanted : from, to };
}

/** Calls a range costs at least: one searchOrder per window (plus a page per 1,000 orders in 300). */
export function minimumSearchCalls(from: Date, to: Date): number {
  return backfillWindows(from, to).length;
}
