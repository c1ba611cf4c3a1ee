import {
  RAKUTEN_CARRIER_CODES,
  type Party,
  type RemarksDeliveryRequest,
  type RequestedDelivery,
} from '@smartship/contracts';

/*
 * The words of the packing slip, apart from the drawing: cleaning free text, yen, dates, the
 * parties' address lines and the delivery request. Pure functions, so they are tested alone.
 */

/**
 * Characters that are not printable text: C0 controls except the line feed (tab and CR are turned
 * into a space and a line feed first), DEL, C1 controls, zero-width and bidirectional controls
 * (U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+2066–U+206F), the BOM, interlinear
 * annotation marks and unpaired surrogates. A buyer's remark holding one could hide or reorder
 * text on the slip.
 */
const NOT_TEXT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Free text as it is printed: line breaks made `\n`, tabs made spaces, everything that is not
 * printable text removed, Unicode NFC. Nothing is interpreted: `<b>` stays the three characters.
 */
export function cleanText(value: string | null | undefined): string {
  if (!value) return '';
  return value.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(NOT_TEXT, '').normalize('NFC');
}

/** One line: line breaks become spaces (names, addresses). */
export function oneLine(value: string | null | undefined): string {
  return cleanText(value).replace(/\n+/g, ' ').trim();
}

const YEN = new Intl.NumberFormat('ja-JP');

/** What an amount Rakuten has not fixed yet (RMS -9999, null in the view) prints as. */
export const UNFIXED = '未確定';

/** `¥12,345` (whole yen; negative as `-¥100`); `未確定` for an amount not fixed (null). */
export function yen(amount: number | null): string {
  if (amount === null) return UNFIXED;
  return amount < 0 ? `-¥${YEN.format(-amount)}` : `¥${YEN.format(amount)}`;
}

/** A tax rate as printed: 0.1 → `10%`, 0.08 → `8%※` (reduced rate), null → `—`. */
export function taxRateText(rate: number | null): string {
  if (rate === null) return '—';
  const percent = Math.round(rate * 1000) / 10;
  return rate > 0 && rate < 0.1 ? `${percent}%※` : `${percent}%`;
}

const JST_DATE_TIME = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An ISO-8601 instant in Japan time: `2025年3月1日 09:58`. */
export function jstDateTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return oneLine(iso);
  return JST_DATE_TIME.format(date);
}

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** `YYYY-MM-DD` as `2025年3月5日(水)`. */
export function jpDate(dateOnly: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOnly);
  if (!match) return oneLine(dateOnly);
  const [, y, m, d] = match;
  const weekday = WEEKDAYS[new Date(Date.UTC(+y, +m - 1, +d)).getUTCDay()];
  return `${+y}年${+m}月${+d}日(${weekday})`;
}

/**
 * Rakuten's shippingTerm code: 0 none, 1 午前中, 2 午後, 9 その他, `h1h2` for h1時〜h2時
 * (e.g. 1214 → 12時〜14時); null when nothing was asked.
 */
export function timeSlotText(code: number | null | undefined): string | null {
  if (code === null || code === undefined || code === 0) return null;
  if (code === 1) return '午前中';
  if (code === 2) return '午後';
  if (code === 9) return 'その他';
  if (code >= 100 && code <= 2424) {
    const from = Math.floor(code / 100);
    const to = code % 100;
    return `${from}時〜${to}時`;
  }
  return String(code);
}

/** `ヤマト運輸` for `1001`; the code itself when Rakuten's list does not have it. */
export function carrierName(code: string | null | undefined): string | null {
  if (!code) return null;
  return (RAKUTEN_CARRIER_CODES as Record<string, string>)[code] ?? code;
}

/** A person's or the shop's address block: name first, then 〒, address, TEL. */
export function partyLines(party: Party): { name: string; lines: string[] } {
  const lines: string[] = [];
  if (party.zipCode) lines.push(`〒${oneLine(party.zipCode)}`);
  const address = [party.prefecture, party.city].map(oneLine).filter(Boolean).join('');
  if (address) lines.push(address);
  if (party.subAddress) lines.push(oneLine(party.subAddress));
  if (party.phone) lines.push(`TEL ${oneLine(party.phone)}`);
  return { name: oneLine(party.name), lines };
}

/**
 * What the buyer asked for about delivery, one line each: Rakuten's own fields (date, time slot,
 * method, carrier, drop-off) and, when the remarks carry a `[配送日時指定:]` block, what it says.
 */
export function deliveryLines(
  requested: RequestedDelivery | null,
  fromRemarks: RemarksDeliveryRequest | null,
): string[] {
  const lines: string[] = [];
  if (requested) {
    const when = [requested.date ? jpDate(requested.date) : null, timeSlotText(requested.timeSlot)]
      .filter(Boolean)
      .join(' ');
    if (when) lines.push(`お届け希望日時: ${when}`);
    const how = [oneLine(requested.methodName), carrierName(requested.carrierCode)]
      .filter(Boolean)
      .join(' / ');
    if (how) lines.push(`配送方法: ${how}`);
    if (requested.dropOffLocation) lines.push(`置き配: ${oneLine(requested.dropOffLocation)}`);
  }
  if (fromRemarks && (fromRemarks.date || fromRemarks.time)) {
    const when = [fromRemarks.date ? jpDate(fromRemarks.date) : null, oneLine(fromRemarks.time)]
      .filter(Boolean)
      .join(' ');
    lines.push(`備考の配送日時指定: ${when}`);
  }
  return lines;
}

/**
 * `packing-slip-<orderNumber>-<basketId>.pdf`, with anything but [A-Za-z0-9_-] made `_` (the name
 * goes into a Content-Disposition header).
 */
export function packingSlipFileName(order: { orderNumber: string; basketId: number }): string {
  const safe = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_');
  return `packing-slip-${safe(order.orderNumber)}-${safe(String(order.basketId))}.pdf`;
}
