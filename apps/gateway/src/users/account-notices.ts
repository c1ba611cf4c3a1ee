import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  ACCOUNT_CALLS,
  type RaiseAlertCall,
  type SendAccountEmailCall,
} from '@smartship/contracts';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';

import { GatewayConfig } from '../config';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';

/**
 * What the gateway asks the notifications service to tell people, over its TCP transport:
 * invitation and reset e-mails (sent at once, their link token never stored anywhere but as a
 * hash here), and the `account_locked` alert for the tenant's notification list and recipients.
 */
@Injectable()
export class AccountNotices {
  private readonly logger: Logger;

  constructor(
    @Inject(clientToken('notifications')) private readonly client: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'account-notices' });
  }

  /** Sends an e-mail with a link; throws (503, …) when it could not be sent. */
  async sendEmail(call: SendAccountEmailCall): Promise<void> {
    await callService(
      this.client,
      'notifications',
      ACCOUNT_CALLS.sendEmail,
      call,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
  }

  /**
   * Sends a reset e-mail without making the caller wait or fail: the answer to a reset request
   * must not depend on whether the account exists (nor on how long the mail takes).
   */
  sendEmailInBackground(call: SendAccountEmailCall): void {
    this.sendEmail(call).catch((error: unknown) => {
      this.logger.warn(
        { err: { message: (error as Error).message }, kind: call.kind },
        'account e-mail not sent',
      );
    });
  }

  /** Raises an alert for the tenant; a failure is logged, never thrown (the lock stands anyway). */
  async raiseAlert(call: RaiseAlertCall): Promise<boolean> {
    try {
      await callService(
        this.client,
        'notifications',
        ACCOUNT_CALLS.raiseAlert,
        call,
        this.config.SERVICE_CALL_TIMEOUT_MS,
      );
      return true;
    } catch (error) {
      this.logger.error(
        { err: { message: (error as Error).message }, kind: call.body.kind },
        'alert not raised',
      );
      return false;
    }
  }
}
