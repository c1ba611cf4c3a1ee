import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sleep } from '@smartship/messaging';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { NotificationsConfig } from '../config';
import { notificationMetrics } from '../metrics';
import { type DeliveryRecord, DeliveryStore } from '../store/delivery.store';
import { DeliverySender } from './delivery-sender';
import { DigestScheduler } from './digest-scheduler';
import { nextAttemptAt } from './retry-schedule';

/**
 * Sends due deliveries. Each pass claims as many as there are free slots (DELIVERY_CONCURRENCY)
 * with `FOR UPDATE SKIP LOCKED` and a lease, so any number of instances share the work, and
 * starts them without waiting for the others: one slow endpoint holds one slot, for at most
 * its timeout, never the queue. A process that dies mid-attempt leaves its claims to be taken
 * again when their leases end (the receiver may then see the message twice, with the same id).
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private readonly logger: Logger;
  private readonly leaseMs: number;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: NotificationsConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: DeliveryStore,
    private readonly sender: DeliverySender,
    private readonly digests: DigestScheduler,
  ) {
    this.logger = rootLogger.child({ component: 'delivery-worker' });
    // Never shorter than a webhook attempt can take.
    this.leaseMs = Math.max(config.DELIVERY_LEASE_MS, config.WEBHOOK_TIMEOUT_MS + 1_000);
    notificationMetrics(() => this.store.unfinishedCount(this.dataSource.manager));
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let claimed = 0;
      try {
        await this.digests.runDue(new Date());
        claimed = await this.claimAndStart();
      } catch (error) {
        this.logger.warn({ err: error }, 'delivery pass failed; trying again');
      }
      // A full claim means more may be due: go on as soon as a slot frees.
      const free = this.config.DELIVERY_CONCURRENCY - this.inFlight.size;
      if (claimed > 0 && free > 0) continue;
      await Promise.race([
        sleep(this.config.DELIVERY_POLL_MS, signal),
        ...(free === 0 ? [Promise.race(this.inFlight)] : []),
      ]);
    }
  }

  /** Claims what fits in the free slots and starts each one. */
  async claimAndStart(): Promise<number> {
    const free = this.config.DELIVERY_CONCURRENCY - this.inFlight.size;
    if (free <= 0) return 0;
    const claimed = await this.store.claimDue(this.dataSource.manager, free, this.leaseMs);
    for (const delivery of claimed) {
      const task: Promise<void> = this.process(delivery).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
    return claimed.length;
  }

  private async process(delivery: DeliveryRecord): Promise<void> {
    const log = this.logger.child({ deliveryId: delivery.id, channel: delivery.channel });
    const now = new Date();
    let result;
    try {
      result = await this.sender.attempt(delivery, now);
    } catch (error) {
      log.error({ err: error }, 'delivery attempt threw');
      result = { ok: false, statusCode: null, error: 'internal error', permanent: false };
    }
    const metrics = notificationMetrics().deliveries;
    const finished = new Date();
    let status: 'succeeded' | 'pending' | 'failed';
    let next: Date | null = null;
    if (result.ok) status = 'succeeded';
    else {
      next = result.permanent
        ? null
        : nextAttemptAt(
            {
              baseMs: this.config.WEBHOOK_RETRY_BASE_MS,
              maxMs: this.config.WEBHOOK_RETRY_MAX_MS,
              forMs: this.config.WEBHOOK_RETRY_FOR_MS,
            },
            delivery.attempts,
            delivery.createdAt,
            finished,
          );
      status = next ? 'pending' : 'failed';
    }
    try {
      const recorded = await this.store.finish(
        this.dataSource.manager,
        { id: delivery.id, attempts: delivery.attempts },
        { status, statusCode: result.statusCode, error: result.error, nextAttemptAt: next },
      );
      metrics.inc({ channel: delivery.channel, status: status === 'pending' ? 'retry' : status });
      if (!recorded) log.warn('lease lost before the outcome was recorded');
      else if (status === 'succeeded') log.info({ attempts: delivery.attempts }, 'delivered');
      else
        log.warn(
          { attempts: delivery.attempts, error: result.error, status },
          'delivery attempt failed',
        );
    } catch (error) {
      // The lease will end and the delivery be tried again: at least once, never lost.
      log.error({ err: error }, 'could not record the outcome of a delivery');
    }
  }
}
