import { Kafka, KafkaMessage, logLevel } from 'kafkajs';

import { uniqueSuffix } from './env';

export function testKafka(brokers: string[], clientId = 'test'): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 5 } });
}

export interface CollectedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

function toCollected(topic: string, partition: number, message: KafkaMessage): CollectedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}

/**
 * Reads topics from the beginning with a group of its own and keeps every message, for tests to
 * assert on. `stop()` leaves the group.
 */
export class TopicCollector {
  readonly messages: CollectedMessage[] = [];
  private readonly consumer;
  /** The offset after the last message received, per `topic:partition`. */
  private readonly next = new Map<string, bigint>();

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {
    this.consumer = kafka.consumer({
      groupId: `test-collector-${uniqueSuffix()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
    });
  }

  /**
   * Waits until the topics exist (the services create them when they start, and a test may
   * start its collector first), then reads them from the beginning.
   */
  async start(timeoutMs = 60_000): Promise<this> {
    await this.waitForTopics(timeoutMs);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        this.messages.push(toCollected(topic, partition, message));
        this.next.set(`${topic}:${partition}`, BigInt(message.offset) + 1n);
        return Promise.resolve();
      },
    });
    return this;
  }

  private async waitForTopics(timeoutMs: number): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const existing = new Set(await admin.listTopics());
        const missing = this.topics.filter((topic) => !existing.has(topic));
        if (missing.length === 0) {
          // Created is not yet led: wait until every partition has a leader too.
          const metadata = await admin.fetchTopicMetadata({ topics: this.topics });
          if (metadata.topics.every((t) => t.partitions.every((p) => p.leader >= 0))) return;
        } else if (Date.now() > deadline) {
          throw new Error(`topics not created within ${timeoutMs} ms: ${missing.join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Waits until the collector has received every message that is on its topics now (up to each
   * partition's end offset at the time of the call).
   */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await Promise.all(
        this.topics.map(async (topic) =>
          (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
            key: `${topic}:${partition}`,
            high: BigInt(high),
          })),
        ),
      );
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const behind = ends.flat().filter(({ key, high }) => (this.next.get(key) ?? 0n) < high);
        if (behind.length === 0) return;
        if (Date.now() > deadline) {
          throw new Error(`collector behind on ${behind.map(({ key }) => key).join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await admin.disconnect();
    }
  }

  on(topic: string): CollectedMessage[] {
    return this.messages.filter((message) => message.topic === topic);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
