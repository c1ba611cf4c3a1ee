import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import { type ActorType, type TenantPrincipal, auditActorOf } from '../access/principal';
import { AuditEntry } from './audit-entry.entity';

export type AuditAction =
  | 'tenant.created'
  | 'tenant.disabled'
  | 'tenant.enabled'
  | 'tenant.tokens_revoked'
  | 'token.created'
  | 'token.revoked'
  | 'shop.registered'
  | 'shop.updated'
  | 'shop.credentials_renewed'
  | 'shop.deleted'
  | 'shop.connection_tested'
  | 'shop.pulled'
  | 'shop.backfill_started'
  | 'shop.stock_settings_updated'
  | 'shop.stock_drift_checked'
  | 'sku.safety_stock_set'
  | 'fulfillment_order.released'
  | 'fulfillment_order.shipped'
  | 'inventory.set'
  | 'sku.created'
  | 'sku.updated'
  | 'sku.imported'
  | 'mapping.created'
  | 'mapping.imported'
  | 'mapping.deleted'
  | 'notification_settings.updated'
  | 'notification_recipient.created'
  | 'notification_recipient.updated'
  | 'notification_recipient.deleted'
  | 'webhook_endpoint.created'
  | 'webhook_endpoint.updated'
  | 'webhook_endpoint.deleted'
  | 'webhook_endpoint.secret_rotated'
  | 'user.invited'
  | 'user.joined'
  | 'user.updated'
  | 'user.password_reset'
  | 'user.totp_enabled'
  | 'user.totp_disabled'
  | 'user.invitation_withdrawn'
  | 'user.locked'
  | 'user.signed_out_everywhere';

export interface AuditRecord {
  tenantId: string;
  /** The token id, user id or `operator` behind the change. */
  actorId: string;
  actorType: ActorType;
  action: AuditAction;
  resourceType:
    | 'tenant'
    | 'token'
    | 'shop'
    | 'fulfillment_order'
    | 'sku'
    | 'mapping'
    | 'notification_settings'
    | 'notification_recipient'
    | 'webhook_endpoint'
    | 'user'
    | 'invitation';
  resourceId: string;
  /** Built field by field by the caller from known-safe values, never a request body. */
  details: Record<string, unknown>;
}

/** One audit entry as the API returns it. */
export interface AuditEntryView {
  id: string;
  actorId: string;
  /** What actorId names: an API token, a user, or the operator. */
  actorType: ActorType;
  action: string;
  resourceType: string;
  resourceId: string;
  details: Record<string, unknown>;
  createdAt: string;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** Writes an entry, in the caller's transaction when it passes one. */
  /** An entry for what a tenant's token or user did (the usual case of `record`). */
  recordBy(
    tenant: TenantPrincipal,
    action: AuditAction,
    resourceType: AuditRecord['resourceType'],
    resourceId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.record({
      tenantId: tenant.tenantId,
      ...auditActorOf(tenant),
      action,
      resourceType,
      resourceId,
      details,
    });
  }

  async record(record: AuditRecord, manager?: EntityManager): Promise<void> {
    // Plain SQL: TypeORM's insert type cannot express an open jsonb object.
    await (manager ?? this.entries.manager).query(
      `INSERT INTO gateway.audit_log
         (id, tenant_id, actor_id, actor_type, action, resource_type, resource_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        randomUUID(),
        record.tenantId,
        record.actorId,
        record.actorType,
        record.action,
        record.resourceType,
        record.resourceId,
        JSON.stringify(record.details),
      ],
    );
  }

  /** A tenant's newest entries first. */
  async list(tenantId: string, limit: number): Promise<AuditEntryView[]> {
    const rows = await this.entries.find({
      where: { tenantId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    return rows.map((row) => ({
      id: row.id,
      actorId: row.actorId,
      actorType: row.actorType,
      action: row.action,
      resourceType: row.resourceType,
      resourceId: row.resourceId,
      details: row.details,
      createdAt: row.createdAt.toISOString(),
    }));
  }
}
