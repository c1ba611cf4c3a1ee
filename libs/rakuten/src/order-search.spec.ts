import { halveSearchWindow, splitSearchWindow } from './order-search';
import { chunk } from './rms-batching';

const DAY = 86_400_000;

describe('search windows', () => {
  it('keeps a range of up to 63 days as one window', () => {
    const from = new Date('2025-01-01T00:00:00Z');
    expect(splitSearchWindow(from, new Date(from.getTime() + 63 * DAY))).toHaveLength(1);
  });

  it('splits 100 days into 63 + 37 days, the second starting one second after the first ends', () => {
    const from = new Date('2025-01-01T00:00:00Z');
    const windows = splitSearchWindow(from, new Date(from.getTime() + 100 * DAY));
    expect(windows).toHaveLength(2);
    expect(windows[0].end.getTime() - windows[0].start.getTime()).toBe(63 * DAY);
    expect(windows[1].start.getTime()).toBe(windows[0].end.getTime() + 1000);
    expect(windows[1].end.getTime()).toBe(from.getTime() + 100 * DAY);
  });

  it('splits 730 days into 12 windows that cover every second exactly once', () => {
    const from = new Date('2023-01-01T00:00:00Z');
    const windows = splitSearchWindow(from, new Date(from.getTime() + 730 * DAY));
    expect(windows).toHaveLength(12);
    for (let i = 1; i < windows.length; i++)
      expect(windows[i].start.getTime()).toBe(windows[i - 1].end.getTime() + 1000);
    expect(windows.every((w) => w.end.getTime() - w.start.getTime() <= 63 * DAY)).toBe(true);
  });

  it('halves a window at a whole second and refuses to halve a single second', () => {
    const start = new Date('2025-01-01T00:00:00Z');
    const halves = halveSearchWindow({ start, end: new Date(start.getTime() + 10_000) });
    expect(halves?.[0].end.getTime()).toBe(start.getTime() + 5000);
    expect(halves?.[1].start.getTime()).toBe(start.getTime() + 6000);
    expect(halveSearchWindow({ start, end: start })).toBeNull();
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => splitSearchWindow(new Date(1000_000), new Date(0))).toThrow(RangeError);
  });
});

describe('chunk', () => {
  it('splits into chunks of at most the size, keeping order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(
      chunk(
        Array.from({ length: 1000 }, (_, i) => i),
        400,
      ).map((c) => c.length),
    ).toEqual([400, 400, 200]);
    expect(chunk([], 100)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});
