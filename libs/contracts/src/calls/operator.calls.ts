import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

import type { ShopStatus } from '../constants/shops';

/**
 * Calls the gateway makes for the operator's shop-health view (`GET /api/v1/operator/shops`):
 * one per service, each answering the facts it owns for every tenant's shops (or one tenant's).
 * They read no secret and carry no actor: only the operator route calls them.
 */
export const OPERATOR_CALLS = {
  /** credentials: every shop with its status and licence key expiry. */
  credentialsShops: 'credentials.operator.shops',
  /** ingestion: pulls, unpublishable orders, shipping reports, stock pushes, throttling. */
  ingestionShopHealth: 'ingestion.operator.shop-health',
  /** mapping: order lines held unmapped. */
  mappingShopHealth: 'mapping.operator.shop-health',
  /**
   * credentials: suspend (or lift the suspension of) every shop of a tenant an operator disabled
   * (or enabled again). Each changed shop's shop.updated says `suspended`, so ingestion stops
   * calling Rakuten for it; the seller's own `enabled` flag is kept apart.
   */
  credentialsSuspendTenant: 'credentials.operator.suspend-tenant',
} as const;

/** `credentials.operator.suspend-tenant`: answers `SuspendTenantShopsResult`. */
export class SuspendTenantShopsCall {
  @IsUUID()
  tenantId: string;

  /** true: the tenant was disabled; false: it was enabled again. */
  @IsBoolean()
  suspended: boolean;
}

export interface SuspendTenantShopsResult {
  /** Shops whose suspension changed (each with a new shop.updated). */
  changed: number;
  /** The tenant's shops that are not deleted. */
  shops: number;
}

/** Which shops: every tenant's, or one tenant's. */
export class OperatorShopsCall {
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

/** A shop as credentials knows it (no key, not even its last 4 characters). */
export interface OperatorCredentialsShopView {
  tenantId: string;
  shopId: string;
  /** The Rakuten shop id (the shop's name in its URL). */
  rakutenShopId: string;
  status: ShopStatus;
  /** When the licence key in use expires, ISO-8601. */
  licenseKeyExpiresAt: string;
  /** Whole days until it expires (rounded down; negative once expired). */
  licenseKeyDaysLeft: number;
  /** Rakuten refused the keys: new ones must be entered. */
  needsReauth: boolean;
}

/** A shop's health as ingestion knows it. */
export interface OperatorIngestionShopView {
  tenantId: string;
  shopId: string;
  /** End of the last poll that succeeded, ISO-8601; null if none ever did. */
  lastSuccessfulPullAt: string | null;
  /** Start of the first failed poll of the current streak of failures; null when the last succeeded. */
  pullFailingSince: string | null;
  /** Orders stored from Rakuten that could not be published (they do not ship). */
  unpublishableOrders: number;
  /** Shipping reports not yet confirmed by Rakuten (recorded, sending, sent, unknown). */
  pendingShippingReports: number;
  /** Listings whose stock push is failing. */
  failingStockListings: number;
  /** RMS calls of the shop Rakuten throttled in the last 24 hours (all instances). */
  throttledCalls24h: number;
}

/** A shop's held order lines as mapping knows them. */
export interface OperatorMappingShopView {
  tenantId: string;
  shopId: string;
  /** Order lines held in the unmapped queue. */
  unmappedLines: number;
  /** Since when the oldest held order waits, ISO-8601. */
  oldestHeldAt: string | null;
}
