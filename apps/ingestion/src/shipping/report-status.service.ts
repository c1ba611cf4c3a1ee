import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  RakutenReportView,
  ShippingReportsCall,
  ShippingReportsView,
} from '@smartship/contracts';
import { DataSource } from 'typeorm';

import { type ReportParcel, parcelOwner } from './shipping-preflight';

interface ReportRow {
  fulfillment_order_id: string;
  state: string;
  parcels: ReportParcel[];
  reported: string[];
  done_at: Date | null;
  error_code: string | null;
  error_message: string | null;
  updated_at: Date;
}

/** How a report's internal state reads from outside (see `RakutenReportView`). */
export function reportState(state: string): RakutenReportView['state'] {
  switch (state) {
    case 'done':
      return 'reported';
    case 'failed':
    case 'rejected':
      return 'failed';
    case 'submitted':
    case 'unknown':
      return 'sent';
    default:
      // pending, sending
      return 'recorded';
  }
}

/**
 * Where shipped packages' reports stand at Rakuten, for the gateway to show on fulfillment orders
 * ("shipped orders show the Rakuten report's outcome"). From ingestion's own table, the tenant's
 * rows only.
 */
@Injectable()
export class ReportStatusService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async reports({ actor, fulfillmentOrderIds }: ShippingReportsCall): Promise<ShippingReportsView> {
    if (fulfillmentOrderIds.length === 0) return { reports: [] };
    const columns =
      'fulfillment_order_id, state, parcels, reported, done_at, error_code, error_message, updated_at';
    const rows = await this.dataSource.query<ReportRow[]>(
      `SELECT ${columns} FROM ingestion.shipping_reports
        WHERE tenant_id = $1 AND fulfillment_order_id = ANY($2::text[])`,
      [actor.tenantId, fulfillmentOrderIds],
    );
    // A report is kept under the basket's first fulfillment order; the other part of a split
    // package (or a later revision) is found by its parcels. Looked up only for those missing.
    const owners = (row: ReportRow) =>
      new Set([
        row.fulfillment_order_id,
        ...row.parcels.map((p) => parcelOwner(p, row.fulfillment_order_id)),
      ]);
    const found = new Set(rows.flatMap((row) => [...owners(row)]));
    const missing = fulfillmentOrderIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      rows.push(
        ...(await this.dataSource.query<ReportRow[]>(
          `SELECT ${columns} FROM ingestion.shipping_reports
            WHERE tenant_id = $1 AND fulfillment_order_id <> ALL($2::text[])
              AND parcels @> ANY($3::jsonb[])`,
          [
            actor.tenantId,
            fulfillmentOrderIds,
            missing.map((id) => JSON.stringify([{ fulfillmentOrderId: id }])),
          ],
        )),
      );
    }
    const wanted = new Set(fulfillmentOrderIds);
    const perOrder = rows.flatMap((row) =>
      [...owners(row)].filter((id) => wanted.has(id)).map((id) => ({ id, row })),
    );
    return {
      reports: perOrder.map(({ id, row }) => {
        const trackingNumbers = row.parcels
          .filter((parcel) => parcelOwner(parcel, row.fulfillment_order_id) === id)
          .map((parcel) => parcel.trackingNumber);
        // One fulfillment order's parcels all on Rakuten are reported, whatever the other part
        // of its basket is doing.
        const ownDone =
          trackingNumbers.length > 0 && trackingNumbers.every((n) => row.reported.includes(n));
        const state = ownDone ? 'reported' : reportState(row.state);
        return {
          fulfillmentOrderId: id,
          state,
          trackingNumbers,
          reportedAt: state === 'reported' ? (row.done_at ?? row.updated_at).toISOString() : null,
          error:
            state === 'failed' || (!ownDone && row.error_code)
              ? { code: row.error_code, message: row.error_message }
              : null,
          updatedAt: row.updated_at.toISOString(),
        };
      }),
    };
  }
}
