import { randomBytes } from 'node:crypto';

import { hashToken } from '../access/token-secret';

/** Invitation links carry `inv_` + 32 random bytes (256 bits) in base64url. */
export const INVITATION_TOKEN = /^inv_[A-Za-z0-9_-]{43}$/;
/** Password-reset links carry `pwr_` + 32 random bytes. */
export const RESET_TOKEN = /^pwr_[A-Za-z0-9_-]{43}$/;
/** Session cookies carry `ses_` + 32 random bytes. */
export const SESSION_TOKEN = /^ses_[A-Za-z0-9_-]{43}$/;

export type LinkTokenKind = 'inv' | 'pwr' | 'ses';

/** A new random secret for a link or cookie; only `hashSecret` of it is stored. */
export function newSecret(kind: LinkTokenKind): string {
  return `${kind}_${randomBytes(32).toString('base64url')}`;
}

/** Lowercase hex SHA-256, as stored (the secrets are random, so no salt or slow hash is needed). */
export function hashSecret(secret: string): string {
  return hashToken(secret);
}
