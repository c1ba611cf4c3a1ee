import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RAKUTEN_ORDER_PROGRESS } from '@smartship/contracts';
import {
  RMS_LIMITS,
  RakutenError,
  RakutenErrorCode,
  SEARCH_DATE_TYPE,
  delay,
  formatRmsDateTime,
  type RakutenClient,
} from '@smartship/rakuten';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { IngestionConfig } from '../config';
import { OrderIntake, type IntakeContext } from '../polling/order-intake';
import { PollAbortedError, emptyCounts, type PollCounts } from '../polling/poll-counts';
import { RakutenAccess, ShopNotCallableError } from '../shops/rakuten-access';
import { loadShop, whyNotCallable, type ShopRecord } from '../shops/shop-record';
import {
  BackfillJobs,
  BackfillLeaseLostError,
  type BackfillCheckpoint,
  type BackfillJob,
  type CheckpointCounts,
} from './backfill-jobs';
import {
  backfillWindows,
  halveWindowAt,
  loadWindows,
  searchablePart,
  storeWindows,
  sweepRange,
} from './backfill-windows';

/** Readings of a window whose total keeps moving while it is paged (as searchAllOrderNumbers). */
const MAX_PASSES = 3;
/** A job failing this many times in a row (about a day and a half at the capped backoff) gives up. */
const MAX_CONSECUTIVE_FAILURES = 200;
const MAX_BACKOFF_MS = 10 * 60_000;
/** Deep sweeps one instance plans per tick (they then wait for a free slot like any job). */
const SWEEPS_PER_TICK = 20;

/** The RMS reads of a job, each spaced by the job's own pacer before the shared limiter. */
type JobClient = Pick<RakutenClient, 'searchOrder' | 'getOrder'>;

/**
 * Spaces one job's calls by at least `gapMs`: with gap = 1 / (BACKFILL_RATE_SHARE ×
 * RAKUTEN_ORDER_RPS) a backfill uses at most that share of the key's rate, and the shop's polls
 * find the rest of the shared limiter free.
 */
class Pacer {
  private next = 0;

  constructor(private readonly gapMs: number) {}

  async wait(signal: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + this.gapMs;
    if (at > now) await delay(at - now, signal);
  }
}

/** The shop may no longer be called (suspended, disabled, keys refused) or was deleted. */
class ShopStoppedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ShopStoppedError';
  }
}

/** Errors after which trying again cannot help: the job fails with the reason. */
function permanentReason(error: unknown): string | null {
  if (error instanceof ShopStoppedError) return error.reason;
  if (error instanceof ShopNotCallableError) {
    return `the shop cannot be called: ${error.message.replace(/^shop \S+: /, '')}`;
  }
  if (error instanceof RakutenError) {
    if (error.code === RakutenErrorCode.AUTHENTICATION) {
      return `Rakuten refused the shop's keys (${error.rmsCode ?? 'ES01-01'}) on ${error.function}: renew them, then start a new backfill`;
    }
    if (error.code === RakutenErrorCode.FUNCTION_NOT_ENABLED) {
      return `the shop's key may not call ${error.function} (RMS 利用機能編集): ${error.message}`;
    }
    if (error.code === RakutenErrorCode.INVALID_REQUEST) {
      return `Rakuten refused the search: ${error.message}`;
    }
  }
  return null;
}

function describe(error: unknown): string {
  if (error instanceof RakutenError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Works through backfills and deep sweeps in the background (docs: README "Backfill and poll
 * settings", apps/ingestion/README.md). Every POLL_TICK_MS it plans the deep sweeps that are due
 * and claims jobs (up to BACKFILL_CONCURRENCY at once, one per shop). A job reads its windows
 * oldest first, page by page: searchOrder for 300 by order date, then the page's orders through
 * the same OrderIntake as the polls (getOrder ×100, stored and published once, in order-number
 * order), and a fenced checkpoint after every page and window. A restart resumes at the page it
 * stopped at; a page read twice publishes nothing twice. The job's calls go through the shop
 * key's shared rate limiter, spaced to at most BACKFILL_RATE_SHARE of RAKUTEN_ORDER_RPS, so the
 * regular polls go on beside it. Transient failures are retried with backoff; a refused key, a
 * missing permission or a shop that may not be called (suspended, disabled, keys refused) fails
 * the job with the reason.
 */
@Injectable()
export class BackfillRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running = new Map<string, Promise<void>>();
  private readonly shutdown = new AbortController();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly jobs: BackfillJobs,
    private readonly access: RakutenAccess,
    private readonly intake: OrderIntake,
  ) {
    this.logger = rootLogger.child({ component: 'backfill-runner' });
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

  /** Jobs this instance works on now. */
  get active(): string[] {
    return [...this.running.keys()];
  }

  /** Looks for work now (a backfill was just asked for). */
  wake(): void {
    if (this.shutdown.signal.aborted || this.ticking) return;
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.shutdown.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .catch((error: unknown) =>
          this.logger.warn({ err: (error as Error).message }, 'backfill scheduling failed'),
        )
        .finally(() => {
          this.ticking = undefined;
          this.schedule(this.config.POLL_TICK_MS);
        });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    if (this.config.DEEP_SWEEP_INTERVAL_HOURS > 0) await this.planSweeps();
    while (this.running.size < this.config.BACKFILL_CONCURRENCY) {
      if (this.shutdown.signal.aborted) return;
      const job = await this.jobs.claimOne([...this.running.keys()]);
      if (!job) return;
      const execution = this.execute(job)
        .catch((error: unknown) =>
          this.logger.warn(
            { backfillId: job.id, err: (error as Error).message },
            'backfill step failed; retried after its lease',
          ),
        )
        .finally(() => {
          this.running.delete(job.id);
          this.wake();
        });
      this.running.set(job.id, execution);
    }
  }

  /**
   * Creates a deep sweep for every shop whose sweep is due (polled on a schedule, callable), and
   * moves its next sweep one interval on, jittered. A shop seen for the first time gets its first
   * sweep at a random point of the interval, so shops are not swept all at once.
   */
  async planSweeps(): Promise<number> {
    const intervalMs = this.config.DEEP_SWEEP_INTERVAL_HOURS * 3_600_000;
    const range = sweepRange(
      new Date(),
      this.config.DEEP_SWEEP_DAYS,
      this.config.POLL_LOOKBACK_DAYS,
    );
    if (!range) return 0;
    await this.dataSource.query(
      `UPDATE ingestion.poll_state
          SET next_sweep_at = now() + random() * $1::float8 * interval '1 millisecond'
        WHERE next_sweep_at IS NULL`,
      [intervalMs],
    );
    const windows = storeWindows(backfillWindows(range.from, range.to));
    return this.dataSource.transaction(async (manager) => {
      const due = await manager.query<{ shop_id: string; tenant_id: string }[]>(
        `SELECT ps.shop_id, s.tenant_id
           FROM ingestion.poll_state ps
           JOIN ingestion.shops s ON s.id = ps.shop_id
          WHERE ps.next_sweep_at <= now()
            AND s.auto_order_sync
            AND s.status IN ('active', 'expiring_soon')
            AND s.key_fingerprint IS NOT NULL
            AND s.auth_blocked_fingerprint IS DISTINCT FROM s.key_fingerprint
          ORDER BY ps.next_sweep_at
          LIMIT $1
            FOR UPDATE OF ps SKIP LOCKED`,
        [SWEEPS_PER_TICK],
      );
      let created = 0;
      for (const shop of due) {
        const id = await this.jobs.create(manager, {
          shopId: shop.shop_id,
          tenantId: shop.tenant_id,
          kind: 'sweep',
          from: range.from,
          to: range.to,
          windows,
          requestedBy: null,
        });
        if (id) created += 1;
        await manager.query(
          `UPDATE ingestion.poll_state
              SET next_sweep_at = now() + $2::float8 * (1 + (random() * 2 - 1) * $3::float8)
                                        * interval '1 millisecond'
            WHERE shop_id = $1`,
          [shop.shop_id, intervalMs, this.config.POLL_JITTER],
        );
      }
      return created;
    });
  }

  private async execute(job: BackfillJob): Promise<void> {
    const lease = this.jobs.hold(job.id);
    const signal = AbortSignal.any([lease.signal, this.shutdown.signal]);
    let shop: ShopRecord | null = null;
    try {
      shop = await this.callableShop(job.shopId);
      await this.work(job, shop, signal);
      await this.jobs.finish(job.id, 'done', null);
      this.logger.info({ backfillId: job.id, shopId: shop.id, kind: job.kind }, 'backfill done');
    } catch (error) {
      await this.handleFailure(job, shop, error, signal);
    } finally {
      lease.stopRenewing();
    }
  }

  /**
   * The shop as it is now, if its keys may be used: checked when a job is claimed and before
   * every page, so a shop suspended, disabled or refused while its backfill runs stops it.
   */
  private async callableShop(shopId: string): Promise<ShopRecord> {
    const shop = await loadShop(this.dataSource, shopId);
    if (!shop || shop.status === 'deleted') throw new ShopStoppedError('the shop was deleted');
    const reason = whyNotCallable(shop);
    if (reason) throw new ShopStoppedError(`the shop cannot be called: ${reason}`);
    return shop;
  }

  private async handleFailure(
    job: BackfillJob,
    shop: ShopRecord | null,
    error: unknown,
    signal: AbortSignal,
  ): Promise<void> {
    const cause: unknown = signal.aborted ? signal.reason : error;
    if (cause instanceof BackfillLeaseLostError || error instanceof BackfillLeaseLostError) {
      this.logger.warn({ backfillId: job.id }, 'backfill lease lost: another instance continues');
      return;
    }
    if (cause instanceof PollAbortedError) {
      // Stopping: the next claim (here after a restart, or another instance) resumes at once.
      await this.jobs.release(job.id, 0, null);
      return;
    }
    if (shop) await this.access.handleFailure(shop, error);
    const reason = permanentReason(error);
    if (reason || job.consecutiveFailures + 1 >= MAX_CONSECUTIVE_FAILURES) {
      const why =
        reason ?? `gave up after ${MAX_CONSECUTIVE_FAILURES} failures: ${describe(error)}`;
      await this.jobs.finish(job.id, 'failed', why);
      this.logger.warn({ backfillId: job.id, shopId: job.shopId, reason: why }, 'backfill failed');
      return;
    }
    const backoff = Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** job.consecutiveFailures);
    const nextInMs = Math.round(backoff / 2 + (Math.random() * backoff) / 2);
    await this.jobs.release(job.id, nextInMs, describe(error));
    this.logger.warn(
      { backfillId: job.id, shopId: job.shopId, err: describe(error), nextInMs },
      'backfill step failed; it resumes from its checkpoint',
    );
  }

  /** Reads the job's windows from its checkpoint to the end. */
  private async work(job: BackfillJob, shop: ShopRecord, signal: AbortSignal): Promise<void> {
    // The client of the shop's current keys (renewed keys mid-job are used from the next page).
    let base = this.access.clientFor(shop);
    const pacer = new Pacer(
      Math.ceil(1_000 / (this.config.RAKUTEN_ORDER_RPS * this.config.BACKFILL_RATE_SHARE)),
    );
    const client: JobClient = {
      searchOrder: async (request, options) => {
        await pacer.wait(signal);
        return base.searchOrder(request, options);
      },
      getOrder: async (numbers, options) => {
        await pacer.wait(signal);
        return base.getOrder(numbers, options);
      },
    };
    const windows = loadWindows(job.windows);
    let at: BackfillCheckpoint = { ...job.checkpoint };
    while (at.windowsDone < windows.length) {
      signal.throwIfAborted();
      const index = at.windowsDone;
      const window = searchablePart(windows[index], new Date());
      if (!window) {
        // Older than RMS searches now (the job waited past the 730-day limit): nothing to read.
        at = nextWindow(index);
        await this.jobs.checkpoint(job.id, at, noCounts());
        continue;
      }
      // Orders a complete reading of the window returned (null when this run started mid-window).
      const seen: Set<string> | null = at.page === 1 ? new Set() : null;
      let capped = false;
      for (;;) {
        base = this.access.clientFor(await this.callableShop(shop.id));
        const result = await client.searchOrder(
          {
            dateType: SEARCH_DATE_TYPE.ORDER_DATE,
            startDatetime: formatRmsDateTime(window.start),
            endDatetime: formatRmsDateTime(window.end),
            orderProgressList: [RAKUTEN_ORDER_PROGRESS.AWAITING_SHIPMENT],
            PaginationRequestModel: {
              requestRecordsAmount: this.config.SEARCH_PAGE_SIZE,
              requestPage: at.page,
              SortModelList: [{ sortColumn: 1, sortDirection: 1 }],
            },
          },
          { signal },
        );
        if (at.page === 1 && result.totalRecords >= RMS_LIMITS.searchResultCap) {
          const halved = halveWindowAt(windows, index);
          if (halved) {
            // Only the first 15,000 matches of a search can be reached: read it in halves.
            windows.splice(0, windows.length, ...halved);
            at = { ...at, page: 1, windowTotal: null, windowPass: 1, windowUnstable: false };
            await this.jobs.checkpoint(
              job.id,
              at,
              { ...noCounts(), searchCalls: 1 },
              storeWindows(windows),
            );
            break;
          }
          capped = true;
          this.logger.error(
            { backfillId: job.id, shopId: shop.id, window },
            'more than 15,000 orders in one second of a search: some cannot be reached',
          );
        }
        if (at.page === 1) at = { ...at, windowTotal: result.totalRecords };
        else if (result.totalRecords !== at.windowTotal) at = { ...at, windowUnstable: true };

        const counts = emptyCounts();
        const committed = { failed: 0 };
        await this.intake.take(
          shop,
          client,
          result.orderNumbers,
          this.context(job, signal, counts, committed),
        );
        for (const number of result.orderNumbers) seen?.add(number);
        const stepCounts = (): CheckpointCounts => ({
          found: result.orderNumbers.length,
          known: counts.alreadyKnown,
          failed: counts.failed - committed.failed,
          searchCalls: 1,
          getCalls: counts.calls.getOrder,
        });

        if (at.page < result.totalPages) {
          at = { ...at, page: at.page + 1 };
          await this.jobs.checkpoint(job.id, at, stepCounts());
          continue;
        }
        if (at.windowUnstable && at.windowPass < MAX_PASSES) {
          // The total moved while the window was paged: read it again (the union counts).
          at = { ...at, page: 1, windowTotal: null, windowPass: at.windowPass + 1 };
          at.windowUnstable = false;
          await this.jobs.checkpoint(job.id, at, stepCounts());
          continue;
        }
        const left = emptyCounts();
        const leftCommitted = { failed: 0 };
        if (seen && !capped) {
          await this.intake.checkLeftOrders(
            shop,
            client,
            window,
            [...seen],
            this.context(job, signal, left, leftCommitted),
          );
        }
        at = nextWindow(index);
        const step = stepCounts();
        await this.jobs.checkpoint(job.id, at, {
          ...step,
          getCalls: step.getCalls + left.calls.getOrder,
        });
        break;
      }
    }
  }

  private context(
    job: BackfillJob,
    signal: AbortSignal,
    counts: PollCounts,
    committed: { failed: number },
  ): IntakeContext {
    return {
      signal,
      counts,
      transaction: <T>(work: (manager: EntityManager) => Promise<T>) =>
        this.jobs.fencedTransaction(job.id, work),
      onCommit: async (manager, delta) => {
        committed.failed += delta.failed;
        await this.jobs.countCommitted(manager, job.id, delta);
      },
    };
  }
}

function nextWindow(index: number): BackfillCheckpoint {
  return {
    windowsDone: index + 1,
    page: 1,
    windowTotal: null,
    windowPass: 1,
    windowUnstable: false,
  };
}

function noCounts(): CheckpointCounts {
  return { found: 0, known: 0, failed: 0, searchCalls: 0, getCalls: 0 };
}
