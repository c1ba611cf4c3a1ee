import { Initial1764400000000 } from './1764400000000-initial';
import { Shops1764500000000 } from './1764500000000-shops';
import { TenantSuspension1764900000000 } from './1764900000000-tenant-suspension';
import { PollInterval1769000000000 } from './1769000000000-poll-interval';
import { InboxRetention1770000000000 } from './1770000000000-inbox-retention';

/** Every migration of the credentials schema, oldest first. */
export const migrations = [
  Initial1764400000000,
  Shops1764500000000,
  TenantSuspension1764900000000,
  PollInterval1769000000000,
  InboxRetention1770000000000,
];
