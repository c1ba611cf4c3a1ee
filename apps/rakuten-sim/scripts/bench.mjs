// Load test for the simulator (README, Performance). Starts nothing: point it at a running
// simulator. Uses node:http with keep-alive (lighter than fetch, so the load generator steals
// less CPU from the server on a small machine).
//
//   node apps/rakuten-sim/scripts/bench.mjs [baseUrl] [seconds] [concurrency]
import http from 'node:http';

const base = new URL(process.argv[2] ?? 'http://127.0.0.1:3200');
const seconds = Number(process.argv[3] ?? 10);
const concurrency = Number(process.argv[4] ?? 32);
const shopId = String(900000 + Math.floor(Math.random() * 99999));
const secret = `SP${shopId}_bench`;
const key = `SL${shopId}_bench`;
const auth = `ESA ${Buffer.from(`${secret}:${key}`).toString('base64')}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function call(method, path, body, headers = {}) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: {
          ...headers,
          ...(payload
            ? {
                'Content-Type': 'application/json; charset=utf-8',
                'Content-Length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    // Count transport errors (e.g. a keep-alive socket closed by the server) instead of dying.
    req.on('error', (error) => resolve({ status: 0, text: String(error.code ?? error) }));
    req.end(payload);
  });
}

function jst(ms) {
  const d = new Date(ms + 9 * 3600_000);
  return `${d.toISOString().slice(0, 19)}+0900`;
}

await call('POST', '/__sim/settings', undefined).catch(() => undefined);
await call('PUT', '/__sim/settings', { callLogBodies: false, callLogLimit: 10_000 });
let created = await call('POST', '/__sim/shops', {
  shopId,
  serviceSecret: secret,
  licenseKey: key,
});
if (created.status !== 201) throw new Error(`create shop: ${created.status} ${created.text}`);
const generated = JSON.parse(
  (await call('POST', `/__sim/shops/${shopId}/orders/generate`, { count: 100_000, seed: 42 })).text,
);
console.log(`generate 100,000 orders: ${generated.ms} ms (server-side)`);

const now = Date.now();
const search = {
  dateType: 1,
  startDatetime: jst(now - 20 * 86400_000),
  endDatetime: jst(now),
  PaginationRequestModel: { requestRecordsAmount: 100, requestPage: 3 },
};
const firstPage = JSON.parse(
  (await call('POST', '/es/2.0/order/searchOrder/', search, { Authorization: auth })).text,
);
const numbers = firstPage.orderNumberList;

const scenarios = {
  'getOrder (1 order, v10)': () =>
    call(
      'POST',
      '/es/2.0/order/getOrder/',
      { orderNumberList: [numbers[Math.floor(Math.random() * numbers.length)]], version: 10 },
      { Authorization: auth },
    ),
  'searchOrder (20-day window of ~66,000 orders, page of 100)': () =>
    call('POST', '/es/2.0/order/searchOrder/', search, { Authorization: auth }),
  // For comparison: a trivial route served by a Nest controller (router, pipes, pino-http).
  'Nest controller, trivial (GET /__sim/clock)': () => call('GET', '/__sim/clock'),
  'inventories bulk-get (10 keys)': () =>
    call(
      'POST',
      '/es/2.0/inventories/bulk-get',
      {
        inventories: Array.from({ length: 10 }, (_, i) => ({
          manageNumber: 'tee-001',
          variantId: `v${i}`,
        })),
      },
      { Authorization: auth },
    ),
};

for (const [name, fire] of Object.entries(scenarios)) {
  let done = 0;
  let failed = 0;
  let transport = 0;
  const latencies = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        const res = await fire();
        latencies.push(performance.now() - t);
        if (res.status === 0) transport++;
        else if (res.status !== 200) failed++;
        done++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const p = (q) => latencies[Math.floor(latencies.length * q)].toFixed(1);
  console.log(
    `${name}: ${(done / seconds).toFixed(0)} req/s, ${failed} non-200, ${transport} transport errors, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms (concurrency ${concurrency}, ${seconds} s)`,
  );
}
agent.destroy();
