import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import pino, { Logger } from 'pino';

/**
 * Paths pino replaces with "[redacted]" wherever they occur in a log object. Secrets should never
 * reach a log call in the first place; this is the second line of defence.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'serviceSecret',
  'licenseKey',
  '*.serviceSecret',
  '*.licenseKey',
  '*.*.serviceSecret',
  '*.*.licenseKey',
  'password',
  '*.password',
  'token',
  '*.token',
];

/** The process's root JSON logger; every other logger is a child of it. */
export function createRootLogger(service: string, level: string): Logger {
  return pino({
    name: service,
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** The request id: the caller's X-Request-Id if it sent a sane one, else a new UUID. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id =
    typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
