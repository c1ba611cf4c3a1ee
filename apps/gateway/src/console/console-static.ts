import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/**
 * The web console (apps/console, built by Vite into dist/apps/console) served at `/`: its files
 * as they are, and index.html for every other page path (the console routes in the browser).
 * /api, /health and /metrics are never touched, so every existing route answers as before.
 */

/** Paths that belong to the API and the operations endpoints, never to the console. */
const RESERVED = /^\/(api|health|metrics)(\/|$)/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The page's own policy: scripts and styles from the gateway's origin only, no inline script,
 * no framing. (Helmet's default adds upgrade-insecure-requests, which would break the console
 * on a plain-HTTP address other than localhost.)
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const CONSOLE_NOT_BUILT =
  'The Smartship web console is not built yet. Run `npx nx run console:build` (or `npm run build`) ' +
  'and reload this page. The API answers at /api/v1 and its documentation is at /api/docs.\n';

/**
 * Where the built console is: CONSOLE_DIR when set, else dist/apps/console found from the
 * compiled gateway (dist/apps/gateway/apps/gateway/src/console) or from the working directory.
 */
export function consoleDir(configured: string): string {
  if (configured) return resolve(configured);
  const candidates = [
    resolve(__dirname, '../../../../../console'),
    resolve(process.cwd(), 'dist/apps/console'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[1];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  headers: Record<string, string>,
): void {
  res.statusCode = 200;
  res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    })
    .pipe(res);
}

/** The Express middleware: a file of the console, index.html for a page, else the API's turn. */
export function consoleMiddleware(dir: string) {
  const root = normalize(dir + sep);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    } catch {
      return next();
    }
    if (RESERVED.test(path) || path.includes('\0')) return next();

    const file = normalize(join(root, path));
    if (file.startsWith(root) && isFile(file) && !file.endsWith(`${sep}index.html`)) {
      // Vite names built assets by content hash: they never change under the same name.
      const immutable = path.startsWith('/assets/');
      return send(req, res, file, {
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
    // A file that is not there (a stale asset, /favicon.ico) is the API's plain 404.
    if (extname(path) !== '') return next();

    const index = join(root, 'index.html');
    if (!isFile(index)) {
      res.statusCode = 503;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.end(req.method === 'HEAD' ? undefined : CONSOLE_NOT_BUILT);
      return;
    }
    send(req, res, index, {
      'cache-control': 'no-cache',
      'content-security-policy': CONSOLE_CSP,
    });
  };
}
