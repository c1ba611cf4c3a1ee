import type { IncomingMessage, ServerResponse } from 'node:http';

import type { RmsSimulator } from '../sim/rms-simulator';

/** Largest request body accepted, in bytes (a 1000-key bulk-get is about 60 kB). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Serves the RMS paths (`/es/…`) straight from Node's request and response objects, ahead of
 * Nest's router, body parser and request logging. The simulator is a benchmark target, and this
 * lean path is what lets it serve thousands of requests per second (README, Performance).
 * Other paths (`/__sim`, `/health`, `/metrics`) fall through to Nest.
 */
export function rmsRequestHandler(simulator: RmsSimulator) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = req.url ?? '/';
    if (!url.startsWith('/es/')) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const question = url.indexOf('?');
      const answer = simulator.handle({
        method: req.method ?? 'GET',
        path: question < 0 ? url : url.slice(0, question),
        query: new URLSearchParams(question < 0 ? '' : url.slice(question + 1)),
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (answer.drop) {
        req.socket.destroy();
        return;
      }
      const write = () => {
        if (res.destroyed || res.writableEnded) return;
        const payload =
          answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? undefined);
        const headers: Record<string, string> = {};
        if (payload !== undefined)
          headers['Content-Type'] = answer.contentType ?? 'application/json;charset=utf-8';
        res.writeHead(answer.status, headers);
        res.end(payload);
      };
      if (answer.delayMs) setTimeout(write, answer.delayMs).unref();
      else write();
    });
  };
}
