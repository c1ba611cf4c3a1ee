import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessagingRuntime } from '@smartship/service-kit';
import { DataSource } from 'typeorm';

import type { Tx } from '../dispatch/dispatcher';

/** PostgreSQL codes of a transaction that lost a race and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

/**
 * Runs a call's change in one transaction with the outbox. A deadlock (possible when a stock
 * arrival and a consumer lock the same rows in different orders; PostgreSQL fails one of them)
 * or a serialization failure runs it again, from the start, a few times.
 */
@Injectable()
export class CallTransactions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
  ) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const correlationId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) =>
          work({
            manager,
            publish: (events) => this.messaging.outbox.add(manager, events),
            correlationId,
          }),
        );
      } catch (error) {
        if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
      }
    }
  }
}

function isRetryable(error: unknown): boolean {
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  return (
    RETRYABLE.has(String(code)) ||
    (driverError !== undefined && RETRYABLE.has(String(driverError.code)))
  );
}
