/*
 * Every date format the RMS APIs use, in one place (docs/rakuten-rms.md §0, §2.5, §5.1). RMS lives in
 * Japan Standard Time (UTC+9, no daylight saving), so a fixed offset is exact:
 *
 *   Order API date-time   `2025-03-01T10:15:00+0900`   offset WITHOUT a colon; `+09:00` is refused
 *   Order API date        `2025-03-01`                 shippingDate, deliveryDate, cancelDueDate
 *   Inventory API stamps  `2025-03-01T10:15:00+09:00`  ISO 8601 WITH a colon
 *
 * Nothing else in the client or the simulator builds these strings by hand.
 */

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const RMS_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\+0900$/;
const ANY_JST_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?\+09:?00$/;
const RMS_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** Calendar fields of an instant as seen on a clock in Japan. */
export interface JstParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The calendar fields of `date` in JST. */
export function jstParts(date: Date): JstParts {
  const shifted = new Date(date.getTime() + JST_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function datePart(parts: JstParts): string {
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`;
}

function timePart(parts: JstParts): string {
  return `${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}`;
}

/** Order API date-time: `YYYY-MM-DDThh:mm:ss+0900` (JST, no colon in the offset). */
export function formatRmsDateTime(date: Date): string {
  const parts = jstParts(date);
  return `${datePart(parts)}T${timePart(parts)}+0900`;
}

/** Inventory API date-time: `YYYY-MM-DDThh:mm:ss+09:00` (JST, ISO 8601 with a colon). */
export function formatInventoryDateTime(date: Date): string {
  const parts = jstParts(date);
  return `${datePart(parts)}T${timePart(parts)}+09:00`;
}

/** Order API date: `YYYY-MM-DD`, the JST calendar day of `date`. */
export function formatRmsDate(date: Date): string {
  return datePart(jstParts(date));
}

function isCalendar(year: number, month: number, day: number): boolean {
  const probe = new Date(Date.UTC(year, month - 1, day));
  return (
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day
  );
}

function fromJstFields(match: RegExpExecArray): Date | null {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (!isCalendar(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - JST_OFFSET_MS);
}

/** True when `text` is exactly an Order API date-time (`+0900`, real calendar date and time). */
export function isRmsDateTime(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = RMS_DATE_TIME.exec(text);
  return match !== null && fromJstFields(match) !== null;
}

/**
 * Reads a JST date-time as RMS sends it: `+0900` from the Order API or `+09:00` from the
 * Inventory API. Throws on anything else, because a silently misread time shifts a search window.
 */
export function parseRmsDateTime(text: string): Date {
  const match = ANY_JST_DATE_TIME.exec(text);
  const date = match ? fromJstFields(match) : null;
  if (!date) throw new RangeError(`not an RMS JST date-time: ${JSON.stringify(text)}`);
  return date;
}

/** True when `text` is a real calendar date `YYYY-MM-DD`. */
export function isRmsDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = RMS_DATE.exec(text);
  return match !== null && isCalendar(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** True for `yyyyMMdd`, the shippingDate form one integrator reported (docs/rakuten-rms.md §2.5). */
export function isCompactRmsDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = COMPACT_DATE.exec(text);
  return match !== null && isCalendar(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Midnight JST that starts the day `YYYY-MM-DD`. */
export function parseRmsDate(text: string): Date {
  const match = RMS_DATE.exec(text);
  if (!match || !isCalendar(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new RangeError(`not an RMS date: ${JSON.stringify(text)}`);
  }
  return new Date(
    Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - JST_OFFSET_MS,
  );
}

/**
 * An RMS date-time rewritten as ISO 8601 with a colon in the offset (`+0900` → `+09:00`), the
 * form our event contracts use. The instant is unchanged.
 */
export function rmsDateTimeToIso(text: string): string {
  return formatInventoryDateTime(parseRmsDateTime(text));
}

/** `date` moved by whole days (24 h; JST has no daylight saving, so this is exact). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Length of a day in milliseconds. */
export const ONE_DAY_MS = DAY_MS;
