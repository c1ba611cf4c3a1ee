/**
 * The receivers of the notifications tests: the project's SMTP mail catcher
 * (tools/scripts/mail-catcher.ts) and its HTTPS webhook receiver (tools/scripts/webhook-receiver.ts:
 * self-signed certificate, every request recorded, answers scripted per path), the latter with its
 * certificate written to a file for WEBHOOK_CA_FILE.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The SMTP side is the project's mail catcher (also behind `npm start` and the chaos run).
// eslint-disable-next-line @nx/enforce-module-boundaries
export {
  type CaughtMail,
  type MailCatcher,
  startMailCatcher,
} from '../../../tools/scripts/mail-catcher';
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type WebhookReceiver,
  startWebhookReceiver,
} from '../../../tools/scripts/webhook-receiver';

// eslint-disable-next-line @nx/enforce-module-boundaries
export type {
  Answer,
  ReceivedWebhook as ReceivedRequest,
} from '../../../tools/scripts/webhook-receiver';

/** The project's HTTPS webhook receiver, with its certificate written to a file for WEBHOOK_CA_FILE. */
export type HttpsReceiver = WebhookReceiver & { caFile: string };

export async function startHttpsReceiver(port = 0): Promise<HttpsReceiver> {
  const receiver = await startWebhookReceiver({ port });
  const caFile = join(tmpdir(), `notifications-test-ca-${process.pid}-${Date.now()}.pem`);
  writeFileSync(caFile, receiver.certificate);
  return Object.assign(receiver, { caFile });
}
