/**
 * Reads a PDF on standard input and prints what a reader sees of it as JSON: each page's size and
 * its text items (string, position, width), read with pdfjs-dist (Mozilla's PDF reader).
 *
 * For the packing slip's tests: pdfjs-dist is an ES module, which Jest cannot load without
 * --experimental-vm-modules, so the tests run this in a child process (`node pdf-text.mjs < x.pdf`, wrapped by `readPdf` in ./read-pdf.ts).
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const data = new Uint8Array(Buffer.concat(chunks));

const task = getDocument({ data, verbosity: 0, isEvalSupported: false });
const pdf = await task.promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const [x0, y0, x1, y1] = page.view;
  const content = await page.getTextContent();
  pages.push({
    width: x1 - x0,
    height: y1 - y0,
    items: content.items
      .filter((item) => 'str' in item)
      .map((item) => ({
        str: item.str,
        x: item.transform[4],
        y: item.transform[5],
        width: item.width,
        eol: item.hasEOL,
      })),
  });
}
const metadata = await pdf.getMetadata();
process.stdout.write(
  JSON.stringify({ numPages: pdf.numPages, info: metadata.info ?? null, pages }),
);
await task.destroy();
