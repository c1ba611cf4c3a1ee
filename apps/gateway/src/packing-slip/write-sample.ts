/**
 * Writes the sample packing slip (the contracts' example: a cash-on-delivery gift with remarks, a
 * wrapping and のし) to docs/packing-slip/sample.pdf, or to the path given:
 *
 *   npx ts-node -T -r tsconfig-paths/register apps/gateway/src/packing-slip/write-sample.ts [out.pdf]
 *
 * Page 1 as the PNG in docs/packing-slip/: `pdftoppm -png -r 100 -f 1 -l 1 -singlefile
 * docs/packing-slip/sample.pdf docs/packing-slip/slip-page1` (Debian's poppler-utils).
 */
import 'reflect-metadata';

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { renderPackingSlip } from './packing-slip.pdf';
import { sampleSlipView } from './sample-slip';

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'docs/packing-slip/sample.pdf');
  const pdf = await renderPackingSlip(sampleSlipView());
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, pdf);
  console.log(`${out}: ${pdf.length} bytes`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
