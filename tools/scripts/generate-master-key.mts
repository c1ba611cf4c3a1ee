/**
 * Prints a new master key for MASTER_KEYS: `<id>:<base64 of 32 random bytes>`.
 *   node tools/scripts/generate-master-key.mts k2
 * To rotate, put the new key first and keep the old one: MASTER_KEYS=k2:…,k1:…
 */
import { randomBytes } from 'node:crypto';

const id = process.argv[2] ?? `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
  console.error('the key id must be 1-32 letters, digits, _ or -');
  process.exit(2);
}
console.log(`${id}:${randomBytes(32).toString('base64')}`);
