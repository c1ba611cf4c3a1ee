import {
  type ImportKind,
  RULE_IMPORT_COLUMNS,
  RULE_IMPORT_EXAMPLE_ROWS,
  SKU_IMPORT_COLUMNS,
  SKU_IMPORT_EXAMPLE_ROWS,
  type SkuImportFormat,
  type SkuImportLang,
} from '@smartship/contracts';
import ExcelJS from 'exceljs';

interface Column {
  name: string;
  required: boolean;
  help: string;
  headers: Record<SkuImportLang, string>;
}

const LAYOUTS: Record<
  ImportKind,
  { columns: readonly Column[]; examples: object[]; sheet: string }
> = {
  skus: { columns: SKU_IMPORT_COLUMNS, examples: SKU_IMPORT_EXAMPLE_ROWS, sheet: 'skus' },
  rules: { columns: RULE_IMPORT_COLUMNS, examples: RULE_IMPORT_EXAMPLE_ROWS, sheet: 'rules' },
};

/**
 * The downloadable import template of SKUs or name rules: the header (the column names, or
 * their titles in the seller's language), example rows, and (xlsx) help.
 */
export async function importTemplate(
  format: SkuImportFormat,
  lang: SkuImportLang | null = null,
  kind: ImportKind = 'skus',
): Promise<Buffer> {
  const layout = LAYOUTS[kind];
  const header = layout.columns.map((c) => (lang ? c.headers[lang] : c.name));
  const rows = layout.examples.map((row) =>
    layout.columns.map((column) => (row as Record<string, string>)[column.name] ?? ''),
  );
  if (format === 'csv') {
    const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
    // A BOM so that Excel opens the Japanese and Korean text as UTF-8.
    return Buffer.from(
      `\uFEFF${[header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`,
    );
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(layout.sheet);
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  // Codes and barcodes as text, so Excel keeps leading zeros.
  header.forEach((_, i) => {
    sheet.getColumn(i + 1).numFmt = '@';
    sheet.getColumn(i + 1).width = 22;
  });
  const help = workbook.addWorksheet('help');
  help.addRow(['column', '한국어', '日本語', 'English', 'required', 'meaning']).font = {
    bold: true,
  };
  for (const column of layout.columns) {
    const { ko, ja, en } = column.headers;
    help.addRow([column.name, ko, ja, en, column.required ? 'yes' : '', column.help]);
  }
  for (const i of [1, 2, 3, 4]) help.getColumn(i).width = 24;
  help.getColumn(6).width = 100;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
