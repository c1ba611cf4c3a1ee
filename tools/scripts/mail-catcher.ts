/**
 * A local SMTP server that keeps every message it receives, for `npm start` (the notifications
 * service sends its e-mail here) and for tests. Nothing leaves the machine.
 *
 * With a `dir`, each message is saved there as `<n>-<time>.eml` (the raw message, opens in any mail
 * program) and `<n>-<time>.html` (its HTML part, opens in a browser), and listed in
 * `dir/index.jsonl` (one JSON line per message: time, from, to, subject, files).
 */
import { mkdirSync, appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the catcher received. */
export interface CaughtMail {
  /** Position in arrival order, from 1. */
  n: number;
  receivedAt: string;
  /** The Message-ID header, e.g. `<delivery-id@smartship>`. */
  messageId: string | null;
  from: string;
  /** The envelope's recipients (RCPT TO), Bcc included. */
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  /** The saved raw message (empty without a `dir`). */
  file: string;
}

export interface MailCatcher {
  port: number;
  /** Every message so far, in arrival order. */
  readonly messages: CaughtMail[];
  /** Waits this long before accepting each message (a slow server); 0 by default. */
  delayMs: number;
  /** Resolves with the first message (already here or arriving) that matches, or rejects. */
  waitFor(match: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((group) =>
    group.value.map((entry) => entry.address ?? '').filter(Boolean),
  );

/** Starts the catcher on 127.0.0.1:`port` (0 = any free port); keeps files only with a `dir`. */
export async function startMailCatcher(options: {
  port: number;
  dir?: string;
  host?: string;
}): Promise<MailCatcher> {
  const dir = options.dir;
  if (dir) mkdirSync(dir, { recursive: true });
  const messages: CaughtMail[] = [];
  const state = { delayMs: 0 };
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    // Local only, no TLS, any or no login: it is a catcher, not a relay.
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'catcher' }),
    size: 10 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then(async (parsed) => {
            if (state.delayMs > 0)
              await new Promise((resolve) => setTimeout(resolve, state.delayMs));
            const n = messages.length + 1;
            const receivedAt = new Date().toISOString();
            const base = `${String(n).padStart(4, '0')}-${receivedAt.replace(/[:.]/g, '-')}`;
            const file = dir ? join(dir, `${base}.eml`) : '';
            const html = typeof parsed.html === 'string' ? parsed.html : null;
            if (dir) {
              writeFileSync(file, raw);
              if (html) writeFileSync(join(dir, `${base}.html`), html);
            }
            const mail: CaughtMail = {
              n,
              receivedAt,
              messageId: parsed.messageId ?? null,
              from: addresses(parsed.from).join(', '),
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html,
              file,
            };
            messages.push(mail);
            const { text: _text, html: _html, ...line } = mail;
            if (dir) appendFileSync(join(dir, 'index.jsonl'), `${JSON.stringify(line)}\n`);
            for (const wake of waiters) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  server.on('error', () => undefined); // a client's broken connection is not the catcher's end
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    port,
    messages,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    waitFor(match, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`no matching e-mail within ${timeoutMs} ms (${messages.length} received)`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
