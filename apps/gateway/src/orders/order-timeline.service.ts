import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import {
  FULFILLMENT_CALLS,
  ORDER_TIMELINE_CALLS,
  type FulfillmentTimelineCall,
  type FulfillmentTimelineView,
  type OrderTimelineCall,
  type OrderTimelinePart,
  type TimelineEntry,
} from '@smartship/contracts';
import { SERVICE_CONFIG } from '@smartship/service-kit';

import { actorOf, type TenantPrincipal } from '../access/principal';
import { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';

type Part = 'ingestion' | 'mapping' | 'fulfillment';

export interface OrderTimelineView {
  orderNumber: string;
  shopId: string | null;
  /** Every step known, oldest first. */
  entries: TimelineEntry[];
  /** The last step, when the order stopped there (a hold, a failure, a cancellation). */
  stoppedAt: TimelineEntry | null;
  /** Services that could not answer: their steps are missing. */
  unavailable: Part[];
}

/** Fulfillment steps after which the order waits for something or someone. */
const FULFILLMENT_STOPS = new Set(['held', 'canceled', 'canceled_after_shipment']);

/**
 * `GET /orders/:orderNumber`: the order's whole path, assembled from the services' own data
 * (each answers its part over TCP). A service that is down leaves a gap, named in `unavailable`,
 * rather than failing the whole answer.
 */
@Injectable()
export class OrderTimelineService {
  constructor(
    @Inject(clientToken('ingestion')) private readonly ingestion: ClientProxy,
    @Inject(clientToken('mapping')) private readonly mapping: ClientProxy,
    @Inject(clientToken('fulfillment')) private readonly fulfillment: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async timeline(
    tenant: TenantPrincipal,
    orderNumber: string,
    shopId?: string,
  ): Promise<OrderTimelineView> {
    const actor = actorOf(tenant);
    const call: OrderTimelineCall = { actor, orderNumber, ...(shopId ? { shopId } : {}) };
    const unavailable: Part[] = [];
    const ask = async <T>(
      part: Part,
      client: ClientProxy,
      pattern: string,
      payload: unknown,
    ): Promise<T | null> => {
      try {
        return await callService<T>(
          client,
          part,
          pattern,
          payload,
          this.config.SERVICE_CALL_TIMEOUT_MS,
        );
      } catch {
        unavailable.push(part);
        return null;
      }
    };
    const [pulled, mapped] = await Promise.all([
      ask<OrderTimelinePart>('ingestion', this.ingestion, ORDER_TIMELINE_CALLS.ingestion, call),
      ask<OrderTimelinePart>('mapping', this.mapping, ORDER_TIMELINE_CALLS.mapping, call),
    ]);
    const shop = shopId ?? pulled?.shopId ?? mapped?.shopId ?? null;
    const entries = [pulled, mapped].flatMap((part) => (part?.found ? part.entries : []));
    if (shop) {
      const fulfillmentCall: FulfillmentTimelineCall = { actor, shopId: shop, orderNumber };
      const dispatched = await ask<FulfillmentTimelineView>(
        'fulfillment',
        this.fulfillment,
        FULFILLMENT_CALLS.timeline,
        fulfillmentCall,
      );
      entries.push(...fulfillmentEntries(dispatched));
    }
    if (entries.length === 0) {
      throw new GatewayError(
        GatewayErrorCode.OrderNotFound,
        `no order ${orderNumber} in this account`,
      );
    }
    entries.sort((a, b) => a.at.localeCompare(b.at));
    const last = entries.at(-1) ?? null;
    return {
      orderNumber,
      shopId: shop,
      entries,
      stoppedAt: last && !last.ok ? last : null,
      unavailable,
    };
  }
}

function fulfillmentEntries(view: FulfillmentTimelineView | null): TimelineEntry[] {
  if (!view) return [];
  return view.fulfillmentOrders.flatMap((order) =>
    order.history.map((step) => ({
      at: step.at,
      service: 'fulfillment' as const,
      step: step.event,
      detail: `Package ${order.basketId}: ${step.note ?? step.event} (${step.status})`,
      ok: !FULFILLMENT_STOPS.has(step.event),
    })),
  );
}
