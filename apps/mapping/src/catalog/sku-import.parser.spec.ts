import { SKU_IMPORT_COLUMNS, normalizeImportHeader } from '@smartship/contracts';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';

import { csvDelimiter, decodeCsv, xlsxTooLarge } from './import-file';
import { ImportTooLargeError, ImportUnreadableError, parseImportFile } from './sku-import.parser';
import { xlsxSheetRows } from './xlsx-reader';

const ROWS = [
  ['MUG-002', '有田焼 マグカップ 300ml', '', 'mug-002', '', '', '', '', '', ''],
  [
    'TEE-001',
    'オーガニックコットン Tシャツ',
    '',
    '',
    'TEE001-M-BK',
    'M / ブラック',
    'TEE001-M-BK',
    '',
    '',
    '',
  ],
  ['KIMCHI-1', '포기김치 1kg', '', 'kimchi-1', '', '', '', '', '', ''],
];

function csv(header: string[], rows = ROWS, separator = ','): string {
  return [header, ...rows].map((row) => row.join(separator)).join('\r\n') + '\r\n';
}

const header = (lang: 'ko' | 'ja' | 'en' | null) =>
  SKU_IMPORT_COLUMNS.map((column) => (lang ? column.headers[lang] : column.name));

/** The SKUs a file gave, comparable across files. */
async function skusOf(content: Buffer, format: 'csv' | 'xlsx' = 'csv') {
  const parsed = await parseImportFile(format, content);
  expect(parsed.problems).toEqual([]);
  return { encoding: parsed.encoding, skus: parsed.skus.map((s) => s.sku) };
}

describe('CSV text encodings and header languages', () => {
  it('Shift_JIS (CP932) with Japanese headers gives the same SKUs as UTF-8 with the column names', async () => {
    const english = await skusOf(Buffer.from(csv(header(null)), 'utf8'));
    const japanese = await skusOf(iconv.encode(csv(header('ja'), ROWS.slice(0, 2)), 'cp932'));
    expect(english.encoding).toBe('utf-8');
    expect(japanese.encoding).toBe('shift_jis');
    expect(japanese.skus).toEqual(english.skus.slice(0, 2));
  });

  it('CP949 (Korean Excel) with Korean headers is read as Korean', async () => {
    const english = await skusOf(Buffer.from(csv(header('en')), 'utf8'));
    // Korean Excel cannot write kana: the Korean file has the Korean product only.
    const koreanRows = [ROWS[2]];
    const korean = await skusOf(iconv.encode(csv(header('ko'), koreanRows), 'cp949'));
    expect(korean.encoding).toBe('euc-kr');
    expect(korean.skus).toEqual(english.skus.filter((sku) => sku.code === 'KIMCHI-1'));
  });

  it('UTF-8 with a BOM, and UTF-16LE tab-separated text (Excel "Unicode text"), read alike', async () => {
    const plain = await skusOf(Buffer.from(csv(header(null)), 'utf8'));
    const bom = await skusOf(Buffer.from(`\uFEFF${csv(header('ja'))}`, 'utf8'));
    const utf16 = await skusOf(
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(csv(header('ko'), ROWS, '\t'), 'utf16le'),
      ]),
    );
    expect(bom).toEqual(plain);
    expect(utf16.encoding).toBe('utf-16le');
    expect(utf16.skus).toEqual(plain.skus);
  });

  it('headers match whatever their width, case, spacing or required mark', async () => {
    const variants = [
      'SKU コード',
      'ＳＫＵコード',
      'sku_code',
      'SKU Code *',
      'SKU 코드 (필수)',
      'SKUコード（必須）',
    ];
    for (const text of variants) {
      const parsed = await parseImportFile('csv', Buffer.from(`${text},SKU名\r\nA-1,a\r\n`));
      expect({ text, problems: parsed.problems }).toEqual({ text, problems: [] });
      expect(parsed.skus.map((s) => s.sku.code)).toEqual(['A-1']);
    }
    expect(normalizeImportHeader('ＳＫＵ　コード（必須）')).toBe('skuコード');
  });

  it('an unknown header names the text the file has', async () => {
    const parsed = await parseImportFile(
      'csv',
      Buffer.from('SKUコード,SKU名,在庫数\r\nA-1,a,3\r\n', 'utf8'),
    );
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        row: 1,
        column: '在庫数',
        reason: expect.stringContaining('unknown column'),
      }),
    ]);
  });

  it('detects the delimiter from the header line only', () => {
    expect(csvDelimiter('a\tb\nc,d')).toBe('\t');
    expect(csvDelimiter('a,b\tc\nx')).toBe(',');
    expect(decodeCsv(Buffer.from('abc')).encoding).toBe('utf-8');
  });
});

describe('limits', () => {
  const file = (rows: number, bad = false) =>
    Buffer.from(
      csv(
        ['sku_code', 'sku_name'],
        Array.from({ length: rows }, (_, i) => [bad ? '' : `S-${i}`, `name ${i}`]),
      ),
    );

  it('a file of exactly the row limit is read; one row more is refused as a whole', async () => {
    const limits = { maxRows: 5, maxProblems: 100 };
    expect((await parseImportFile('csv', file(5), limits)).skus).toHaveLength(5);
    await expect(parseImportFile('csv', file(6), limits)).rejects.toBeInstanceOf(
      ImportTooLargeError,
    );
    await expect(parseImportFile('csv', file(6), limits)).rejects.toThrow('more than 5 data rows');
  });

  it('keeps the first problems in row order and counts them all', async () => {
    const parsed = await parseImportFile('csv', file(40, true), { maxRows: 100, maxProblems: 3 });
    expect(parsed.problemCount).toBe(40);
    expect(parsed.problems.map((p) => p.row)).toEqual([2, 3, 4]);
  });
});

describe('xlsx bounds', () => {
  it('a workbook within the bounds is read', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('skus');
    sheet.addRow(header('ja'));
    for (const row of ROWS) sheet.addRow(row);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(xlsxTooLarge(content)).toBeNull();
    const english = await skusOf(Buffer.from(csv(header(null)), 'utf8'));
    expect((await skusOf(content, 'xlsx')).skus).toEqual(english.skus);
  });

  it('a zip bomb (a tiny file whose shared strings unpack to 24 MiB) is refused before parsing', async () => {
    const huge = `<sst><si><t>${'a'.repeat(24 * 1024 * 1024)}</t></si></sst>`;
    const bomb = Buffer.from(
      zipSync({
        '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
        'xl/sharedStrings.xml': new TextEncoder().encode(huge),
      }),
    );
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(xlsxTooLarge(bomb)).toContain('xl/sharedStrings.xml unpacks to more than 16 MiB');
    await expect(parseImportFile('xlsx', bomb)).rejects.toBeInstanceOf(ImportUnreadableError);
  });

  it('a worksheet that unpacks past its bound is refused, and so is a file that is not a zip', () => {
    const entry = new TextEncoder().encode('x'.repeat(3 * 1024 * 1024));
    const content = Buffer.from(zipSync({ 'xl/worksheets/sheet1.xml': entry }));
    const bounds = {
      totalBytes: 10 << 20,
      sharedStringsBytes: 1 << 20,
      entryBytes: 2 << 20,
      entries: 10,
    };
    expect(xlsxTooLarge(content, bounds)).toContain('sheet1.xml unpacks to more than 2 MiB');
    expect(xlsxTooLarge(Buffer.from('not a zip at all'), bounds)).toContain('not an .xlsx');
  });
});

describe('xlsx text as Japanese Excel writes it', () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  /** A minimal workbook: one sheet, its cells as given, and these shared strings. */
  function workbook(sheetData: string, sharedStrings: string): Buffer {
    return Buffer.from(
      zipSync({
        '[Content_Types].xml': encode('<Types/>'),
        'xl/workbook.xml': encode(
          '<workbook xmlns:r="r"><sheets><sheet name="商品" sheetId="7" r:id="rId3"/></sheets></workbook>',
        ),
        'xl/_rels/workbook.xml.rels': encode(
          '<Relationships><Relationship Id="rId3" Target="worksheets/sheet7.xml"/></Relationships>',
        ),
        'xl/worksheets/sheet7.xml': encode(
          `<worksheet><sheetData>${sheetData}</sheetData></worksheet>`,
        ),
        'xl/sharedStrings.xml': encode(`<sst>${sharedStrings}</sst>`),
      }),
    );
  }

  async function rowsOf(content: Buffer): Promise<string[][]> {
    const rows: string[][] = [];
    for await (const row of xlsxSheetRows(content)) rows.push(row.cells);
    return rows;
  }

  it('a shared string is its text, not the phonetic reading (furigana) Excel keeps with it', async () => {
    const content = workbook(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>' +
        '<row r="2"><c r="B2" t="inlineStr"><is><t>直接</t></is></c><c r="C2"><v>4901234567894</v></c><c r="D2" t="b"><v>1</v></c></row>',
      '<si><t>有田焼</t><rPh sb="0" eb="3"><t>アリタヤキ</t></rPh><phoneticPr fontId="1"/></si>' +
        '<si><r><t>マグ</t></r><r><rPr><b/></rPr><t>カップ_x000D_</t></r></si>',
    );
    expect(await rowsOf(content)).toEqual([
      ['有田焼', '', 'マグカップ'],
      ['', '直接', '4901234567894', 'true'],
    ]);
  });

  it('20,000 Japanese names of a large sheet are read whole (no character split between slices)', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('skus');
    sheet.addRow(['sku_code', 'sku_name']);
    const names = Array.from({ length: 20_000 }, (_, i) => `単品「有田焼」マグカップ ${i} 号`);
    names.forEach((name, i) => sheet.addRow([`S-${i}`, name]));
    const parsed = await parseImportFile('xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(parsed.problems).toEqual([]);
    const read = parsed.skus.map((s) => s.sku.name);
    expect(read.filter((name) => name.includes('\uFFFD'))).toEqual([]);
    expect(read).toEqual(names);
  });

  it('a workbook without its sheet or a broken zip is unreadable, naming why', async () => {
    await expect(
      parseImportFile('xlsx', Buffer.from(zipSync({ 'a.txt': encode('x') }))),
    ).rejects.toThrow('the xlsx file cannot be read: it has no xl/workbook.xml');
  });
});
