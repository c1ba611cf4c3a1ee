import { ContractViolationError, createEvent, type EventOf } from '@smartship/contracts';
import { OrderNormalizationError } from '@smartship/rakuten';

/*
 * The shop alerts ingestion raises about its own work (besides auth_failed, confirmation_deadline
 * and report_failed). Each is added to the outbox in the transaction that records the state it
 * reports; its occurrenceKey tells one occurrence from a repeat.
 */

interface ShopRef {
  tenantId: string;
  shopId: string;
}

/** Every poll of the shop has failed since `since`, for longer than `thresholdMinutes`. */
export function pullFailingAlert(
  shop: ShopRef,
  input: { since: Date; thresholdMinutes: number; errorCode: string | null },
): EventOf<'shop.alert'> {
  const since = input.since.toISOString();
  return createEvent('shop.alert', {
    tenantId: shop.tenantId,
    shopId: shop.shopId,
    data: {
      kind: 'pull_failing',
      severity: 'critical',
      message: `No order could be pulled from Rakuten since ${since}: every pull has failed for more than ${input.thresholdMinutes} minutes${input.errorCode ? ` (last error ${input.errorCode})` : ''}. New orders do not reach the warehouse until a pull succeeds.`,
      details: {
        since,
        thresholdMinutes: input.thresholdMinutes,
        errorCode: input.errorCode?.slice(0, 200) ?? null,
      },
      occurrenceKey: `pull_failing:${since}`,
    },
  });
}

/** Stock pushes of `count` listings keep failing (or Rakuten refused their value). */
export function stockPushFailingAlert(
  shop: ShopRef,
  input: { since: Date; count: number; thresholdMinutes: number; errorCode: string | null },
): EventOf<'shop.alert'> {
  const since = input.since.toISOString();
  return createEvent('shop.alert', {
    tenantId: shop.tenantId,
    shopId: shop.shopId,
    data: {
      kind: 'stock_push_failing',
      severity: 'warning',
      message: `Stock quantities of ${input.count} listing(s) could not be updated on Rakuten since ${since}${input.errorCode ? ` (${input.errorCode})` : ''}. Rakuten may show wrong stock until the pushes succeed.`,
      details: {
        count: input.count,
        since,
        thresholdMinutes: input.thresholdMinutes,
        operation: 'inventoryBulkUpsert',
        errorCode: input.errorCode?.slice(0, 200) ?? null,
      },
      occurrenceKey: `stock_push_failing:${since}`,
    },
  });
}

/** An order stored from Rakuten that cannot be published as `order.pulled`. */
export function orderUnpublishableAlert(
  shop: ShopRef,
  input: { orderNumber: string; fields: string },
): EventOf<'shop.alert'> {
  return createEvent('shop.alert', {
    tenantId: shop.tenantId,
    shopId: shop.shopId,
    data: {
      kind: 'order_unpublishable',
      severity: 'critical',
      message: `Order ${input.orderNumber} was pulled from Rakuten but cannot be passed on (${input.fields}); it will not be mapped or shipped until someone looks at it in RMS.`,
      details: { orderNumbers: [input.orderNumber], errorCode: input.fields.slice(0, 200) },
      occurrenceKey: `order_unpublishable:${input.orderNumber}`,
    },
  });
}

/**
 * The fields that made an order unpublishable, as paths without values (orders carry personal
 * data): the contract's violation paths, or the RMS field normalisation refused.
 */
export function failingFields(error: unknown): string {
  if (error instanceof ContractViolationError) {
    const paths = [...new Set(error.violations.map((v) => v.split(':')[0].trim()))];
    return paths.join(', ') || 'order';
  }
  if (error instanceof OrderNormalizationError) return error.field;
  return 'order';
}

/** A drift check found `count` listings whose Rakuten stock differed and pushed ours again. */
export function stockDriftAlert(
  shop: ShopRef,
  input: { checkId: string; count: number },
): EventOf<'shop.alert'> {
  return createEvent('shop.alert', {
    tenantId: shop.tenantId,
    shopId: shop.shopId,
    data: {
      kind: 'stock_drift',
      severity: 'warning',
      message: `Rakuten showed a different stock quantity than Smartship for ${input.count} listing(s) (changed in RMS by hand, or an update that did not arrive). Smartship's quantities are being pushed again; if this repeats, stock is being edited in RMS.`,
      details: { count: input.count, operation: 'inventoryBulkGet' },
      occurrenceKey: `stock_drift:${input.checkId}`,
    },
  });
}
