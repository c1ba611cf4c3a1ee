import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { OrderTimelineCall, OrderTimelinePart, TimelineEntry } from '@smartship/contracts';
import { DataSource } from 'typeorm';

interface OrderRow {
  shop_id: string;
  rakuten_status: number;
  state: string;
  problem: string | null;
  pulled_at: Date;
  updated_at: Date;
}

interface ConfirmationRow {
  ok: boolean;
  final: boolean;
  attempts: number;
  code: string | null;
  message: string | null;
  last_attempt_at: Date | null;
}

interface ReportRow {
  basket_id: string;
  state: string;
  parcels: { trackingNumber: string }[];
  request_id: string | null;
  created_at: Date;
  submitted_at: Date | null;
  done_at: Date | null;
  error_code: string | null;
  error_message: string | null;
  updated_at: Date;
}

const iso = (date: Date) => date.toISOString();

/**
 * Ingestion's part of an order's timeline: pulled, confirmed on Rakuten, cancelled or changed
 * there, and each package's shipping report — from ingestion's own tables only.
 */
@Injectable()
export class OrderTimelineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async timeline({ actor, orderNumber, shopId }: OrderTimelineCall): Promise<OrderTimelinePart> {
    const orders = await this.dataSource.query<OrderRow[]>(
      `SELECT shop_id, rakuten_status, state, problem, pulled_at, updated_at FROM ingestion.orders
        WHERE tenant_id = $1 AND order_number = $2 AND ($3::uuid IS NULL OR shop_id = $3)
        ORDER BY pulled_at LIMIT 1`,
      [actor.tenantId, orderNumber, shopId ?? null],
    );
    const order = orders[0];
    if (!order) return { found: false, entries: [] };
    const entry = (at: Date, step: string, detail: string, ok = true): TimelineEntry => ({
      at: iso(at),
      service: 'ingestion',
      step,
      detail,
      ok,
    });
    const entries: TimelineEntry[] = [
      entry(
        order.pulled_at,
        'pulled',
        `Pulled from Rakuten (order status ${order.rakuten_status})`,
      ),
    ];

    const [confirmation] = await this.dataSource.query<ConfirmationRow[]>(
      `SELECT ok, final, attempts, code, message, last_attempt_at FROM ingestion.confirmations
        WHERE shop_id = $1 AND order_number = $2`,
      [order.shop_id, orderNumber],
    );
    if (confirmation?.last_attempt_at) {
      entries.push(
        confirmation.ok
          ? entry(confirmation.last_attempt_at, 'confirmed', 'Confirmed on Rakuten (注文確認)')
          : entry(
              confirmation.last_attempt_at,
              'confirmation_failed',
              `Not confirmed on Rakuten${confirmation.final ? '' : ` yet (attempt ${confirmation.attempts})`}: ${confirmation.code ?? ''} ${confirmation.message ?? ''}`.trim(),
              false,
            ),
      );
    }
    if (order.state === 'canceled' || order.state === 'changed') {
      entries.push(
        entry(
          order.updated_at,
          order.state,
          `Rakuten ${order.state === 'canceled' ? 'cancelled' : 'changed'} the order (status ${order.rakuten_status})`,
          false,
        ),
      );
    }
    if (order.problem && order.state !== 'canceled') {
      entries.push(entry(order.updated_at, 'problem', order.problem, false));
    }

    const reports = await this.dataSource.query<ReportRow[]>(
      `SELECT basket_id, state, parcels, request_id, created_at, submitted_at, done_at,
              error_code, error_message, updated_at
         FROM ingestion.shipping_reports WHERE shop_id = $1 AND order_number = $2
        ORDER BY created_at`,
      [order.shop_id, orderNumber],
    );
    for (const report of reports) {
      const numbers = report.parcels.map((parcel) => parcel.trackingNumber).join(', ');
      const basket = `package ${report.basket_id}`;
      entries.push(
        entry(
          report.created_at,
          'report_recorded',
          `Shipment of ${basket} recorded for Rakuten (${numbers})`,
        ),
      );
      if (report.submitted_at) {
        entries.push(
          entry(
            report.submitted_at,
            'report_sent',
            `Shipping report for ${basket} sent to Rakuten`,
          ),
        );
      }
      if (report.state === 'done' && report.done_at) {
        entries.push(
          entry(
            report.done_at,
            'reported',
            `Rakuten has the tracking numbers of ${basket}: ${numbers}`,
          ),
        );
      }
      if (report.state === 'failed' || report.state === 'rejected') {
        entries.push(
          entry(
            report.updated_at,
            'report_failed',
            `Shipping report for ${basket} failed: ${[report.error_code, report.error_message].filter(Boolean).join(' ')}`,
            false,
          ),
        );
      }
    }
    return { found: true, shopId: order.shop_id, entries };
  }
}
