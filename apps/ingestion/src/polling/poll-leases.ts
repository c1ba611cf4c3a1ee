import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessagingRuntime, SERVICE_CONFIG } from '@smartship/service-kit';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';

import { pullFailingAlert } from '../alerts/ingestion-alerts';
import { IngestionConfig } from '../config';
import { returnedRows } from '../shops/shop-record';

/** The lease of a shop was lost (expired and taken over): the poll must stop writing. */
export class LeaseLostError extends Error {
  constructor(readonly shopId: string) {
    super(`the poll lease of shop ${shopId} was lost`);
    this.name = 'LeaseLostError';
  }
}

/** A lease held by this instance, renewed in the background until released. */
export interface HeldLease {
  shopId: string;
  owner: string;
  /** Aborts when the lease could not be renewed. */
  signal: AbortSignal;
  /** Stops renewing (the row is released by PollLeases.release). */
  stopRenewing(): void;
}

/**
 * Poll leases in PostgreSQL: one row per shop in `ingestion.poll_state`. An instance claims due
 * shops with `FOR UPDATE SKIP LOCKED` (instances never wait on one another, never take the same
 * row), holds each lease by renewing it every third of POLL_LEASE_MS, and releases it with the
 * next poll time. A dead instance stops renewing: its shops are claimable again once the lease
 * has run out, i.e. within one lease period. Every write of a poll is fenced by the lease.
 */
@Injectable()
export class PollLeases {
  /** This instance's identity in lease rows (host, pid and a random part). */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    private readonly messaging: MessagingRuntime,
  ) {}

  /** Claims up to `limit` due shops (autoOrderSync on, keys usable, not leased). */
  async claimDue(limit: number): Promise<string[]> {
    const rows = returnedRows<{ shop_id: string }>(
      await this.dataSource.query(
        `UPDATE ingestion.poll_state p
          SET lease_owner = $1, lease_until = now() + $2::float8 * interval '1 millisecond',
              last_started_at = now()
         FROM (SELECT ps.shop_id
                 FROM ingestion.poll_state ps
                 JOIN ingestion.shops s ON s.id = ps.shop_id
                WHERE ps.next_poll_at <= now()
                  AND (ps.lease_until IS NULL OR ps.lease_until < now())
                  AND s.auto_order_sync
                  AND s.status IN ('active', 'expiring_soon')
                  AND s.key_fingerprint IS NOT NULL
                  AND s.auth_blocked_fingerprint IS DISTINCT FROM s.key_fingerprint
                ORDER BY ps.next_poll_at
                LIMIT $3
                  FOR UPDATE OF ps SKIP LOCKED) due
        WHERE p.shop_id = due.shop_id
        RETURNING p.shop_id`,
        [this.owner, this.config.POLL_LEASE_MS, limit],
      ),
    );
    return rows.map((row) => row.shop_id);
  }

  /** Claims one shop now, whatever its schedule (manual pull); false if another holds it. */
  async claimNow(shopId: string): Promise<boolean> {
    const rows = returnedRows<{ shop_id: string }>(
      await this.dataSource.query(
        `UPDATE ingestion.poll_state p
          SET lease_owner = $1, lease_until = now() + $2::float8 * interval '1 millisecond',
              last_started_at = now()
         FROM (SELECT shop_id FROM ingestion.poll_state
                WHERE shop_id = $3 AND (lease_until IS NULL OR lease_until < now())
                  FOR UPDATE SKIP LOCKED) free
        WHERE p.shop_id = free.shop_id
        RETURNING p.shop_id`,
        [this.owner, this.config.POLL_LEASE_MS, shopId],
      ),
    );
    return rows.length === 1;
  }

  /** Starts renewing a claimed lease; the signal aborts if a renewal finds it lost. */
  hold(shopId: string): HeldLease {
    const controller = new AbortController();
    const renew = async () => {
      try {
        const rows = returnedRows<{ shop_id: string }>(
          await this.dataSource.query(
            `UPDATE ingestion.poll_state
              SET lease_until = now() + $3::float8 * interval '1 millisecond'
            WHERE shop_id = $1 AND lease_owner = $2 AND lease_until > now()
            RETURNING shop_id`,
            [shopId, this.owner, this.config.POLL_LEASE_MS],
          ),
        );
        if (rows.length === 0) controller.abort(new LeaseLostError(shopId));
      } catch {
        // The database is unreachable: the fenced writes will fail too; try again next time.
      }
    };
    const timer = setInterval(() => void renew(), Math.max(200, this.config.POLL_LEASE_MS / 3));
    return {
      shopId,
      owner: this.owner,
      signal: controller.signal,
      stopRenewing: () => clearInterval(timer),
    };
  }

  /**
   * Call first in every transaction that writes a poll's results: locks the lease row and
   * throws LeaseLostError unless this instance still holds an unexpired lease.
   */
  async fence(manager: EntityManager, shopId: string): Promise<void> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM ingestion.poll_state
        WHERE shop_id = $1 AND lease_owner = $2 AND lease_until > now() FOR UPDATE`,
      [shopId, this.owner],
    );
    if (rows.length === 0) throw new LeaseLostError(shopId);
  }

  /** A transaction fenced by the shop's lease: it commits only while this instance holds it. */
  fencedTransaction<T>(shopId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.fence(manager, shopId);
      return work(manager);
    });
  }

  /**
   * Gives the lease back and schedules the next poll `nextInMs` from now. It also keeps the
   * streak of failed polls: a success ends it; a failure starts it (at the start of that poll) or
   * continues it; an `interrupted` poll (lease lost, shutdown) does neither. When a failure finds
   * the streak older than PULL_FAILING_ALERT_MINUTES and not yet alerted, one `shop.alert`
   * pull_failing goes out in the same transaction, and not again until a poll succeeds.
   */
  async release(
    shopId: string,
    outcome: {
      nextInMs: number;
      error: string | null;
      result: 'success' | 'failure' | 'interrupted';
      errorCode?: string | null;
    },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows = returnedRows<{
        tenant_id: string;
        failing_since: Date | null;
        failing_alerted_at: Date | null;
        crossed: boolean;
      }>(
        await manager.query(
          `UPDATE ingestion.poll_state p
              SET lease_owner = NULL, lease_until = NULL, last_finished_at = now(),
                  next_poll_at = now() + $3::float8 * interval '1 millisecond',
                  last_error = $4,
                  consecutive_failures = CASE WHEN $4::text IS NULL THEN 0 ELSE consecutive_failures + 1 END,
                  last_success_at = CASE WHEN $5 = 'success' THEN now() ELSE last_success_at END,
                  failing_since = CASE $5 WHEN 'success' THEN NULL
                                          WHEN 'failure' THEN coalesce(failing_since, last_started_at, now())
                                          ELSE failing_since END,
                  failing_alerted_at = CASE WHEN $5 = 'success' THEN NULL ELSE failing_alerted_at END
             FROM ingestion.shops s
            WHERE p.shop_id = $1 AND p.lease_owner = $2 AND s.id = p.shop_id
            RETURNING s.tenant_id, p.failing_since, p.failing_alerted_at,
                      p.failing_since <= now() - $6::float8 * interval '1 minute' AS crossed`,
          [
            shopId,
            this.owner,
            outcome.nextInMs,
            outcome.error,
            outcome.result,
            this.config.PULL_FAILING_ALERT_MINUTES,
          ],
        ),
      );
      const state = rows[0];
      if (outcome.result !== 'failure' || !state?.failing_since || state.failing_alerted_at) return;
      if (!state.crossed) return;
      await manager.query(
        'UPDATE ingestion.poll_state SET failing_alerted_at = now() WHERE shop_id = $1',
        [shopId],
      );
      await this.messaging.outbox.add(
        manager,
        pullFailingAlert(
          { tenantId: state.tenant_id, shopId },
          {
            since: state.failing_since,
            thresholdMinutes: this.config.PULL_FAILING_ALERT_MINUTES,
            errorCode: outcome.errorCode ?? null,
          },
        ),
      );
    });
  }

  /** Failures in a row of the shop's polls (for the retry backoff). */
  async failuresOf(shopId: string): Promise<number> {
    const rows = await this.dataSource.query<{ consecutive_failures: number }[]>(
      'SELECT consecutive_failures FROM ingestion.poll_state WHERE shop_id = $1',
      [shopId],
    );
    return rows[0]?.consecutive_failures ?? 0;
  }
}
