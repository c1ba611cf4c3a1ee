import { Readable } from 'node:stream';

import {
  type BundleComponentView,
  type ImportProblemView,
  PLATFORM_CODE,
  SKU_IMPORT_COLUMNS,
  SKU_IMPORT_MAX_PROBLEMS,
  SKU_IMPORT_MAX_ROWS,
  type SkuImportColumn,
  type SkuImportFormat,
  normalizeImportHeader,
} from '@smartship/contracts';
import { parse } from 'csv-parse';

import { type CsvEncoding, csvDelimiter, decodeCsv, xlsxTooLarge } from './import-file';
import type { DesiredOption, DesiredSku } from './sku-store';
import { XlsxFormatError, xlsxSheetRows } from './xlsx-reader';

/*
 * Reads an import file row by row (csv-parse over the decoded text in slices; an .xlsx's first
 * sheet inflated and parsed a slice at a time by xlsx-reader.ts: the workbook is never built in
 * memory) and turns it into desired SKUs plus every bad row. Cross-row
 * rules (one SKU's rows agree, codes unique in the file) are checked here; rules that need the
 * stored catalog (codes used elsewhere, bundle components) are checked by the import service.
 */

const VARIANT_ID = /^[a-zA-Z0-9_-]{1,40}$/;
const COMPONENT = /^(.+?)(?:\*(\d{1,4}))?$/;
const KNOWN = new Set<string>(SKU_IMPORT_COLUMNS.map((c) => c.name));

/** Every way a header cell may name a column (its name, or its title in Korean, Japanese or
 *  English, see SKU_IMPORT_COLUMNS), normalised. */
const HEADER_NAMES = new Map<string, SkuImportColumn>(
  SKU_IMPORT_COLUMNS.flatMap((column) =>
    [column.name, ...Object.values(column.headers)].map(
      (text) => [normalizeImportHeader(text), column.name] as [string, SkuImportColumn],
    ),
  ),
);

/** One SKU read from the file with the row numbers it came from. */
export interface ParsedSku {
  sku: DesiredSku;
  /** Row of the SKU's first line, and per option code and component the row it is on. */
  firstRow: number;
  rowOf: Map<string, number>;
}

export interface ParsedFile {
  rows: number;
  skus: ParsedSku[];
  /** The first `maxProblems` problems, in row order. */
  problems: ImportProblemView[];
  /** All problems found. */
  problemCount: number;
  /** How a CSV's text was read (null for xlsx). */
  encoding: CsvEncoding | null;
}

/** How much of a file is read: more rows refuse the file; problems past the cap are counted. */
export interface ImportLimits {
  maxRows: number;
  maxProblems: number;
}

const LIMITS: ImportLimits = {
  maxRows: SKU_IMPORT_MAX_ROWS,
  maxProblems: SKU_IMPORT_MAX_PROBLEMS,
};

/** The cells of one data row by column name (trimmed; missing cells are ''). */
type Row = Partial<Record<SkuImportColumn, string>>;

export class ImportUnreadableError extends Error {}

/** More data rows than an import takes. */
export class ImportTooLargeError extends ImportUnreadableError {
  constructor(readonly maxRows: number) {
    super(
      `the file has more than ${maxRows.toLocaleString('en')} data rows: split it into files of at most ${maxRows.toLocaleString('en')} rows`,
    );
  }
}

export async function parseImportFile(
  format: SkuImportFormat,
  content: Buffer,
  limits: ImportLimits = LIMITS,
  onRows?: (rows: number) => void,
): Promise<ParsedFile> {
  const builder = new SkuBuilder(limits.maxProblems);
  let header: (SkuImportColumn | null)[] = [];
  const { encoding } = await readImportRows(format, content, limits, onRows, {
    header: (cells, number) => {
      header = builder.header(cells, number);
    },
    row: (cells, number) => {
      const row: Row = {};
      header.forEach((column, i) => {
        if (column) row[column] = cells[i] ?? '';
      });
      builder.add(row, number);
    },
  });
  return { ...builder.finish(), encoding };
}

/**
 * Reads an import file's rows (CSV in any of the detected encodings, or an .xlsx's first sheet
 * within its bounds): the first non-empty row goes to `header`, every other non-empty one to
 * `row`. More than `limits.maxRows` data rows stop the reading with ImportTooLargeError; a file
 * without a header row is ImportUnreadableError. Shared by the SKU and the name-rule imports.
 */
export async function readImportRows(
  format: SkuImportFormat,
  content: Buffer,
  limits: Pick<ImportLimits, 'maxRows'>,
  onRows: ((rows: number) => void) | undefined,
  handle: {
    header: (cells: string[], number: number) => void;
    row: (cells: string[], number: number) => void;
  },
): Promise<{ encoding: CsvEncoding | null; dataRows: number }> {
  let encoding: CsvEncoding | null = null;
  let rows: AsyncGenerator<RawRow>;
  if (format === 'csv') {
    const decoded = decodeCsv(content);
    encoding = decoded.encoding;
    rows = csvRows(decoded.slices);
  } else {
    const refused = xlsxTooLarge(content);
    if (refused) throw new ImportUnreadableError(`the xlsx file is refused: ${refused}`);
    rows = xlsxRows(content);
  }
  let headerSeen = false;
  let dataRows = 0;
  for await (const { number, cells } of rows) {
    if (!headerSeen) {
      headerSeen = true;
      handle.header(cells, number);
      continue;
    }
    if (cells.every((cell) => cell === '')) continue;
    dataRows += 1;
    if (onRows && dataRows % 1_000 === 0) onRows(dataRows);
    if (dataRows > limits.maxRows) {
      // Reading stops here: nothing past the limit is parsed or kept.
      await rows.return(undefined);
      throw new ImportTooLargeError(limits.maxRows);
    }
    handle.row(cells, number);
  }
  if (!headerSeen) {
    throw new ImportUnreadableError('the file is empty: the first row must be the header');
  }
  return { encoding, dataRows };
}

interface RawRow {
  number: number;
  cells: string[];
}

/**
 * The rows of a CSV text given in slices: csv-parse parses a whole chunk at once, so one big
 * chunk would be held as millions of records before the first is read. The delimiter is chosen
 * from the header line (the first slice holds it, or the start of it).
 */
async function* csvRows(slices: Generator<string>): AsyncGenerator<RawRow> {
  const first = slices.next();
  const head = first.done ? '' : first.value;
  function* all(): Generator<string> {
    if (head) yield head;
    yield* slices;
  }
  const parser = Readable.from(all()).pipe(
    parse({
      delimiter: csvDelimiter(head),
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      trim: true,
    }),
  );
  try {
    for await (const record of parser as AsyncIterable<{
      record: string[];
      info: { records: number; empty_lines: number };
    }>) {
      // The row as a spreadsheet shows it: a cell with line breaks is still one row, an empty
      // line is a row too.
      yield { number: record.info.records + record.info.empty_lines, cells: record.record };
    }
  } catch (error) {
    throw new ImportUnreadableError(
      `the CSV file cannot be read: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

async function* xlsxRows(content: Buffer): AsyncGenerator<RawRow> {
  try {
    for await (const row of xlsxSheetRows(content)) yield row;
  } catch (error) {
    if (error instanceof XlsxFormatError) {
      throw new ImportUnreadableError(
        `the xlsx file cannot be read: ${error.message.split('\n')[0]}`,
      );
    }
    throw error;
  }
}

/**
 * The problems of a file: the first `max` are kept, every one is counted, so a file of a
 * million bad rows costs a counter, not a million objects.
 */
export class Problems {
  readonly kept: ImportProblemView[] = [];
  count = 0;

  constructor(private readonly max: number) {}

  push(problem: ImportProblemView): void {
    this.count += 1;
    if (this.kept.length < this.max) this.kept.push(problem);
  }
}

class SkuBuilder {
  private readonly skus = new Map<string, ParsedSku & { single: boolean }>();
  private readonly optionRows = new Map<string, number>();
  private readonly problems: Problems;
  private rows = 0;

  constructor(maxProblems: number) {
    this.problems = new Problems(maxProblems);
  }

  header(cells: string[], number: number): (SkuImportColumn | null)[] {
    const columns = cells.map((cell): SkuImportColumn | null => {
      if (cell.trim() === '') return null;
      const column = HEADER_NAMES.get(normalizeImportHeader(cell));
      if (!column) {
        this.problems.push({
          row: number,
          column: cell.trim(),
          reason: `unknown column; the columns are ${[...KNOWN].join(', ')} (or their Korean, Japanese or English titles in the template)`,
        });
        return null;
      }
      return column;
    });
    for (const column of SKU_IMPORT_COLUMNS) {
      if (column.required && !columns.includes(column.name)) {
        this.problems.push({ row: number, column: column.name, reason: 'required column missing' });
      }
    }
    const seen = new Set<string>();
    for (const column of columns) {
      if (!column) continue;
      if (seen.has(column)) {
        this.problems.push({ row: number, column, reason: 'column appears twice' });
      }
      seen.add(column);
    }
    return columns;
  }

  add(row: Row, number: number): void {
    this.rows++;
    const problem = (column: SkuImportColumn | null, reason: string) =>
      this.problems.push({ row: number, column, reason });
    const before = this.problems.count;
    const code = row.sku_code ?? '';
    const name = row.sku_name ?? '';
    if (!code) problem('sku_code', 'required');
    else if (!PLATFORM_CODE.test(code)) {
      problem('sku_code', 'must be 1–200 letters, digits or symbols without spaces');
    }
    if (!name) problem('sku_name', 'required');
    else if (name.length > 500) problem('sku_name', 'longer than 500 characters');
    for (const column of ['barcode', 'option_barcode'] as const) {
      if ((row[column] ?? '').length > 100) problem(column, 'longer than 100 characters');
    }
    for (const column of ['seller_code', 'option_seller_code'] as const) {
      if ((row[column] ?? '').length > 400) problem(column, 'longer than 400 characters');
    }
    const components = parseComponents(row.components ?? '', code, (reason) =>
      problem('components', reason),
    );
    const optionCode = row.option_code ?? '';
    const isOption = optionCode !== '';
    if (isOption) {
      if (!PLATFORM_CODE.test(optionCode)) {
        problem('option_code', 'must be 1–200 letters, digits or symbols without spaces');
      } else if (optionCode === code) {
        problem('option_code', 'must differ from sku_code');
      } else if (this.optionRows.has(optionCode)) {
        problem('option_code', `already on row ${this.optionRows.get(optionCode)}`);
      }
      if (!row.option_name) problem('option_name', 'required on an option row');
      if (row.seller_code) {
        problem('seller_code', 'an option row takes its code in option_seller_code');
      }
      if (row.variant_id && !VARIANT_ID.test(row.variant_id)) {
        problem('variant_id', 'must be a Rakuten SKU管理番号: 1–40 of a-z, A-Z, 0-9, _ and -');
      }
    } else {
      for (const column of ['option_name', 'option_seller_code', 'option_barcode'] as const) {
        if (row[column]) problem(column, 'needs option_code on the same row');
      }
      if (row.variant_id) problem('variant_id', 'needs option_code on the same row');
    }
    if (this.problems.count > before || !code) return;

    const known = this.skus.get(code);
    if (!isOption) {
      if (known) {
        problem('sku_code', `already on row ${known.firstRow}`);
        return;
      }
      const sku: DesiredSku = {
        code,
        name,
        barcode: row.barcode || null,
        sellerCode: row.seller_code || null,
        components,
        options: [],
      };
      this.skus.set(code, { sku, firstRow: number, rowOf: new Map(), single: true });
      return;
    }
    const option: DesiredOption = {
      code: optionCode,
      name: row.option_name!,
      sellerCode: row.option_seller_code || null,
      barcode: row.option_barcode || null,
      variantId: row.variant_id || null,
      components,
    };
    if (!known) {
      const sku: DesiredSku = {
        code,
        name,
        barcode: row.barcode || null,
        sellerCode: null,
        components: null,
        options: [option],
      };
      this.skus.set(code, {
        sku,
        firstRow: number,
        rowOf: new Map([[optionCode, number]]),
        single: false,
      });
      this.optionRows.set(optionCode, number);
      return;
    }
    if (known.single) {
      problem(
        'option_code',
        `sku_code ${code} is a product without options on row ${known.firstRow}`,
      );
      return;
    }
    if (known.sku.name !== name) {
      problem('sku_name', `differs from row ${known.firstRow} of the same sku_code`);
      return;
    }
    if ((known.sku.barcode ?? '') !== (row.barcode ?? '')) {
      problem('barcode', `differs from row ${known.firstRow} of the same sku_code`);
      return;
    }
    known.sku.options.push(option);
    known.rowOf.set(optionCode, number);
    this.optionRows.set(optionCode, number);
  }

  finish(): Omit<ParsedFile, 'encoding'> {
    // A SKU code that is also an option code in the same file.
    for (const [code, parsed] of this.skus) {
      const row = this.optionRows.get(code);
      if (row !== undefined) {
        this.problems.push({
          row,
          column: 'option_code',
          reason: `is also the sku_code on row ${parsed.firstRow}`,
        });
      }
    }
    return {
      rows: this.rows,
      skus: [...this.skus.values()].map(({ sku, firstRow, rowOf }) => ({ sku, firstRow, rowOf })),
      problems: this.problems.kept.sort((a, b) => a.row - b.row),
      problemCount: this.problems.count,
    };
  }
}

/** `CUP*2;SAUCER*2` → components; `CUP` alone means 1. */
export function parseComponents(
  text: string,
  ownCode: string,
  fail: (reason: string) => void,
): BundleComponentView[] | null {
  if (!text) return null;
  const merged = new Map<string, number>();
  for (const part of text.split(';')) {
    const item = part.trim();
    if (!item) continue;
    const match = COMPONENT.exec(item);
    const code = match?.[1].trim() ?? '';
    const quantity = match?.[2] ? Number(match[2]) : 1;
    if (!PLATFORM_CODE.test(code) || quantity < 1) {
      fail(`"${item}" is not CODE*QTY (QTY 1–9999)`);
      return null;
    }
    if (code === ownCode) {
      fail('a bundle cannot contain itself');
      return null;
    }
    merged.set(code, (merged.get(code) ?? 0) + quantity);
  }
  if (merged.size === 0) return null;
  if (merged.size > 50) {
    fail('at most 50 components');
    return null;
  }
  return [...merged].map(([skuCode, quantity]) => ({ skuCode, quantity }));
}
