import type { Admin } from 'kafkajs';

/**
 * True when the consumer group has committed, on every partition of `topic`, the offset after
 * the last message: it has applied everything that was there.
 */
export async function groupCaughtUp(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<boolean> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  return ends.every(({ partition, high }) => {
    const done = committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    return high === '0' || BigInt(done) >= BigInt(high);
  });
}
