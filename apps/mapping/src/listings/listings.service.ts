import { Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';

import { lockListingsOfSkus, lockedListingsOfSku, saveSkuStock } from './listing.store';
import { bufferedListingQuantity, listingStockEvents } from './safety-stock';

/**
 * The Rakuten listings (shop, 商品管理番号, SKU管理番号) seen on order lines and the SKUs each links
 * to, and the stock each should show. A listing takes the link of the last line that mentioned it.
 */
@Injectable()
export class ListingsService {
  /**
   * A chunk of `inventory.changed`: first locks, in one statement and in the listing lock order,
   * every listing linked to any SKU of the chunk, then applies the events one by one. Locking per
   * event would take the listings of SKU A, then those of SKU B — not one ascending sweep — and
   * deadlock with an order.pulled chunk writing listings of both.
   */
  async onInventoryChangedChunk(
    events: EventOf<'inventory.changed'>[],
    context: HandlerContext,
  ): Promise<void> {
    await lockListingsOfSkus(
      context.manager,
      events.map((event) => ({ tenantId: event.tenantId, skuCode: event.data.skuCode })),
    );
    for (const event of events) await this.onInventoryChanged(event, context);
  }

  /**
   * `inventory.changed`: remembers the SKU's stock and publishes `listing.stock.changed` for every
   * listing of the tenant's shops linked to it whose quantity moved. A bundle listing shows what
   * its scarcest component allows, less the safety stocks (see safety-stock.ts); a component
   * whose stock was never reported counts as 0.
   */
  async onInventoryChanged(
    event: EventOf<'inventory.changed'>,
    context: HandlerContext,
  ): Promise<void> {
    const { manager } = context;
    await saveSkuStock(manager, event.tenantId, event.data);
    const listings = await lockedListingsOfSku(manager, event.tenantId, event.data.skuCode);
    const events = await listingStockEvents(manager, event.tenantId, listings, event.correlationId);
    if (events.length > 0) await context.publish(events);
  }
}

/**
 * Units a listing can show: min over its SKUs of floor(available / perUnit), never below 0 and
 * never above Rakuten's maximum of 99,999.
 */
export function listingQuantity(sources: { available: number; perUnit: number }[]): number {
  return bufferedListingQuantity(
    sources.map((source) => ({ ...source, safetyStock: 0 })),
    0,
  );
}
