/**
 * A local HTTPS webhook receiver for the chaos run and the tests: a self-signed certificate for
 * 127.0.0.1 and localhost (the notifications service trusts it through WEBHOOK_CA_FILE), every
 * request kept with its headers and body, and each signature checked with the Standard Webhooks
 * reference library when the path's secret is known. What it answers can be scripted per path
 * (a status, or 'hang' to never answer), drawn at random (a share of 500s), or delayed.
 *
 * Plain TypeScript that Node runs with its type stripping (chaos.ts imports it).
 */
import { createServer, type Server } from 'node:https';
import type { ServerResponse } from 'node:http';

import { generate } from 'selfsigned';
import { Webhook } from 'standardwebhooks';

/** What the receiver answers: a status (and headers), or 'hang' to never answer. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/** One request the receiver got. */
export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  /** The body exactly as received. */
  body: string;
  webhookId: string;
  /** What it answered. */
  status: number | 'hang';
  /** The signature verified with the path's secret; null when no secret is known for the path. */
  verified: boolean | null;
}

export interface WebhookReceiver {
  port: number;
  /** The self-signed certificate to trust (PEM). */
  certificate: string;
  /** Every request, including those refused or left hanging. */
  readonly requests: ReceivedWebhook[];
  /** Answers per path, used in order; then the default (200, or 500 at `failureRate`). */
  script: Map<string, Answer[]>;
  /** Secrets to verify signatures with, per path (`/tenant-1`). */
  secrets: Map<string, string>;
  /** Waits this long before answering each request (a slow receiver); 0 by default. */
  delayMs: number;
  /** The requests to one path. */
  on(path: string): ReceivedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: {
  port: number;
  /** Share of requests answered 500 when nothing is scripted (0–1), drawn with `random`. */
  failureRate?: number;
  random?: () => number;
}): Promise<WebhookReceiver> {
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
  const requests: ReceivedWebhook[] = [];
  const script = new Map<string, Answer[]>();
  const secrets = new Map<string, string>();
  const state = { delayMs: 0 };
  const hanging = new Set<ServerResponse>();
  const random = options.random ?? Math.random;

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(',') : (v ?? ''),
        ]),
      );
      const secret = secrets.get(path);
      let verified: boolean | null = null;
      if (secret) {
        try {
          new Webhook(secret).verify(body, headers);
          verified = true;
        } catch {
          verified = false;
        }
      }
      const answer =
        script.get(path)?.shift() ??
        (random() < (options.failureRate ?? 0) ? { status: 500 } : { status: 200 });
      requests.push({
        path,
        headers,
        body,
        webhookId: headers['webhook-id'] ?? '',
        status: answer === 'hang' ? 'hang' : answer.status,
        verified,
      });
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain' }).end('ok');
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    certificate: pems.cert,
    requests,
    script,
    secrets,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    on: (path) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
