/*
 * The catalog figures of issue 18, on the bench's stack (every service a process):
 *
 * - `imports`: a zip bomb and a 3.5-million-row CSV, each refused, then a 60,000-row SKU file
 *   through the gateway end to end (upload, pieces to mapping, parse, checks, writes); the
 *   mapping service's RSS is sampled every 100 ms during each.
 * - `listings`: a 50,000-item shop's listings import at the item rate limit, against the
 *   call-count lower bound (500 pages of 100 items, the first call free: 499 / rate seconds).
 */
import { bulkSkuCsv, longCsv, uploadImport, zipBombXlsx } from '@smartship/testing';

import { API, type BenchStack, SIM, http, ok } from './stack';
import { RssSampler, round, rssOf, sleep } from './stats';

const say = (line: string) => process.stdout.write(`  ${line}\n`);

async function newTenant(stack: BenchStack, name: string): Promise<string> {
  const tenant = await ok(
    'tenant',
    http<{ token: { token: string } }>('POST', `${API}/tenants`, { name }, stack.operatorToken),
  );
  return tenant.token.token;
}

/** Peak RSS of the mapping service while `run` runs, sampled every 100 ms. */
async function mappingPeak<T>(
  stack: BenchStack,
  run: () => Promise<T>,
): Promise<{ result: T; peakRssMiB: number; rssBeforeMiB: number }> {
  const before = rssOf(stack.mapping.pid ?? 0)?.rssMiB ?? 0;
  const during = new RssSampler(() => ({ mapping: stack.mapping.pid })).start(100);
  try {
    const result = await run();
    return { result, peakRssMiB: during.stop().mapping?.peakRssMiB ?? 0, rssBeforeMiB: before };
  } finally {
    during.stop();
  }
}

export interface ImportsResult {
  rows: number;
  fileBytes: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  rssBeforeMiB: number;
  zipBomb: { fileBytes: number; unpackedMiB: number; code: string; ms: number; peakRssMiB: number };
  longCsv: { rows: number; fileBytes: number; code: string; ms: number; peakRssMiB: number };
}

interface Report {
  applied: boolean;
  rows: number;
  created: number;
}

export async function imports(stack: BenchStack, rows: number): Promise<ImportsResult> {
  const token = await newTenant(stack, 'bench-imports');
  const refuse = async (name: string, content: Uint8Array, type: string, expected: number) => {
    const at = performance.now();
    const measured = await mappingPeak(stack, () =>
      uploadImport<Report>(API, token, name, content, type, { timeoutMs: 600_000 }),
    );
    const ms = Math.round(performance.now() - at);
    if (measured.result.status !== expected) {
      throw new Error(`${name}: expected ${expected}, got ${measured.result.status}`);
    }
    say(
      `${name} refused (${measured.result.body.code}) in ${ms} ms, mapping peak ${measured.peakRssMiB} MiB (${measured.rssBeforeMiB} before)`,
    );
    return { code: measured.result.body.code, ms, peakRssMiB: measured.peakRssMiB };
  };
  // The two refusals first, each from the idle service, then the import.
  const bomb = zipBombXlsx(64);
  const bombOutcome = await refuse(
    'bomb.xlsx',
    bomb,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    400,
  );
  const LONG = 3_500_000;
  const long = longCsv(LONG);
  const longOutcome = await refuse('long.csv', long, 'text/csv', 422);

  const file = bulkSkuCsv(rows);
  say(`${rows} rows, ${Math.round(file.byteLength / 1024)} KiB`);
  const started = performance.now();
  const bulk = await mappingPeak(stack, () =>
    uploadImport<Report>(API, token, 'bulk.csv', file, 'text/csv', { timeoutMs: 600_000 }),
  );
  const seconds = (performance.now() - started) / 1000;
  const answer = bulk.result;
  if (answer.status !== 200 || answer.body.created !== rows) {
    throw new Error(`import: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  say(`applied in ${round(seconds, 2)} s, mapping peak RSS ${bulk.peakRssMiB} MiB`);
  return {
    rows,
    fileBytes: file.byteLength,
    seconds: round(seconds, 2),
    rowsPerSecond: Math.round(rows / seconds),
    peakRssMiB: bulk.peakRssMiB,
    rssBeforeMiB: bulk.rssBeforeMiB,
    zipBomb: { fileBytes: bomb.byteLength, unpackedMiB: 64, ...bombOutcome },
    longCsv: { rows: LONG, fileBytes: long.byteLength, ...longOutcome },
  };
}

export interface ListingsResult {
  items: number;
  rps: number;
  calls: number;
  lowerBoundCalls: number;
  spanSeconds: number;
  lowerBoundSeconds: number;
  ratio: number;
  runSeconds: number;
  mappingPeakRssMiB: number;
}

interface SimCall {
  atMs: number;
  status: number;
}

export async function listingsImport(
  stack: BenchStack,
  items: number,
  rps: number,
): Promise<ListingsResult> {
  const simShopId = '9801';
  const secret = 'SPbenchlistings';
  const licence = 'SLbenchlistingskey0042';
  await ok(
    'sim shop',
    http('POST', `${SIM}/__sim/shops`, {
      shopId: simShopId,
      serviceSecret: secret,
      licenseKey: licence,
      rateLimits: { item: rps },
    }),
  );
  await ok(
    'catalog',
    http('POST', `${SIM}/__sim/shops/${simShopId}/catalog/generate`, { count: items }),
  );
  const token = await newTenant(stack, 'bench-listings');
  const measured = await mappingPeak(stack, async () => {
    // Registering the shop starts its listings import (trigger `connect`).
    const registered = await ok(
      'register',
      http<{ shop: { id: string } }>(
        'POST',
        `${API}/shops/rakuten`,
        {
          shopId: 'benchlistings',
          shopUrl: 'https://www.rakuten.ne.jp/benchlistings',
          serviceSecret: secret,
          licenseKey: licence,
          options: { autoOrderSync: false, autoFulfillmentDispatch: false },
        },
        token,
      ),
    );
    const shopId = registered.shop.id;
    const deadline = Date.now() + 30 * 60_000;
    for (;;) {
      const view = await http<{
        state: string;
        items: number;
        startedAt: string;
        finishedAt: string;
      }>('GET', `${API}/shops/${shopId}/listings/import`, undefined, token);
      if (view.status === 200 && view.body.state === 'finished') return view.body;
      if (view.status === 200 && view.body.state === 'failed') {
        throw new Error(`listings import failed: ${JSON.stringify(view.body)}`);
      }
      if (Date.now() > deadline) throw new Error('listings import did not finish in 30 min');
      await sleep(500);
    }
  });
  const view = measured.result;
  const calls = await ok(
    'calls',
    http<SimCall[]>('GET', `${SIM}/__sim/calls?shopId=${simShopId}&function=itemSearch`),
  );
  const lowerBoundCalls = Math.ceil(items / 100);
  const spanMs = calls[calls.length - 1].atMs - calls[0].atMs;
  const lowerBoundMs = ((lowerBoundCalls - 1) / rps) * 1000;
  return {
    items: view.items,
    rps,
    calls: calls.length,
    lowerBoundCalls,
    spanSeconds: round(spanMs / 1000, 1),
    lowerBoundSeconds: round(lowerBoundMs / 1000, 1),
    ratio: round(spanMs / lowerBoundMs, 3),
    runSeconds: round((Date.parse(view.finishedAt) - Date.parse(view.startedAt)) / 1000, 1),
    mappingPeakRssMiB: measured.peakRssMiB,
  };
}
