/**
 * Test-only receivers for the notifications tests: the project's SMTP mail catcher
 * (tools/scripts/mail-catcher.ts), and a real HTTPS server with a self-signed certificate (selfsigned)
 * that records every webhook request and answers what the test scripts per path.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generate } from 'selfsigned';

// The SMTP side is the project's mail catcher (also behind `npm start` and the chaos run).
// eslint-disable-next-line @nx/enforce-module-boundaries
export {
  type CaughtMail,
  type MailCatcher,
  startMailCatcher,
} from '../../../tools/scripts/mail-catcher';

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What the receiver answers: a status (and headers), or 'hang' to never answer. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

export interface HttpsReceiver {
  port: number;
  /** PEM of the self-signed certificate (for WEBHOOK_CA_FILE). */
  caFile: string;
  requests: ReceivedRequest[];
  /** Answers per path, used in order; 200 once they run out. */
  script: Map<string, Answer[]>;
  /** Waits this long before answering each request (a slow receiver). */
  delayMs: number;
  on(path: string): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startHttpsReceiver(port = 0): Promise<HttpsReceiver> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    days: 2,
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  } as Parameters<typeof generate>[1]);
  const caFile = join(tmpdir(), `notifications-test-ca-${process.pid}-${Date.now()}.pem`);
  writeFileSync(caFile, pems.cert);
  const requests: ReceivedRequest[] = [];
  const script = new Map<string, Answer[]>();
  const state = { delayMs: 0 };
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({
        path,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(',') : (v ?? ''),
          ]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = script.get(path)?.shift() ?? { status: 200 };
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain' }).end('ok');
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    caFile,
    requests,
    script,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    on: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
