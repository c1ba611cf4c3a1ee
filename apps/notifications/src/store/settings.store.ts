import { Injectable } from '@nestjs/common';
import type { NotificationLanguage } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

/** A tenant's notification settings (defaults when the tenant never set any). */
export interface TenantSettings {
  tenantId: string;
  language: NotificationLanguage;
  windowMinutes: number;
  digestHourJst: number;
  lastDigestAt: Date;
}

/** Korean first: Korean sellers are the main users. */
export const DEFAULT_SETTINGS = { language: 'ko', windowMinutes: 360, digestHourJst: 9 } as const;

interface Row {
  tenant_id: string;
  language: NotificationLanguage;
  window_minutes: number;
  digest_hour_jst: number;
  last_digest_at: Date;
}

function toSettings(row: Row): TenantSettings {
  return {
    tenantId: row.tenant_id,
    language: row.language,
    windowMinutes: row.window_minutes,
    digestHourJst: row.digest_hour_jst,
    lastDigestAt: row.last_digest_at,
  };
}

/** SQL of notifications.settings. */
@Injectable()
export class SettingsStore {
  async get(manager: EntityManager, tenantId: string): Promise<TenantSettings> {
    const rows: Row[] = await manager.query(
      `SELECT * FROM notifications.settings WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0]
      ? toSettings(rows[0])
      : { tenantId, ...DEFAULT_SETTINGS, lastDigestAt: new Date() };
  }

  /** Creates the row with the defaults if missing (the digest clock starts then). */
  async ensure(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.settings (tenant_id, last_digest_at) VALUES ($1, now())
       ON CONFLICT (tenant_id) DO NOTHING`,
      [tenantId],
    );
  }

  async update(
    manager: EntityManager,
    tenantId: string,
    change: { language?: string; windowMinutes?: number; digestHourJst?: number },
  ): Promise<void> {
    await this.ensure(manager, tenantId);
    await manager.query(
      `UPDATE notifications.settings SET
         language = COALESCE($2, language),
         window_minutes = COALESCE($3, window_minutes),
         digest_hour_jst = COALESCE($4, digest_hour_jst),
         updated_at = now()
       WHERE tenant_id = $1`,
      [
        tenantId,
        change.language ?? null,
        change.windowMinutes ?? null,
        change.digestHourJst ?? null,
      ],
    );
  }

  /** Tenants with at least one digest recipient (candidates for the daily digest). */
  async withDigestRecipients(manager: EntityManager): Promise<TenantSettings[]> {
    const rows: Row[] = await manager.query(
      `SELECT s.* FROM notifications.settings s
       WHERE EXISTS (SELECT 1 FROM notifications.recipients r
                     WHERE r.tenant_id = s.tenant_id AND r.digest)`,
    );
    return rows.map(toSettings);
  }

  /** Locks one tenant's settings for its digest; null when another instance holds it. */
  async lockForDigest(manager: EntityManager, tenantId: string): Promise<TenantSettings | null> {
    const rows: Row[] = await manager.query(
      `SELECT * FROM notifications.settings WHERE tenant_id = $1 FOR UPDATE SKIP LOCKED`,
      [tenantId],
    );
    return rows[0] ? toSettings(rows[0]) : null;
  }

  async markDigested(manager: EntityManager, tenantId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE notifications.settings SET last_digest_at = $2 WHERE tenant_id = $1`,
      [tenantId, at],
    );
  }
}
