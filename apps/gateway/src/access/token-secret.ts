import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every tenant token starts with this, so a leaked one is recognisable by secret scanners. */
export const TOKEN_PREFIX = 'sst_';

/** `sst_` + 32 random bytes in base64url (43 characters). */
export const TENANT_TOKEN = /^sst_[A-Za-z0-9_-]{43}$/;

/** A new tenant token; the caller shows it once and stores only its hash. */
export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Lowercase hex SHA-256: what api_tokens.token_hash holds. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time comparison with the operator token. Both sides are hashed first so the lengths
 * match and the comparison leaks neither the length nor a prefix of the real token.
 */
export function isOperatorToken(given: string, operatorToken: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(operatorToken, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1] : null;
}
