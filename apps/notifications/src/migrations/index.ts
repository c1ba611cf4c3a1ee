import { Initial1768000000000 } from './1768000000000-initial';
import { InboxRetention1770000000000 } from './1770000000000-inbox-retention';

/** Every migration of the notifications schema, oldest first. */
export const migrations = [Initial1768000000000, InboxRetention1770000000000];
