import { Unzip, UnzipInflate } from 'fflate';
import iconv from 'iconv-lite';

/*
 * What an import file is before its rows are read: the text encoding of a CSV (sellers' Excel
 * saves CSV in Shift_JIS in Japan and in CP949 in Korea, not in UTF-8), its delimiter, and
 * whether an .xlsx stays within the sizes the service can afford to unpack.
 */

/** Text encodings a CSV is read in, as reported in the import report. */
export type CsvEncoding = 'utf-8' | 'shift_jis' | 'euc-kr' | 'utf-16le';

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];

function startsWith(content: Buffer, bytes: number[]): boolean {
  return bytes.every((byte, i) => content[i] === byte);
}

/**
 * The text of a CSV file. A BOM decides (UTF-8, or UTF-16LE as Excel's "Unicode text"); else
 * valid UTF-8 is UTF-8; else the file is Shift_JIS (CP932, which Japanese Excel writes) or CP949
 * (EUC-KR and its Windows extension, which Korean Excel writes): both are decoded and the one
 * that reads as more kana (Japanese) or Hangul (Korean) with fewer undecodable bytes wins.
 */
export function decodeCsv(content: Buffer): DecodedCsv {
  if (startsWith(content, UTF8_BOM)) {
    return { text: content.subarray(3).toString('utf8'), encoding: 'utf-8' };
  }
  if (startsWith(content, UTF16LE_BOM)) {
    return { text: content.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(content), encoding: 'utf-8' };
  } catch {
    // not UTF-8: a legacy double-byte encoding
  }
  const japanese = iconv.decode(content, 'cp932');
  const korean = iconv.decode(content, 'cp949');
  return scoreJapanese(japanese) >= scoreKorean(korean)
    ? { text: japanese, encoding: 'shift_jis' }
    : { text: korean, encoding: 'euc-kr' };
}

const REPLACEMENT = /\uFFFD/gu;
const KANA = /[\u3040-\u30FF\uFF66-\uFF9F]/gu;
const HANGUL = /[\uAC00-\uD7A3]/gu;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Kana only occur in Japanese; undecodable bytes count heavily against. */
function scoreJapanese(text: string): number {
  return count(text, KANA) - 10 * count(text, REPLACEMENT);
}

/** Hangul syllables only occur in Korean. */
function scoreKorean(text: string): number {
  return count(text, HANGUL) - 10 * count(text, REPLACEMENT);
}

/**
 * The delimiter of a CSV: a tab when the header line has tabs and no commas (Excel's
 * "Unicode text" and some RMS downloads), else a comma.
 */
export function csvDelimiter(text: string): ',' | '\t' {
  const newline = text.search(/\r?\n/u);
  const header = newline === -1 ? text : text.slice(0, newline);
  return header.includes('\t') && !header.includes(',') ? '\t' : ',';
}

/** Sizes an .xlsx may unpack to: each bounds the memory its parsing can take. */
export interface XlsxBounds {
  /** All entries together, uncompressed. */
  totalBytes: number;
  /** xl/sharedStrings.xml, uncompressed: the parser keeps every shared string in memory. */
  sharedStringsBytes: number;
  /** Any one entry (a worksheet), uncompressed. */
  entryBytes: number;
  /** Entries in the archive. */
  entries: number;
}

export const DEFAULT_XLSX_BOUNDS: XlsxBounds = {
  totalBytes: 256 * 1024 * 1024,
  sharedStringsBytes: 16 * 1024 * 1024,
  entryBytes: 192 * 1024 * 1024,
  entries: 500,
};

/**
 * Unpacks an .xlsx once without keeping anything, counting the bytes each entry really inflates
 * to (the sizes a zip declares can lie), and answers why it is refused, or null. A zip bomb is
 * stopped as soon as it passes a bound: at most one inflate buffer is held at a time.
 */
export function xlsxTooLarge(
  content: Buffer,
  bounds: XlsxBounds = DEFAULT_XLSX_BOUNDS,
): string | null {
  let refused: string | null = null;
  let total = 0;
  let entries = 0;
  const unzip = new Unzip((file) => {
    if (refused) return;
    entries += 1;
    if (entries > bounds.entries) {
      refused = `it holds more than ${bounds.entries} files`;
      return;
    }
    const limit = /(^|\/)sharedStrings\.xml$/iu.test(file.name)
      ? bounds.sharedStringsBytes
      : bounds.entryBytes;
    let size = 0;
    file.ondata = (error, chunk) => {
      if (refused) return;
      if (error) {
        refused = `it cannot be unpacked (${error.message})`;
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > limit) {
        refused = `${file.name} unpacks to more than ${mib(limit)}`;
        file.terminate();
      } else if (total > bounds.totalBytes) {
        refused = `it unpacks to more than ${mib(bounds.totalBytes)}`;
        file.terminate();
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // In slices, so a bound stops the work early instead of after the whole buffer.
    const slice = 256 * 1024;
    for (let offset = 0; offset < content.length && !refused; offset += slice) {
      unzip.push(content.subarray(offset, offset + slice), offset + slice >= content.length);
    }
  } catch (error) {
    refused ??= `it cannot be unpacked (${(error as Error).message})`;
  }
  if (!refused && entries === 0) refused = 'it is not an .xlsx (zip) file';
  return refused;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}
