import { AccessAndAudit1764500000000 } from './1764500000000-access-and-audit';
import { Initial1764400000000 } from './1764400000000-initial';

/** Every migration of the gateway schema, oldest first. */
export const migrations = [Initial1764400000000, AccessAndAudit1764500000000];
