import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  type CreateEndpointBody,
  type CreateRecipientBody,
  type CreatedEndpointView,
  type DeliveryView,
  type EndpointView,
  type ListDeliveriesQuery,
  type ListNotificationsQuery,
  type MarkNotificationsReadBody,
  NOTIFICATION_CALLS,
  type NotificationListView,
  type NotificationSettingsView,
  type RecipientView,
  type UpdateEndpointBody,
  type UpdateNotificationSettingsBody,
  type UpdateRecipientBody,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { actorOf, type TenantPrincipal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';

/**
 * The notification routes: each is one call to the notifications service for the
 * authenticated tenant (never one named in the request), and an audit entry once a change
 * succeeded. Audit details never carry a webhook secret (only its hint).
 */
@Injectable()
export class NotificationsGatewayService {
  constructor(
    @Inject(clientToken('notifications')) private readonly client: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly audit: AuditService,
  ) {}

  list(tenant: TenantPrincipal, query: ListNotificationsQuery): Promise<NotificationListView> {
    return this.call(NOTIFICATION_CALLS.list, { actor: actorOf(tenant), query });
  }

  markRead(
    tenant: TenantPrincipal,
    body: MarkNotificationsReadBody,
  ): Promise<{ unreadCount: number }> {
    return this.call(NOTIFICATION_CALLS.markRead, { actor: actorOf(tenant), body });
  }

  settings(tenant: TenantPrincipal): Promise<NotificationSettingsView> {
    return this.call(NOTIFICATION_CALLS.getSettings, { actor: actorOf(tenant) });
  }

  async updateSettings(
    tenant: TenantPrincipal,
    body: UpdateNotificationSettingsBody,
  ): Promise<NotificationSettingsView> {
    const result = await this.call<NotificationSettingsView>(NOTIFICATION_CALLS.updateSettings, {
      actor: actorOf(tenant),
      body,
    });
    await this.audit.recordBy(
      tenant,
      'notification_settings.updated',
      'notification_settings',
      tenant.tenantId,
      {
        ...body,
      },
    );
    return result;
  }

  async createRecipient(
    tenant: TenantPrincipal,
    body: CreateRecipientBody,
  ): Promise<RecipientView> {
    const result = await this.call<RecipientView>(NOTIFICATION_CALLS.createRecipient, {
      actor: actorOf(tenant),
      body,
    });
    await this.audit.recordBy(
      tenant,
      'notification_recipient.created',
      'notification_recipient',
      result.id,
      {
        email: result.email,
        kinds: result.kinds,
        digest: result.digest,
      },
    );
    return result;
  }

  async updateRecipient(
    tenant: TenantPrincipal,
    id: string,
    body: UpdateRecipientBody,
  ): Promise<RecipientView> {
    const result = await this.call<RecipientView>(NOTIFICATION_CALLS.updateRecipient, {
      actor: actorOf(tenant),
      id,
      body,
    });
    await this.audit.recordBy(
      tenant,
      'notification_recipient.updated',
      'notification_recipient',
      id,
      {
        ...body,
      },
    );
    return result;
  }

  async deleteRecipient(tenant: TenantPrincipal, id: string): Promise<void> {
    await this.call(NOTIFICATION_CALLS.deleteRecipient, { actor: actorOf(tenant), id });
    await this.audit.recordBy(
      tenant,
      'notification_recipient.deleted',
      'notification_recipient',
      id,
      {},
    );
  }

  testRecipient(tenant: TenantPrincipal, id: string): Promise<{ deliveryId: string }> {
    return this.call(NOTIFICATION_CALLS.testRecipient, { actor: actorOf(tenant), id });
  }

  async createEndpoint(
    tenant: TenantPrincipal,
    body: CreateEndpointBody,
  ): Promise<CreatedEndpointView> {
    const result = await this.call<CreatedEndpointView>(NOTIFICATION_CALLS.createEndpoint, {
      actor: actorOf(tenant),
      body,
    });
    await this.audit.recordBy(tenant, 'webhook_endpoint.created', 'webhook_endpoint', result.id, {
      url: result.url,
      kinds: result.kinds,
      format: result.format,
      secretHint: result.secretHint,
    });
    return result;
  }

  async updateEndpoint(
    tenant: TenantPrincipal,
    id: string,
    body: UpdateEndpointBody,
  ): Promise<EndpointView> {
    const result = await this.call<EndpointView>(NOTIFICATION_CALLS.updateEndpoint, {
      actor: actorOf(tenant),
      id,
      body,
    });
    await this.audit.recordBy(tenant, 'webhook_endpoint.updated', 'webhook_endpoint', id, {
      ...body,
    });
    return result;
  }

  async deleteEndpoint(tenant: TenantPrincipal, id: string): Promise<void> {
    await this.call(NOTIFICATION_CALLS.deleteEndpoint, { actor: actorOf(tenant), id });
    await this.audit.recordBy(tenant, 'webhook_endpoint.deleted', 'webhook_endpoint', id, {});
  }

  async rotateSecret(tenant: TenantPrincipal, id: string): Promise<{ secret: string }> {
    const result = await this.call<{ secret: string }>(NOTIFICATION_CALLS.rotateEndpointSecret, {
      actor: actorOf(tenant),
      id,
    });
    await this.audit.recordBy(tenant, 'webhook_endpoint.secret_rotated', 'webhook_endpoint', id, {
      secretHint: `whsec_…${result.secret.slice(-4)}`,
    });
    return result;
  }

  testEndpoint(tenant: TenantPrincipal, id: string): Promise<{ deliveryId: string }> {
    return this.call(NOTIFICATION_CALLS.testEndpoint, { actor: actorOf(tenant), id });
  }

  deliveries(
    tenant: TenantPrincipal,
    id: string,
    query: ListDeliveriesQuery,
  ): Promise<{ items: DeliveryView[] }> {
    return this.call(NOTIFICATION_CALLS.endpointDeliveries, { actor: actorOf(tenant), id, query });
  }

  private call<T>(pattern: string, payload: unknown): Promise<T> {
    return callService<T>(
      this.client,
      'notifications',
      pattern,
      payload,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
  }
}
