import type { Producer } from 'kafkajs';
import pino from 'pino';
import type { DataSource, EntityManager } from 'typeorm';

import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';

/*
 * The relay's idle rhythm, with a scripted database (unit test: the relay's SQL itself is
 * exercised against PostgreSQL and Kafka in messaging.int-spec.ts). Each step is one call of the
 * SELECT; `ready` is how many rows it finds.
 */

const SCHEMA = 'relay_unit';

function scriptedDatabase() {
  const steps: number[] = [];
  let ready = 0;
  const done = () => Promise.resolve(undefined);
  const runner = {
    connect: done,
    startTransaction: done,
    commitTransaction: done,
    rollbackTransaction: done,
    release: done,
    query: (sql: string): Promise<unknown[]> => {
      if (sql.includes('pg_try_advisory_xact_lock')) return Promise.resolve([{ locked: true }]);
      if (sql.startsWith('SELECT id, topic')) {
        steps.push(Date.now());
        const rows = Array.from({ length: ready }, (_, i) => ({
          id: `row-${i}`,
          topic: 'order.pulled',
          message_key: 'k',
          payload: '{}',
          headers: {},
        }));
        ready = 0;
        return Promise.resolve(rows);
      }
      return Promise.resolve([]);
    },
  };
  const dataSource = {
    createQueryRunner: () => runner,
    query: () => Promise.resolve([]),
  } as unknown as DataSource;
  return { dataSource, steps, setReady: (n: number) => (ready = n) };
}

describe('OutboxRelay idle rhythm', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  function relayOn(db: ReturnType<typeof scriptedDatabase>) {
    const producer = { sendBatch: jest.fn(() => Promise.resolve([])) } as unknown as Producer;
    return new OutboxRelay({
      dataSource: db.dataSource,
      producer,
      schema: SCHEMA,
      logger: pino({ enabled: false }),
      idleMs: 50,
      maxIdleMs: 800,
    });
  }

  it('polls a quiet outbox less and less often, down to once per maxIdleMs', async () => {
    const db = scriptedDatabase();
    const relay = relayOn(db);
    relay.start();
    await jest.advanceTimersByTimeAsync(5_000);
    const gaps = db.steps.slice(1).map((t, i) => t - db.steps[i]);
    expect(gaps.slice(0, 6)).toEqual([100, 200, 400, 800, 800, 800]);
    await relay.stop();
  });

  it('a write in this process wakes it at once, and it polls briskly until the outbox is quiet again', async () => {
    const db = scriptedDatabase();
    const relay = relayOn(db);
    relay.start();
    await jest.advanceTimersByTimeAsync(3_000); // idle: sleeping 800 ms at a time
    const before = db.steps.length;

    const manager = {
      queryRunner: { isTransactionActive: true },
      query: () => Promise.resolve([]),
    } as unknown as EntityManager;
    const event = {
      id: '7d3f0c52-4b8e-4f7a-9d1e-2a6b8c0e4f11',
      type: 'shop.updated',
      version: 1,
      correlationId: 'c',
      tenantId: 't',
      shopId: 's',
      data: { shopId: 's' },
    };
    jest.setSystemTime(Date.now());
    const writtenAt = Date.now();
    await new Outbox(SCHEMA).add(manager, event as never);
    await jest.advanceTimersByTimeAsync(0);
    // Woken at once; the writer has not committed yet, so the rows appear on the next step.
    expect(db.steps[before]).toBe(writtenAt);
    db.setReady(3);
    await jest.advanceTimersByTimeAsync(50);
    expect(db.steps[before + 1]).toBe(writtenAt + 50);
    await jest.advanceTimersByTimeAsync(1_000);
    const gaps = db.steps.slice(before + 1).map((t, i, all) => (i ? t - all[i - 1] : 0));
    expect(gaps.slice(1, 4)).toEqual([50, 100, 200]);
    await relay.stop();
  });

  it('stops promptly while idle', async () => {
    const db = scriptedDatabase();
    const relay = relayOn(db);
    relay.start();
    await jest.advanceTimersByTimeAsync(3_000);
    const stopped = relay.stop();
    await jest.advanceTimersByTimeAsync(0);
    await expect(stopped).resolves.toBeUndefined();
  });
});
