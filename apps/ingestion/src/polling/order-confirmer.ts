import { Inject, Injectable } from '@nestjs/common';
import { RAKUTEN_ORDER_PROGRESS, createEvent } from '@smartship/contracts';
import {
  ONE_DAY_MS,
  ORDER_CODES,
  RMS_LIMITS,
  SEARCH_DATE_TYPE,
  chunk,
  parseRmsDate,
  searchAllOrderNumbers,
  type OrderOutcome,
  type RakutenClient,
} from '@smartship/rakuten';
import { MessagingRuntime, ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { IngestionConfig } from '../config';
import type { ShopRecord } from '../shops/shop-record';
import type { PollCounts } from './poll-counts';
import { PollLeases } from './poll-leases';

/** Rakuten cancels an order left in 注文確認待ち (100) this many days after it was placed. */
export const CONFIRMATION_DEADLINE_DAYS = 14;

/** What a confirmOrder outcome means for the next attempt. */
export function classifyConfirmation(
  outcome: Pick<OrderOutcome, 'ok' | 'code'>,
  attempts: number,
  maxAttempts: number,
): { ok: boolean; final: boolean } {
  if (outcome.ok) return { ok: true, final: true };
  // Already confirmed (moved on from 100): the goal is met.
  if (outcome.code === ORDER_CODES.CONFIRM_ALREADY) return { ok: true, final: true };
  // Cancelled: nothing left to confirm.
  if (outcome.code === ORDER_CODES.CONFIRM_CANCELED) return { ok: false, final: true };
  // Amounts not fixed (postage unset) or anything else: the seller may fix it; try a few times.
  return { ok: false, final: attempts >= maxAttempts };
}

/** The day Rakuten cancels an unconfirmed order, from its number (`shop-YYYYMMDD-serial`, JST). */
export function deadlineFromOrderNumber(orderNumber: string): Date | null {
  const day = /^[^-]+-(\d{4})(\d{2})(\d{2})-/.exec(orderNumber);
  if (!day) return null;
  try {
    return new Date(
      parseRmsDate(`${day[1]}-${day[2]}-${day[3]}`).getTime() +
        CONFIRMATION_DEADLINE_DAYS * ONE_DAY_MS,
    );
  } catch {
    return null;
  }
}

/**
 * Orders in 注文確認待ち (100). With autoOrderConfirm they are confirmed (confirmOrder, 100 per
 * call) and every per-order result is recorded in `ingestion.confirmations`: confirmed, already
 * confirmed, cancelled and attempts used up are final, so nothing is retried forever. Whatever
 * the option, orders still in 100 after CONFIRMATION_WARNING_DAYS raise one
 * `shop.alert` confirmation_deadline (each order once).
 */
@Injectable()
export class OrderConfirmer {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly messaging: MessagingRuntime,
    private readonly leases: PollLeases,
  ) {
    this.logger = rootLogger.child({ component: 'order-confirmer' });
  }

  async run(
    shop: ShopRecord,
    client: RakutenClient,
    signal: AbortSignal,
    counts: PollCounts,
  ): Promise<void> {
    if (shop.autoOrderConfirm) await this.confirm(shop, client, signal, counts);
    await this.warnDeadlines(shop, client, signal, counts);
  }

  private async search(
    client: RakutenClient,
    signal: AbortSignal,
    counts: PollCounts,
    from: Date,
    to: Date,
  ): Promise<string[]> {
    const found = await searchAllOrderNumbers(
      client,
      SEARCH_DATE_TYPE.ORDER_DATE,
      from,
      to,
      { orderProgressList: [RAKUTEN_ORDER_PROGRESS.AWAITING_CONFIRMATION] },
      { pageSize: this.config.SEARCH_PAGE_SIZE, signal },
    );
    counts.calls.searchOrder += found.calls;
    return found.orderNumbers;
  }

  private async confirm(
    shop: ShopRecord,
    client: RakutenClient,
    signal: AbortSignal,
    counts: PollCounts,
  ): Promise<void> {
    const now = Date.now();
    const waiting = await this.search(
      client,
      signal,
      counts,
      new Date(now - CONFIRMATION_DEADLINE_DAYS * ONE_DAY_MS),
      new Date(now),
    );
    if (waiting.length === 0) return;
    const tried = await this.dataSource.query<
      { order_number: string; attempts: number; final: boolean; last_attempt_at: Date | null }[]
    >(
      `SELECT order_number, attempts, final, last_attempt_at FROM ingestion.confirmations
        WHERE shop_id = $1 AND order_number = ANY($2)`,
      [shop.id, waiting],
    );
    const byNumber = new Map(tried.map((row) => [row.order_number, row]));
    const due = waiting.filter((number) => {
      const row = byNumber.get(number);
      if (!row) return true;
      if (row.final || row.attempts >= this.config.CONFIRM_MAX_ATTEMPTS) return false;
      return (
        !row.last_attempt_at ||
        now - row.last_attempt_at.getTime() >= this.config.CONFIRM_RETRY_AFTER_MS
      );
    });
    for (const batch of chunk(due, RMS_LIMITS.confirmOrderBatch)) {
      // confirmOrder is idempotent on RMS (a repeat answers ERROR_103, "already confirmed"), so
      // the result is recorded after the call; a crash in between only repeats the call.
      const outcomes = await client.confirmOrder(batch, { signal });
      counts.calls.confirmOrder += 1;
      await this.leases.fencedTransaction(shop.id, (manager) =>
        this.record(manager, shop, outcomes, byNumber, counts),
      );
    }
  }

  private async record(
    manager: EntityManager,
    shop: ShopRecord,
    outcomes: OrderOutcome[],
    before: Map<string, { attempts: number }>,
    counts: PollCounts,
  ): Promise<void> {
    for (const outcome of outcomes) {
      const attempts = (before.get(outcome.orderNumber)?.attempts ?? 0) + 1;
      const verdict = classifyConfirmation(outcome, attempts, this.config.CONFIRM_MAX_ATTEMPTS);
      if (outcome.ok) counts.confirmed += 1;
      const message = outcome.messages.find((m) => m.messageType === 'ERROR')?.message ?? null;
      await manager.query(
        `INSERT INTO ingestion.confirmations
           (shop_id, order_number, attempts, last_attempt_at, ok, final, code, message)
         VALUES ($1, $2, $3, now(), $4, $5, $6, $7)
         ON CONFLICT (shop_id, order_number) DO UPDATE SET attempts = EXCLUDED.attempts,
           last_attempt_at = now(), ok = EXCLUDED.ok, final = EXCLUDED.final,
           code = EXCLUDED.code, message = EXCLUDED.message`,
        [shop.id, outcome.orderNumber, attempts, verdict.ok, verdict.final, outcome.code, message],
      );
      if (!verdict.ok) {
        this.logger.warn(
          { shopId: shop.id, orderNumber: outcome.orderNumber, code: outcome.code, attempts },
          'Rakuten did not confirm the order',
        );
      }
    }
  }

  private async warnDeadlines(
    shop: ShopRecord,
    client: RakutenClient,
    signal: AbortSignal,
    counts: PollCounts,
  ): Promise<void> {
    const now = Date.now();
    const late = await this.search(
      client,
      signal,
      counts,
      new Date(now - CONFIRMATION_DEADLINE_DAYS * ONE_DAY_MS),
      new Date(now - this.config.CONFIRMATION_WARNING_DAYS * ONE_DAY_MS),
    );
    if (late.length === 0) return;
    await this.leases.fencedTransaction(shop.id, async (manager) => {
      const fresh = await manager.query<{ order_number: string }[]>(
        `INSERT INTO ingestion.confirmation_alerts (shop_id, order_number)
           SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING order_number`,
        [shop.id, late],
      );
      if (fresh.length === 0) return;
      const numbers = fresh.map((row) => row.order_number).sort();
      const deadlines = numbers
        .map(deadlineFromOrderNumber)
        .filter((d): d is Date => d !== null)
        .map((d) => d.getTime());
      const earliest = deadlines.length > 0 ? new Date(Math.min(...deadlines)) : null;
      const digest = createHash('sha256').update(numbers.join(',')).digest('hex').slice(0, 16);
      await this.messaging.outbox.add(
        manager,
        createEvent('shop.alert', {
          tenantId: shop.tenantId,
          shopId: shop.id,
          data: {
            kind: 'confirmation_deadline',
            severity: 'warning',
            message: `${numbers.length} order${numbers.length === 1 ? ' has' : 's have'} waited ${this.config.CONFIRMATION_WARNING_DAYS} days or more in 注文確認待ち. Rakuten cancels an order that is not confirmed within ${CONFIRMATION_DEADLINE_DAYS} days: confirm ${numbers.length === 1 ? 'it' : 'them'} in RMS or turn on automatic confirmation.`,
            details: {
              orderNumbers: numbers,
              deadlineAt: earliest?.toISOString() ?? null,
              operation: 'confirmOrder',
            },
            occurrenceKey: `confirmation_deadline:${numbers.length}:${digest}`,
          },
        }),
      );
    });
  }
}
