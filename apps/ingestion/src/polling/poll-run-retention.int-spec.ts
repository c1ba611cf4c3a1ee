import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { openServiceDataSource } from '@smartship/persistence';
import { testInfrastructure } from '@smartship/testing';
import pino from 'pino';
import type { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import { migrations } from '../migrations';
import { PollRunRetention } from './poll-run-retention';

const infra = testInfrastructure();
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = await openServiceDataSource({
    url: infra.databaseUrl,
    schema: 'ingestion',
    entities: [],
    migrations,
    poolSize: 2,
  });
});

afterAll(async () => {
  await dataSource?.destroy();
});

it("deletes poll runs past the window but keeps every shop's latest, however old", async () => {
  const config = Object.assign(new IngestionConfig(), { POLL_RUNS_RETENTION_DAYS: 14 });
  const retention = new PollRunRetention(dataSource, config, pino({ level: 'silent' }));
  const active = randomUUID();
  const quiet = randomUUID();
  const run = (shopId: string, daysAgo: number) =>
    dataSource.query(
      `INSERT INTO ingestion.poll_runs (shop_id, owner, trigger, started_at)
       VALUES ($1, 'test', 'schedule', now() - ($2::int * interval '1 day'))`,
      [shopId, daysAgo],
    );
  for (const days of [40, 20, 15, 13, 1, 0]) await run(active, days);
  // A shop not polled for a month (suspended): its last run stays for its last-pull view.
  for (const days of [60, 30]) await run(quiet, days);

  const deleted = await retention.prune();
  expect(deleted).toBeGreaterThanOrEqual(4);
  const ages = async (shopId: string) =>
    (
      await dataSource.query<{ age: number }[]>(
        `SELECT extract(day FROM now() - started_at)::int AS age FROM ingestion.poll_runs
          WHERE shop_id = $1 ORDER BY started_at`,
        [shopId],
      )
    ).map((row) => row.age);
  expect(await ages(active)).toEqual([13, 1, 0]);
  expect(await ages(quiet)).toEqual([30]);
});
