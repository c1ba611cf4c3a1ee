import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Topic } from '@smartship/contracts';
import {
  EventConsumer,
  EventConsumerOptions,
  OutboxRelay,
  Outbox,
  createKafka,
  createProducer,
  ensureTopics,
  messagingMetrics,
} from '@smartship/messaging';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { BackendServiceConfig } from './config';
import { ROOT_LOGGER, SERVICE_CONFIG, SERVICE_NAME } from './tokens';

export const TOPIC_PLAN = Symbol('TOPIC_PLAN');
export const SERVICE_SCHEMA = Symbol('SERVICE_SCHEMA');

export interface ServiceTopics {
  /** Topics the service writes to (through its outbox). */
  produces: readonly Topic[];
  /** Topics the service consumes; each gets a dead-letter topic. */
  consumes: readonly Topic[];
}

type ConsumerRegistration = Omit<
  EventConsumerOptions,
  'kafka' | 'dataSource' | 'schema' | 'producer' | 'logger'
>;

/**
 * The service's Kafka side: client, idempotent producer, outbox relay and consumers, with one
 * owner for their lifecycle. Start: topics, producer, relay, then consumers. Stop, before the
 * database pool closes: consumers drain and commit first, then the relay publishes what they
 * wrote, then the producer disconnects.
 */
@Injectable()
export class MessagingRuntime
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly outbox: Outbox;
  private readonly relay: OutboxRelay;
  private readonly consumers: EventConsumer[] = [];
  private admin?: Admin;
  private logger: Logger;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BackendServiceConfig,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(SERVICE_SCHEMA) readonly schema: string,
    @Inject(TOPIC_PLAN) private readonly topics: ServiceTopics,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.logger = rootLogger.child({ component: 'messaging' });
    // Registered now so /metrics lists them from the start, not after the first event.
    messagingMetrics();
    this.kafka = createKafka({
      brokers: config.KAFKA_BROKERS.split(','),
      clientId: service,
      logger: this.logger,
    });
    this.producer = createProducer(this.kafka);
    this.outbox = new Outbox(schema);
    this.relay = new OutboxRelay({
      dataSource,
      producer: this.producer,
      schema,
      logger: this.logger,
      inboxRetentionDays: config.INBOX_RETENTION_DAYS,
    });
  }

  /** Registers a consumer; it starts with the application. Group ids get the test suffix, if any. */
  registerConsumer(options: ConsumerRegistration): EventConsumer {
    const consumer = new EventConsumer({
      ...options,
      groupId: `${options.groupId}${this.config.KAFKA_GROUP_SUFFIX ?? ''}`,
      kafka: this.kafka,
      dataSource: this.dataSource,
      schema: this.schema,
      producer: this.producer,
      logger: this.logger.child({ consumerGroup: options.groupId }),
      partitionsConsumedConcurrently:
        options.partitionsConsumedConcurrently ?? this.config.KAFKA_PARTITIONS_CONCURRENCY,
      sessionTimeoutMs: options.sessionTimeoutMs ?? this.config.KAFKA_SESSION_TIMEOUT_MS,
    });
    this.consumers.push(consumer);
    return consumer;
  }

  async onModuleInit(): Promise<void> {
    await ensureTopics(
      this.kafka,
      {
        topics: [...new Set([...this.topics.produces, ...this.topics.consumes])],
        deadLetterFor: this.topics.consumes,
        compacted: ['shop.updated'],
        partitions: this.config.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: this.config.KAFKA_REPLICATION_FACTOR,
      },
      this.logger,
    );
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.relay.start();
    for (const consumer of this.consumers) await consumer.start();
    this.logger.info({ consumers: this.consumers.length }, 'messaging started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop();
    await this.relay.stop();
    await this.producer.disconnect();
    await this.admin?.disconnect();
    this.logger.info('messaging stopped');
  }

  /** For the readiness check: the broker answers a metadata request. */
  async brokerReachable(timeoutMs = 2_000): Promise<boolean> {
    if (!this.admin) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.admin.describeCluster(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
