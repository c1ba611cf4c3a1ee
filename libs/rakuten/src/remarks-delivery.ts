/*
 * The delivery request Rakuten writes into an order's remarks (備考, OrderModel.remarks) when the
 * shop offers 配送日時指定 (docs/rakuten-rms.md §4.9):
 *
 *   [配送日時指定:]
 *   2025-03-05(水)
 *   午前中
 *
 * then possibly a blank line and other blocks (`[備考:]`, `[メッセージ添付希望・他ご意見、…:]`) or
 * the buyer's free text. The date line may be missing, empty or `指定なし`; the time is the
 * shop-defined choice as the buyer saw it (`午前中`, `14:00～16:00`, `14時-16時`, `18：00〜20：00`,
 * `指定なし`, …). A block naming nothing is `[配送日時指定:]\n\n` (date and time lines empty).
 *
 * Remarks are buyer text: anything can be in them. The parser is pure, linear and never throws.
 */

/** The `[配送日時指定:]` block, parsed. */
export interface RemarksDelivery {
  /** `YYYY-MM-DD`; null when the block names no (valid) date or says 指定なし. */
  date: string | null;
  /** The time as written, trimmed, e.g. `午前中` or `14:00～16:00`; null when none or 指定なし. */
  time: string | null;
}

/** The block header, `[配送日時指定:]`, also with a full-width colon or brackets; rest of line kept. */
const HEADER = /^\s*[[［]\s*配送日時指定\s*[:：]?\s*[\]］]\s*(.*)$/;
/** Any other block header such as `[備考:]`: the end of the delivery block. */
const OTHER_HEADER = /^\s*[[［][^\]］\n]{1,60}[:：]\s*[\]］]/;
/** A date at the start of a line: `2025-03-05(水)`, `2025/3/5`, `2025年3月5日（水）`; rest kept. */
const DATE =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:[(（]\s*[日月火水木金土]\s*(?:曜日?)?\s*[)）])?\s*(.*)$/;
/** "Nothing chosen". */
const NONE = /^(?:指定なし|指定無し|希望なし|希望無し|なし|無し|-|－|ー)$/;
/** Words and shapes a delivery time choice is made of (checked on ASCII-folded text). */
const TIME_LIKE =
  /午前|午後|正午|夜|朝|夕|昼|便|時|\d{1,2}\s*:\s*\d{2}|\b[AP]\.?M\.?\b|\d{1,2}\s*[-~～〜]\s*\d{1,2}/i;
const MAX_TIME_LENGTH = 60;
/** Lines looked at after the header (date, time); RMS writes at most these two. */
const BLOCK_LINES = 2;

/** Full-width digits and punctuation as ASCII, so one pattern reads both. */
function fold(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[：]/g, ':')
    .replace(/[／]/g, '/')
    .replace(/[－−]/g, '-');
}

function calendarDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null;
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function asTime(line: string): string | null | undefined {
  const text = line.trim();
  if (NONE.test(text)) return null;
  if (text.length > MAX_TIME_LENGTH || !TIME_LIKE.test(fold(text))) return undefined;
  return text;
}

/**
 * The `[配送日時指定:]` block of RMS remarks, parsed; null when the remarks have no such block
 * (or are not a string). A block that names nothing gives `{date: null, time: null}`.
 */
export function parseRemarksDelivery(remarks: unknown): RemarksDelivery | null {
  if (typeof remarks !== 'string' || remarks === '') return null;
  const lines = remarks.split(/\r\n|\r|\n/);
  const start = lines.findIndex((line) => HEADER.test(line));
  if (start < 0) return null;
  const result: RemarksDelivery = { date: null, time: null };
  const sameLine = HEADER.exec(lines[start])?.[1]?.trim() ?? '';
  const candidates = [sameLine, ...lines.slice(start + 1, start + 1 + BLOCK_LINES)];
  if (sameLine === '') candidates.shift();
  let expectDate = true;
  const block = candidates.slice(0, BLOCK_LINES);
  if (block.length === 2 && block[0].trim() === '' && asTime(block[1]) !== undefined) {
    // An empty date line, then the time: `[配送日時指定:]\n\n午前中`.
    block.shift();
    expectDate = false;
  }
  for (const raw of block) {
    const line = raw.trim();
    if (line === '' || OTHER_HEADER.test(line)) break;
    const dated = expectDate ? DATE.exec(fold(line)) : null;
    if (dated) {
      result.date = calendarDate(Number(dated[1]), Number(dated[2]), Number(dated[3]));
      expectDate = false;
      const rest = dated[4].trim();
      if (rest !== '') {
        // Date and time on one line: the time is what follows the date in the original text.
        const time = asTime(line.slice(line.length - rest.length));
        if (time !== undefined) result.time = time;
        break;
      }
      continue;
    }
    if (expectDate && NONE.test(line)) {
      // 指定なし in the date's place; the next line (if any) is the time.
      expectDate = false;
      continue;
    }
    const time = asTime(line);
    if (time !== undefined) result.time = time;
    // A time, or free text that is not part of the block: either way the block ends here.
    break;
  }
  return result;
}
