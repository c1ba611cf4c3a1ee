import { Counter, Histogram } from 'prom-client';

/** Messaging metrics on the process's default prom-client registry (served at /metrics). */
export interface MessagingMetrics {
  published: Counter<'schema'>;
  consumed: Counter<'group' | 'topic' | 'outcome'>;
  deadLettered: Counter<'group' | 'topic' | 'code'>;
  retries: Counter<'group' | 'topic'>;
  chunkSeconds: Histogram<'group' | 'topic'>;
}

let metrics: MessagingMetrics | undefined;

export function messagingMetrics(): MessagingMetrics {
  if (metrics) return metrics;
  metrics = {
    published: new Counter({
      name: 'smartship_outbox_published_total',
      help: 'Outbox rows published to Kafka.',
      labelNames: ['schema'],
    }),
    consumed: new Counter({
      name: 'smartship_events_consumed_total',
      help: 'Events handled by consumers, by outcome (applied, duplicate, dead_lettered).',
      labelNames: ['group', 'topic', 'outcome'],
    }),
    deadLettered: new Counter({
      name: 'smartship_events_dead_lettered_total',
      help: 'Events sent to a dead-letter topic, by reason code.',
      labelNames: ['group', 'topic', 'code'],
    }),
    retries: new Counter({
      name: 'smartship_consumer_retries_total',
      help: 'Transient failures retried by consumers.',
      labelNames: ['group', 'topic'],
    }),
    chunkSeconds: new Histogram({
      name: 'smartship_consumer_chunk_seconds',
      help: 'Time to apply one chunk of events in one database transaction.',
      labelNames: ['group', 'topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
  };
  return metrics;
}
