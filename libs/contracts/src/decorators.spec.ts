import { isDateOnly, isIsoDateTime } from './decorators';

describe('date formats', () => {
  it.each([
    '2025-03-01T10:15:00+09:00',
    '2025-03-01T10:15:00+0900',
    '2025-03-01T01:15:00.123Z',
    '2024-02-29T00:00:00Z',
  ])('accepts the date-time %s', (value) => {
    expect(isIsoDateTime(value)).toBe(true);
  });

  it.each([
    '2025-03-01T10:15:00',
    '2025-03-01',
    '2025-02-30T00:00:00Z',
    '2025-03-01T24:00:00Z',
    '2025/03/01T10:15:00Z',
    '',
    1740791700000,
  ])('refuses the date-time %p', (value) => {
    expect(isIsoDateTime(value)).toBe(false);
  });

  it('accepts real calendar dates only, in the form YYYY-MM-DD', () => {
    expect(isDateOnly('2025-03-02')).toBe(true);
    expect(isDateOnly('2024-02-29')).toBe(true);
    expect(isDateOnly('2025-02-29')).toBe(false);
    expect(isDateOnly('20250302')).toBe(false);
    expect(isDateOnly('2025/03/02')).toBe(false);
    expect(isDateOnly('2025-03-02T00:00:00Z')).toBe(false);
  });
});
