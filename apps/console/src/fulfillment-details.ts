import type {
  PackingSlipSenderInput,
  RemarksDeliveryRequest,
  RequestedDelivery,
  ShipmentPartInfo,
  ShopFulfillmentSettingsBody,
  SplitPolicy,
} from '@smartship/contracts';

import { SPLIT_POLICIES } from '@smartship/contracts/constants';

import { CARRIERS } from './carriers';
import { translate } from './i18n/messages';
import type { Lang } from './i18n/messages';

/*
 * How a fulfillment order's warehouse details (shipment.ready v2) and a shop's fulfillment
 * settings read in the console. Pure functions, tested in fulfillment-details.spec.ts.
 */

/** The split policies a shop can choose. */
export const SPLIT_POLICY_OPTIONS: readonly SplitPolicy[] = SPLIT_POLICIES;

/** `¥12,345`: amounts are whole yen; `—` for one Rakuten has not fixed yet (null). */
export function yen(amount: number | null): string {
  if (amount === null) return '—';
  const sign = amount < 0 ? '-' : '';
  return `${sign}¥${Math.abs(amount).toLocaleString('en-US')}`;
}

/** The order revision: "개정 2" etc.; null for the first one (nothing to say). */
export function revisionLabel(lang: Lang, revision: number | null | undefined): string | null {
  if (!revision || revision <= 1) return null;
  return translate(lang, 'fo.revision', { n: revision });
}

/** Which part of a split package a fulfillment order is; null for a whole package. */
export function partLabel(lang: Lang, part: ShipmentPartInfo | null | undefined): string | null {
  if (!part || part.kind === 'whole') return null;
  return translate(lang, part.kind === 'in_stock' ? 'fo.part.in_stock' : 'fo.part.back_order');
}

/** Rakuten's shippingTerm code: 1 morning, 2 afternoon, 9 other, `h1h2` for h1–h2 o'clock. */
export function timeSlotLabel(lang: Lang, code: number | null | undefined): string | null {
  if (code === null || code === undefined || code === 0) return null;
  if (code === 1) return translate(lang, 'fo.slot.morning');
  if (code === 2) return translate(lang, 'fo.slot.afternoon');
  if (code === 9) return translate(lang, 'fo.slot.other');
  if (code >= 100 && code <= 2424) {
    return translate(lang, 'fo.slot.hours', { from: Math.floor(code / 100), to: code % 100 });
  }
  return String(code);
}

/** The buyer's delivery request, one line each (Rakuten's fields, then the remarks block). */
export function deliveryLines(
  lang: Lang,
  requested: RequestedDelivery | null,
  fromRemarks: RemarksDeliveryRequest | null,
): string[] {
  const lines: string[] = [];
  if (requested) {
    const when = [requested.date, timeSlotLabel(lang, requested.timeSlot)].filter(Boolean);
    if (when.length) lines.push(translate(lang, 'fo.delivery.when', { when: when.join(' ') }));
    const carrier = requested.carrierCode
      ? (CARRIERS[requested.carrierCode] ?? requested.carrierCode)
      : null;
    const how = [requested.methodName, carrier].filter(Boolean);
    if (how.length) lines.push(translate(lang, 'fo.delivery.how', { how: how.join(' / ') }));
    if (requested.dropOffLocation) {
      lines.push(translate(lang, 'fo.delivery.dropOff', { place: requested.dropOffLocation }));
    }
  }
  if (fromRemarks && (fromRemarks.date || fromRemarks.time)) {
    const when = [fromRemarks.date, fromRemarks.time].filter(Boolean).join(' ');
    lines.push(translate(lang, 'fo.delivery.fromRemarks', { when }));
  }
  return lines;
}

/** The sender form's fields as typed (all text, blank when not set). */
export interface SenderForm {
  name: string;
  zipCode: string;
  prefecture: string;
  city: string;
  subAddress: string;
  phone: string;
  message: string;
}

export const EMPTY_SENDER: SenderForm = {
  name: '',
  zipCode: '',
  prefecture: '',
  city: '',
  subAddress: '',
  phone: '',
  message: '',
};

/** The stored sender block as the form shows it. */
export function senderForm(sender: PackingSlipSenderInput | null | undefined): SenderForm {
  if (!sender) return { ...EMPTY_SENDER };
  return {
    name: sender.name ?? '',
    zipCode: sender.zipCode ?? '',
    prefecture: sender.prefecture ?? '',
    city: sender.city ?? '',
    subAddress: sender.subAddress ?? '',
    phone: sender.phone ?? '',
    message: sender.message ?? '',
  };
}

/**
 * `PUT /shops/:id/fulfillment-settings` from the form: each text trimmed, a blank optional field
 * sent as null (the API refuses empty strings), and no sender block at all when the shop does not
 * use one (the slip and label then name the orderer). The API checks the rest.
 */
export function settingsBody(
  splitPolicy: SplitPolicy,
  useSender: boolean,
  form: SenderForm,
): ShopFulfillmentSettingsBody {
  if (!useSender) return { splitPolicy, sender: null };
  const optional = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    splitPolicy,
    sender: {
      name: form.name.trim(),
      zipCode: optional(form.zipCode),
      prefecture: optional(form.prefecture),
      city: optional(form.city),
      subAddress: optional(form.subAddress),
      phone: optional(form.phone),
      // The message keeps its line breaks; only blank is none.
      message: form.message.trim() === '' ? null : form.message,
    },
  };
}

/** `/fulfillment-orders/<id>/packing-slip.pdf` (under /api/v1). */
export function packingSlipPath(fulfillmentOrderId: string): string {
  return `/fulfillment-orders/${encodeURIComponent(fulfillmentOrderId)}/packing-slip.pdf`;
}

/** The name the PDF is saved under, as the gateway names it. */
export function packingSlipFileName(order: { orderNumber: string; basketId: number }): string {
  const safe = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_');
  return `packing-slip-${safe(order.orderNumber)}-${safe(String(order.basketId))}.pdf`;
}
