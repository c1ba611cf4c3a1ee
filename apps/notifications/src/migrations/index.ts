import { Initial1768000000000 } from './1768000000000-initial';

/** Every migration of the notifications schema, oldest first. */
export const migrations = [Initial1768000000000];
