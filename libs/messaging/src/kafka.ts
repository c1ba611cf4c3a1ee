import { Kafka, logLevel, Producer, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

import { fixKafkajsIdleTimer } from './kafkajs-idle-fix';

export interface KafkaConnectionOptions {
  /** host:port list, e.g. ['127.0.0.1:19092']. */
  brokers: string[];
  /** Shown in the broker's logs and metrics. */
  clientId: string;
  logger: Logger;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs warnings that say nothing about this deployment: the partitioner change of 2.0 (we
 * always used the new one), and the retry limit of the idempotent producer (deliberate: the
 * outbox relay retries a failed batch itself, so a send must fail rather than hang).
 */
const KNOWN_NOTICES = [
  /switched default partitioner/,
  /Limiting retries for the idempotent producer/,
];

/** A kafkajs client whose own log lines go to the service's JSON logger. */
export function createKafka(options: KafkaConnectionOptions): Kafka {
  fixKafkajsIdleTimer();
  const kafkaLogger = options.logger.child({ source: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...rest } = log;
        if (KNOWN_NOTICES.some((notice) => notice.test(message))) return;
        kafkaLogger[LEVELS[level] ?? 'info'](rest, message);
      },
  });
}

/**
 * The producer every service uses: idempotent (the broker drops the retries of a batch it
 * already has), one request in flight (so retries cannot reorder), acks from all replicas.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
}
