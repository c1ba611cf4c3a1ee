import {
  SKU_IMPORT_COLUMNS,
  SKU_IMPORT_EXAMPLE_ROWS,
  type SkuImportFormat,
  type SkuImportLang,
} from '@smartship/contracts';
import ExcelJS from 'exceljs';

/**
 * The downloadable import template: the header (the column names, or their titles in the
 * seller's language), one example row of each kind, and (xlsx) help.
 */
export async function importTemplate(
  format: SkuImportFormat,
  lang: SkuImportLang | null = null,
): Promise<Buffer> {
  const header = SKU_IMPORT_COLUMNS.map((c) => (lang ? c.headers[lang] : c.name));
  const rows = SKU_IMPORT_EXAMPLE_ROWS.map((row) =>
    SKU_IMPORT_COLUMNS.map((column) => row[column.name] ?? ''),
  );
  if (format === 'csv') {
    const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
    // A BOM so that Excel opens the Japanese and Korean text as UTF-8.
    return Buffer.from(
      `\uFEFF${[header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`,
    );
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('skus');
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
  for (const column of SKU_IMPORT_COLUMNS) {
    const { ko, ja, en } = column.headers;
    help.addRow([column.name, ko, ja, en, column.required ? 'yes' : '', column.help]);
  }
  for (const i of [1, 2, 3, 4]) help.getColumn(i).width = 24;
  help.getColumn(6).width = 100;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
