import { backoffDelay, sleep } from './backoff';
import { PermanentError, permanentFailureOf } from './messaging.errors';

describe('backoffDelay', () => {
  it('grows exponentially, stays within half and all of the step, and is capped', () => {
    const policy = { initialMs: 100, maxMs: 1_000 };
    for (let i = 0; i < 50; i++) {
      const first = backoffDelay(1, policy);
      expect(first).toBeGreaterThanOrEqual(50);
      expect(first).toBeLessThanOrEqual(100);
      const third = backoffDelay(3, policy);
      expect(third).toBeGreaterThanOrEqual(200);
      expect(third).toBeLessThanOrEqual(400);
      const late = backoffDelay(30, policy);
      expect(late).toBeGreaterThanOrEqual(500);
      expect(late).toBeLessThanOrEqual(1_000);
    }
  });
});

describe('sleep', () => {
  it('returns early when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await pending;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('permanentFailureOf', () => {
  it('treats PostgreSQL data exceptions as permanent, without quoting the value', () => {
    const failure = permanentFailureOf(
      Object.assign(new Error('invalid input syntax for type uuid: "shop-secret"'), {
        code: '22P02',
      }),
    );
    expect(failure?.code).toBe('data_exception');
    expect(failure?.message).toContain('22P02');
    expect(failure?.message).not.toContain('shop-secret');
  });

  it('leaves other errors transient', () => {
    expect(permanentFailureOf(Object.assign(new Error('deadlock'), { code: '40P01' }))).toBeNull();
    expect(permanentFailureOf(new Error('connection reset'))).toBeNull();
    expect(permanentFailureOf(new PermanentError('x', 'y'))?.code).toBe('x');
  });
});
