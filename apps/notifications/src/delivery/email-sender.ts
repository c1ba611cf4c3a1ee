import { createTransport, type Transporter } from 'nodemailer';

import type { RenderedEmail } from '../templates/emails';
import type { AttemptResult } from './webhook-sender';

export interface SmtpSettings {
  url: string;
  from: string;
  user?: string;
  password?: string;
}

/**
 * Sends e-mail over SMTP (nodemailer, a small connection pool). The Message-ID is the caller's
 * (`<deliveryId@smartship>`), so a mail sent twice (a crash between sending and recording it)
 * is recognisable as the same one. The password is handed to nodemailer only, never logged.
 */
export class EmailSender {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    const url = new URL(settings.url);
    this.transport = createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
      pool: true,
      maxConnections: 4,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      logger: false,
    });
  }

  async send(to: string, messageId: string, email: RenderedEmail): Promise<AttemptResult> {
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId,
      });
      return { ok: true, statusCode: null, error: null, permanent: false };
    } catch (error) {
      const { responseCode, code, message } = error as {
        responseCode?: number;
        code?: string;
        message?: string;
      };
      return {
        ok: false,
        statusCode: responseCode ?? null,
        error: `SMTP ${code ?? 'error'}: ${(message ?? '').slice(0, 300)}`,
        permanent: false,
      };
    }
  }

  close(): void {
    this.transport.close();
  }
}
