import { Initial1764400000000 } from './1764400000000-initial';
import { StockAndDispatch1766100000000 } from './1766100000000-stock-and-dispatch';
import { OrderRevisions1767100000000 } from './1767100000000-order-revisions';
import { ShipmentV2AndSplits1768200000000 } from './1768200000000-shipment-v2-and-splits';
import { InboxRetention1770000000000 } from './1770000000000-inbox-retention';

/** Every migration of the fulfillment schema, oldest first. */
export const migrations = [
  Initial1764400000000,
  StockAndDispatch1766100000000,
  OrderRevisions1767100000000,
  ShipmentV2AndSplits1768200000000,
  InboxRetention1770000000000,
];
