import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import {
  StartBackfillBody,
  backfillRangeProblems,
  earliestBackfillFrom,
  jstDay,
  resolveBackfillRange,
} from './backfill.calls';

const NOW = new Date('2026-03-10T03:00:00.000Z'); // 12:00 JST on 2026-03-10
const DAY = 86_400_000;

describe('backfill range', () => {
  it('reads dates as JST days: from at 00:00, to at 23:59:59 (today: now)', () => {
    expect(resolveBackfillRange('2026-01-01', '2026-02-01', NOW)).toEqual({
      from: new Date('2025-12-31T15:00:00.000Z'),
      to: new Date('2026-02-01T14:59:59.000Z'),
    });
    expect(resolveBackfillRange('2026-01-01', '2026-03-10', NOW).to).toEqual(NOW);
    expect(resolveBackfillRange('2026-01-01T00:00:00+09:00', '2026-03-01T10:00:00Z', NOW)).toEqual({
      from: new Date('2025-12-31T15:00:00.000Z'),
      to: new Date('2026-03-01T10:00:00.000Z'),
    });
  });

  it('accepts from back to 730 days before today (JST), not a day more', () => {
    const earliest = earliestBackfillFrom(NOW);
    expect(jstDay(earliest)).toBe(jstDay(new Date(NOW.getTime() - 730 * DAY)));
    expect(backfillRangeProblems(jstDay(earliest), '2026-03-10', NOW)).toEqual({});
    const dayBefore = jstDay(new Date(earliest.getTime() - DAY));
    expect(backfillRangeProblems(dayBefore, '2026-03-10', NOW).from).toMatch(
      /^from must be at most 730 days back/,
    );
  });

  it('names the field that is wrong and why', () => {
    expect(backfillRangeProblems('yesterday', '2026-03-01', NOW)).toEqual({
      from: expect.stringMatching(/^from must be a date \(YYYY-MM-DD/),
    });
    expect(backfillRangeProblems('2026-01-01', '2026-03-11', NOW)).toEqual({
      to: 'to must not be in the future',
    });
    expect(backfillRangeProblems('2026-01-01', '2026-03-10T13:00:00+09:00', NOW)).toEqual({
      to: 'to must not be in the future',
    });
    expect(backfillRangeProblems('2026-02-01', '2026-01-01', NOW)).toEqual({
      to: 'to must be later than from',
    });
    expect(backfillRangeProblems('2026-02-30', 3, NOW)).toEqual({
      from: expect.any(String),
      to: expect.any(String),
    });
  });

  it('validates the HTTP body with the same rules (class-validator), one problem per field', () => {
    const problems = (body: object) =>
      Object.fromEntries(
        validateSync(plainToInstance(StartBackfillBody, body)).map((error) => [
          error.property,
          Object.values(error.constraints ?? {}),
        ]),
      );
    const today = jstDay(new Date());
    expect(problems({ from: '2025-12-01', to: today })).toEqual({});
    expect(problems({ from: '2025-12-01' })).toEqual({
      to: expect.arrayContaining(['to must be a string']),
    });
    expect(problems({ from: today, to: '2025-12-01' })).toEqual({
      to: ['to must be later than from'],
    });
  });
});
