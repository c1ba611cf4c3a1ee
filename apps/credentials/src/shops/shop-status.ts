import type { ConnectionTestView, ShopStatus, ShopView } from '@smartship/contracts';

import type { ProbeResult } from './connection-tester';
import type { ConnectionTest } from './connection-test.entity';
import type { ExpirySource, Shop } from './shop.entity';

/*
 * What a shop connection's facts mean: its status, its licence key's expiry, and how it reads
 * in calls. Pure functions, shared by the shop use cases, the store and the licence monitor.
 */

const DAY_MS = 86_400_000;
/** Rakuten licence keys are valid for 90 days. */
export const LICENSE_KEY_DAYS = 90;
/** Days before expiry at which the seller is warned (each once per key). */
export const EXPIRY_WARNING_DAYS = [14, 7, 3, 1] as const;

/** Whole days from `now` to `at`, rounded up (1 = expires within the next 24 h). */
export function daysLeft(at: Date, now: Date): number {
  return Math.ceil((at.getTime() - now.getTime()) / DAY_MS);
}

/** The status a shop is in, from its facts. Order matters: the first that applies wins. */
export function statusOf(shop: Shop, now: Date): ShopStatus {
  if (shop.deletedAt) return 'deleted';
  if (shop.suspendedAt) return 'suspended';
  if (!shop.enabled) return 'disabled';
  if (shop.licenseKeyExpiresAt.getTime() <= now.getTime()) return 'expired';
  if (shop.authFailedAt) return 'needs_reauth';
  if (daysLeft(shop.licenseKeyExpiresAt, now) <= EXPIRY_WARNING_DAYS[0]) return 'expiring_soon';
  return 'active';
}

/** The seller's keys were refused (wrong keys, or an expired licence key). */
export function isAuthFailure(probe: ProbeResult): boolean {
  return probe.code === 'AUTH_FAILED' || probe.code === 'LICENSE_KEY_EXPIRED';
}

/** Where the expiry comes from: Rakuten's own answer, else the issue date, else now + 90 days. */
export function expiryOf(
  probe: Pick<ProbeResult, 'licenseExpiresAt'>,
  issuedAt: string | Date | undefined | null,
  now: Date,
): { expiresAt: Date; source: ExpirySource } {
  if (probe.licenseExpiresAt) return { expiresAt: probe.licenseExpiresAt, source: 'license_api' };
  if (issuedAt) {
    return {
      expiresAt: new Date(new Date(issuedAt).getTime() + LICENSE_KEY_DAYS * DAY_MS),
      source: 'issue_date',
    };
  }
  return { expiresAt: new Date(now.getTime() + LICENSE_KEY_DAYS * DAY_MS), source: 'registration' };
}

/** The seller's automation switches, as calls and shop.updated carry them. */
export function shopOptions(shop: Shop): ShopView['options'] {
  return {
    autoOrderSync: shop.autoOrderSync,
    autoOrderConfirm: shop.autoOrderConfirm,
    autoFulfillmentDispatch: shop.autoFulfillmentDispatch,
    pollIntervalMinutes: shop.pollIntervalMinutes ?? null,
  };
}

/** A shop as calls answer it, with its latest connection test. */
export function shopView(shop: Shop, test: ConnectionTest | null, now: Date): ShopView {
  return {
    id: shop.id,
    revision: shop.revision,
    marketplace: shop.marketplace,
    rakutenShopId: shop.rakutenShopId,
    shopUrl: shop.shopUrl,
    status: shop.status,
    enabled: shop.enabled,
    options: shopOptions(shop),
    licenseKeyLast4: shop.licenseKeyLast4,
    licenseKeyExpiresAt: shop.licenseKeyExpiresAt.toISOString(),
    licenseKeyExpirySource: shop.licenseKeyExpirySource,
    licenseKeyDaysLeft: daysLeft(shop.licenseKeyExpiresAt, now),
    pendingLicenseKeyLast4: shop.pendingLicenseKeyLast4,
    lastConnectionTest: test ? toTestView(test) : null,
    createdAt: shop.createdAt.toISOString(),
    updatedAt: shop.updatedAt.toISOString(),
  };
}

export function toTestView(test: ConnectionTest): ConnectionTestView {
  return {
    id: test.id,
    code: test.code,
    message: test.message,
    testedAt: test.testedAt.toISOString(),
    durationMs: test.durationMs,
    trigger: test.trigger,
  };
}
