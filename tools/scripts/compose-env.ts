import { randomBytes } from 'node:crypto';

import { SERVICE_SCHEMAS } from '../../libs/persistence/src/service-roles.ts';

/*
 * The secrets docker-compose.yml interpolates, generated once per deployment into .compose.env
 * (`npm run compose:env`, then `docker compose --env-file .compose.env up --build`). Kept apart
 * from .env, which `npm start` reads for the development stack.
 */

/** Every variable docker-compose.yml requires (`${NAME:?…}`), with a fresh value each. */
export function composeSecrets(): Record<string, string> {
  return {
    POSTGRES_PASSWORD: randomBytes(24).toString('base64url'),
    MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    OPERATOR_TOKEN: `op_${randomBytes(32).toString('base64url')}`,
    INTERNAL_CALL_KEY: randomBytes(32).toString('base64'),
    // Each service's own database role (prepare-db in the db-setup container makes them).
    ...Object.fromEntries(
      SERVICE_SCHEMAS.map((service) => [
        `DB_PASSWORD_${service.toUpperCase()}`,
        randomBytes(24).toString('base64url'),
      ]),
    ),
  };
}

/** The env file: one NAME=value per line, with a header saying what it is. */
export function renderEnvFile(values: Record<string, string>): string {
  return [
    '# Secrets of the docker compose deployment, made by npm run compose:env. Keep it private.',
    '# Rotating MASTER_KEYS: put a new key first and keep the old one (k2:…,k1:…) until the',
    '# services have re-encrypted, then drop it.',
    ...Object.entries(values).map(([name, value]) => `${name}=${value}`),
    '',
  ].join('\n');
}
