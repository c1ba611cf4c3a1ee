import {
  type ImportProblemView,
  PLATFORM_CODE,
  RULE_IMPORT_COLUMNS,
  type RuleImportColumn,
  SKU_IMPORT_MAX_PROBLEMS,
  SKU_IMPORT_MAX_ROWS,
  type SkuImportFormat,
  normalizeImportHeader,
} from '@smartship/contracts';

import type { CsvEncoding } from './import-file';
import { type ImportLimits, Problems, readImportRows } from './sku-import.parser';

/*
 * Reads a name-rule file (columns in RULE_IMPORT_COLUMNS, headers as names or their Korean,
 * Japanese or English titles, in any format the SKU import reads) into rules plus every bad row.
 * Whether each sku_code exists is checked by the import service against the stored catalog.
 */

const KNOWN = RULE_IMPORT_COLUMNS.map((c) => c.name);
const HEADER_NAMES = new Map<string, RuleImportColumn>(
  RULE_IMPORT_COLUMNS.flatMap((column) =>
    [column.name, ...Object.values(column.headers)].map(
      (text) => [normalizeImportHeader(text), column.name] as [string, RuleImportColumn],
    ),
  ),
);

/** The limits of CreateMappingRuleBody, so a file accepts what `POST /mappings` accepts. */
const MAX_ITEM_NAME = 3072;
const MAX_OPTION_TEXT = 10_000;

export interface ParsedRule {
  row: number;
  itemName: string;
  optionText: string;
  skuCode: string;
}

export interface ParsedRulesFile {
  rows: number;
  rules: ParsedRule[];
  problems: ImportProblemView[];
  problemCount: number;
  encoding: CsvEncoding | null;
}

export async function parseRulesFile(
  format: SkuImportFormat,
  content: Buffer,
  limits: ImportLimits = { maxRows: SKU_IMPORT_MAX_ROWS, maxProblems: SKU_IMPORT_MAX_PROBLEMS },
  onRows?: (rows: number) => void,
): Promise<ParsedRulesFile> {
  const problems = new Problems(limits.maxProblems);
  const rules: ParsedRule[] = [];
  const seen = new Map<string, number>();
  let columns: (RuleImportColumn | null)[] = [];
  let rows = 0;
  const { encoding } = await readImportRows(format, content, limits, onRows, {
    header: (cells, number) => {
      columns = cells.map((cell) => {
        if (cell.trim() === '') return null;
        const column = HEADER_NAMES.get(normalizeImportHeader(cell));
        if (!column) {
          problems.push({
            row: number,
            column: cell.trim(),
            reason: `unknown column; the columns are ${KNOWN.join(', ')} (or their Korean, Japanese or English titles in the template)`,
          });
          return null;
        }
        return column;
      });
      for (const column of RULE_IMPORT_COLUMNS) {
        if (column.required && !columns.includes(column.name)) {
          problems.push({ row: number, column: column.name, reason: 'required column missing' });
        }
      }
      const twice = columns.filter((c, i) => c && columns.indexOf(c) !== i);
      for (const column of new Set(twice)) {
        problems.push({ row: number, column, reason: 'column appears twice' });
      }
    },
    row: (cells, number) => {
      rows += 1;
      const cell = (name: RuleImportColumn) => {
        const i = columns.indexOf(name);
        return i < 0 ? '' : (cells[i] ?? '');
      };
      const itemName = cell('item_name');
      // A line break in a cell is \n, however the file's lines end.
      const optionText = cell('option_text').replace(/\r\n?/g, '\n');
      const skuCode = cell('sku_code');
      const before = problems.count;
      const problem = (column: RuleImportColumn, reason: string) =>
        problems.push({ row: number, column, reason });
      if (!itemName) problem('item_name', 'required');
      else if (itemName.length > MAX_ITEM_NAME) {
        problem('item_name', `longer than ${MAX_ITEM_NAME} characters`);
      }
      if (optionText.length > MAX_OPTION_TEXT) {
        problem('option_text', `longer than ${MAX_OPTION_TEXT} characters`);
      }
      if (!skuCode) problem('sku_code', 'required');
      else if (!PLATFORM_CODE.test(skuCode)) {
        problem('sku_code', 'must be 1–200 letters, digits or symbols without spaces');
      }
      if (problems.count > before) return;
      const key = JSON.stringify([itemName, optionText, skuCode]);
      const first = seen.get(key);
      if (first !== undefined) {
        problem('sku_code', `the same rule is already on row ${first}`);
        return;
      }
      seen.set(key, number);
      rules.push({ row: number, itemName, optionText, skuCode });
    },
  });
  return {
    rows,
    rules,
    problems: problems.kept.sort((a, b) => a.row - b.row),
    problemCount: problems.count,
    encoding,
  };
}
