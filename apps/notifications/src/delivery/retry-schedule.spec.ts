import { latestDigestSlot } from './digest-scheduler';
import { nextAttemptAt } from './retry-schedule';

const DEFAULTS = { baseMs: 30_000, maxMs: 3_600_000, forMs: 86_400_000 };

describe('nextAttemptAt', () => {
  const created = new Date('2026-03-01T00:00:00Z');

  it('doubles from 30 s with jitter (half to all of the step), capped at an hour', () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const step = Math.min(3_600_000, 30_000 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i += 1) {
        const next = nextAttemptAt(DEFAULTS, attempt, created, created)!;
        const delay = next.getTime() - created.getTime();
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      }
    }
  });

  it('gives up once the next attempt would fall after 24 hours', () => {
    const late = new Date(created.getTime() + 86_400_000 - 1_000);
    expect(nextAttemptAt(DEFAULTS, 20, created, late)).toBeNull();
    expect(
      nextAttemptAt(DEFAULTS, 1, created, new Date(created.getTime() + 3_600_000)),
    ).not.toBeNull();
  });

  it('fits about 30 attempts in the default day', () => {
    let now = created;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const next = nextAttemptAt(DEFAULTS, attempts, created, now);
      if (!next) break;
      now = next;
    }
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(60);
  });
});

describe('latestDigestSlot', () => {
  it('is today at the hour in Japan once it has passed, else yesterday', () => {
    // 10:30 JST on 1 March = 01:30 UTC.
    const now = new Date('2026-03-01T01:30:00Z');
    expect(latestDigestSlot(now, 9).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(latestDigestSlot(now, 11).toISOString()).toBe('2026-02-28T02:00:00.000Z');
    // 23:00 UTC on 28 Feb is 08:00 JST on 1 March.
    expect(latestDigestSlot(new Date('2026-02-28T23:00:00Z'), 0).toISOString()).toBe(
      '2026-02-28T15:00:00.000Z',
    );
  });
});
