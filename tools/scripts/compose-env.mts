/**
 * `npm run compose:env`: writes .compose.env with generated secrets for docker-compose.yml
 * (mode 600). Refuses to overwrite an existing file: its keys encrypt the deployment's data.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { composeSecrets, renderEnvFile } from './compose-env.ts';

const file = join(import.meta.dirname, '..', '..', '.compose.env');
if (existsSync(file)) {
  console.error(`${file} exists already: its keys encrypt the deployment's data. Not overwritten.`);
  process.exit(1);
}
writeFileSync(file, renderEnvFile(composeSecrets()), { mode: 0o600 });
console.log(`wrote ${file}; now: docker compose --env-file .compose.env up --build`);
