import { randomUUID } from 'node:crypto';

import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RaiseAlertCall, SendAccountEmailCall } from '@smartship/contracts';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { AlertIntake, IntakeOutcome } from '../alerts/alert-intake';
import { NotificationsConfig } from '../config';
import { EmailSender } from '../delivery/email-sender';
import { SettingsStore } from '../store/settings.store';
import { renderAccountEmail } from '../templates/account-emails';
import { NotificationsError, NotificationsErrorCode } from './notifications.errors';

/**
 * The gateway's calls about people. Invitation and reset e-mails are sent at once and nothing of
 * them is stored (their link holds a secret; the gateway keeps only its hash), so a failure is
 * answered (503) rather than retried: the person asks again. `account_locked` goes through the
 * same intake as a `tenant.alert` event (list, recipients, webhooks, repeat window).
 */
@Injectable()
export class AccountCallsService implements OnApplicationShutdown {
  private readonly email: EmailSender;
  private readonly logger: Logger;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: NotificationsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: SettingsStore,
    private readonly intake: AlertIntake,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'account-calls' });
    this.email = new EmailSender({
      url: config.SMTP_URL,
      from: config.SMTP_FROM,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
    });
  }

  onApplicationShutdown(): void {
    this.email.close();
  }

  async sendEmail(call: SendAccountEmailCall): Promise<{ sent: true }> {
    const lang = call.tenantId
      ? (await this.settings.get(this.dataSource.manager, call.tenantId)).language
      : 'en';
    const email = renderAccountEmail(call.kind, lang, this.config.CONSOLE_URL, call);
    const result = await this.email.send(call.to, `<${randomUUID()}@smartship>`, email);
    if (!result.ok) {
      this.logger.warn({ kind: call.kind, error: result.error }, 'account e-mail not sent');
      throw new NotificationsError(
        NotificationsErrorCode.EMAIL_NOT_SENT,
        'The e-mail could not be sent; try again in a moment',
      );
    }
    return { sent: true };
  }

  async raiseAlert(call: RaiseAlertCall): Promise<IntakeOutcome> {
    return this.dataSource.transaction((manager) =>
      this.intake.apply(
        manager,
        {
          eventId: randomUUID(),
          tenantId: call.actor.tenantId,
          shopId: null,
          kind: call.body.kind,
          severity: call.body.severity,
          details: call.body.details,
        },
        this.logger,
      ),
    );
  }
}
