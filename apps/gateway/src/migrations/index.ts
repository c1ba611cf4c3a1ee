import { Initial1764400000000 } from './1764400000000-initial';

/** Every migration of the gateway schema, oldest first. */
export const migrations = [Initial1764400000000];
