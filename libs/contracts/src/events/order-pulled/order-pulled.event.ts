import { IsIn } from 'class-validator';

import { NestedObject } from '../../decorators';
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
}
