import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** One run of text as a PDF reader places it. */
export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  eol: boolean;
}

/** A PDF as a reader sees it: pages (size in points) and their text, plus the document info. */
export interface ReadPdf {
  numPages: number;
  info: Record<string, unknown> | null;
  pages: { width: number; height: number; items: PdfTextItem[] }[];
}

/**
 * Reads a PDF with pdfjs-dist (Mozilla's PDF reader). pdfjs-dist is an ES module that Jest cannot
 * load without --experimental-vm-modules, so it runs in a child process (pdf-text.mjs).
 */
export function readPdf(pdf: Buffer): ReadPdf {
  const result = spawnSync(process.execPath, [join(__dirname, 'pdf-text.mjs')], {
    input: pdf,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`pdf-text.mjs failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ReadPdf;
}

/** A page's text in drawing order, without any whitespace (pdfjs splits runs at will). */
export function pdfPageText(page: ReadPdf['pages'][number]): string {
  return page.items
    .map((item) => item.str)
    .join('')
    .replace(/\s+/g, '');
}

/** Every page's text, whitespace removed. */
export function pdfText(read: ReadPdf): string {
  return read.pages.map(pdfPageText).join('');
}
