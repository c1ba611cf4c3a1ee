import { IsIn } from 'class-validator';

import { IsOrderRevision, NestedObject } from '../../decorators';
import { MARKETPLACES, type Marketplace } from '../../models/marketplace.model';
import { MarketplaceOrder } from '../../models/order.model';

/**
 * `order.pulled` v1: ingestion pulled a new or changed order from the marketplace. Producer:
 * ingestion. Consumers: mapping. Key `<shopId>:<orderNumber>`.
 */
export class OrderPulledData {
  /** Marketplace the order comes from. */
  @IsIn(MARKETPLACES)
  marketplace: Marketplace;

  /** The order, normalised; the raw RMS payload stays in the ingestion database. */
  @NestedObject(() => MarketplaceOrder)
  order: MarketplaceOrder;

  /**
   * 1 (or absent) for an order's first pull; 2, 3, … (at most 1,000) when an order that Rakuten
   * changed (400, which gave `order.canceled`) came back to 発送待ち and was pulled again as it is
   * now. A consumer replaces what it holds of a lower revision with this one, and ignores an event
   * whose revision is lower than or equal to the one it holds.
   */
  @IsOrderRevision()
  revision?: number;
}
