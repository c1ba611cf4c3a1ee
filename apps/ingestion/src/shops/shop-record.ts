import type { ShopRefCall } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

import { IngestionError, IngestionErrorCode } from '../ingestion.errors';

/** Anything that runs SQL: the DataSource, or a transaction's EntityManager. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** The ingestion service's own copy of a shop connection, kept from `shop.updated`. */
export interface ShopRecord {
  id: string;
  tenantId: string;
  rakutenShopId: string;
  status: string;
  autoOrderSync: boolean;
  autoOrderConfirm: boolean;
  /** The shop's own poll interval (options.pollIntervalMinutes); null: POLL_INTERVAL_MS. */
  pollIntervalMinutes: number | null;
  keyId: string | null;
  serviceSecretCiphertext: string | null;
  licenseKeyCiphertext: string | null;
  keyFingerprint: string | null;
  authBlockedFingerprint: string | null;
  revision: number;
}

interface ShopRow {
  id: string;
  tenant_id: string;
  rakuten_shop_id: string;
  status: string;
  auto_order_sync: boolean;
  auto_order_confirm: boolean;
  poll_interval_minutes: number | null;
  key_id: string | null;
  service_secret_ct: string | null;
  license_key_ct: string | null;
  key_fingerprint: string | null;
  auth_blocked_fingerprint: string | null;
  revision: number;
}

/** Statuses in which a shop's keys are used at all (the scheduler further needs autoOrderSync). */
export const CALLABLE_STATUSES = ['active', 'expiring_soon'] as const;

export async function loadShop(
  db: Queryable | EntityManager,
  shopId: string,
  lock = false,
): Promise<ShopRecord | null> {
  const rows = await db.query<ShopRow[]>(
    `SELECT * FROM ingestion.shops WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [shopId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    rakutenShopId: row.rakuten_shop_id,
    status: row.status,
    autoOrderSync: row.auto_order_sync,
    autoOrderConfirm: row.auto_order_confirm,
    pollIntervalMinutes: row.poll_interval_minutes ?? null,
    keyId: row.key_id,
    serviceSecretCiphertext: row.service_secret_ct,
    licenseKeyCiphertext: row.license_key_ct,
    keyFingerprint: row.key_fingerprint,
    authBlockedFingerprint: row.auth_blocked_fingerprint,
    revision: row.revision,
  };
}

/**
 * The shop a call names, as this service's copy has it: SHOP_NOT_SYNCED while the copy is older
 * than the revision the caller knows (`call.shopRevision`: the gateway read it from credentials,
 * so the change it names has happened, and shop.updated will bring it here in a moment);
 * SHOP_NOT_FOUND for no shop, a deleted one, or another tenant's — the last two must not be
 * told apart.
 */
export async function callersShop(db: Queryable, call: ShopRefCall): Promise<ShopRecord> {
  const shop = await loadShop(db, call.shopId);
  if (call.shopRevision !== undefined && (shop?.revision ?? 0) < call.shopRevision) {
    throw new IngestionError(
      IngestionErrorCode.SHOP_NOT_SYNCED,
      `the change to shop ${call.shopId} has not reached the ingestion service yet`,
      { shopId: call.shopId, revision: shop?.revision ?? null, expected: call.shopRevision },
    );
  }
  if (!shop || shop.tenantId !== call.actor.tenantId || shop.status === 'deleted') {
    throw new IngestionError(
      IngestionErrorCode.SHOP_NOT_FOUND,
      `no shop ${call.shopId} in this account`,
      { shopId: call.shopId },
    );
  }
  return shop;
}

/**
 * Why the shop's keys may not be used now, or null when they may: deleted or paused shops, shops
 * waiting for new keys, keys we cannot decrypt, and keys Rakuten has already refused.
 */
export function whyNotCallable(shop: ShopRecord): string | null {
  if (shop.status === 'deleted') return 'the shop was deleted';
  if (!(CALLABLE_STATUSES as readonly string[]).includes(shop.status)) {
    return `the shop is ${shop.status}`;
  }
  if (!shop.keyFingerprint) return 'the shop has no usable keys (they could not be decrypted)';
  if (shop.authBlockedFingerprint === shop.keyFingerprint) {
    return 'Rakuten refused the shop’s keys; waiting for renewed keys';
  }
  return null;
}

/**
 * The rows of an `UPDATE … RETURNING`: TypeORM answers UPDATE and DELETE with `[rows, count]`
 * and everything else with the rows.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
