import { RMS_LIMITS } from '@smartship/rakuten';

import {
  backfillWindows,
  halveWindowAt,
  loadWindows,
  minimumSearchCalls,
  oldestSearchable,
  searchablePart,
  storeWindows,
  sweepRange,
} from './backfill-windows';

const DAY = 86_400_000;
const NOW = new Date('2026-03-10T03:04:05.678Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('backfill windows', () => {
  it('cuts 200 days into four windows of at most 63 days, oldest first, back to back by the second', () => {
    const windows = backfillWindows(ago(200), NOW);
    expect(windows).toHaveLength(4);
    expect(windows[0].start.getTime()).toBe(Math.floor(ago(200).getTime() / 1000) * 1000);
    expect(windows.at(-1)?.end.getTime()).toBe(Math.floor(NOW.getTime() / 1000) * 1000);
    for (const [i, window] of windows.entries()) {
      expect(window.end.getTime() - window.start.getTime()).toBeLessThanOrEqual(63 * DAY);
      expect(window.start.getTime() % 1000).toBe(0);
      if (i > 0) expect(window.start.getTime()).toBe(windows[i - 1].end.getTime() + 1000);
    }
    expect(windows.slice(0, 3).map((w) => w.end.getTime() - w.start.getTime())).toEqual([
      63 * DAY,
      63 * DAY,
      63 * DAY,
    ]);
    expect(minimumSearchCalls(ago(200), NOW)).toBe(4);
  });

  it('makes one window of a short range and twelve of 730 days', () => {
    expect(backfillWindows(ago(3), NOW)).toHaveLength(1);
    expect(backfillWindows(ago(63), NOW)).toHaveLength(1);
    expect(backfillWindows(ago(63.5), NOW)).toHaveLength(2);
    expect(backfillWindows(ago(730), NOW)).toHaveLength(12);
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => backfillWindows(NOW, ago(1))).toThrow(RangeError);
  });

  it('stores windows as ISO pairs and reads them back unchanged', () => {
    const windows = backfillWindows(ago(100), NOW);
    expect(loadWindows(storeWindows(windows))).toEqual(windows);
    expect(JSON.parse(JSON.stringify(storeWindows(windows)))).toEqual(storeWindows(windows));
  });

  it('cuts a window to what RMS still searches (730 days less a margin), or drops it when it is all older', () => {
    const oldest = oldestSearchable(NOW);
    expect(NOW.getTime() - oldest.getTime()).toBeLessThan(RMS_LIMITS.searchLookbackDays * DAY);
    expect(NOW.getTime() - oldest.getTime()).toBeGreaterThan(
      RMS_LIMITS.searchLookbackDays * DAY - 60 * 60_000,
    );
    const straddling = { start: ago(740), end: ago(700) };
    expect(searchablePart(straddling, NOW)).toEqual({ start: oldest, end: ago(700) });
    expect(searchablePart({ start: ago(800), end: ago(740) }, NOW)).toBeNull();
    const recent = { start: ago(10), end: NOW };
    expect(searchablePart(recent, NOW)).toBe(recent);
  });

  it('halves a window in place (15,000 matches or more), and not a one-second window', () => {
    const windows = backfillWindows(ago(100), NOW);
    const halved = halveWindowAt(windows, 0);
    expect(halved).toHaveLength(3);
    expect(halved?.[0].start).toEqual(windows[0].start);
    expect(halved?.[1].end).toEqual(windows[0].end);
    expect(halved?.[1].start.getTime()).toBe((halved?.[0].end.getTime() ?? 0) + 1000);
    expect(halved?.[2]).toEqual(windows[1]);
    const second = { start: NOW, end: NOW };
    expect(halveWindowAt([second], 0)).toBeNull();
  });

  it('sweeps from DEEP_SWEEP_DAYS back to the look-back, overlapping it by an hour', () => {
    const range = sweepRange(NOW, 730, 30) ?? { from: NOW, to: NOW };
    expect(range.from).toEqual(oldestSearchable(NOW));
    expect(range.to).toEqual(new Date(ago(30).getTime() + 60 * 60_000));
    expect(backfillWindows(range.from, range.to)).toHaveLength(12);
    expect(sweepRange(NOW, 120, 30)).toEqual({
      from: ago(120),
      to: new Date(ago(30).getTime() + 60 * 60_000),
    });
    expect(sweepRange(NOW, 30, 30)).toBeNull();
  });
});
