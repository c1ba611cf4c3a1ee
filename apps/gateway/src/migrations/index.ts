import { AccessAndAudit1764500000000 } from './1764500000000-access-and-audit';
import { Initial1764400000000 } from './1764400000000-initial';
import { TokenScopes1764700000000 } from './1764700000000-token-scopes';
import { People1764800000000 } from './1764800000000-people';
import { OperatorsAndLimits1764900000000 } from './1764900000000-operators-and-limits';
import { InboxRetention1770000000000 } from './1770000000000-inbox-retention';

/** Every migration of the gateway schema, oldest first. */
export const migrations = [
  Initial1764400000000,
  AccessAndAudit1764500000000,
  TokenScopes1764700000000,
  People1764800000000,
  OperatorsAndLimits1764900000000,
  InboxRetention1770000000000,
];
