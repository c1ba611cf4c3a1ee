import { type AnyEvent, encodeEvent, eventKey } from '@smartship/contracts';
import type { Producer } from 'kafkajs';

import { expectEventually } from './expect-eventually';

/** Runs one SQL query (a TypeORM DataSource's or a pg Pool's `query`, adapted). */
export type TestQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

/**
 * Publishes events on their topics in one request (so that a consumer may see them in one chunk)
 * and waits until the service whose schema is given has applied every one: its id is in that
 * service's inbox.
 */
export async function publishAndAwaitApplied(
  producer: Producer,
  query: TestQuery,
  schema: string,
  events: AnyEvent[],
): Promise<void> {
  const byTopic = new Map<string, AnyEvent[]>();
  for (const event of events) byTopic.set(event.type, [...(byTopic.get(event.type) ?? []), event]);
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, list]) => ({
      topic,
      messages: list.map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
    })),
  });
  await expectEventually(async () =>
    expect(
      await query(`SELECT 1 FROM ${schema}.inbox WHERE event_id = ANY($1::uuid[])`, [
        events.map((event) => event.id),
      ]),
    ).toHaveLength(events.length),
  );
}
