import type { Admin } from 'kafkajs';

import { groupCaughtUp } from './kafka-offsets';

/** Anything that runs SQL and answers rows (a pg Client or Pool). */
interface Rows {
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface SettledOptions {
  db: Rows;
  admin: Admin;
  /** The services' schemas; those with an outbox are checked. */
  schemas: readonly string[];
  /** Only the consumer groups whose id ends with this (the run's KAFKA_GROUP_SUFFIX). */
  groupSuffix: string;
  timeoutMs?: number;
}

/**
 * Waits until nothing the platform was doing is still in flight: every outbox of `schemas` has
 * published all its rows, and every consumer group of the run has applied everything on every
 * topic it reads. A test that checks that something did NOT happen (no row changed, no secret
 * in any event) waits for this point instead of sleeping: on a slow machine a sleep passes
 * without testing. Seen twice in a row, since a handler applying the last message may add to an
 * outbox between the two reads.
 */
export async function awaitSettled(options: SettledOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let settledReads = 0;
  let lastReason = '';
  while (settledReads < 2) {
    const reason = await inFlight(options);
    if (reason === null) settledReads += 1;
    else {
      settledReads = 0;
      lastReason = reason;
      if (Date.now() >= deadline) {
        throw new Error(`the platform did not settle in time: ${lastReason}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What is still in flight, or null when nothing is. */
async function inFlight({
  db,
  admin,
  schemas,
  groupSuffix,
}: SettledOptions): Promise<string | null> {
  for (const schema of schemas) {
    const { rows } = await db.query<{ exists: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS exists`,
      [`"${schema}".outbox`],
    );
    if (!rows[0]?.exists) continue;
    const unpublished = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE published_at IS NULL`,
    );
    if (unpublished.rows[0].n > 0)
      return `${unpublished.rows[0].n} unpublished in ${schema}.outbox`;
  }
  const { groups } = await admin.listGroups();
  for (const { groupId } of groups.filter((group) => group.groupId.endsWith(groupSuffix))) {
    const topics = (await admin.fetchOffsets({ groupId })).map(({ topic }) => topic);
    for (const topic of topics) {
      if (!(await groupCaughtUp(admin, groupId, topic))) return `${groupId} behind on ${topic}`;
    }
  }
  return null;
}
