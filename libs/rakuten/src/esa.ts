import { createHash } from 'node:crypto';

/*
 * ESA authentication (docs/rakuten-rms.md §1.1): `Authorization: ESA base64(serviceSecret:licenseKey)`.
 * RMS rejects keys with surrounding blanks or CR/LF, which copy-paste from the RMS screen easily
 * adds, so both parts are trimmed before encoding.
 */

/** The RMS credentials of one shop. Secret: never log, never put in an error message. */
export interface RmsCredentials {
  serviceSecret: string;
  licenseKey: string;
}

/** Credentials with surrounding whitespace and CR/LF removed. */
export function trimCredentials(credentials: RmsCredentials): RmsCredentials {
  return {
    serviceSecret: credentials.serviceSecret.trim(),
    licenseKey: credentials.licenseKey.trim(),
  };
}

/** The `Authorization` header value. Node's base64 never wraps lines, which RMS would refuse. */
export function esaAuthorization(credentials: RmsCredentials): string {
  const { serviceSecret, licenseKey } = trimCredentials(credentials);
  return `ESA ${Buffer.from(`${serviceSecret}:${licenseKey}`, 'utf8').toString('base64')}`;
}

/**
 * Reads an ESA header back into credentials (the simulator's side). Returns null for anything
 * that is not `ESA <base64 of secret:key>`.
 */
export function parseEsaAuthorization(header: string | undefined): RmsCredentials | null {
  if (!header) return null;
  const match = /^ESA ([A-Za-z0-9+/]+={0,2})$/.exec(header.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return null;
  return { serviceSecret: decoded.slice(0, colon), licenseKey: decoded.slice(colon + 1) };
}

/**
 * A stable, non-reversible id of a licence key (SHA-256, hex, 32 chars): what the rate limiter
 * and logs use instead of the key itself.
 */
export function licenseKeyId(licenseKey: string): string {
  return createHash('sha256').update(licenseKey.trim()).digest('hex').slice(0, 32);
}

/** The key as RMS itself shows it to sellers: only its last four characters. */
export function maskLicenseKey(licenseKey: string): string {
  const trimmed = licenseKey.trim();
  return `…${trimmed.slice(-4)}`;
}
