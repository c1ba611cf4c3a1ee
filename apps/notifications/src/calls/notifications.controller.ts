import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ACCOUNT_CALLS,
  CreateEndpointCall,
  CreateRecipientCall,
  ListDeliveriesCall,
  ListNotificationsCall,
  MarkNotificationsReadCall,
  NOTIFICATION_CALLS,
  NotificationActorCall,
  NotificationTargetRefCall,
  RaiseAlertCall,
  SendAccountEmailCall,
  UpdateEndpointCall,
  UpdateNotificationSettingsCall,
  UpdateRecipientCall,
} from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { AccountCallsService } from './account-calls.service';
import { NotificationsService } from './notifications.service';

/** The calls the gateway makes over the TCP transport. Each payload is validated again here. */
@Controller()
@UseFilters(ServiceCallFilter)
export class NotificationsController {
  constructor(
    private readonly service: NotificationsService,
    private readonly accounts: AccountCallsService,
  ) {}

  @MessagePattern(ACCOUNT_CALLS.sendEmail)
  sendAccountEmail(@Payload() payload: unknown) {
    return this.accounts.sendEmail(parseCall(SendAccountEmailCall, payload));
  }

  @MessagePattern(ACCOUNT_CALLS.raiseAlert)
  raiseAlert(@Payload() payload: unknown) {
    return this.accounts.raiseAlert(parseCall(RaiseAlertCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.list)
  list(@Payload() payload: unknown) {
    return this.service.list(parseCall(ListNotificationsCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.markRead)
  markRead(@Payload() payload: unknown) {
    return this.service.markRead(parseCall(MarkNotificationsReadCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.getSettings)
  getSettings(@Payload() payload: unknown) {
    return this.service.getSettings(parseCall(NotificationActorCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.updateSettings)
  updateSettings(@Payload() payload: unknown) {
    return this.service.updateSettings(parseCall(UpdateNotificationSettingsCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.createRecipient)
  createRecipient(@Payload() payload: unknown) {
    return this.service.createRecipient(parseCall(CreateRecipientCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.updateRecipient)
  updateRecipient(@Payload() payload: unknown) {
    return this.service.updateRecipient(parseCall(UpdateRecipientCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.deleteRecipient)
  async deleteRecipient(@Payload() payload: unknown) {
    await this.service.deleteRecipient(parseCall(NotificationTargetRefCall, payload));
    return { deleted: true };
  }

  @MessagePattern(NOTIFICATION_CALLS.testRecipient)
  testRecipient(@Payload() payload: unknown) {
    return this.service.testRecipient(parseCall(NotificationTargetRefCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.createEndpoint)
  createEndpoint(@Payload() payload: unknown) {
    return this.service.createEndpoint(parseCall(CreateEndpointCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.updateEndpoint)
  updateEndpoint(@Payload() payload: unknown) {
    return this.service.updateEndpoint(parseCall(UpdateEndpointCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.deleteEndpoint)
  async deleteEndpoint(@Payload() payload: unknown) {
    await this.service.deleteEndpoint(parseCall(NotificationTargetRefCall, payload));
    return { deleted: true };
  }

  @MessagePattern(NOTIFICATION_CALLS.rotateEndpointSecret)
  rotateEndpointSecret(@Payload() payload: unknown) {
    return this.service.rotateEndpointSecret(parseCall(NotificationTargetRefCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.testEndpoint)
  testEndpoint(@Payload() payload: unknown) {
    return this.service.testEndpoint(parseCall(NotificationTargetRefCall, payload));
  }

  @MessagePattern(NOTIFICATION_CALLS.endpointDeliveries)
  endpointDeliveries(@Payload() payload: unknown) {
    return this.service.endpointDeliveries(parseCall(ListDeliveriesCall, payload));
  }
}
