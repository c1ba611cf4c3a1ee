import { createEvent, type EventOf } from '@smartship/contracts';

/** A `shop.alert` report_failed about one order's shipping report. */
export function reportFailedAlert(input: {
  tenantId: string;
  shopId: string;
  orderNumber: string;
  operation: string;
  errorCode: string;
  message: string;
  occurrenceKey: string;
}): EventOf<'shop.alert'> {
  return createEvent('shop.alert', {
    tenantId: input.tenantId,
    shopId: input.shopId,
    data: {
      kind: 'report_failed',
      severity: 'warning',
      message: input.message.slice(0, 2000),
      details: {
        orderNumbers: [input.orderNumber],
        operation: input.operation,
        errorCode: input.errorCode.slice(0, 200),
      },
      occurrenceKey: input.occurrenceKey.slice(0, 300),
    },
  });
}
