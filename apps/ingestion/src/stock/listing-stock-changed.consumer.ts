import { Inject, Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import { PermanentError, type HandlerContext } from '@smartship/messaging';
import { RMS_LIMITS } from '@smartship/rakuten';
import { MessagingRuntime, SERVICE_CONFIG } from '@smartship/service-kit';

import { IngestionConfig } from '../config';

/** Inventory API keys: 1–32 bytes of `[a-zA-Z0-9_-]` (docs/rakuten-rms.md §5.1). */
const INVENTORY_KEY = /^[a-zA-Z0-9_-]{1,32}$/;

/**
 * Consumer group `ingestion.listing-stock-changed`: keeps the latest quantity each Rakuten
 * listing (shop, manageNumber, variantId) should show and marks it dirty; StockPusher pushes it.
 * Changes coalesce: only the newest quantity is kept (an event older than the stored one, by
 * `occurredAt`, is ignored), so a burst of changes becomes one push. A listing that becomes
 * dirty waits STOCK_PUSH_COALESCE_MS before its push (a listing already dirty keeps its time),
 * so changes spread over that window become one push of the latest value too. The manageNumber is stored
 * lowercase, as RMS stores it. A key RMS cannot take goes to the dead-letter topic.
 */
@Injectable()
export class ListingStockChangedConsumer {
  constructor(
    messaging: MessagingRuntime,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
  ) {
    messaging.registerConsumer({
      groupId: 'ingestion.listing-stock-changed',
      handlers: { 'listing.stock.changed': (event, context) => this.apply(event, context) },
    });
  }

  async apply(
    event: EventOf<'listing.stock.changed'>,
    { manager, logger }: HandlerContext,
  ): Promise<void> {
    const data = event.data;
    if (data.marketplace !== 'rakuten') return;
    if (!INVENTORY_KEY.test(data.manageNumber) || !INVENTORY_KEY.test(data.variantId)) {
      throw new PermanentError(
        'INVALID_INVENTORY_KEY',
        `manageNumber and variantId must be 1–32 characters of [a-zA-Z0-9_-] for the Inventory API (got ${data.manageNumber} / ${data.variantId})`,
      );
    }
    const quantity = Math.min(data.quantity, RMS_LIMITS.inventoryMaxQuantity);
    if (quantity !== data.quantity) {
      logger.warn(
        { manageNumber: data.manageNumber, variantId: data.variantId, quantity: data.quantity },
        `quantity above Rakuten's maximum; ${RMS_LIMITS.inventoryMaxQuantity} is shown`,
      );
    }
    await manager.query(
      `INSERT INTO ingestion.listing_stock
         (shop_id, manage_number, variant_id, quantity, event_at, desired_seq, next_push_at)
       VALUES ($1, $2, $3, $4, $5, nextval('ingestion.listing_stock_seq'),
               now() + $6::float8 * interval '1 millisecond')
       ON CONFLICT (shop_id, manage_number, variant_id) DO UPDATE SET
         quantity = EXCLUDED.quantity, event_at = EXCLUDED.event_at,
         desired_seq = EXCLUDED.desired_seq, updated_at = now(),
         next_push_at = CASE WHEN listing_stock.desired_seq > listing_stock.pushed_seq
                             THEN listing_stock.next_push_at ELSE EXCLUDED.next_push_at END
       WHERE listing_stock.event_at <= EXCLUDED.event_at`,
      [
        event.shopId,
        data.manageNumber.toLowerCase(),
        data.variantId,
        quantity,
        event.occurredAt,
        this.config.STOCK_PUSH_COALESCE_MS,
      ],
    );
  }
}
