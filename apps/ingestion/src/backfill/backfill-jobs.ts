import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BackfillKind, BackfillState, BackfillView } from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

import { IngestionConfig } from '../config';
import { PollLeases } from '../polling/poll-leases';
import { returnedRows } from '../shops/shop-record';
import type { StoredWindow } from './backfill-windows';

/** A backfill's lease was lost (it ran out and another instance took the job, or it ended). */
export class BackfillLeaseLostError extends Error {
  constructor(readonly backfillId: string) {
    super(`the lease of backfill ${backfillId} was lost`);
    this.name = 'BackfillLeaseLostError';
  }
}

/** A job as the runner works on it. */
export interface BackfillJob {
  id: string;
  shopId: string;
  tenantId: string;
  kind: BackfillKind;
  state: BackfillState;
  windows: StoredWindow[];
  checkpoint: BackfillCheckpoint;
  consecutiveFailures: number;
}

/** Where a job stands: windows read completely, and the next page of the next window. */
export interface BackfillCheckpoint {
  windowsDone: number;
  page: number;
  /** The total the window's first page gave (null before it was read). */
  windowTotal: number | null;
  /** Which reading of the window (a window whose total moved while paged is read again). */
  windowPass: number;
  /** The window's total moved while it was paged in this pass. */
  windowUnstable: boolean;
}

/** Counts a checkpoint adds to the job (published, failed and canceled are added on commit). */
export interface CheckpointCounts {
  found: number;
  known: number;
  failed: number;
  searchCalls: number;
  getCalls: number;
}

interface JobRow {
  id: string;
  shop_id: string;
  tenant_id: string;
  kind: BackfillKind;
  state: BackfillState;
  range_from: Date;
  range_to: Date;
  windows: StoredWindow[];
  windows_done: number;
  page: number;
  window_total: number | null;
  window_pass: number;
  window_unstable: boolean;
  orders_found: number;
  orders_published: number;
  orders_known: number;
  orders_failed: number;
  search_calls: number;
  get_calls: number;
  error: string | null;
  last_error: string | null;
  consecutive_failures: number;
  next_attempt_at: Date;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** A held backfill lease, renewed in the background until released. */
export interface HeldBackfillLease {
  /** Aborts when a renewal finds the lease lost. */
  signal: AbortSignal;
  stopRenewing(): void;
}

/**
 * The rows of `ingestion.backfills`: backfills asked for by a person and the periodic deep
 * sweeps. A job is worked on under a lease, like a poll (claimed with `FOR UPDATE SKIP LOCKED`,
 * renewed every third of POLL_LEASE_MS, released with the next attempt time), so with several
 * instances one job runs on one of them, and a dead instance's job is taken over within a lease
 * period. Claims are serialised by an advisory lock, so at most one job of a shop runs at a time
 * (a backfill waits for the shop's running sweep, and the other way round). Every write of a job
 * is fenced by its lease.
 */
@Injectable()
export class BackfillJobs {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    private readonly leases: PollLeases,
  ) {}

  /** This instance's identity in lease rows (the same as for poll leases). */
  get owner(): string {
    return this.leases.owner;
  }

  /**
   * Records a new running job; null when the shop already has a running job of this kind (the
   * partial unique index decides, also between instances).
   */
  async create(
    db: DataSource | EntityManager,
    job: {
      shopId: string;
      tenantId: string;
      kind: BackfillKind;
      from: Date;
      to: Date;
      windows: StoredWindow[];
      requestedBy: string | null;
    },
  ): Promise<string | null> {
    const rows = await db.query<{ id: string }[]>(
      `INSERT INTO ingestion.backfills
         (id, shop_id, tenant_id, kind, state, range_from, range_to, windows, requested_by)
       VALUES ($1, $2, $3, $4, 'running', $5, $6, $7::jsonb, $8)
       ON CONFLICT (shop_id, kind) WHERE state = 'running' DO NOTHING
       RETURNING id`,
      [
        randomUUID(),
        job.shopId,
        job.tenantId,
        job.kind,
        job.from,
        job.to,
        JSON.stringify(job.windows),
        job.requestedBy,
      ],
    );
    return rows[0]?.id ?? null;
  }

  /** The shop's running job of a kind, if any. */
  async running(shopId: string, kind: BackfillKind): Promise<BackfillView | null> {
    const rows = await this.dataSource.query<JobRow[]>(
      `SELECT * FROM ingestion.backfills WHERE shop_id = $1 AND kind = $2 AND state = 'running'`,
      [shopId, kind],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /** The shop's jobs, newest first. */
  async list(shopId: string, limit: number): Promise<BackfillView[]> {
    const rows = await this.dataSource.query<JobRow[]>(
      `SELECT * FROM ingestion.backfills WHERE shop_id = $1
        ORDER BY requested_at DESC, id LIMIT $2`,
      [shopId, limit],
    );
    return rows.map(toView);
  }

  async view(id: string): Promise<BackfillView | null> {
    const rows = await this.dataSource.query<JobRow[]>(
      'SELECT * FROM ingestion.backfills WHERE id = $1',
      [id],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /**
   * Claims one due job whose shop has no other job under a live lease (backfills before sweeps,
   * oldest attempt first), skipping `except`; null when none is due.
   */
  async claimOne(except: string[]): Promise<BackfillJob | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('ingestion.backfills.claim'))");
      const rows = returnedRows<JobRow>(
        await manager.query(
          `UPDATE ingestion.backfills b
              SET lease_owner = $1, lease_until = now() + $2::float8 * interval '1 millisecond',
                  started_at = coalesce(b.started_at, now()), updated_at = now()
             FROM (SELECT j.id FROM ingestion.backfills j
                    WHERE j.state = 'running' AND j.next_attempt_at <= now()
                      AND (j.lease_until IS NULL OR j.lease_until < now())
                      AND NOT (j.id = ANY($3::uuid[]))
                      AND NOT EXISTS (SELECT 1 FROM ingestion.backfills o
                                       WHERE o.shop_id = j.shop_id AND o.id <> j.id
                                         AND o.state = 'running' AND o.lease_until >= now())
                    ORDER BY (j.kind = 'sweep'), j.next_attempt_at
                    LIMIT 1
                      FOR UPDATE OF j SKIP LOCKED) due
            WHERE b.id = due.id
            RETURNING b.*`,
          [this.owner, this.config.POLL_LEASE_MS, except],
        ),
      );
      const row = rows[0];
      if (!row) return null;
      return {
        id: row.id,
        shopId: row.shop_id,
        tenantId: row.tenant_id,
        kind: row.kind,
        state: row.state,
        windows: row.windows,
        checkpoint: {
          windowsDone: row.windows_done,
          page: row.page,
          windowTotal: row.window_total,
          windowPass: row.window_pass,
          windowUnstable: row.window_unstable,
        },
        consecutiveFailures: row.consecutive_failures,
      };
    });
  }

  /** Starts renewing a claimed lease; the signal aborts when a renewal finds it lost. */
  hold(id: string): HeldBackfillLease {
    const controller = new AbortController();
    const renew = async () => {
      try {
        const rows = returnedRows<{ id: string }>(
          await this.dataSource.query(
            `UPDATE ingestion.backfills
                SET lease_until = now() + $3::float8 * interval '1 millisecond'
              WHERE id = $1 AND lease_owner = $2 AND lease_until > now() AND state = 'running'
              RETURNING id`,
            [id, this.owner, this.config.POLL_LEASE_MS],
          ),
        );
        if (rows.length === 0) controller.abort(new BackfillLeaseLostError(id));
      } catch {
        // The database is unreachable: the fenced writes fail too; try again next time.
      }
    };
    const timer = setInterval(() => void renew(), Math.max(200, this.config.POLL_LEASE_MS / 3));
    return { signal: controller.signal, stopRenewing: () => clearInterval(timer) };
  }

  /** A transaction that commits only while this instance holds the running job's lease. */
  fencedTransaction<T>(id: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<unknown[]>(
        `SELECT 1 FROM ingestion.backfills
          WHERE id = $1 AND lease_owner = $2 AND lease_until > now() AND state = 'running'
            FOR UPDATE`,
        [id, this.owner],
      );
      if (rows.length === 0) throw new BackfillLeaseLostError(id);
      return work(manager);
    });
  }

  /** Counts what was published in the transaction that published it. */
  async countCommitted(
    manager: EntityManager,
    id: string,
    delta: { published: number; failed: number; canceled: number },
  ): Promise<void> {
    await manager.query(
      `UPDATE ingestion.backfills
          SET orders_published = orders_published + $2, orders_failed = orders_failed + $3,
              orders_canceled = orders_canceled + $4
        WHERE id = $1`,
      [id, delta.published, delta.failed, delta.canceled],
    );
  }

  /**
   * Saves where the job stands and what the step found (fenced); `windows` when they changed (a
   * window halved). A step that got this far also ends a streak of failures.
   */
  async checkpoint(
    id: string,
    at: BackfillCheckpoint,
    counts: CheckpointCounts,
    windows?: StoredWindow[],
  ): Promise<void> {
    await this.fencedTransaction(id, (manager) =>
      manager.query(
        `UPDATE ingestion.backfills
            SET windows_done = $2, page = $3, window_total = $4, window_pass = $5,
                window_unstable = $6, orders_found = orders_found + $7,
                orders_known = orders_known + $8, orders_failed = orders_failed + $9,
                search_calls = search_calls + $10, get_calls = get_calls + $11,
                windows = coalesce($12::jsonb, windows), consecutive_failures = 0,
                last_error = NULL, updated_at = now()
          WHERE id = $1`,
        [
          id,
          at.windowsDone,
          at.page,
          at.windowTotal,
          at.windowPass,
          at.windowUnstable,
          counts.found,
          counts.known,
          counts.failed,
          counts.searchCalls,
          counts.getCalls,
          windows ? JSON.stringify(windows) : null,
        ],
      ),
    );
  }

  /** Ends the job (`done`, or `failed` with the reason) and gives its lease back. */
  async finish(id: string, state: 'done' | 'failed', error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.backfills
          SET state = $3, error = $4, finished_at = now(), lease_owner = NULL,
              lease_until = NULL, updated_at = now(),
              last_error = CASE WHEN $3 = 'done' THEN NULL ELSE last_error END
        WHERE id = $1 AND lease_owner = $2 AND state = 'running'`,
      [id, this.owner, state, error],
    );
  }

  /**
   * Gives the lease back with the next attempt `nextInMs` from now: after a transient failure
   * (`error` kept as last_error, the streak counted) or when this instance stops (at once).
   */
  async release(id: string, nextInMs: number, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.backfills
          SET lease_owner = NULL, lease_until = NULL, updated_at = now(),
              next_attempt_at = now() + $3::float8 * interval '1 millisecond',
              last_error = coalesce($4, last_error),
              consecutive_failures = consecutive_failures + CASE WHEN $4::text IS NULL THEN 0 ELSE 1 END
        WHERE id = $1 AND lease_owner = $2 AND state = 'running'`,
      [id, this.owner, nextInMs, error],
    );
  }
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

function toView(row: JobRow): BackfillView {
  return {
    id: row.id,
    shopId: row.shop_id,
    kind: row.kind,
    state: row.state,
    from: row.range_from.toISOString(),
    to: row.range_to.toISOString(),
    windows: { done: row.windows_done, total: row.windows.length },
    orders: {
      found: row.orders_found,
      published: row.orders_published,
      alreadyKnown: row.orders_known,
      failed: row.orders_failed,
    },
    calls: { searchOrder: row.search_calls, getOrder: row.get_calls },
    error: row.error,
    lastError: row.state === 'running' ? row.last_error : null,
    nextAttemptAt: row.state === 'running' && row.last_error ? iso(row.next_attempt_at) : null,
    requestedAt: row.requested_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}
