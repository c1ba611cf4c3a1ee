import { Initial1764400000000 } from './1764400000000-initial';
import { Catalog1766100000000 } from './1766100000000-catalog';
import { OrderRevisions1767100000000 } from './1767100000000-order-revisions';
import { Alerts1768100000000 } from './1768100000000-alerts';
import { ImportJobs1768600000000 } from './1768600000000-import-jobs';
import { ImportedListings1768700000000 } from './1768700000000-imported-listings';
import { SafetyStock1769500000000 } from './1769500000000-safety-stock';
import { InboxRetention1770000000000 } from './1770000000000-inbox-retention';

/** Every migration of the mapping schema, oldest first. */
export const migrations = [
  Initial1764400000000,
  Catalog1766100000000,
  OrderRevisions1767100000000,
  Alerts1768100000000,
  ImportJobs1768600000000,
  ImportedListings1768700000000,
  SafetyStock1769500000000,
  InboxRetention1770000000000,
];
