import { AnyEvent, encodeEvent, eventKey } from '@smartship/contracts/events';
import type { EntityManager } from 'typeorm';

import { quoteSchema } from './messaging-tables';

/** Headers every published message carries, so tools can route and trace without parsing. */
export function envelopeHeaders(event: AnyEvent): Record<string, string> {
  return {
    'event-id': event.id,
    'event-type': event.type,
    'event-version': String(event.version),
    'correlation-id': event.correlationId,
  };
}

/** Relays of this process waiting for rows of a schema (see OutboxRelay's idle back-off). */
const waiting = new Map<string, Set<() => void>>();

/**
 * Calls `wake` each time an event is written to `schema`'s outbox in this process; returns the
 * function that stops it. The rows become visible when the writer commits, soon after.
 */
export function onOutboxWrite(schema: string, wake: () => void): () => void {
  let set = waiting.get(schema);
  if (!set) waiting.set(schema, (set = new Set()));
  set.add(wake);
  return () => set.delete(wake);
}

/**
 * Writes events into the service's outbox table, inside the caller's transaction: the events
 * exist if and only if the state change that caused them committed.
 */
export class Outbox {
  private readonly table: string;

  constructor(private readonly schema: string) {
    this.table = `${quoteSchema(schema)}.outbox`;
  }

  async add(manager: EntityManager, events: AnyEvent | AnyEvent[]): Promise<void> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.add must run inside a transaction (pass the transaction manager)');
    }
    const values: unknown[] = [];
    const rows = list.map((event, i) => {
      values.push(
        event.id,
        event.type,
        eventKey(event),
        encodeEvent(event),
        JSON.stringify(envelopeHeaders(event)),
      );
      const p = i * 5;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb)`;
    });
    await manager.query(
      `INSERT INTO ${this.table} (id, topic, message_key, payload, headers) VALUES ${rows.join(', ')}`,
      values,
    );
    for (const wake of waiting.get(this.schema) ?? []) wake();
  }
}
