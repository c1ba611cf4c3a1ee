import { RULE_IMPORT_COLUMNS } from '@smartship/contracts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

import { parseRulesFile } from './rule-import.parser';
import { ImportTooLargeError } from './sku-import.parser';

const header = (lang: 'ko' | 'ja' | 'en' | null) =>
  RULE_IMPORT_COLUMNS.map((column) => (lang ? column.headers[lang] : column.name)).join(',');

const RULES = [
  { itemName: '有田焼 マグカップ 300ml', optionText: '', skuCode: 'MUG-002' },
  { itemName: 'コットン Tシャツ', optionText: 'サイズ:M\nカラー:ブラック', skuCode: 'TEE001-M-BK' },
];
const ROWS =
  '有田焼 マグカップ 300ml,,MUG-002\r\nコットン Tシャツ,"サイズ:M\r\nカラー:ブラック",TEE001-M-BK\r\n';

const rulesOf = (parsed: { rules: { itemName: string; optionText: string; skuCode: string }[] }) =>
  parsed.rules.map(({ itemName, optionText, skuCode }) => ({ itemName, optionText, skuCode }));

describe('name-rule files', () => {
  it('Shift_JIS with Japanese headers, UTF-8 with Korean or English ones and .xlsx give the same rules', async () => {
    const japanese = await parseRulesFile(
      'csv',
      iconv.encode(`${header('ja')}\r\n${ROWS}`, 'cp932'),
    );
    expect(japanese).toMatchObject({ encoding: 'shift_jis', rows: 2, problemCount: 0 });
    expect(rulesOf(japanese)).toEqual(RULES);
    for (const lang of ['ko', 'en', null] as const) {
      const parsed = await parseRulesFile('csv', Buffer.from(`${header(lang)}\n${ROWS}`, 'utf8'));
      expect(parsed.problems).toEqual([]);
      expect(rulesOf(parsed)).toEqual(RULES);
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('rules');
    sheet.addRow(RULE_IMPORT_COLUMNS.map((c) => c.headers.ja));
    for (const rule of RULES) sheet.addRow([rule.itemName, rule.optionText, rule.skuCode]);
    const xlsx = await parseRulesFile('xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(xlsx.problems).toEqual([]);
    expect(rulesOf(xlsx)).toEqual(RULES);
  });

  it('names every bad row and column: missing cells, bad codes, a rule twice, unknown and missing columns', async () => {
    const bad = await parseRulesFile(
      'csv',
      Buffer.from(
        `${header(null)}\n,x,MUG\nname,,\nname,,has space\nmug,,MUG\nmug,,MUG\n${'a'.repeat(3073)},,MUG\n`,
      ),
    );
    expect(bad.problems).toEqual([
      { row: 2, column: 'item_name', reason: 'required' },
      { row: 3, column: 'sku_code', reason: 'required' },
      {
        row: 4,
        column: 'sku_code',
        reason: 'must be 1–200 letters, digits or symbols without spaces',
      },
      { row: 6, column: 'sku_code', reason: 'the same rule is already on row 5' },
      { row: 7, column: 'item_name', reason: 'longer than 3072 characters' },
    ]);
    expect(bad.rules).toHaveLength(1);

    const columns = await parseRulesFile('csv', Buffer.from('商品名,price\nmug,1\n'));
    expect(columns.problems).toEqual([
      { row: 1, column: 'price', reason: expect.stringContaining('unknown column') },
      { row: 1, column: 'sku_code', reason: 'required column missing' },
      { row: 2, column: 'sku_code', reason: 'required' },
    ]);
  });

  it('keeps the first problems and counts them all; more rows than the limit refuse the file', async () => {
    const many = `${header(null)}\n${'x,,\n'.repeat(50)}`;
    const capped = await parseRulesFile('csv', Buffer.from(many), {
      maxRows: 100,
      maxProblems: 10,
    });
    expect(capped.problems).toHaveLength(10);
    expect(capped.problemCount).toBe(50);
    await expect(
      parseRulesFile('csv', Buffer.from(`${header(null)}\n${'a,,B\n'.repeat(11)}`), {
        maxRows: 10,
        maxProblems: 10,
      }),
    ).rejects.toBeInstanceOf(ImportTooLargeError);
  });
});
