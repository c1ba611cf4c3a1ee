import { Unzip, UnzipInflate } from 'fflate';
import { isUtf8 } from 'node:buffer';

import iconv from 'iconv-lite';

/*
 * What an import file is before its rows are read: the text encoding of a CSV (sellers' Excel
 * saves CSV in Shift_JIS in Japan and in CP949 in Korea, not in UTF-8), its delimiter, and
 * whether an .xlsx stays within the sizes the service can afford to unpack.
 */

/** Text encodings a CSV is read in, as reported in the import report. */
export type CsvEncoding = 'utf-8' | 'shift_jis' | 'euc-kr' | 'utf-16le';

export interface DecodedCsv {
  encoding: CsvEncoding;
  /** The text in slices, decoded as they are read (split characters are kept whole). */
  slices: Generator<string>;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
/** Bytes decoded at a time, and the sample that tells Shift_JIS from CP949. */
const SLICE_BYTES = 64 * 1024;

function startsWith(content: Buffer, bytes: number[]): boolean {
  return bytes.every((byte, i) => content[i] === byte);
}

/**
 * How to read a CSV file's text, and the text a slice at a time (the whole file is never one
 * string: a 14 MB file of 3.5 million short rows stops at the row limit having decoded little
 * more than that). A BOM decides (UTF-8, or UTF-16LE as Excel's "Unicode text"); else valid
 * UTF-8 (checked in place, without decoding) is UTF-8; else the file is Shift_JIS (CP932, which
 * Japanese Excel writes) or CP949 (EUC-KR and its Windows extension, which Korean Excel
 * writes): its first 64 KiB are decoded both ways and the one that reads as more kana (Japanese)
 * or Hangul (Korean) with fewer undecodable bytes wins.
 */
export function decodeCsv(content: Buffer): DecodedCsv {
  if (startsWith(content, UTF8_BOM)) {
    return { encoding: 'utf-8', slices: decoded(content.subarray(3), 'utf-8') };
  }
  if (startsWith(content, UTF16LE_BOM)) {
    return { encoding: 'utf-16le', slices: decoded(content.subarray(2), 'utf-16le') };
  }
  if (isUtf8(content)) return { encoding: 'utf-8', slices: decoded(content, 'utf-8') };
  const sample = content.subarray(0, SLICE_BYTES);
  const japanese = scoreJapanese(iconv.decode(sample, 'cp932'));
  const korean = scoreKorean(iconv.decode(sample, 'cp949'));
  return japanese >= korean
    ? { encoding: 'shift_jis', slices: decoded(content, 'cp932') }
    : { encoding: 'euc-kr', slices: decoded(content, 'cp949') };
}

/** The content decoded a slice at a time with a streaming decoder. */
function* decoded(content: Buffer, encoding: 'utf-8' | 'utf-16le' | 'cp932' | 'cp949') {
  const decoder = iconv.getDecoder(encoding);
  for (let offset = 0; offset < content.length; offset += SLICE_BYTES) {
    const text = decoder.write(content.subarray(offset, offset + SLICE_BYTES));
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
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
    // Small: one push inflates at most ~1000× its size (deflate's limit) before the check.
    const slice = 4 * 1024;
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
