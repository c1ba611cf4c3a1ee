import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import pino, { type DestinationStream, type Logger } from 'pino';

/*
 * Secrets should never reach a log call in the first place; what is here is the second line of
 * defence, applied to every log line of every service:
 * - any property whose name says it holds a secret is replaced by "[redacted]", at any depth and
 *   whatever its case or separators (`Authorization`, `x-api-key`, `serviceSecret`,
 *   `new_password`, `Set-Cookie`, …);
 * - errors are logged without the SQL parameters a failed query carries (TypeORM's
 *   QueryFailedError has them, and they can be key ciphertexts, hashes or a buyer's address);
 * - HTTP requests and responses are logged without their headers (cookies, bearer tokens).
 */

const CENSOR = '[redacted]';

/** Property names (lower case, without `-`, `_` and spaces) that hold secrets, by their ending. */
const SECRET_NAME =
  /(authorization|cookie|password|passphrase|secret|token|licensekey|apikey|masterkeys?|privatekey|otp)$/;

/** Properties of errors that are never logged: the values a failed SQL statement was given. */
const ERROR_DROPPED = new Set(['parameters']);

/** How deep a log object is walked; deeper values are replaced (logs are not for dumps). */
const MAX_DEPTH = 8;

/** True when a property of this name holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[-_\s]/g, ''));
}

/**
 * The log object with every secret-named property redacted at any depth and errors reduced to
 * what may be logged. Only plain objects, arrays and errors are walked: anything else (a request
 * object, a Buffer) is left to its serializer.
 */
export function redactLogObject(value: Record<string, unknown>): Record<string, unknown> {
  return redactValue(value, 0, new WeakSet()) as Record<string, unknown>;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
    if (value instanceof Error) return redactError(value, depth, seen);
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = isSecretName(key) ? CENSOR : redactValue(item, depth + 1, seen);
    }
    return result;
  } finally {
    seen.delete(value);
  }
}

/**
 * An error reduced to what may be logged: no SQL parameters, no secret fields. It has no
 * prototype, so pino's error serializer still names its type from `name` (the class's name).
 */
function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const result = Object.create(null) as Record<string, unknown>;
  result.name = error.constructor?.name ?? error.name;
  result.message = error.message;
  result.stack = error.stack;
  for (const [key, item] of Object.entries(error)) {
    if (ERROR_DROPPED.has(key)) continue;
    result[key] = isSecretName(key) ? CENSOR : redactValue(item, depth + 1, seen);
  }
  if (error.cause !== undefined) result.cause = redactValue(error.cause, depth + 1, seen);
  return result;
}

/**
 * Paths pino itself redacts (fast, fixed paths) on top of the walk above: the request headers
 * in case a serializer other than ours writes them.
 */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie'];

/** The process's root JSON logger; every other logger is a child of it. */
export function createRootLogger(
  service: string,
  level: string,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactLogObject(object),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * What an HTTP request and response are logged as: no headers (cookies, bearer tokens, session
 * cookies being set), and the path without its query string.
 */
export const HTTP_SERIALIZERS = {
  req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
    id: req.id,
    method: req.method,
    url: req.url?.split('?')[0],
    remoteAddress: req.remoteAddress,
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

/** The request id: the caller's X-Request-Id if it sent a sane one, else a new UUID. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id =
    typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
