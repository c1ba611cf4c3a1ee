import { Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import { MessagingRuntime } from '@smartship/service-kit';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

import { ReportParcel, distinctParcels, parcelOwner, preflightProblem } from './shipping-preflight';
import { reportFailedAlert } from './shipping-alerts';

interface ExistingReport {
  id: string;
  state: string;
  parcels: ReportParcel[];
  to_send: ReportParcel[];
  reported: string[];
  fulfillment_order_id: string;
}

/** States in which a submission is in flight: its parcel set must not change under it. */
const IN_FLIGHT = new Set(['sending', 'submitted', 'unknown']);

/**
 * Consumer group `ingestion.order-shipped`: records each shipped package as a shipping report,
 * in the consumer's transaction and before anything is sent (ShippingReporter sends it). One
 * report per (shop, order, basket):
 *
 * - a redelivered or repeated event (no new tracking number) changes nothing;
 * - a later event for the same basket adds its new tracking numbers (sent after any submission
 *   in flight, whose claim and timers it leaves alone); the parcels of all the basket's
 *   fulfillment orders count against Rakuten's 20 per basket. This is how the two parts of a
 *   split package (two fulfillment orders, one basket) both end up on Rakuten;
 * - after a failure or a refusal, an event replaces the parcels of its own fulfillment order (a
 *   corrected report) and keeps those of the others, and every parcel not on Rakuten yet is
 *   sent again — a second part's event never drops the first part's parcels;
 * - a report that fails the pre-flight checks is stored `rejected` with the reason and raises a
 *   `shop.alert` report_failed; nothing is sent to Rakuten.
 */
@Injectable()
export class OrderShippedConsumer {
  constructor(messaging: MessagingRuntime) {
    messaging.registerConsumer({
      groupId: 'ingestion.order-shipped',
      handlers: { 'order.shipped': (event, context) => this.apply(event, context) },
    });
  }

  async apply(event: EventOf<'order.shipped'>, context: HandlerContext): Promise<void> {
    const { manager, logger } = context;
    const shopId = event.shopId;
    const data = event.data;
    const incoming = distinctParcels(
      data.parcels.map((p) => ({
        carrierCode: p.carrierCode,
        trackingNumber: p.trackingNumber.trim(),
        shippingDate: p.shippingDate,
        fulfillmentOrderId: data.fulfillmentOrderId,
      })),
    );
    const [existing] = await manager.query<ExistingReport[]>(
      `SELECT id, state, parcels, to_send, reported, fulfillment_order_id
         FROM ingestion.shipping_reports
        WHERE shop_id = $1 AND order_number = $2 AND basket_id = $3 FOR UPDATE`,
      [shopId, data.orderNumber, data.basketId],
    );

    if (!existing) {
      const problem = preflightProblem(incoming);
      const id = randomUUID();
      await manager.query(
        `INSERT INTO ingestion.shipping_reports (id, shop_id, tenant_id, order_number, basket_id,
           parcels, to_send, fulfillment_order_id, event_id, state, error_code, error_message)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $6::jsonb, $7, $8, $9, $10, $11)`,
        [
          id,
          shopId,
          event.tenantId,
          data.orderNumber,
          data.basketId,
          JSON.stringify(incoming),
          data.fulfillmentOrderId,
          event.id,
          problem ? 'rejected' : 'pending',
          problem?.code ?? null,
          problem?.message ?? null,
        ],
      );
      if (problem) await this.refuse(manager, context, event, id, problem);
      return;
    }

    const known = new Set(existing.parcels.map((p) => p.trackingNumber));
    if (existing.state === 'failed' || existing.state === 'rejected') {
      // A corrected report for a basket that failed: it replaces the parcels of its fulfillment
      // order and keeps the other fulfillment orders' (the other part of a split package).
      const others = existing.parcels.filter(
        (p) =>
          parcelOwner(p, existing.fulfillment_order_id) !== data.fulfillmentOrderId &&
          !incoming.some((i) => i.trackingNumber === p.trackingNumber),
      );
      const parcels = [...others, ...incoming];
      const problem = preflightProblem(parcels);
      if (problem) {
        await this.refuse(manager, context, event, existing.id, problem);
        return;
      }
      const onRakuten = new Set(existing.reported);
      await this.update(manager, existing.id, event, {
        state: 'pending',
        parcels,
        toSend: parcels.filter((p) => !onRakuten.has(p.trackingNumber)),
      });
      return;
    }
    const added = incoming.filter((p) => !known.has(p.trackingNumber));
    if (added.length === 0) {
      logger.debug({ reportId: existing.id }, 'shipping report already recorded');
      return;
    }
    const parcels = [...existing.parcels, ...added];
    const problem = preflightProblem(parcels);
    if (problem) {
      // The report already recorded stays as it was; only the additions are refused.
      await this.refuse(manager, context, event, existing.id, problem, false);
      return;
    }
    if (IN_FLIGHT.has(existing.state)) {
      // Sent once the submission in flight is done (ShippingReporter sends parcels not reported).
      // Its claim stays as it is: moving next_attempt_at would let the reconcile step read the
      // order back before the submission could have landed, and send its parcels again.
      await manager.query(
        `UPDATE ingestion.shipping_reports SET parcels = $2::jsonb, event_id = $3, updated_at = now()
          WHERE id = $1`,
        [existing.id, JSON.stringify(parcels), event.id],
      );
    } else {
      await this.update(manager, existing.id, event, {
        state: 'pending',
        parcels,
        toSend: existing.state === 'pending' ? [...existing.to_send, ...added] : added,
      });
    }
  }

  private async update(
    manager: EntityManager,
    id: string,
    event: EventOf<'order.shipped'>,
    change: { state: string; parcels: ReportParcel[]; toSend: ReportParcel[] },
  ): Promise<void> {
    await manager.query(
      `UPDATE ingestion.shipping_reports SET state = $2, parcels = $3::jsonb, to_send = $4::jsonb,
         event_id = $5, next_attempt_at = now(), updated_at = now(),
         error_code = CASE WHEN $2 = 'pending' THEN NULL ELSE error_code END,
         error_message = CASE WHEN $2 = 'pending' THEN NULL ELSE error_message END
       WHERE id = $1`,
      [id, change.state, JSON.stringify(change.parcels), JSON.stringify(change.toSend), event.id],
    );
  }

  private async refuse(
    manager: EntityManager,
    context: HandlerContext,
    event: EventOf<'order.shipped'>,
    reportId: string,
    problem: { code: string; message: string },
    recordOnReport = true,
  ): Promise<void> {
    if (recordOnReport) {
      await manager.query(
        `UPDATE ingestion.shipping_reports SET state = 'rejected', error_code = $2,
           error_message = $3, updated_at = now() WHERE id = $1`,
        [reportId, problem.code, problem.message],
      );
    }
    await manager.query(
      `UPDATE ingestion.orders SET problem = $3, updated_at = now()
        WHERE shop_id = $1 AND order_number = $2`,
      [event.shopId, event.data.orderNumber, `shipping report refused: ${problem.message}`],
    );
    await context.publish(
      reportFailedAlert({
        tenantId: event.tenantId,
        shopId: event.shopId,
        orderNumber: event.data.orderNumber,
        operation: 'updateOrderShippingAsync',
        errorCode: problem.code,
        message: `The shipping report for order ${event.data.orderNumber} (package ${event.data.basketId}) was not sent to Rakuten: ${problem.message}. Correct it and ship the package again.`,
        occurrenceKey: `report_failed:shipping:${reportId}:${event.id}`,
      }),
    );
    context.logger.warn(
      { orderNumber: event.data.orderNumber, basketId: event.data.basketId, problem },
      'shipping report refused before sending',
    );
  }
}
