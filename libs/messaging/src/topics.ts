import { Topic, dlqTopic } from '@smartship/contracts';
import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import type { Logger } from 'pino';

export interface TopicPlan {
  /** Topics the service produces or consumes. */
  topics: readonly Topic[];
  /** Topics that also get a `<topic>.dlq` (those the service consumes). */
  deadLetterFor?: readonly Topic[];
  /** Log-compacted topics (latest value per key is kept), e.g. shop.updated. */
  compacted?: readonly Topic[];
  /** Partitions of a new topic. */
  partitions: number;
  /** Replicas of a new topic (1 on a single local broker). */
  replicationFactor?: number;
}

/**
 * Creates the topics a service needs, with the project's settings, instead of relying on broker
 * auto-creation (which is disabled). Existing topics are left as they are; a topic with fewer
 * partitions than configured is reported, not changed, because adding partitions moves keys.
 */
export async function ensureTopics(kafka: Kafka, plan: TopicPlan, logger: Logger): Promise<void> {
  const wanted = new Set<string>([
    ...plan.topics,
    ...(plan.deadLetterFor ?? []).map((t) => dlqTopic(t)),
  ]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted].filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await createIgnoringRaces(admin, {
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: plan.partitions,
          replicationFactor: plan.replicationFactor ?? 1,
          configEntries: (plan.compacted as readonly string[] | undefined)?.includes(topic)
            ? [{ name: 'cleanup.policy', value: 'compact' }]
            : [],
        })),
      });
      logger.info({ topics: missing, partitions: plan.partitions }, 'created topics');
    }
    const present = [...wanted].filter((topic) => existing.has(topic));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present });
      for (const topic of metadata.topics) {
        if (topic.partitions.length < plan.partitions) {
          logger.warn(
            { topic: topic.name, partitions: topic.partitions.length, configured: plan.partitions },
            'topic has fewer partitions than configured; add them with care (keys move)',
          );
        }
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Several services start together and create the same topics: "already exists" is success. */
async function createIgnoringRaces(
  admin: Admin,
  request: { waitForLeaders: boolean; topics: ITopicConfig[] },
): Promise<void> {
  try {
    await admin.createTopics(request);
  } catch (error) {
    const errors = (error as { errors?: { type?: string }[] }).errors;
    const onlyExists =
      Array.isArray(errors) && errors.every((item) => item.type === 'TOPIC_ALREADY_EXISTS');
    if (!onlyExists) throw error;
  }
}
