import {
  SKU_IMPORT_COLUMNS,
  SKU_IMPORT_EXAMPLE_ROWS,
  type SkuImportFormat,
} from '@smartship/contracts';
import ExcelJS from 'exceljs';

/** The downloadable import template: the header, one example row of each kind, and (xlsx) help. */
export async function importTemplate(format: SkuImportFormat): Promise<Buffer> {
  const header = SKU_IMPORT_COLUMNS.map((c) => c.name);
  const rows = SKU_IMPORT_EXAMPLE_ROWS.map((row) => header.map((name) => row[name] ?? ''));
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
  help.addRow(['column', 'required', 'meaning']).font = { bold: true };
  for (const column of SKU_IMPORT_COLUMNS) {
    help.addRow([column.name, column.required ? 'yes' : '', column.help]);
  }
  help.getColumn(3).width = 100;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
