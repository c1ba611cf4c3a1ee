import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent, type ImportedItem } from '@smartship/contracts';
import { RakutenError, RakutenErrorCode, RMS_LIMITS, type Item } from '@smartship/rakuten';
import { MessagingRuntime, ROOT_LOGGER, SERVICE_CONFIG, TickLoop } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';
import { RakutenAccess, ShopNotCallableError } from '../shops/rakuten-access';
import { CALLABLE_STATUSES, loadShop, returnedRows } from '../shops/shop-record';
import type { ListingImportRow } from './listings-import.store';

/** Errors after which a run ends `failed` (the next run starts over); others are retried. */
const FINAL_ERRORS: string[] = [
  RakutenErrorCode.AUTHENTICATION,
  RakutenErrorCode.FUNCTION_NOT_ENABLED,
  RakutenErrorCode.INVALID_REQUEST,
  RakutenErrorCode.UNEXPECTED_RESPONSE,
];

/** A run that hit a retryable error waits this long before resuming, ms. */
const RETRY_AFTER_MS = 5_000;

/**
 * The listings import (issue 18): pages a shop's whole catalogue with items.search (100 hits a
 * page, cursorMark) and publishes each page as `listings.imported` for mapping. Every call goes
 * through the shop key's shared PostgreSQL rate limiter (the `item` budget, RAKUTEN_ITEM_RPS),
 * like every other call of the key from any instance, so an import never pushes the key over
 * Rakuten's limit. Each page is one transaction: the run's new cursorMark and counts, and the
 * page's event in the outbox — so after a crash the run resumes from the page after the last one
 * recorded, and no page is published twice by one run. A claim (claimed_until, renewed with every
 * page) keeps a shop's import on one instance; a dead instance's run is taken over once it lapses.
 */
@Injectable()
export class ListingsImporter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly loop: TickLoop;
  private readonly claimMs: number;
  private readonly running = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly access: RakutenAccess,
    private readonly messaging: MessagingRuntime,
  ) {
    this.logger = rootLogger.child({ component: 'listings-importer' });
    this.loop = new TickLoop(
      'listings import',
      config.LISTINGS_IMPORT_TICK_MS,
      (signal) => this.tick(signal),
      this.logger,
    );
    // Longer than one page can take, retries included.
    this.claimMs = Math.max(60_000, config.RAKUTEN_TIMEOUT_MS * 6);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Queues due periodic imports, claims runnable ones and runs them (up to the concurrency). */
  async tick(signal: AbortSignal): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.listing_imports SET state = 'queued', trigger = 'schedule', updated_at = now()
        WHERE state IN ('finished', 'failed') AND next_run_at <= now()`,
    );
    const free = this.config.LISTINGS_IMPORT_CONCURRENCY - this.running.size;
    if (free <= 0) return;
    const claimed = returnedRows<ListingImportRow>(
      await this.dataSource.query(
        `UPDATE ingestion.listing_imports i SET
           claimed_until = now() + $1::float8 * interval '1 millisecond',
           state = 'running',
           import_id = CASE WHEN i.state = 'queued' THEN gen_random_uuid() ELSE i.import_id END,
           cursor_mark = CASE WHEN i.state = 'queued' THEN '*' ELSE i.cursor_mark END,
           pages = CASE WHEN i.state = 'queued' THEN 0 ELSE i.pages END,
           items = CASE WHEN i.state = 'queued' THEN 0 ELSE i.items END,
           num_found = CASE WHEN i.state = 'queued' THEN NULL ELSE i.num_found END,
           started_at = CASE WHEN i.state = 'queued' THEN now() ELSE i.started_at END,
           finished_at = NULL, error_code = NULL, error_message = NULL, updated_at = now()
          FROM (SELECT i2.shop_id FROM ingestion.listing_imports i2
                  JOIN ingestion.shops s ON s.id = i2.shop_id
                 WHERE i2.state IN ('queued', 'running')
                   AND (i2.claimed_until IS NULL OR i2.claimed_until < now())
                   AND s.status = ANY($3) AND s.key_fingerprint IS NOT NULL
                   AND s.auth_blocked_fingerprint IS DISTINCT FROM s.key_fingerprint
                   AND NOT (i2.shop_id = ANY($4::uuid[]))
                 ORDER BY i2.updated_at LIMIT $2 FOR UPDATE OF i2 SKIP LOCKED) c
         WHERE i.shop_id = c.shop_id
         RETURNING i.*`,
        [this.claimMs, free, [...CALLABLE_STATUSES], [...this.running]],
      ),
    );
    await Promise.all(claimed.map((row) => this.runGuarded(row, signal)));
  }

  private async runGuarded(row: ListingImportRow, signal: AbortSignal): Promise<void> {
    this.running.add(row.shop_id);
    try {
      await this.run(row, signal);
    } finally {
      this.running.delete(row.shop_id);
    }
  }

  /** Reads pages from the run's cursorMark to the end (or until an error or shutdown). */
  async run(row: ListingImportRow, signal: AbortSignal): Promise<void> {
    const shop = await loadShop(this.dataSource, row.shop_id);
    if (!shop) return this.release(row.shop_id, 0);
    const importId = row.import_id as string;
    let cursor = row.cursor_mark ?? '*';
    let page = row.pages;
    const log = this.logger.child({ shopId: shop.id, importId });
    log.info({ cursor: cursor === '*' ? 'start' : 'resume', page }, 'listings import running');
    try {
      const client = this.access.clientFor(shop);
      while (!signal.aborted) {
        const result = await client.searchItems(
          { hits: RMS_LIMITS.itemSearchMaxHits, cursorMark: cursor },
          { signal },
        );
        const next = result.nextCursorMark ?? null;
        const last = !next || next === cursor || result.results.length === 0;
        page++;
        const recorded = await this.recordPage(shop.id, shop.tenantId, importId, cursor, {
          page,
          last,
          next,
          numFound: result.numFound,
          items: result.results
            .map((hit) => toImportedItem(hit.item))
            .filter((item) => item.variants.length > 0),
        });
        if (!recorded) {
          log.warn('listings import taken over by another instance; stopping here');
          return;
        }
        if (last) {
          log.info({ pages: page, numFound: result.numFound }, 'listings import finished');
          return;
        }
        cursor = next;
      }
      await this.release(shop.id, 0);
    } catch (error) {
      if (error instanceof ShopNotCallableError || signal.aborted) {
        return this.release(shop.id, 0);
      }
      await this.access.handleFailure(shop, error);
      const code = error instanceof RakutenError ? error.code : 'INTERNAL';
      const message = error instanceof Error ? error.message : String(error);
      if (FINAL_ERRORS.includes(code)) {
        await this.dataSource.query(
          `UPDATE ingestion.listing_imports SET state = 'failed', error_code = $2,
             error_message = $3, finished_at = now(), claimed_until = NULL, updated_at = now(),
             next_run_at = now() + $4::float8 * interval '1 millisecond'
           WHERE shop_id = $1 AND import_id = $5`,
          [shop.id, code, message.slice(0, 500), this.config.LISTINGS_IMPORT_INTERVAL_MS, importId],
        );
        log.warn({ code, err: message }, 'listings import failed');
      } else {
        await this.dataSource.query(
          `UPDATE ingestion.listing_imports SET error_code = $2, error_message = $3,
             claimed_until = now() + $4::float8 * interval '1 millisecond', updated_at = now()
           WHERE shop_id = $1 AND import_id = $5`,
          [shop.id, code, message.slice(0, 500), RETRY_AFTER_MS, importId],
        );
        log.warn(
          { code, err: message },
          'listings import interrupted; it resumes from its last page',
        );
      }
    }
  }

  /**
   * One page in one transaction: the run moves on to `next` (only if it still stands at `cursor`:
   * a run taken over by another instance is not advanced twice) and the page goes to the outbox.
   */
  private async recordPage(
    shopId: string,
    tenantId: string,
    importId: string,
    cursor: string,
    page: {
      page: number;
      last: boolean;
      next: string | null;
      numFound: number;
      items: ImportedItem[];
    },
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const updated = returnedRows<{ shop_id: string }>(
        await manager.query(
          `UPDATE ingestion.listing_imports SET
             cursor_mark = $4, pages = pages + 1, items = items + $5, num_found = $6,
             state = CASE WHEN $7 THEN 'finished' ELSE state END,
             finished_at = CASE WHEN $7 THEN now() ELSE NULL END,
             next_run_at = CASE WHEN $7 THEN now() + $8::float8 * interval '1 millisecond'
                                ELSE next_run_at END,
             claimed_until = CASE WHEN $7 THEN NULL
                                  ELSE now() + $9::float8 * interval '1 millisecond' END,
             error_code = NULL, error_message = NULL, updated_at = now()
           WHERE shop_id = $1 AND import_id = $2 AND cursor_mark = $3 AND state = 'running'
           RETURNING shop_id`,
          [
            shopId,
            importId,
            cursor,
            page.next ?? cursor,
            page.items.length,
            page.numFound,
            page.last,
            this.config.LISTINGS_IMPORT_INTERVAL_MS,
            this.claimMs,
          ],
        ),
      );
      if (updated.length === 0) return false;
      if (page.items.length > 0 || page.last) {
        await this.messaging.outbox.add(
          manager,
          createEvent('listings.imported', {
            tenantId,
            shopId,
            data: {
              marketplace: 'rakuten',
              importId,
              page: page.page,
              last: page.last,
              readAt: new Date().toISOString(),
              numFound: page.numFound,
              items: page.items,
            },
          }),
        );
      }
      return true;
    });
  }

  private async release(shopId: string, inMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE ingestion.listing_imports
          SET claimed_until = now() + $2::float8 * interval '1 millisecond'
        WHERE shop_id = $1 AND state = 'running'`,
      [shopId, inMs],
    );
  }
}

/** An Item API item as the `listings.imported` event carries it. */
export function toImportedItem(item: Item): ImportedItem {
  const hidden = Boolean(item.hideItem);
  const variants = Object.entries(item.variants ?? {}).map(([variantId, variant]) => ({
    variantId,
    merchantDefinedSkuId: variant.merchantDefinedSkuId?.trim() || null,
    selectorText: Object.entries(variant.selectorValues ?? {})
      .map(([key, value]) => `${key}:${value}`)
      .join('\n'),
    hidden: hidden || Boolean(variant.hidden),
  }));
  return {
    manageNumber: item.manageNumber.toLowerCase(),
    itemNumber: item.itemNumber || item.manageNumber,
    title: item.title ?? '',
    hidden,
    variants,
  };
}
