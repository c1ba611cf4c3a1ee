import { Initial1764400000000 } from './1764400000000-initial';
import { Connector1765000000000 } from './1765000000000-connector';
import { Reports1766000000000 } from './1766000000000-reports';
import { OrderRevisions1767000000000 } from './1767000000000-revisions';
import { ShopHealth1768000000000 } from './1768000000000-shop-health';
import { Backfills1769000000000 } from './1769000000000-backfills';
import { ListingImports1768700000000 } from './1768700000000-listing-imports';
import { StockDrift1769500000000 } from './1769500000000-stock-drift';
import { InboxRetention1770000000000 } from './1770000000000-inbox-retention';

/** Every migration of the ingestion schema, oldest first. */
export const migrations = [
  Initial1764400000000,
  Connector1765000000000,
  Reports1766000000000,
  OrderRevisions1767000000000,
  ShopHealth1768000000000,
  ListingImports1768700000000,
  Backfills1769000000000,
  StockDrift1769500000000,
  InboxRetention1770000000000,
];
