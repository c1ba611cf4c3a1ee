import { Injectable } from '@nestjs/common';
import type { EndpointView, RecipientView, WebhookFormat } from '@smartship/contracts';
import type { Sealed } from '@smartship/crypto';
import type { EntityManager } from 'typeorm';

import { modifyReturning } from './sql';

/** A webhook endpoint with its sealed secrets (never leaves the service). */
export interface EndpointRecord extends EndpointView {
  tenantId: string;
  secret: Sealed;
  /** The secret before the last rotation, still signing until previousUntil. */
  previousSecret: Sealed | null;
  previousUntil: Date | null;
}

export interface RecipientRecord extends RecipientView {
  tenantId: string;
}

interface RecipientRow {
  id: string;
  tenant_id: string;
  email: string;
  kinds: string[];
  digest: boolean;
  created_at: Date;
}

interface EndpointRow {
  id: string;
  tenant_id: string;
  url: string;
  kinds: string[];
  format: WebhookFormat;
  enabled: boolean;
  secret_key_id: string;
  secret_ciphertext: string;
  secret_hint: string;
  previous_secret_key_id: string | null;
  previous_secret_ciphertext: string | null;
  previous_secret_until: Date | null;
  created_at: Date;
}

function toRecipient(row: RecipientRow): RecipientRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    kinds: row.kinds,
    digest: row.digest,
    createdAt: row.created_at.toISOString(),
  };
}

function toEndpoint(row: EndpointRow): EndpointRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    kinds: row.kinds,
    format: row.format,
    enabled: row.enabled,
    secretHint: row.secret_hint,
    createdAt: row.created_at.toISOString(),
    secret: { keyId: row.secret_key_id, ciphertext: row.secret_ciphertext },
    previousSecret:
      row.previous_secret_key_id && row.previous_secret_ciphertext
        ? { keyId: row.previous_secret_key_id, ciphertext: row.previous_secret_ciphertext }
        : null,
    previousUntil: row.previous_secret_until,
  };
}

export function recipientView(record: RecipientRecord): RecipientView {
  const { tenantId: _tenant, ...view } = record;
  return view;
}

export function endpointView(record: EndpointRecord): EndpointView {
  return {
    id: record.id,
    url: record.url,
    kinds: record.kinds,
    format: record.format,
    enabled: record.enabled,
    secretHint: record.secretHint,
    createdAt: record.createdAt,
  };
}

/** SQL of notifications.recipients and notifications.endpoints, always scoped to a tenant. */
@Injectable()
export class TargetsStore {
  /** Serialises changes to one tenant's recipients and endpoints (the per-tenant limits). */
  async lockTenant(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `notifications-targets:${tenantId}`,
    ]);
  }

  async recipients(manager: EntityManager, tenantId: string): Promise<RecipientRecord[]> {
    const rows: RecipientRow[] = await manager.query(
      `SELECT * FROM notifications.recipients WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(toRecipient);
  }

  async recipient(
    manager: EntityManager,
    tenantId: string,
    id: string,
  ): Promise<RecipientRecord | null> {
    const rows: RecipientRow[] = await manager.query(
      `SELECT * FROM notifications.recipients WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toRecipient(rows[0]) : null;
  }

  async insertRecipient(
    manager: EntityManager,
    r: { id: string; tenantId: string; email: string; kinds: string[]; digest: boolean },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.recipients (id, tenant_id, email, kinds, digest) VALUES ($1, $2, $3, $4, $5)`,
      [r.id, r.tenantId, r.email, r.kinds, r.digest],
    );
  }

  async updateRecipient(
    manager: EntityManager,
    tenantId: string,
    id: string,
    change: { email?: string; kinds?: string[]; digest?: boolean },
  ): Promise<boolean> {
    const rows = await modifyReturning<unknown>(
      manager,
      `UPDATE notifications.recipients SET email = COALESCE($3, email),
         kinds = COALESCE($4::text[], kinds), digest = COALESCE($5, digest)
       WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, id, change.email ?? null, change.kinds ?? null, change.digest ?? null],
    );
    return rows.length > 0;
  }

  async deleteRecipient(manager: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const rows = await modifyReturning<unknown>(
      manager,
      `DELETE FROM notifications.recipients WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, id],
    );
    return rows.length > 0;
  }

  async endpoints(manager: EntityManager, tenantId: string): Promise<EndpointRecord[]> {
    const rows: EndpointRow[] = await manager.query(
      `SELECT * FROM notifications.endpoints WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(toEndpoint);
  }

  async endpoint(
    manager: EntityManager,
    tenantId: string,
    id: string,
  ): Promise<EndpointRecord | null> {
    const rows: EndpointRow[] = await manager.query(
      `SELECT * FROM notifications.endpoints WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  async insertEndpoint(
    manager: EntityManager,
    e: {
      id: string;
      tenantId: string;
      url: string;
      kinds: string[];
      format: WebhookFormat;
      secret: Sealed;
      secretHint: string;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.endpoints
         (id, tenant_id, url, kinds, format, secret_key_id, secret_ciphertext, secret_hint)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        e.id,
        e.tenantId,
        e.url,
        e.kinds,
        e.format,
        e.secret.keyId,
        e.secret.ciphertext,
        e.secretHint,
      ],
    );
  }

  async updateEndpoint(
    manager: EntityManager,
    tenantId: string,
    id: string,
    change: { url?: string; kinds?: string[]; format?: string; enabled?: boolean },
  ): Promise<boolean> {
    const rows = await modifyReturning<unknown>(
      manager,
      `UPDATE notifications.endpoints SET url = COALESCE($3, url),
         kinds = COALESCE($4::text[], kinds), format = COALESCE($5, format),
         enabled = COALESCE($6, enabled)
       WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [
        tenantId,
        id,
        change.url ?? null,
        change.kinds ?? null,
        change.format ?? null,
        change.enabled ?? null,
      ],
    );
    return rows.length > 0;
  }

  /** The current secret becomes the previous one (signing until `previousUntil`). */
  async rotateSecret(
    manager: EntityManager,
    tenantId: string,
    id: string,
    secret: Sealed,
    secretHint: string,
    previousUntil: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE notifications.endpoints SET
         previous_secret_key_id = secret_key_id, previous_secret_ciphertext = secret_ciphertext,
         previous_secret_until = $6,
         secret_key_id = $3, secret_ciphertext = $4, secret_hint = $5
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, secret.keyId, secret.ciphertext, secretHint, previousUntil],
    );
  }

  async deleteEndpoint(manager: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const rows = await modifyReturning<unknown>(
      manager,
      `DELETE FROM notifications.endpoints WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, id],
    );
    return rows.length > 0;
  }

  /** Recipients and enabled endpoints that want alerts of this kind. */
  async subscribers(
    manager: EntityManager,
    tenantId: string,
    kind: string,
  ): Promise<{ recipients: RecipientRecord[]; endpoints: EndpointRecord[] }> {
    const recipients: RecipientRow[] = await manager.query(
      `SELECT * FROM notifications.recipients WHERE tenant_id = $1 AND $2 = ANY(kinds) ORDER BY created_at, id`,
      [tenantId, kind],
    );
    const endpoints: EndpointRow[] = await manager.query(
      `SELECT * FROM notifications.endpoints WHERE tenant_id = $1 AND enabled AND $2 = ANY(kinds)
       ORDER BY created_at, id`,
      [tenantId, kind],
    );
    return { recipients: recipients.map(toRecipient), endpoints: endpoints.map(toEndpoint) };
  }
}
