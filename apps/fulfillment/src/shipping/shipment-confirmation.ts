import {
  type FulfillmentOrderStatus,
  MAX_PARCELS_PER_PACKAGE,
  type ShipFulfillmentOrderBody,
} from '@smartship/contracts';

import type { StoredShipment } from '../dispatch/fulfillment-order.store';

/** What to do with a warehouse's confirmation, given the fulfillment order's state. */
export type ConfirmationDecision =
  | { kind: 'ship' }
  /** The same confirmation was recorded already: answer it again, change nothing. */
  | { kind: 'repeat' }
  /** A different confirmation for a shipped package: refuse, showing the recorded one. */
  | { kind: 'conflict'; existing: StoredShipment }
  /** The warehouse never received it (still held): there is nothing to ship. */
  | { kind: 'not_ready' }
  | { kind: 'canceled' };

export function decideConfirmation(
  order: { status: FulfillmentOrderStatus; shipment: StoredShipment | null },
  confirmation: ShipFulfillmentOrderBody,
): ConfirmationDecision {
  switch (order.status) {
    case 'ready':
      return { kind: 'ship' };
    case 'shipped':
      // A shipped row always has its shipment; without one there is nothing to compare.
      if (!order.shipment) throw new Error('shipped fulfillment order without its shipment');
      return sameConfirmation(order.shipment, confirmation)
        ? { kind: 'repeat' }
        : { kind: 'conflict', existing: order.shipment };
    case 'canceled':
      return { kind: 'canceled' };
    case 'awaiting_shop':
    case 'awaiting_release':
    case 'awaiting_stock':
      return { kind: 'not_ready' };
  }
}

/**
 * Two confirmations are the same when they name the same carrier, the same shipping date and the
 * same tracking numbers (in any order: parcels have no order).
 */
export function sameConfirmation(
  a: Pick<StoredShipment, 'carrierCode' | 'trackingNumbers' | 'shippingDate'>,
  b: Pick<StoredShipment, 'carrierCode' | 'trackingNumbers' | 'shippingDate'>,
): boolean {
  if (a.carrierCode !== b.carrierCode || a.shippingDate !== b.shippingDate) return false;
  if (a.trackingNumbers.length !== b.trackingNumbers.length) return false;
  const left = [...a.trackingNumbers].sort();
  const right = [...b.trackingNumbers].sort();
  return left.every((number, i) => number === right[i]);
}

/** Today's date in Japan (UTC+9, no daylight saving), `YYYY-MM-DD`. */
export function todayInJapan(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * A shipping date after today (JST) is refused: the warehouse confirms parcels it has handed
 * over, and Rakuten would show the buyer a date that has not come. Returns the problem, or null.
 */
export function shippingDateProblem(shippingDate: string, now: Date): string | null {
  const today = todayInJapan(now);
  return shippingDate > today
    ? `shippingDate must not be after today in Japan (${today}): confirm parcels once they are handed over`
    : null;
}

/**
 * A split package's two parts are one Rakuten package: Rakuten takes at most
 * MAX_PARCELS_PER_PACKAGE parcels for it, all told, and a tracking number once. Given the other
 * part's tracking numbers (none while it has not shipped), the problem with these, or null.
 */
export function otherPartProblem(
  otherPart: readonly string[],
  trackingNumbers: readonly string[],
): string | null {
  if (otherPart.length === 0) return null;
  const repeated = trackingNumbers.filter((number) => otherPart.includes(number));
  if (repeated.length > 0) {
    return `trackingNumbers ${repeated.join(', ')} already shipped with the other part of this package; each parcel has its own tracking number`;
  }
  const room = MAX_PARCELS_PER_PACKAGE - otherPart.length;
  if (trackingNumbers.length > room) {
    return `trackingNumbers: Rakuten takes at most ${MAX_PARCELS_PER_PACKAGE} parcels per package and the other part of this package shipped ${otherPart.length}, so at most ${room} here`;
  }
  return null;
}
