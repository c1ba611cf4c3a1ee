import type { IncomingMessage } from 'node:http';

/** Outside development and tests the cookie is `__Host-` prefixed: Secure, path /, no domain. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-smartship_session' : 'smartship_session';
}

/** Secure cookies everywhere but on a developer's or a test's plain-HTTP gateway. */
export function secureCookies(nodeEnv: string): boolean {
  return nodeEnv !== 'development' && nodeEnv !== 'test';
}

/** The header a state-changing request signed in by cookie must carry. */
export const CSRF_HEADER = 'x-csrf-token';

/** The value of one cookie of a request, or null. Malformed pairs are ignored. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return value.length > 0 ? value : null;
  }
  return null;
}

/**
 * The Set-Cookie header for a session: httpOnly (no script reads it), SameSite=Lax (not sent on
 * cross-site POSTs), Secure outside development. `maxAgeSeconds` 0 deletes it.
 */
export function sessionCookie(
  name: string,
  value: string,
  options: { secure: boolean; maxAgeSeconds: number },
): string {
  const parts = [
    `${name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The caller's address as the socket sees it (Express's `ip` honours `trust proxy` if set). */
export function clientAddress(request: IncomingMessage & { ip?: string }): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}
