import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';

import { AddressGuard, InternalAddressError } from './address-guard';

/** The outcome of one attempt; `permanent` failures are not retried. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  permanent: boolean;
}

/** At most this much of an answer is read (a receiver may answer with anything). */
const MAX_RESPONSE_BYTES = 4096;

export interface WebhookSenderOptions {
  timeoutMs: number;
  /** Trusted CAs (public roots plus WEBHOOK_CA_FILE), or undefined for Node's defaults. */
  ca?: string[];
}

/**
 * One HTTPS POST to a webhook endpoint. The host is resolved and vetted by the AddressGuard
 * before each attempt, and the socket connects to that vetted address (a `lookup` that answers
 * it), so DNS cannot hand out an internal address between the check and the connection.
 * Redirects are never followed (a 3xx is a failure), one attempt has one time limit for
 * everything (connect, TLS, answer), and no connection is reused between attempts.
 */
export class WebhookSender {
  constructor(
    private readonly guard: AddressGuard,
    private readonly options: WebhookSenderOptions,
  ) {}

  async send(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return failure(null, 'the URL is not valid', true);
    }
    if (target.protocol !== 'https:') return failure(null, 'only https URLs are allowed', true);
    let vetted;
    try {
      vetted = await this.guard.vet(target.hostname);
    } catch (error) {
      return failure(null, (error as Error).message, error instanceof InternalAddressError);
    }
    const lookup: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: vetted.address, family: vetted.family }]);
      else callback(null, vetted.address, vetted.family);
    };
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    return new Promise<AttemptResult>((resolve) => {
      const req = request(
        {
          method: 'POST',
          host,
          port: target.port || 443,
          path: `${target.pathname}${target.search}`,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'Smartship-Webhooks/1.0',
          },
          lookup,
          servername: isIP(host) ? undefined : host,
          ca: this.options.ca,
          agent: false,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          let read = 0;
          let snippet = '';
          const finish = (): void => {
            if (status >= 200 && status < 300)
              resolve({ ok: true, statusCode: status, error: null, permanent: false });
            else if (status >= 300 && status < 400) {
              resolve(
                failure(status, `answered ${status} (redirect); redirects are not followed`, false),
              );
            } else {
              const text = snippet.replace(/\s+/g, ' ').trim().slice(0, 200);
              resolve(failure(status, `answered HTTP ${status}${text ? `: ${text}` : ''}`, false));
            }
          };
          res.on('data', (chunk: Buffer) => {
            if (read < MAX_RESPONSE_BYTES)
              snippet += chunk.subarray(0, MAX_RESPONSE_BYTES - read).toString('utf8');
            read += chunk.length;
            if (read >= MAX_RESPONSE_BYTES) {
              res.destroy();
              finish();
            }
          });
          res.on('end', finish);
          res.on('error', () => finish());
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
        resolve(
          failure(
            null,
            timedOut
              ? `no answer within ${this.options.timeoutMs} ms`
              : `${error.code ?? 'request failed'}: ${error.message}`,
            false,
          ),
        );
      });
      req.end(body);
    });
  }
}

function failure(statusCode: number | null, error: string, permanent: boolean): AttemptResult {
  return { ok: false, statusCode, error, permanent };
}
