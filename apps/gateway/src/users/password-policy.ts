import { dictionary } from '@zxcvbn-ts/language-common';

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted: argon2 would take any length, but a megabyte of "password" is abuse. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * The common-password list of zxcvbn-ts (about 49,000 passwords seen in breaches), lower-cased,
 * loaded once.
 */
const COMMON = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));

/**
 * The problems with a new password, as sentences naming the field (empty: acceptable). Refused:
 * shorter than 12 characters, a common password, a common password with digits or symbols
 * added at the end or start ("password123456!"), one or two characters repeated, and the
 * account's e-mail address or its name part.
 */
export function passwordProblems(
  password: string,
  email: string | null,
  field = 'password',
): string[] {
  if (typeof password !== 'string') return [`${field} must be a string`];
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return [`${field} must be at least ${MIN_PASSWORD_LENGTH} characters long`];
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return [`${field} must be at most ${MAX_PASSWORD_LENGTH} characters long`];
  }
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  if (COMMON.has(lower) || (core.length >= 4 && COMMON.has(core))) {
    return [`${field} is a commonly used password; choose another`];
  }
  if (new Set(lower).size <= 2) {
    return [`${field} repeats too few different characters`];
  }
  if (email) {
    const address = email.trim().toLowerCase();
    const name = address.split('@')[0];
    if (lower === address || lower.includes(address) || (name.length >= 4 && core === name)) {
      return [`${field} must not be your e-mail address`];
    }
  }
  return [];
}
