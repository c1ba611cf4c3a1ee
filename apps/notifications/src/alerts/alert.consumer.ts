import { Injectable } from '@nestjs/common';
import { MessagingRuntime } from '@smartship/service-kit';

import { AlertIntake } from './alert-intake';

/**
 * Consumer group `notifications.alerts`: every `shop.alert` and `tenant.alert` becomes a
 * notification (or a counted repeat) and its delivery intents, in the inbox transaction.
 */
@Injectable()
export class AlertConsumer {
  constructor(messaging: MessagingRuntime, intake: AlertIntake) {
    messaging.registerConsumer({
      groupId: 'notifications.alerts',
      handlers: {
        'shop.alert': async (event, { manager, logger }) => {
          await intake.apply(
            manager,
            {
              eventId: event.id,
              tenantId: event.tenantId,
              shopId: event.shopId,
              kind: event.data.kind,
              severity: event.data.severity,
              details: event.data.details,
            },
            logger,
          );
        },
        'tenant.alert': async (event, { manager, logger }) => {
          await intake.apply(
            manager,
            {
              eventId: event.id,
              tenantId: event.tenantId,
              shopId: null,
              kind: event.data.kind,
              severity: event.data.severity,
              details: event.data.details,
            },
            logger,
          );
        },
      },
    });
  }
}
