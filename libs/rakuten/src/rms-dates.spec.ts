import {
  addDays,
  formatInventoryDateTime,
  formatRmsDate,
  formatRmsDateTime,
  isCompactRmsDate,
  isRmsDate,
  isRmsDateTime,
  parseRmsDate,
  parseRmsDateTime,
  rmsDateTimeToIso,
} from './rms-dates';

describe('RMS date helpers', () => {
  const instant = new Date('2025-03-01T15:30:05Z'); // 2025-03-02 00:30:05 in Japan

  it('writes Order API date-times in JST with +0900 (no colon)', () => {
    expect(formatRmsDateTime(instant)).toBe('2025-03-02T00:30:05+0900');
  });

  it('writes Inventory API date-times in JST with +09:00', () => {
    expect(formatInventoryDateTime(instant)).toBe('2025-03-02T00:30:05+09:00');
  });

  it('writes dates as the JST calendar day, which differs from the UTC day near midnight', () => {
    expect(formatRmsDate(instant)).toBe('2025-03-02');
    expect(instant.toISOString().slice(0, 10)).toBe('2025-03-01');
  });

  it('accepts only +0900 as an Order API date-time', () => {
    expect(isRmsDateTime('2025-03-02T00:30:05+0900')).toBe(true);
    for (const bad of [
      '2025-03-02T00:30:05+09:00',
      '2025-03-02T00:30:05Z',
      '2025-03-02T00:30:05',
      '2025-02-30T00:00:00+0900',
      '2025-03-02T24:00:00+0900',
      42,
    ]) {
      expect(isRmsDateTime(bad)).toBe(false);
    }
  });

  it('reads both JST forms back to the same instant, and refuses others', () => {
    expect(parseRmsDateTime('2025-03-02T00:30:05+0900')).toEqual(instant);
    expect(parseRmsDateTime('2025-03-02T00:30:05+09:00')).toEqual(instant);
    expect(() => parseRmsDateTime('2025-03-01T15:30:05Z')).toThrow(RangeError);
  });

  it('round-trips: format then parse gives the instant (whole seconds)', () => {
    for (let i = 0; i < 50; i++) {
      const date = new Date(Math.floor((Date.UTC(2024, 0, 1) + i * 7_777_777_777) / 1000) * 1000);
      expect(parseRmsDateTime(formatRmsDateTime(date))).toEqual(date);
    }
  });

  it('checks dates, with yyyyMMdd as a separate form', () => {
    expect(isRmsDate('2024-02-29')).toBe(true);
    expect(isRmsDate('2025-02-29')).toBe(false);
    expect(isRmsDate('2025/03/01')).toBe(false);
    expect(isCompactRmsDate('20250301')).toBe(true);
    expect(parseRmsDate('2025-03-02')).toEqual(new Date('2025-03-01T15:00:00Z'));
  });

  it('rewrites +0900 as ISO +09:00 for the event contracts', () => {
    expect(rmsDateTimeToIso('2025-03-02T00:30:05+0900')).toBe('2025-03-02T00:30:05+09:00');
    expect(addDays(instant, 63).getTime() - instant.getTime()).toBe(63 * 86_400_000);
  });
});
