import type { ShippingLineOutcome, UpdateOrderShippingRequest } from '@smartship/rakuten';

import type { ReportRow, Verdict } from './shipping-report.store';

/* How shipping reports become requests and how Rakuten's answers become verdicts: pure functions. */

export function failed(
  row: ReportRow,
  code: string,
  message: string,
  reported = row.reported,
): Verdict {
  return { state: 'failed', reported, code, message };
}

/** A report's outcome from its lines of an async result. */
export function verdictFromResult(row: ReportRow, lines: ShippingLineOutcome[]): Verdict {
  const ok = lines.length > 0 && lines.every((line) => line.ok);
  const sentOk = row.to_send
    .filter(
      (_, index) =>
        lines.find((l) => l.dataNumber === null || l.dataNumber === index + 1)?.ok ?? false,
    )
    .map((p) => p.trackingNumber);
  const result = lines.map((l) => ({
    dataNumber: l.dataNumber,
    shippingDetailId: l.shippingDetailId,
    code: l.code,
  }));
  if (ok)
    return {
      state: 'done',
      reported: union(
        row.reported,
        row.to_send.map((p) => p.trackingNumber),
      ),
      result,
    };
  const error = lines.find((line) => !line.ok);
  return {
    state: 'failed',
    reported: union(row.reported, sentOk),
    code: error?.code ?? 'NO_RESULT_FOR_REPORT',
    message: error?.message ?? 'Rakuten returned no result for this package',
    result,
  };
}

/** Reports in a stable order: by order number, then basket (so dataNumbers can be mapped back). */
export function sortForRequest(rows: ReportRow[]): ReportRow[] {
  return [...rows].sort(
    (a, b) =>
      a.order_number.localeCompare(b.order_number) || Number(a.basket_id) - Number(b.basket_id),
  );
}

/** One OrderShippingModel per order, one BasketidModel per report. */
export function buildRequest(rows: ReportRow[]): UpdateOrderShippingRequest[] {
  return [...groupBy(rows, (row) => row.order_number).values()].map((group) => ({
    orderNumber: group[0].order_number,
    BasketidModelList: group.map((row) => ({
      basketId: Number(row.basket_id),
      ShippingModelList: row.to_send.map((parcel) => ({
        deliveryCompany: parcel.carrierCode,
        shippingNumber: parcel.trackingNumber,
        shippingDate: parcel.shippingDate,
      })),
    })),
  }));
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
