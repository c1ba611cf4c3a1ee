/*
 * Files for the SKU import's tests and benchmark, and the upload as the console does it.
 * Shared by the catalog-stock system test and `npm run bench` (section `imports`), so the
 * figures and the assertions are about the same files.
 */
import { strToU8, zipSync } from 'fflate';

import { expectEventually } from './expect-eventually';

const MIB = 1024 * 1024;

/**
 * A zip bomb: a valid .xlsx whose xl/sharedStrings.xml holds one string that unpacks to
 * `unpackedMiB` MiB; the file itself is a few dozen KiB.
 */
export function zipBombXlsx(unpackedMiB = 64): Uint8Array {
  const xml = (text: string) =>
    strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${text}`);
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
  const sstOpen = `<sst xmlns="${NS}" count="1" uniqueCount="1"><si><t>`;
  const sstClose = '</t></si></sst>';
  const filler = unpackedMiB * MIB - sstOpen.length - sstClose.length - 60;
  return zipSync(
    {
      '[Content_Types].xml': xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
          '</Types>',
      ),
      '_rels/.rels': xml(
        `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
      'xl/workbook.xml': xml(
        `<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="skus" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': xml(
        `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ),
      'xl/worksheets/sheet1.xml': xml(
        `<worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
      ),
      'xl/sharedStrings.xml': xml(`${sstOpen}${'A'.repeat(filler)}${sstClose}`),
    },
    { level: 9 },
  );
}

/** A CSV of `rows` data rows of 4 bytes each (`A,b`): 3.5 million rows fit in 14 MB. */
export function longCsv(rows: number): Buffer {
  const header = 'sku_code,sku_name\n';
  const file = Buffer.alloc(header.length + rows * 4, 'A,b\n');
  file.write(header, 0);
  return file;
}

/** A valid UTF-8 SKU file of `rows` new SKUs (`<prefix>-000001`…), with names and seller codes. */
export function bulkSkuCsv(rows: number, prefix = 'BULK'): Buffer {
  const lines = ['sku_code,sku_name,seller_code'];
  for (let i = 1; i <= rows; i++) {
    const n = String(i).padStart(6, '0');
    lines.push(`${prefix}-${n},一括 商品 ${n},${prefix.toLowerCase()}-${n}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

export interface ImportAnswer<Report> {
  /** The synchronous status the outcome stands for: 200 applied, else the job's error status. */
  status: number;
  /** The report (applied) or the report merged with the error body. */
  body: Report & { code: string; message: string; details?: unknown };
  /** What the upload itself answered: 200/4xx at once, or 202 and followed to the end. */
  answeredWith: number;
}

/**
 * `POST {path}` (multipart, field `file`) as the console does it; a job still running after the
 * gateway's wait (202) is followed through `GET /imports/:id` to its end, so the outcome reads
 * as the synchronous answer would.
 */
export async function uploadImport<Report = Record<string, unknown>>(
  api: string,
  token: string,
  fileName: string,
  content: Uint8Array,
  type: string,
  options: { path?: string; timeoutMs?: number } = {},
): Promise<ImportAnswer<Report>> {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), fileName);
  const response = await fetch(`${api}${options.path ?? '/skus/import'}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await response.text();
  const body = (text ? JSON.parse(text) : null) as ImportAnswer<Report>['body'] & { id: string };
  if (response.status !== 202) {
    return { status: response.status, body, answeredWith: response.status };
  }
  const done = await expectEventually(
    async () => {
      const job = await fetch(`${api}/imports/${body.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (job.status !== 200) throw new Error(`GET /imports/${body.id}: ${job.status}`);
      const view = (await job.json()) as {
        state: string;
        report: Report | null;
        error: { statusCode: number; code: string; message: string } | null;
      };
      if (!['applied', 'rejected', 'failed'].includes(view.state)) {
        throw new Error(`import ${body.id} is ${view.state}`);
      }
      return view;
    },
    { timeoutMs: options.timeoutMs ?? 240_000, intervalMs: 250 },
  );
  if (done.state === 'applied') {
    return { status: 200, body: done.report as ImportAnswer<Report>['body'], answeredWith: 202 };
  }
  return {
    status: done.error?.statusCode ?? 422,
    body: { ...(done.report as Report), ...done.error } as ImportAnswer<Report>['body'],
    answeredWith: 202,
  };
}
