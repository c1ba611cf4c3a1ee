import type {
  BackfillView,
  ConnectionTestView,
  ShopWithTestView,
  UpdateShopBody,
} from '@smartship/contracts';

/*
 * Audit details of shop changes, built field by field from values that are safe to keep. The
 * request body is never copied wholesale: it carries serviceSecret and licenseKey.
 */

export function registeredDetails(result: ShopWithTestView): Record<string, unknown> {
  return {
    marketplace: result.shop.marketplace,
    rakutenShopId: result.shop.rakutenShopId,
    shopUrl: result.shop.shopUrl,
    options: result.shop.options,
    licenseKeyLast4: result.shop.licenseKeyLast4,
    connectionTest: result.connectionTest.code,
  };
}

export function updatedDetails(body: UpdateShopBody): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (body.enabled !== undefined) details.enabled = body.enabled;
  if (body.options) {
    const { autoOrderSync, autoOrderConfirm, autoFulfillmentDispatch, pollIntervalMinutes } =
      body.options;
    details.options = {
      autoOrderSync,
      autoOrderConfirm,
      autoFulfillmentDispatch,
      pollIntervalMinutes,
    };
  }
  return details;
}

export function renewedDetails(
  result: ShopWithTestView,
  licenseKeyIssuedAt: string | undefined,
): Record<string, unknown> {
  return {
    licenseKeyLast4: result.shop.licenseKeyLast4,
    licenseKeyIssuedAt: licenseKeyIssuedAt ?? null,
    licenseKeyExpiresAt: result.shop.licenseKeyExpiresAt,
    connectionTest: result.connectionTest.code,
  };
}

export function connectionTestedDetails(test: ConnectionTestView): Record<string, unknown> {
  return { connectionTest: test.code, testId: test.id };
}

export function backfillStartedDetails(backfill: BackfillView): Record<string, unknown> {
  return {
    backfillId: backfill.id,
    from: backfill.from,
    to: backfill.to,
    windows: backfill.windows.total,
  };
}
