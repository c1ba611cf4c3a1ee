import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CreateEndpointCall,
  type CreateRecipientCall,
  type CreatedEndpointView,
  type DeliveryView,
  type EndpointView,
  type ListDeliveriesCall,
  type ListNotificationsCall,
  MAX_NOTIFICATION_TARGETS,
  type MarkNotificationsReadCall,
  type NotificationActorCall,
  type NotificationListView,
  type NotificationSettingsView,
  type NotificationTargetRefCall,
  type RecipientView,
  type UpdateEndpointCall,
  type UpdateNotificationSettingsCall,
  type UpdateRecipientCall,
} from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import { InvalidCallError } from '@smartship/service-kit';
import { DataSource, type EntityManager } from 'typeorm';

import { DeliverySender } from '../delivery/delivery-sender';
import { newWebhookSecret, secretHint, webhookSecretPurpose } from '../delivery/webhook-secrets';
import { DeliveryStore, toDeliveryView } from '../store/delivery.store';
import { NotificationStore, toView } from '../store/notification.store';
import { SettingsStore } from '../store/settings.store';
import { TargetsStore, endpointView, recipientView } from '../store/targets.store';
import { checkEndpointUrl } from './endpoint-url';
import { NotificationsError, NotificationsErrorCode } from './notifications.errors';

/** The previous secret of a rotated endpoint keeps signing this long. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/**
 * What the gateway's calls do. Every query is scoped to the caller's tenant: another tenant's
 * id is simply not found (404).
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly notifications: NotificationStore,
    private readonly settings: SettingsStore,
    private readonly targets: TargetsStore,
    private readonly deliveries: DeliveryStore,
    private readonly sender: DeliverySender,
  ) {}

  private get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async list({ actor, query }: ListNotificationsCall): Promise<NotificationListView> {
    const page = await this.notifications.list(this.manager, actor.tenantId, query);
    return {
      items: page.items.map(toView),
      unreadCount: await this.notifications.unreadCount(this.manager, actor.tenantId),
      nextCursor: page.nextCursor,
    };
  }

  async markRead({ actor, body }: MarkNotificationsReadCall): Promise<{ unreadCount: number }> {
    const which = body.all ? 'all' : body.ids;
    if (!which) {
      throw new InvalidCallError([{ field: 'ids', problems: ['ids or all: true is required'] }]);
    }
    await this.notifications.markRead(this.manager, actor.tenantId, which);
    return { unreadCount: await this.notifications.unreadCount(this.manager, actor.tenantId) };
  }

  async getSettings({ actor }: NotificationActorCall): Promise<NotificationSettingsView> {
    const tenantId = actor.tenantId;
    const settings = await this.settings.get(this.manager, tenantId);
    return {
      language: settings.language,
      windowMinutes: settings.windowMinutes,
      digestHourJst: settings.digestHourJst,
      recipients: (await this.targets.recipients(this.manager, tenantId)).map(recipientView),
      endpoints: (await this.targets.endpoints(this.manager, tenantId)).map(endpointView),
    };
  }

  async updateSettings(call: UpdateNotificationSettingsCall): Promise<NotificationSettingsView> {
    await this.settings.update(this.manager, call.actor.tenantId, call.body);
    return this.getSettings(call);
  }

  async createRecipient({ actor, body }: CreateRecipientCall): Promise<RecipientView> {
    const id = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await this.targets.lockTenant(manager, actor.tenantId);
      const existing = await this.targets.recipients(manager, actor.tenantId);
      if (existing.length >= MAX_NOTIFICATION_TARGETS) {
        throw new NotificationsError(
          NotificationsErrorCode.TOO_MANY_RECIPIENTS,
          `A tenant has at most ${MAX_NOTIFICATION_TARGETS} notification recipients; delete one first`,
          { limit: MAX_NOTIFICATION_TARGETS },
        );
      }
      await this.settings.ensure(manager, actor.tenantId);
      await this.targets.insertRecipient(manager, {
        id,
        tenantId: actor.tenantId,
        email: body.email,
        kinds: body.kinds,
        digest: body.digest ?? false,
      });
    });
    return this.recipientOrThrow(actor.tenantId, id);
  }

  async updateRecipient({ actor, id, body }: UpdateRecipientCall): Promise<RecipientView> {
    if (!(await this.targets.updateRecipient(this.manager, actor.tenantId, id, body))) {
      throw NotificationsError.recipientNotFound(id);
    }
    return this.recipientOrThrow(actor.tenantId, id);
  }

  async deleteRecipient({ actor, id }: NotificationTargetRefCall): Promise<void> {
    if (!(await this.targets.deleteRecipient(this.manager, actor.tenantId, id))) {
      throw NotificationsError.recipientNotFound(id);
    }
  }

  async testRecipient({ actor, id }: NotificationTargetRefCall): Promise<{ deliveryId: string }> {
    await this.recipientOrThrow(actor.tenantId, id);
    return this.testDelivery(actor.tenantId, { channel: 'email', recipientId: id });
  }

  async createEndpoint({ actor, body }: CreateEndpointCall): Promise<CreatedEndpointView> {
    await checkEndpointUrl(this.sender.guard, body.url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    await this.dataSource.transaction(async (manager) => {
      await this.targets.lockTenant(manager, actor.tenantId);
      const existing = await this.targets.endpoints(manager, actor.tenantId);
      if (existing.length >= MAX_NOTIFICATION_TARGETS) {
        throw new NotificationsError(
          NotificationsErrorCode.TOO_MANY_ENDPOINTS,
          `A tenant has at most ${MAX_NOTIFICATION_TARGETS} webhook endpoints; delete one first`,
          { limit: MAX_NOTIFICATION_TARGETS },
        );
      }
      await this.settings.ensure(manager, actor.tenantId);
      await this.targets.insertEndpoint(manager, {
        id,
        tenantId: actor.tenantId,
        url: body.url,
        kinds: body.kinds,
        format: body.format ?? 'standard',
        secret: this.box.seal(secret, webhookSecretPurpose(id)),
        secretHint: secretHint(secret),
      });
    });
    return { ...(await this.endpointOrThrow(actor.tenantId, id)), secret };
  }

  async updateEndpoint({ actor, id, body }: UpdateEndpointCall): Promise<EndpointView> {
    await this.endpointOrThrow(actor.tenantId, id);
    if (body.url !== undefined) await checkEndpointUrl(this.sender.guard, body.url);
    if (!(await this.targets.updateEndpoint(this.manager, actor.tenantId, id, body))) {
      throw NotificationsError.endpointNotFound(id);
    }
    return this.endpointOrThrow(actor.tenantId, id);
  }

  async deleteEndpoint({ actor, id }: NotificationTargetRefCall): Promise<void> {
    if (!(await this.targets.deleteEndpoint(this.manager, actor.tenantId, id))) {
      throw NotificationsError.endpointNotFound(id);
    }
  }

  async rotateEndpointSecret({
    actor,
    id,
  }: NotificationTargetRefCall): Promise<{ secret: string }> {
    const secret = newWebhookSecret();
    await this.dataSource.transaction(async (manager) => {
      await this.targets.lockTenant(manager, actor.tenantId);
      if (!(await this.targets.endpoint(manager, actor.tenantId, id))) {
        throw NotificationsError.endpointNotFound(id);
      }
      await this.targets.rotateSecret(
        manager,
        actor.tenantId,
        id,
        this.box.seal(secret, webhookSecretPurpose(id)),
        secretHint(secret),
        new Date(Date.now() + ROTATION_OVERLAP_MS),
      );
    });
    return { secret };
  }

  async testEndpoint({ actor, id }: NotificationTargetRefCall): Promise<{ deliveryId: string }> {
    await this.endpointOrThrow(actor.tenantId, id);
    return this.testDelivery(actor.tenantId, { channel: 'webhook', endpointId: id });
  }

  async endpointDeliveries({
    actor,
    id,
    query,
  }: ListDeliveriesCall): Promise<{ items: DeliveryView[] }> {
    await this.endpointOrThrow(actor.tenantId, id);
    const rows = await this.deliveries.forEndpoint(
      this.manager,
      actor.tenantId,
      id,
      query.limit ?? 50,
    );
    return { items: rows.map(toDeliveryView) };
  }

  /** A test delivery goes through the same queue, retries and log as a real one. */
  private async testDelivery(
    tenantId: string,
    target: { channel: 'email'; recipientId: string } | { channel: 'webhook'; endpointId: string },
  ): Promise<{ deliveryId: string }> {
    const deliveryId = randomUUID();
    await this.deliveries.insert(this.manager, [
      { id: deliveryId, tenantId, notificationId: null, kind: 'test', ...target },
    ]);
    return { deliveryId };
  }

  private async recipientOrThrow(tenantId: string, id: string): Promise<RecipientView> {
    const recipient = await this.targets.recipient(this.manager, tenantId, id);
    if (!recipient) throw NotificationsError.recipientNotFound(id);
    return recipientView(recipient);
  }

  private async endpointOrThrow(tenantId: string, id: string): Promise<EndpointView> {
    const endpoint = await this.targets.endpoint(this.manager, tenantId, id);
    if (!endpoint) throw NotificationsError.endpointNotFound(id);
    return endpointView(endpoint);
  }
}
