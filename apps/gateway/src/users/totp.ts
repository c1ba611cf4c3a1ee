import { hkdfSync } from 'node:crypto';

import { SecretBox, type Sealed } from '@smartship/crypto';
import { authenticator } from 'otplib';

/** Shown in authenticator apps above the account. */
export const TOTP_ISSUER = 'Smartship';

/**
 * The key that seals TOTP secrets at rest (AES-256-GCM, bound to the user id): the first key of
 * MASTER_KEYS when the gateway has them, else a key derived with HKDF-SHA-256 from
 * OPERATOR_TOKEN. Either way the secret is not in the database in the clear: a copy of the
 * database alone does not let anyone make codes.
 */
export function totpBox(masterKeys: string, operatorToken: string): SecretBox {
  if (masterKeys.trim()) return SecretBox.fromEnv(masterKeys);
  const key = Buffer.from(
    hkdfSync('sha256', operatorToken, 'smartship-gateway', 'totp-secret-sealing', 32),
  );
  return new SecretBox([{ id: 'op', key }]);
}

export function totpPurpose(userId: string): string {
  return `user:${userId}:totp`;
}

/** A new base32 secret of 20 random bytes (160 bits, as RFC 4226 recommends). */
export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

/** The otpauth:// URI an authenticator app reads (usually from a QR code). */
export function totpUri(email: string, secret: string): string {
  return authenticator.keyuri(email, TOTP_ISSUER, secret);
}

/**
 * The time step of a valid 6-digit code (one step of clock drift either way is accepted), or
 * null. A step at or before `lastStep` is refused, so a code is never accepted twice.
 */
export function acceptedTotpStep(
  secret: string,
  code: string,
  lastStep: number | null,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Date.now();
  const delta = authenticator.clone({ epoch, window: 1 }).checkDelta(code, secret);
  if (delta === null) return null;
  // The 30-second step the code belongs to: now's, or a neighbour (delta).
  const step = Math.floor(epoch / 30_000) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

export type { Sealed };
