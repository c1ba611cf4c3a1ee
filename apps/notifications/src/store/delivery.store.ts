import { Injectable } from '@nestjs/common';
import type { DeliveryStatus, DeliveryView } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

import { modifyReturning } from './sql';

export type Channel = 'email' | 'webhook';

/** What a digest e-mail lists (deliveries of other kinds have an empty payload). */
export interface DeliveryPayload {
  notificationIds?: string[];
}

/** A delivery as the worker handles it. */
export interface DeliveryRecord {
  id: string;
  tenantId: string;
  notificationId: string | null;
  channel: Channel;
  recipientId: string | null;
  endpointId: string | null;
  /** The alert kind, `test` or `digest`. */
  kind: string;
  payload: DeliveryPayload;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** One delivery intent: a notification (or a test, or a digest) to one recipient or endpoint. */
export interface NewDelivery {
  id: string;
  tenantId: string;
  notificationId: string | null;
  channel: Channel;
  recipientId?: string | null;
  endpointId?: string | null;
  kind: string;
  payload?: DeliveryPayload;
}

interface Row {
  id: string;
  tenant_id: string;
  notification_id: string | null;
  channel: Channel;
  recipient_id: string | null;
  endpoint_id: string | null;
  kind: string;
  payload: DeliveryPayload;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
}

function toRecord(row: Row): DeliveryRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    notificationId: row.notification_id,
    channel: row.channel,
    recipientId: row.recipient_id,
    endpointId: row.endpoint_id,
    kind: row.kind,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

export function toDeliveryView(record: DeliveryRecord): DeliveryView {
  return {
    id: record.id,
    notificationId: record.notificationId,
    kind: record.kind,
    status: record.status,
    attempts: record.attempts,
    lastStatusCode: record.lastStatusCode,
    lastError: record.lastError,
    // While sending, next_attempt_at holds the lease's end: not a planned attempt.
    nextAttemptAt:
      record.status === 'pending' ? (record.nextAttemptAt?.toISOString() ?? null) : null,
    createdAt: record.createdAt.toISOString(),
    deliveredAt: record.deliveredAt?.toISOString() ?? null,
  };
}

/**
 * SQL of notifications.deliveries. A delivery is `pending` until a worker claims it: the claim
 * sets `sending`, counts the attempt and moves next_attempt_at to the end of a lease, so a
 * worker that dies mid-attempt leaves it due again when the lease ends. Every outcome is written
 * only by the claim it belongs to (status `sending` and the same attempt count).
 */
@Injectable()
export class DeliveryStore {
  async insert(manager: EntityManager, deliveries: NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await manager.query(
      `INSERT INTO notifications.deliveries
         (id, tenant_id, notification_id, channel, recipient_id, endpoint_id, kind, payload)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[],
                            $7::text[], $8::jsonb[])`,
      [
        deliveries.map((d) => d.id),
        deliveries.map((d) => d.tenantId),
        deliveries.map((d) => d.notificationId),
        deliveries.map((d) => d.channel),
        deliveries.map((d) => d.recipientId ?? null),
        deliveries.map((d) => d.endpointId ?? null),
        deliveries.map((d) => d.kind),
        deliveries.map((d) => JSON.stringify(d.payload ?? {})),
      ],
    );
  }

  /** Claims up to `limit` due deliveries for `leaseMs` (other instances skip them). */
  async claimDue(
    manager: EntityManager,
    limit: number,
    leaseMs: number,
  ): Promise<DeliveryRecord[]> {
    const rows = await modifyReturning<Row>(
      manager,
      `WITH due AS (
         SELECT id FROM notifications.deliveries
         WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       UPDATE notifications.deliveries d
       SET status = 'sending', attempts = d.attempts + 1,
           lease_until = now() + $2 * interval '1 millisecond',
           next_attempt_at = now() + $2 * interval '1 millisecond'
       FROM due WHERE d.id = due.id
       RETURNING d.*`,
      [limit, leaseMs],
    );
    return rows.map(toRecord);
  }

  /** Records an attempt's outcome; false when the claim was lost (lease expired, re-claimed). */
  async finish(
    manager: EntityManager,
    claim: { id: string; attempts: number },
    outcome: {
      status: 'pending' | 'succeeded' | 'failed';
      statusCode: number | null;
      error: string | null;
      nextAttemptAt: Date | null;
    },
  ): Promise<boolean> {
    const rows = await modifyReturning<unknown>(
      manager,
      `UPDATE notifications.deliveries
       SET status = $3::text, last_status_code = $4::int, last_error = $5::text, next_attempt_at = $6::timestamptz,
           lease_until = NULL, delivered_at = CASE WHEN $3::text = 'succeeded' THEN now() END
       WHERE id = $1 AND attempts = $2 AND status = 'sending'
       RETURNING id`,
      [
        claim.id,
        claim.attempts,
        outcome.status,
        outcome.statusCode,
        outcome.error,
        outcome.nextAttemptAt,
      ],
    );
    return rows.length > 0;
  }

  async forEndpoint(
    manager: EntityManager,
    tenantId: string,
    endpointId: string,
    limit: number,
  ): Promise<DeliveryRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT * FROM notifications.deliveries WHERE tenant_id = $1 AND endpoint_id = $2
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [tenantId, endpointId, limit],
    );
    return rows.map(toRecord);
  }

  /** Deliveries not finished yet (pending or in flight), for the gauge. */
  async unfinishedCount(manager: EntityManager): Promise<number> {
    const rows: { n: string }[] = await manager.query(
      `SELECT count(*) AS n FROM notifications.deliveries WHERE status IN ('pending', 'sending')`,
    );
    return Number(rows[0].n);
  }
}
