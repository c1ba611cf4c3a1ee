import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CONSOLE_CSP, CONSOLE_NOT_BUILT, consoleMiddleware } from './console-static';

/** The middleware on a bare HTTP server; what it passes on answers 404 "api" (Nest's turn). */
async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const middleware = consoleMiddleware(dir);
  const server = createServer((req, res) =>
    middleware(req, res, () => {
      res.statusCode = 404;
      res.end('api');
    }),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the web console at /', () => {
  let dir: string;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    ({ url, server } = await serve(dir));
  });

  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html for every page path, with a CSP allowing only its own scripts', async () => {
    for (const path of [
      '/',
      '/shops',
      '/orders/1-20261129-1?x=1',
      // The pages of the e-mailed links (the token is in the fragment, never sent).
      '/invitations/accept',
      '/password-reset',
    ]) {
      const answer = await fetch(url + path);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe('<div id="root"></div>');
      expect(answer.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(answer.headers.get('cache-control')).toBe('no-cache');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
  });

  it('serves hashed assets as immutable files with their type', async () => {
    const answer = await fetch(`${url}/assets/index-abc.js`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(answer.headers.get('cache-control')).toContain('immutable');
  });

  it('leaves the API, health, metrics, missing files and other methods to the routes', async () => {
    for (const path of ['/api/v1/shops', '/api', '/health/ready', '/metrics', '/favicon.ico']) {
      const answer = await fetch(url + path);
      expect({ path, body: await answer.text() }).toEqual({ path, body: 'api' });
    }
    const post = await fetch(`${url}/shops`, { method: 'POST' });
    expect(await post.text()).toBe('api');
  });

  it('never reads outside its directory', async () => {
    const answer = await fetch(`${url}/assets/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await answer.text()).not.toContain('root:');
  });

  it('answers a clear 503 when the console is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    const bare = await serve(join(empty, 'missing'));
    try {
      const answer = await fetch(`${bare.url}/shops`);
      expect(answer.status).toBe(503);
      expect(await answer.text()).toBe(CONSOLE_NOT_BUILT);
      const api = await fetch(`${bare.url}/api/v1/shops`);
      expect(await api.text()).toBe('api');
    } finally {
      bare.server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
