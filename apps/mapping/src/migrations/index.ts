import { Initial1764400000000 } from './1764400000000-initial';
import { Catalog1766100000000 } from './1766100000000-catalog';
import { OrderRevisions1767100000000 } from './1767100000000-order-revisions';
import { Alerts1768100000000 } from './1768100000000-alerts';

/** Every migration of the mapping schema, oldest first. */
export const migrations = [
  Initial1764400000000,
  Catalog1766100000000,
  OrderRevisions1767100000000,
  Alerts1768100000000,
];
