import { RAKUTEN_CARRIER_CODES } from '@smartship/contracts';
import { ONE_DAY_MS, RMS_LIMITS, formatRmsDate, isRmsDate } from '@smartship/rakuten';

/** One parcel as stored on a report (the `order.shipped` parcel). */
export interface ReportParcel {
  carrierCode: string;
  trackingNumber: string;
  shippingDate: string;
  /**
   * The fulfillment order that shipped it: a package split in two parts is one report with the
   * parcels of both. Absent on parcels recorded before splits existed (the report's own
   * fulfillment_order_id then). Never sent to Rakuten.
   */
  fulfillmentOrderId?: string;
}

/** The fulfillment order a stored parcel belongs to. */
export function parcelOwner(parcel: ReportParcel, reportFulfillmentOrderId: string): string {
  return parcel.fulfillmentOrderId ?? reportFulfillmentOrderId;
}

/** A pre-flight check that failed: the report is not sent and the seller is told why. */
export interface PreflightProblem {
  code:
    | 'UNKNOWN_CARRIER'
    | 'TRACKING_NUMBER'
    | 'SHIPPING_DATE'
    | 'TOO_MANY_PARCELS'
    | 'INCOMPLETE_PARCEL'
    | 'NO_PARCELS';
  message: string;
}

/** Characters RMS refuses in a shippingNumber ("no platform-dependent characters"): keep ASCII. */
const TRACKING_NUMBER = /^[\x21-\x7E]+$/;

/**
 * The checks Rakuten would otherwise fail (docs/rakuten-rms.md §2.5, §8), run before anything is sent:
 * every parcel complete (carrier, tracking number, date), the carrier a code from Rakuten's list,
 * the tracking number printable ASCII of at most 120 characters, the date `YYYY-MM-DD` and not
 * after tomorrow (JST), at most 20 parcels per basket. A basket with any incomplete parcel would
 * also keep the order out of 500 on RMS, so it is refused whole. Returns null when all pass.
 */
export function preflightProblem(
  parcels: readonly ReportParcel[],
  now: Date = new Date(),
): PreflightProblem | null {
  if (parcels.length === 0) return { code: 'NO_PARCELS', message: 'the package has no parcels' };
  if (parcels.length > RMS_LIMITS.shippingModelsPerBasket) {
    return {
      code: 'TOO_MANY_PARCELS',
      message: `Rakuten takes at most ${RMS_LIMITS.shippingModelsPerBasket} parcels per package; this one has ${parcels.length}`,
    };
  }
  const latest = formatRmsDate(new Date(now.getTime() + ONE_DAY_MS));
  for (const [index, parcel] of parcels.entries()) {
    const which = `parcel ${index + 1}`;
    if (!parcel.carrierCode || !parcel.trackingNumber || !parcel.shippingDate) {
      return {
        code: 'INCOMPLETE_PARCEL',
        message: `${which} lacks a carrier, tracking number or shipping date; Rakuten marks the order shipped only when every parcel has all three`,
      };
    }
    if (!(parcel.carrierCode in RAKUTEN_CARRIER_CODES)) {
      return {
        code: 'UNKNOWN_CARRIER',
        message: `${which}: carrier code ${parcel.carrierCode} is not in Rakuten's list of delivery companies`,
      };
    }
    if (
      parcel.trackingNumber.length > RMS_LIMITS.shippingNumberMaxLength ||
      !TRACKING_NUMBER.test(parcel.trackingNumber)
    ) {
      return {
        code: 'TRACKING_NUMBER',
        message: `${which}: the tracking number must be 1–${RMS_LIMITS.shippingNumberMaxLength} printable ASCII characters`,
      };
    }
    if (!isRmsDate(parcel.shippingDate) || parcel.shippingDate > latest) {
      return {
        code: 'SHIPPING_DATE',
        message: `${which}: shipping date ${parcel.shippingDate} must be a YYYY-MM-DD date no later than ${latest} (JST)`,
      };
    }
  }
  return null;
}

/** The parcels with each tracking number once (the first one wins). */
export function distinctParcels(parcels: readonly ReportParcel[]): ReportParcel[] {
  const seen = new Set<string>();
  return parcels.filter((parcel) => {
    if (seen.has(parcel.trackingNumber)) return false;
    seen.add(parcel.trackingNumber);
    return true;
  });
}
