import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PullResultView } from '@smartship/contracts';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import { OrderPoller } from './order-poller';
import { PollAbortedError, type PollCounts } from './poll-counts';
import { PollLeases } from './poll-leases';

/** Errors that say nothing about the shop: this instance lost the lease or is stopping. */
const INTERRUPTIONS = new Set(['LEASE_LOST', 'ABORTED']);

/** How a poll counts for the streak of failures behind the pull_failing alert. */
function pollResult(counts: PollCounts): 'success' | 'failure' | 'interrupted' {
  if (!counts.error) return 'success';
  return INTERRUPTIONS.has(counts.error.code) ? 'interrupted' : 'failure';
}

/** Error codes after which retrying soon cannot help: wait a full interval. */
const WAIT_FULL_INTERVAL = new Set(['AUTH_FAILED', 'SHOP_NOT_CALLABLE', 'FUNCTION_NOT_ENABLED']);

/**
 * Runs polls: every POLL_TICK_MS, and whenever a poll ends, it claims due shops (up to
 * POLL_CONCURRENCY at a time) and polls each under its lease; manual pulls come through `run` too. After a poll the lease is released
 * with the next poll time: the interval (the shop's `pollIntervalMinutes`, else POLL_INTERVAL_MS)
 * with jitter after success, an exponential backoff (capped
 * at the interval) after a transient failure, at once after this instance was asked to stop.
 */
@Injectable()
export class PollScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running = new Map<string, Promise<PullResultView>>();
  private readonly shutdown = new AbortController();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private inTick = false;
  private tickAgain = false;
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly leases: PollLeases,
    private readonly poller: OrderPoller,
  ) {
    this.logger = rootLogger.child({ component: 'poll-scheduler' });
  }

  onApplicationBootstrap(): void {
    this.schedule(Math.min(1_000, this.config.POLL_TICK_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.shutdown.abort(new PollAbortedError());
    await this.ticking;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Shops this instance is polling now. */
  get active(): string[] {
    return [...this.running.keys()];
  }

  private schedule(delayMs: number): void {
    if (this.shutdown.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.inTick = true;
      this.ticking = this.tick()
        .catch((error: unknown) =>
          this.logger.warn({ err: (error as Error).message }, 'poll scheduling failed'),
        )
        .finally(() => {
          this.inTick = false;
          const again = this.tickAgain;
          this.tickAgain = false;
          this.schedule(again ? 0 : this.config.POLL_TICK_MS);
        });
    }, delayMs);
  }

  /**
   * A poll ended: its slot is free, so look for due shops now rather than at the next tick (with
   * polls of about two seconds and a two-second tick, a freed slot otherwise waited a whole tick,
   * which halved what an instance could poll).
   */
  private tickSoon(): void {
    if (this.shutdown.signal.aborted) return;
    if (this.inTick) {
      this.tickAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private async tick(): Promise<void> {
    const free = this.config.POLL_CONCURRENCY - this.running.size;
    if (free <= 0) return;
    for (const shopId of await this.leases.claimDue(free)) {
      // A scheduled poll has no caller to report to: a failure outside the poll itself (the
      // database gone while its run is recorded) is logged, and the lease lapses so the shop is
      // polled again. Unhandled, it ended the process (found by the chaos run, issue 8).
      this.run(shopId, 'schedule').catch((error: unknown) =>
        this.logger.warn(
          { shopId, err: (error as Error).message },
          'poll failed; retried after the lease',
        ),
      );
    }
  }

  /** Polls a shop whose lease this instance has just claimed, then releases the lease. */
  run(shopId: string, trigger: 'schedule' | 'manual'): Promise<PullResultView> {
    const execution = this.execute(shopId, trigger).finally(() => {
      this.running.delete(shopId);
      this.tickSoon();
    });
    this.running.set(shopId, execution);
    return execution;
  }

  private async execute(shopId: string, trigger: 'schedule' | 'manual'): Promise<PullResultView> {
    const startedAt = new Date();
    const lease = this.leases.hold(shopId);
    const signal = AbortSignal.any([lease.signal, this.shutdown.signal]);
    const [{ id: runId }] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO ingestion.poll_runs (shop_id, owner, trigger) VALUES ($1, $2, $3) RETURNING id`,
      [shopId, this.leases.owner, trigger],
    );
    let counts: PollCounts;
    try {
      counts = await this.poller.poll(shopId, signal);
    } finally {
      lease.stopRenewing();
    }
    const finishedAt = new Date();
    await this.dataSource.query(
      `UPDATE ingestion.poll_runs SET finished_at = clock_timestamp(), searched = $2,
         new_orders = $3, known_orders = $4, failed_orders = $5, canceled_orders = $6, error = $7
       WHERE id = $1`,
      [
        runId,
        counts.searched,
        counts.new,
        counts.alreadyKnown,
        counts.failed,
        counts.canceled,
        counts.error ? `${counts.error.code}: ${counts.error.message}` : null,
      ],
    );
    await this.leases.release(shopId, {
      nextInMs: await this.nextPollInMs(shopId, counts),
      error: counts.error ? `${counts.error.code}: ${counts.error.message}` : null,
      result: pollResult(counts),
      errorCode: counts.error?.code ?? null,
    });
    this.logger.info(
      {
        shopId,
        trigger,
        searched: counts.searched,
        new: counts.new,
        known: counts.alreadyKnown,
        failed: counts.failed,
        canceled: counts.canceled,
        confirmed: counts.confirmed,
        calls: counts.calls,
        error: counts.error?.code,
        ms: finishedAt.getTime() - startedAt.getTime(),
      },
      'poll finished',
    );
    return {
      shopId,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      ...counts,
    };
  }

  /** The shop's own interval (options.pollIntervalMinutes), else POLL_INTERVAL_MS. */
  private async intervalOf(shopId: string): Promise<number> {
    const rows = await this.dataSource.query<{ poll_interval_minutes: number | null }[]>(
      'SELECT poll_interval_minutes FROM ingestion.shops WHERE id = $1',
      [shopId],
    );
    const minutes = rows[0]?.poll_interval_minutes;
    return minutes ? minutes * 60_000 : this.config.POLL_INTERVAL_MS;
  }

  private async nextPollInMs(shopId: string, counts: PollCounts): Promise<number> {
    const interval = await this.intervalOf(shopId);
    const code = counts.error?.code;
    if (!code || WAIT_FULL_INTERVAL.has(code)) {
      return Math.round(interval * (1 + (Math.random() * 2 - 1) * this.config.POLL_JITTER));
    }
    if (code === 'ABORTED') return 0; // shutting down: another instance may continue at once
    const failures = await this.leases.failuresOf(shopId);
    const backoff = Math.min(interval, 2_000 * 2 ** failures);
    return Math.round(backoff / 2 + (Math.random() * backoff) / 2);
  }
}
