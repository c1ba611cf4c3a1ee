import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  RakutenReportView,
  ShippingReportsCall,
  ShippingReportsView,
} from '@smartship/contracts';
import { DataSource } from 'typeorm';

interface ReportRow {
  fulfillment_order_id: string;
  state: string;
  parcels: { trackingNumber: string }[];
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
    const rows = await this.dataSource.query<ReportRow[]>(
      `SELECT fulfillment_order_id, state, parcels, done_at, error_code, error_message, updated_at
         FROM ingestion.shipping_reports
        WHERE tenant_id = $1 AND fulfillment_order_id = ANY($2::text[])`,
      [actor.tenantId, fulfillmentOrderIds],
    );
    return {
      reports: rows.map((row) => {
        const state = reportState(row.state);
        return {
          fulfillmentOrderId: row.fulfillment_order_id,
          state,
          trackingNumbers: row.parcels.map((parcel) => parcel.trackingNumber),
          reportedAt: state === 'reported' && row.done_at ? row.done_at.toISOString() : null,
          error:
            state === 'failed' || row.error_code
              ? { code: row.error_code, message: row.error_message }
              : null,
          updatedAt: row.updated_at.toISOString(),
        };
      }),
    };
  }
}
