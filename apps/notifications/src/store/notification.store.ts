import { Injectable } from '@nestjs/common';
import type {
  NotificationKind,
  NotificationSeverity,
  NotificationView,
} from '@smartship/contracts';
import type { EntityManager } from 'typeorm';
import { InvalidCallError } from '@smartship/service-kit';

import type { AlertFacts } from '../templates/alert-messages';

/** A notification row as the service uses it. */
export interface NotificationRecord extends NotificationView {
  tenantId: string;
  details: AlertFacts;
}

interface Row {
  id: string;
  tenant_id: string;
  shop_id: string | null;
  shop_name: string | null;
  kind: NotificationKind;
  severity: NotificationSeverity;
  title: string;
  message: string;
  link: string;
  details: AlertFacts;
  created_at: Date;
  read_at: Date | null;
  suppressed_repeats: number;
}

function toRecord(row: Row): NotificationRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    severity: row.severity,
    shopId: row.shop_id,
    shopName: row.shop_name,
    title: row.title,
    message: row.message,
    link: row.link,
    details: row.details,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
    suppressedRepeats: row.suppressed_repeats,
  };
}

/** What the console sees (the row without tenant and details). */
export function toView(record: NotificationRecord): NotificationView {
  const { tenantId: _tenant, details: _details, ...view } = record;
  return view;
}

/** Page position: created_at and id of the last item, base64url. */
function encodeCursor(record: NotificationRecord): string {
  return Buffer.from(`${record.createdAt}|${record.id}`).toString('base64url');
}

/**
 * The position a cursor names. Anything but a nextCursor this service gave is a 400 naming
 * `cursor` — never the first page again, never a database error.
 */
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || Number.isNaN(Date.parse(match[1]))) {
    throw new InvalidCallError([
      { field: 'cursor', problems: ['cursor must be the nextCursor of a previous page'] },
    ]);
  }
  return { createdAt: match[1], id: match[2] };
}

/** `<ISO-8601 UTC time as toISOString writes it>|<uuid>`. */
const CURSOR =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export interface NewNotification {
  id: string;
  tenantId: string;
  shopId: string | null;
  shopName: string | null;
  kind: NotificationKind;
  severity: NotificationSeverity;
  title: string;
  message: string;
  link: string;
  details: AlertFacts;
  sourceEventId: string;
}

/** SQL of notifications.notifications. */
@Injectable()
export class NotificationStore {
  /**
   * Serialises alerts of one (tenant, shop, kind) for the rest of the transaction, so two
   * instances cannot both decide "first in the window".
   */
  async lockAlertKey(
    manager: EntityManager,
    tenantId: string,
    shopId: string | null,
    kind: string,
  ): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `notifications:${tenantId}:${shopId ?? '-'}:${kind}`,
    ]);
  }

  /** The newest notification of the same alert created inside the window, if any. */
  async latestInWindow(
    manager: EntityManager,
    tenantId: string,
    shopId: string | null,
    kind: string,
    windowMinutes: number,
  ): Promise<NotificationRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT * FROM notifications.notifications
       WHERE tenant_id = $1 AND kind = $2 AND shop_id IS NOT DISTINCT FROM $3
         AND created_at > now() - $4 * interval '1 minute'
       ORDER BY created_at DESC LIMIT 1`,
      [tenantId, kind, shopId, windowMinutes],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async countRepeat(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE notifications.notifications
       SET suppressed_repeats = suppressed_repeats + 1, last_repeat_at = now() WHERE id = $1`,
      [id],
    );
  }

  async insert(manager: EntityManager, n: NewNotification): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.notifications
         (id, tenant_id, shop_id, shop_name, kind, severity, title, message, link, details, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        n.id,
        n.tenantId,
        n.shopId,
        n.shopName,
        n.kind,
        n.severity,
        n.title,
        n.message,
        n.link,
        JSON.stringify(n.details),
        n.sourceEventId,
      ],
    );
  }

  async get(manager: EntityManager, id: string): Promise<NotificationRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT * FROM notifications.notifications WHERE id = $1`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Notifications of the tenant, oldest first, for a digest. */
  async getMany(
    manager: EntityManager,
    tenantId: string,
    ids: string[],
  ): Promise<NotificationRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT * FROM notifications.notifications WHERE tenant_id = $1 AND id = ANY($2::uuid[])
       ORDER BY created_at, id`,
      [tenantId, ids],
    );
    return rows.map(toRecord);
  }

  /** Non-critical notifications of the kinds, created in (since, until]: one digest's content. */
  async forDigest(
    manager: EntityManager,
    tenantId: string,
    kinds: string[],
    since: Date,
    until: Date,
  ): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM notifications.notifications
       WHERE tenant_id = $1 AND kind = ANY($2::text[]) AND severity <> 'critical'
         AND created_at > $3 AND created_at <= $4
       ORDER BY created_at, id LIMIT 500`,
      [tenantId, kinds, since, until],
    );
    return rows.map((row) => row.id);
  }

  async list(
    manager: EntityManager,
    tenantId: string,
    query: { unread?: boolean; limit?: number; cursor?: string },
  ): Promise<{ items: NotificationRecord[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: Row[] = await manager.query(
      `SELECT * FROM notifications.notifications
       WHERE tenant_id = $1
         AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [tenantId, query.unread ?? false, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map(toRecord);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null,
    };
  }

  async unreadCount(manager: EntityManager, tenantId: string): Promise<number> {
    const rows: { n: string }[] = await manager.query(
      `SELECT count(*) AS n FROM notifications.notifications WHERE tenant_id = $1 AND read_at IS NULL`,
      [tenantId],
    );
    return Number(rows[0].n);
  }

  /** Marks some (ids of this tenant only; others are ignored) or all notifications read. */
  async markRead(manager: EntityManager, tenantId: string, ids: string[] | 'all'): Promise<void> {
    await manager.query(
      `UPDATE notifications.notifications SET read_at = now()
       WHERE tenant_id = $1 AND read_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))`,
      [tenantId, ids === 'all' ? null : ids],
    );
  }
}
