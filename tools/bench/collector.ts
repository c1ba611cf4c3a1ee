import type { Consumer, Kafka } from 'kafkajs';

/**
 * Reads topics as a consumer of its own and keeps, per topic, the first broker timestamp of each
 * key (ms) and the message count, plus the value sizes of the first topic. Keys are
 * `<shopId>:<orderNumber>` for the order topics, so `forShops` picks one run's orders.
 */
export class TimestampCollector {
  readonly first = new Map<string, Map<string, number>>();
  readonly counts = new Map<string, number>();
  readonly sizes: number[] = [];
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {
    for (const topic of topics) {
      this.first.set(topic, new Map());
      this.counts.set(topic, 0);
    }
  }

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({
      groupId: `bench-collector-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
      sessionTimeout: 10_000,
      maxBytes: 50 * 1024 * 1024,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    let assigned = false;
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      assigned = true;
    });
    await this.consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const keys = this.first.get(batch.topic)!;
        for (const message of batch.messages) {
          const key = message.key?.toString() ?? '';
          if (!keys.has(key)) keys.set(key, Number(message.timestamp));
          if (batch.topic === this.topics[0]) this.sizes.push(message.value?.length ?? 0);
        }
        this.counts.set(batch.topic, this.counts.get(batch.topic)! + batch.messages.length);
        await Promise.resolve();
      },
    });
    for (let i = 0; i < 300 && !assigned; i++) await new Promise((r) => setTimeout(r, 100));
    return this;
  }

  /** Key → first timestamp for keys of these shops. */
  forShops(topic: string, shopIds: string[]): Map<string, number> {
    const prefixes = shopIds.map((id) => `${id}:`);
    const out = new Map<string, number>();
    for (const [key, ts] of this.first.get(topic)!) {
      if (prefixes.some((prefix) => key.startsWith(prefix))) out.set(key, ts);
    }
    return out;
  }

  countForShops(topic: string, shopIds: string[]): number {
    const prefixes = shopIds.map((id) => `${id}:`);
    let n = 0;
    for (const key of this.first.get(topic)!.keys()) {
      if (prefixes.some((prefix) => key.startsWith(prefix))) n++;
    }
    return n;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
