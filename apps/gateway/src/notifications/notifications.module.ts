import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { NotificationsController } from './notifications.controller';
import { NotificationsGatewayService } from './notifications.service';
import { RecipientsController } from './recipients.controller';
import { WebhookEndpointsController } from './webhook-endpoints.controller';

/** The notification routes (docs: notifications-api), answered by the notifications service. */
@Module({
  imports: [AuditModule],
  controllers: [NotificationsController, RecipientsController, WebhookEndpointsController],
  providers: [NotificationsGatewayService],
})
export class NotificationsModule {}
