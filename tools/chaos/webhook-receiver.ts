/**
 * An HTTPS webhook receiver for the chaos run and tests: a self-signed certificate (the
 * notifications service trusts it through WEBHOOK_CA_FILE), every request kept with its
 * `webhook-id`, and each signature checked with the Standard Webhooks reference library.
 * It can refuse a share of requests with HTTP 500 so that retries happen.
 *
 * Plain TypeScript that Node runs with its type stripping (see chaos.ts).
 */
import { createServer, type Server } from 'node:https';

import { generate } from 'selfsigned';
import { Webhook } from 'standardwebhooks';

/** One request the receiver answered. */
export interface ReceivedWebhook {
  webhookId: string;
  path: string;
  status: number;
  /** True when a signature verified against one of the known secrets (and the timestamp is fresh). */
  verified: boolean;
  body: unknown;
}

export interface WebhookReceiver {
  port: number;
  /** The certificate to trust (PEM). */
  certificate: string;
  /** Every request, including those answered 500. */
  readonly requests: ReceivedWebhook[];
  /** Secrets to verify with, per path (`/tenant-1`): set when the endpoint is created. */
  secrets: Map<string, string>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: {
  port: number;
  /** Share of requests answered 500 (0–1), drawn with `random`. */
  failureRate?: number;
  random?: () => number;
}): Promise<WebhookReceiver> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    days: 2,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  } as Parameters<typeof generate>[1]);
  const requests: ReceivedWebhook[] = [];
  const secrets = new Map<string, string>();
  const random = options.random ?? Math.random;

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let verified = false;
      const secret = secrets.get(path);
      if (secret) {
        try {
          new Webhook(secret).verify(raw, headers);
          verified = true;
        } catch {
          verified = false;
        }
      }
      const status = random() < (options.failureRate ?? 0) ? 500 : 200;
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as text
      }
      requests.push({ webhookId: headers['webhook-id'], path, status, verified, body });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
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
    secrets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
