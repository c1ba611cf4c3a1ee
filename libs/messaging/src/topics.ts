import { Topic, dlqTopic } from '@smartship/contracts/events';
import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import type { Logger } from 'pino';

import { backoffDelay, sleep } from './backoff';
import { errorMessage } from './messaging.errors';

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
  const wanted = [
    ...new Set<string>([...plan.topics, ...(plan.deadLetterFor ?? []).map((t) => dlqTopic(t))]),
  ];
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Services start together and create the same topics; a topic another process has just
    // created may not have its metadata everywhere yet. Such errors are transient: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await createMissing(admin, wanted, plan, logger);
        await waitForLeaders(admin, wanted);
        break;
      } catch (error) {
        if (attempt >= 8) throw error;
        const delay = backoffDelay(attempt, { initialMs: 250, maxMs: 4_000 });
        logger.warn(
          { err: errorMessage(error), attempt, retryInMs: delay },
          'topic set-up failed, retrying',
        );
        await sleep(delay);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

async function createMissing(
  admin: Admin,
  wanted: string[],
  plan: TopicPlan,
  logger: Logger,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await createIgnoringRaces(admin, {
      // We wait for leaders ourselves (below): kafkajs's own wait can reject unhandled.
      waitForLeaders: false,
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
  const present = wanted.filter((topic) => existing.has(topic));
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
}

/** Resolves once every partition of every topic has a leader (up to 15 s). */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics });
    const ready = metadata.topics.every(
      (topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0),
    );
    if (ready) return;
    if (Date.now() > deadline)
      throw new Error(`topics without leaders after 15 s: ${topics.join(', ')}`);
    await sleep(200);
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
