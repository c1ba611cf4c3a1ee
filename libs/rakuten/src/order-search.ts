import type { CallOptions, RakutenClient } from './rakuten-client';
import { formatRmsDateTime } from './rms-dates';
import { RMS_LIMITS } from './rms-functions';
import type { SearchDateType, SearchOrderRequest } from './types/order-api.types';

/*
 * Finding every order in a date range despite searchOrder's limits (docs/rakuten-rms.md §2.1, §6):
 * windows of at most 63 days, pages of at most 1,000, and only the first 15,000 matches of a
 * search reachable at all. A range is cut into 63-day windows; a window with 15,000 or more
 * matches is halved until each part is below the cap.
 */

const SECOND_MS = 1000;
const DAY_MS = 24 * 60 * 60 * SECOND_MS;

/** A search window, both ends inclusive, whole seconds. */
export interface SearchWindow {
  start: Date;
  end: Date;
}

/**
 * Cuts [from, to] into consecutive windows of at most `maxDays` days, each starting one second
 * after the previous one ends (RMS compares whole seconds, both ends inclusive).
 */
export function splitSearchWindow(
  from: Date,
  to: Date,
  maxDays: number = RMS_LIMITS.searchWindowDays,
): SearchWindow[] {
  const start = Math.floor(from.getTime() / SECOND_MS) * SECOND_MS;
  const end = Math.floor(to.getTime() / SECOND_MS) * SECOND_MS;
  if (end < start) throw new RangeError('search window ends before it starts');
  const windows: SearchWindow[] = [];
  for (let s = start; s <= end;) {
    const e = Math.min(end, s + maxDays * DAY_MS);
    windows.push({ start: new Date(s), end: new Date(e) });
    s = e + SECOND_MS;
  }
  return windows;
}

/** Halves a window at a whole second; null when it is one second long and cannot be cut. */
export function halveSearchWindow(window: SearchWindow): [SearchWindow, SearchWindow] | null {
  const start = window.start.getTime();
  const end = window.end.getTime();
  if (end - start < SECOND_MS) return null;
  const middle = start + Math.floor((end - start) / 2 / SECOND_MS) * SECOND_MS;
  return [
    { start: window.start, end: new Date(middle) },
    { start: new Date(middle + SECOND_MS), end: window.end },
  ];
}

/** Filters of searchOrder other than dates and paging. */
export type SearchOrderFilters = Omit<
  SearchOrderRequest,
  'dateType' | 'startDatetime' | 'endDatetime' | 'PaginationRequestModel'
>;

export interface SearchAllOptions extends CallOptions {
  /** Page size, ≤ 1000 (default 1000). */
  pageSize?: number;
  /** The reachable-result cap (default 15,000); lower only in tests. */
  resultCap?: number;
  /** Longest window, in days (default 63). */
  maxWindowDays?: number;
  /**
   * How often a window is read again when its total changed while it was being paged (an order
   * arrived or left, shifting page boundaries). Default 3.
   */
  maxPasses?: number;
}

export interface SearchAllResult {
  /** Unique order numbers, in the order first seen (ascending order date-time per window). */
  orderNumbers: string[];
  /** searchOrder calls made. */
  calls: number;
  /** Windows that still had ≥ cap matches in one second; some of their orders were unreachable. */
  cappedWindows: SearchWindow[];
}

/**
 * Every order number matching `filters` whose `dateType` date lies in [from, to]. Pages are read
 * in ascending 注文日時 order, so orders arriving during the scan land after the pages already read;
 * if a window's total changes between its pages, the window is read again and the union kept, so
 * an order that moved a page boundary is not lost.
 */
export async function searchAllOrderNumbers(
  client: RakutenClient,
  dateType: SearchDateType,
  from: Date,
  to: Date,
  filters: SearchOrderFilters = {},
  options: SearchAllOptions = {},
): Promise<SearchAllResult> {
  const pageSize = options.pageSize ?? RMS_LIMITS.searchPageSize;
  const cap = options.resultCap ?? RMS_LIMITS.searchResultCap;
  const maxPasses = options.maxPasses ?? 3;
  const seen = new Set<string>();
  const result: SearchAllResult = { orderNumbers: [], calls: 0, cappedWindows: [] };

  const page = async (window: SearchWindow, requestPage: number) => {
    result.calls += 1;
    return client.searchOrder(
      {
        ...filters,
        dateType,
        startDatetime: formatRmsDateTime(window.start),
        endDatetime: formatRmsDateTime(window.end),
        PaginationRequestModel: {
          requestRecordsAmount: pageSize,
          requestPage,
          SortModelList: [{ sortColumn: 1, sortDirection: 1 }],
        },
      },
      { signal: options.signal },
    );
  };
  const add = (numbers: string[]) => {
    for (const number of numbers) {
      if (!seen.has(number)) {
        seen.add(number);
        result.orderNumbers.push(number);
      }
    }
  };

  const scan = async (window: SearchWindow): Promise<void> => {
    for (let pass = 1; pass <= maxPasses; pass++) {
      const first = await page(window, 1);
      if (first.totalRecords >= cap) {
        const halves = halveSearchWindow(window);
        if (halves) {
          await scan(halves[0]);
          await scan(halves[1]);
          return;
        }
        result.cappedWindows.push(window);
      }
      add(first.orderNumbers);
      let stable = true;
      for (let n = 2; n <= first.totalPages; n++) {
        const next = await page(window, n);
        add(next.orderNumbers);
        if (next.totalRecords !== first.totalRecords) stable = false;
      }
      if (stable) return;
    }
  };

  for (const window of splitSearchWindow(from, to, options.maxWindowDays)) await scan(window);
  return result;
}
