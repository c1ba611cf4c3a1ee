import type { PackingSlipSenderInput, SplitPolicy } from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

/**
 * A shop's fulfillment settings (`fulfillment.shop_fulfillment_settings`), set by the seller
 * through the gateway: what to do with a package only partly in stock, and the packing slip's
 * sender block. A shop without a row has the defaults: policy `hold`, no sender (the orderer).
 */
export interface FulfillmentSettings {
  splitPolicy: SplitPolicy;
  sender: PackingSlipSenderInput | null;
  /** The tenant that set them; null for the defaults. */
  tenantId: string | null;
  /** null for the defaults. */
  updatedAt: Date | null;
}

export const DEFAULT_FULFILLMENT_SETTINGS: FulfillmentSettings = {
  splitPolicy: 'hold',
  sender: null,
  tenantId: null,
  updatedAt: null,
};

interface SettingsRow {
  shop_id: string;
  tenant_id: string;
  split_policy: SplitPolicy;
  sender: PackingSlipSenderInput | null;
  updated_at: Date;
}

export function fromSettingsRow(row: SettingsRow): FulfillmentSettings {
  return {
    splitPolicy: row.split_policy,
    sender: row.sender,
    tenantId: row.tenant_id,
    updatedAt: row.updated_at,
  };
}

/** Saves a shop's fulfillment settings (split policy, sender block) and returns them. */
export async function saveFulfillmentSettings(
  manager: EntityManager,
  settings: {
    shopId: string;
    tenantId: string;
    splitPolicy: SplitPolicy;
    sender: PackingSlipSenderInput | null;
  },
): Promise<FulfillmentSettings> {
  const [row] = await manager.query<SettingsRow[]>(
    `INSERT INTO fulfillment.shop_fulfillment_settings (shop_id, tenant_id, split_policy, sender)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (shop_id) DO UPDATE
       SET split_policy = EXCLUDED.split_policy, sender = EXCLUDED.sender, updated_at = now()
     RETURNING shop_id, tenant_id, split_policy, sender, updated_at`,
    [
      settings.shopId,
      settings.tenantId,
      settings.splitPolicy,
      settings.sender ? JSON.stringify(settings.sender) : null,
    ],
  );
  return fromSettingsRow(row);
}

/** The settings of these shops (each shop present, with the defaults when it has none). */
export async function fulfillmentSettingsOf(
  manager: EntityManager,
  shopIds: string[],
): Promise<Map<string, FulfillmentSettings>> {
  const unique = [...new Set(shopIds)];
  const result = new Map<string, FulfillmentSettings>(
    unique.map((shopId) => [shopId, DEFAULT_FULFILLMENT_SETTINGS]),
  );
  if (unique.length === 0) return result;
  const rows = await manager.query<SettingsRow[]>(
    `SELECT shop_id, tenant_id, split_policy, sender, updated_at
       FROM fulfillment.shop_fulfillment_settings WHERE shop_id = ANY($1::text[])`,
    [unique],
  );
  for (const row of rows) result.set(row.shop_id, fromSettingsRow(row));
  return result;
}

/** Settings read in a transaction, kept for its remaining steps (one read per shop). */
const perTransaction = new WeakMap<EntityManager, Map<string, Promise<FulfillmentSettings>>>();

/** A shop's settings as this transaction sees them (read once per transaction). */
export function settingsFor(manager: EntityManager, shopId: string): Promise<FulfillmentSettings> {
  let cache = perTransaction.get(manager);
  if (!cache) {
    cache = new Map();
    perTransaction.set(manager, cache);
  }
  let found = cache.get(shopId);
  if (!found) {
    found = fulfillmentSettingsOf(manager, [shopId]).then(
      (all) => all.get(shopId) ?? DEFAULT_FULFILLMENT_SETTINGS,
    );
    cache.set(shopId, found);
  }
  return found;
}

/** Forgets what this transaction read of a shop's settings (after it changed them). */
export function forgetSettings(manager: EntityManager, shopId: string): void {
  perTransaction.get(manager)?.delete(shopId);
}
