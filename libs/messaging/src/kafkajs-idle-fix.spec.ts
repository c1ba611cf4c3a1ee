import { fixKafkajsIdleTimer } from './kafkajs-idle-fix';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: {
  instrumentationEmitter?: unknown;
  maxInFlightRequests?: number | null;
  requestTimeout?: number;
  enforceRequestTimeout?: boolean;
  clientId: string;
  broker: string;
  logger: unknown;
}) => { pending: unknown[]; throttledUntil: number; scheduleCheckPendingRequests(): void };

/*
 * kafkajs#1751: an idle request queue re-arms a 1 ms timer forever. Counted with fake timers: the
 * stock method leaves a timer behind on an empty queue; the fixed one does not, and still
 * schedules one when requests are pending or the broker throttles.
 */
describe('kafkajs idle timer fix', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const logger = { debug: () => undefined, warn: () => undefined, error: () => undefined };
  const queue = () =>
    new RequestQueue({
      clientId: 'test',
      broker: '127.0.0.1:1',
      logger: { namespace: () => logger },
      requestTimeout: 30_000,
    });

  it('the stock method keeps a timer armed on an empty queue (the bug)', () => {
    const idle = queue();
    idle.scheduleCheckPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(50);
    expect(jest.getTimerCount()).toBe(1); // it re-armed itself, every millisecond
  });

  it('after the fix an empty queue arms nothing; pending requests and throttling still do', () => {
    fixKafkajsIdleTimer();
    fixKafkajsIdleTimer(); // idempotent
    const idle = queue();
    idle.scheduleCheckPendingRequests();
    expect(jest.getTimerCount()).toBe(0);

    const waiting = queue();
    waiting.pending.push({});
    waiting.scheduleCheckPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
    jest.clearAllTimers();

    const throttled = queue();
    throttled.throttledUntil = Date.now() + 500;
    throttled.scheduleCheckPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
  });
});
