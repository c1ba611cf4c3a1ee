/**
 * The demo story `npm start` runs once everything is ready (skip it with `--no-demo` or DEMO=0).
 * Everything goes through public HTTP APIs: the simulator's admin API (/__sim) and its RMS API,
 * and the gateway with the operator token and a tenant token.
 *
 *  1. Simulator: a demo shop with keys, a catalog (single items, SKU-migrated items with variants,
 *     a pre-migration item with 横軸/縦軸 codes, a set), a few hundred orders in mixed states.
 *  2. Gateway: a tenant, the shop registered with every option on, SKUs imported from an .xlsx
 *     generated here (one catalog item left without a SKU), stock for every SKU.
 *  3. Pull, wait until the orders are mapped and sent to the warehouse; the buyer cancels one.
 *  4. A simulated warehouse confirms every ready fulfillment order.
 *  5. Wait until the simulator holds the tracking numbers and the stock values.
 *  6. Notifications: the tenant's owner gets alerts by e-mail (in Korean); a second shop is
 *     registered with a licence key that expires in 10 days, and the demo waits for the alert
 *     in the console's list and, under `npm start`, for the e-mail at the local mail catcher.
 *  7. A summary.
 *
 * Each run makes its own tenant, shop connection and simulator shop (run suffix), so restarting
 * `npm start` on the same database works; the simulator is in memory and starts empty anyway.
 */
import ExcelJS from 'exceljs';

import { ALERT_KINDS } from './alert-kinds.ts';

export interface DemoOptions {
  gateway: string; // e.g. http://127.0.0.1:3000/api/v1
  simulator: string; // e.g. http://127.0.0.1:3200
  operatorToken: string;
  log?: (line: string) => void;
  /** Waits for an e-mail to `to` whose text contains `text`, at the local mail catcher (npm start passes one). */
  waitForMail?: (
    to: string,
    text: string,
    timeoutMs: number,
  ) => Promise<{ subject: string; file: string } | undefined>;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

class DemoError extends Error {}

/** What the demo did, for whoever runs it (the full-path system test asserts on it). */
export interface DemoResult {
  tenantId: string;
  /** The tenant's API token (shown in the summary's curl lines anyway). */
  token: string;
  /** The platform's shop connection id. */
  shopId: string;
  /** The simulator's shop number (part of every order number). */
  simShop: string;
  /** Orders the first pull stored as new. */
  pulledNew: number;
  /** Orders mapped to SKUs, and those held for mapping. */
  mapped: number;
  needsMapping: string[];
  /** The order the buyer cancelled after it reached the warehouse, and whether fulfillment saw it. */
  canceledOrder: string | null;
  cancelSeen: boolean;
  /** Every shipment the simulated warehouse confirmed: tracking numbers per fulfillment order. */
  shipments: { fulfillmentOrderId: string; orderNumber: string; trackingNumbers: string[] }[];
  /** Confirmations the gateway refused (should be none). */
  shipErrors: string[];
  /** true when the simulator held every tracking number and stable stock values in time. */
  reportedInTime: boolean;
  /** The second shop, whose licence key expires in 10 days, and what the owner was told. */
  expiringShopId: string;
  licenceAlert: {
    /** The alert is in the console's notification list. */
    listed: boolean;
    /** The e-mail the local catcher received (only when `waitForMail` was given). */
    email: { to: string; subject: string; file: string } | null;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(
  method: string,
  url: string,
  options: {
    body?: unknown;
    token?: string;
    form?: FormData;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: RequestInit['body'];
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  let response = await fetch(url, { method, headers, body });
  // The gateway limits each tenant's API use (429 with Retry-After): wait as asked and send again,
  // as any client of the API should. Forms are not re-sent (their body stream is spent).
  for (let attempt = 0; response.status === 429 && !options.form && attempt < 20; attempt += 1) {
    const seconds = Number(response.headers.get('retry-after')) || 1;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 30) * 1000));
    response = await fetch(url, { method, headers, body });
  }
  const text = await response.text();
  let parsed: Json = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed };
}

/** A call that must answer 2xx. */
async function must(
  method: string,
  url: string,
  options: Parameters<typeof call>[2] = {},
): Promise<Json> {
  const answer = await call(method, url, options);
  if (answer.status < 200 || answer.status >= 300) {
    throw new DemoError(
      `${method} ${url} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`,
    );
  }
  return answer.body;
}

/** Polls `probe` until it returns a value other than undefined, or the time is up (→ undefined). */
async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 1000,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() + intervalMs > deadline) return undefined;
    await sleep(intervalMs);
  }
}

/** `yyyy-MM-ddTHH:mm:ss+0900`, as RMS searchOrder wants it. */
function rmsDateTime(ms: number): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19)}+0900`;
}

const todayJst = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// The demo shop's catalog, in the simulator and as SKUs

const SIZES = ['S', 'M', 'L'];
const COLORS: [string, string][] = [
  ['bk', 'ブラック'],
  ['wh', 'ホワイト'],
];

/** The simulator catalog. `demo-rice` is added after the orders were generated (see below). */
function simCatalog(withRice: boolean): Json[] {
  const items: Json[] = [
    {
      // SKU-migrated, variants with システム連携用SKU番号 (one without: linked by variantId).
      manageNumber: 'demo-tee',
      title: '【デモ】オーガニックコットン Tシャツ',
      kind: 'variants',
      price: 2980,
      variants: SIZES.flatMap((size) =>
        COLORS.map(([code, color]) => ({
          variantId: `demo-tee-${size.toLowerCase()}-${code}`,
          merchantDefinedSkuId:
            size === 'L' && code === 'wh' ? null : `DTEE-${size}-${code.toUpperCase()}`,
          selectorValues: { サイズ: size, カラー: color },
        })),
      ),
      freeOptions: ['ラッピング:希望しない', 'ラッピング:希望する'],
    },
    {
      manageNumber: 'demo-mug',
      title: '【デモ】有田焼 マグカップ 300ml',
      kind: 'single',
      price: 1650,
      variants: [{ variantId: 'demo-mug', merchantDefinedSkuId: 'DMUG' }],
    },
    {
      // Pre-migration: 商品番号 + 横軸 + 縦軸 child codes.
      manageNumber: 'demo-towel',
      title: '【デモ】今治タオル（旧・項目選択肢別在庫）',
      kind: 'legacy',
      price: 1320,
      horizontal: {
        name: 'カラー',
        choices: [
          { code: 'w', label: 'ホワイト' },
          { code: 'b', label: 'ブルー' },
        ],
      },
      vertical: {
        name: 'サイズ',
        choices: [
          { code: 'f', label: 'フェイス' },
          { code: 'b', label: 'バス' },
        ],
      },
    },
    {
      // A set: one Rakuten item, a bundle SKU of two mugs and a face towel in the warehouse.
      manageNumber: 'demo-giftset',
      title: '【デモ】ギフトセット マグ2個＋フェイスタオル',
      kind: 'single',
      price: 4800,
    },
  ];
  if (withRice) {
    items.push({
      manageNumber: 'demo-rice',
      title: '【デモ】新米 コシヒカリ 5kg',
      kind: 'single',
      price: 3480,
      taxRate: 0.08,
    });
  }
  return items;
}

/** The seller's SKU file: every catalog item but demo-rice. */
function skuRows(): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const size of SIZES) {
    for (const [code, color] of COLORS) {
      const option = `DTEE-${size}-${code.toUpperCase()}`;
      const linkedByVariant = size === 'L' && code === 'wh';
      rows.push({
        sku_code: 'DTEE',
        sku_name: 'オーガニックコットン Tシャツ',
        option_code: option,
        option_name: `${size} / ${color}`,
        ...(linkedByVariant
          ? { variant_id: `demo-tee-${size.toLowerCase()}-${code}` }
          : { option_seller_code: option }),
        option_barcode: `49000000${String(rows.length + 10).padStart(5, '0')}`,
      });
    }
  }
  rows.push({
    sku_code: 'DMUG',
    sku_name: '有田焼 マグカップ 300ml',
    seller_code: 'demo-mug',
    barcode: '4900000000017',
  });
  for (const [h, color] of [
    ['w', 'ホワイト'],
    ['b', 'ブルー'],
  ]) {
    for (const [v, size] of [
      ['f', 'フェイス'],
      ['b', 'バス'],
    ]) {
      rows.push({
        sku_code: 'DTOWEL',
        sku_name: '今治タオル',
        option_code: `DTOWEL-${h.toUpperCase()}${v.toUpperCase()}`,
        option_name: `${color} / ${size}`,
        option_seller_code: `demo-towel${h}${v}`,
      });
    }
  }
  rows.push({
    sku_code: 'DGIFT',
    sku_name: 'ギフトセット マグ2個＋フェイスタオル',
    seller_code: 'demo-giftset',
    components: 'DMUG*2;DTOWEL-WF*1',
  });
  return rows;
}

/** Codes that hold stock: singles and options (a bundle holds none). */
function stockCodes(rows: Record<string, string>[]): string[] {
  return rows.filter((r) => !r.components).map((r) => r.option_code || r.sku_code);
}

async function skuWorkbook(columns: string[], rows: Record<string, string>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('SKUs');
  sheet.addRow(columns);
  for (const row of rows) sheet.addRow(columns.map((column) => row[column] ?? null));
  // Barcodes as text, as the template asks.
  for (const column of ['barcode', 'option_barcode']) {
    const index = columns.indexOf(column);
    if (index >= 0) sheet.getColumn(index + 1).numFmt = '@';
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const api = options.gateway.replace(/\/$/, '');
  const sim = options.simulator.replace(/\/$/, '');
  const op = options.operatorToken;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const run = Date.now().toString(36);
  // The simulator's shop number is part of every order number (3–10 digits); the shop ID the
  // seller registers (as in the shop URL) is a name.
  const simShop = String(Date.now()).slice(-8);
  const shopName = `demo-${run}`;
  const secret = `SPdemo${run}secret`;
  const licence = `SLdemo${run}licence`;
  const esa = `ESA ${Buffer.from(`${secret}:${licence}`).toString('base64')}`;

  log(`\n▶ demo (run ${run}): a Rakuten shop's day, through the public APIs`);

  // 1. The simulator ---------------------------------------------------------------------------
  await must('POST', `${sim}/__sim/shops`, {
    body: { shopId: simShop, serviceSecret: secret, licenseKey: licence },
  });
  await must('PUT', `${sim}/__sim/shops/${simShop}/catalog`, {
    body: { items: simCatalog(false) },
  });
  const generated = await must('POST', `${sim}/__sim/shops/${simShop}/orders/generate`, {
    body: {
      count: 300,
      seed: 2026,
      // Inside ingestion's look-back (POLL_LOOKBACK_DAYS, 30): an order at the window's very edge
      // would stay in the simulator unpulled.
      from: new Date(Date.now() - 28 * 86_400_000).toISOString(),
      progress: { '300': 16, '100': 2, '500': 1, '900': 1 },
      maxPackages: 2,
    },
  });
  // The one item the seller has not set up yet, and one order for it.
  await must('PUT', `${sim}/__sim/shops/${simShop}/catalog`, { body: { items: simCatalog(true) } });
  const riceOrder = await must('POST', `${sim}/__sim/shops/${simShop}/orders`, {
    body: { lines: [{ manageNumber: 'demo-rice', units: 2 }], progress: 300 },
  });
  const riceOrderNumber: string = riceOrder.orderNumber;
  log(
    `  ✔ simulator shop ${simShop}: 5 catalog items, ${generated.generated + 1} orders (${elapsed()})`,
  );

  // 2. The tenant, the shop, the SKUs, the stock -------------------------------------------------
  const created = await must('POST', `${api}/tenants`, {
    token: op,
    body: { name: `Demo seller ${run}` },
  });
  const token: string = created.token.token;
  const tenantId: string = created.tenant.id;
  const registered = await must('POST', `${api}/shops/rakuten`, {
    token,
    body: {
      shopId: shopName,
      shopUrl: `https://www.rakuten.ne.jp/${shopName}`,
      serviceSecret: secret,
      licenseKey: licence,
      options: { autoOrderSync: true, autoOrderConfirm: true, autoFulfillmentDispatch: true },
    },
  });
  const shopId: string = registered.shop.id;
  log(
    `  ✔ tenant ${tenantId}, shop connection ${shopId} (connection test: ${registered.connectionTest?.code ?? '?'})`,
  );

  // Who is told when something needs a person: the owner, by e-mail, in Korean.
  const owner = `owner-${run}@demo-seller.example`;
  await must('PUT', `${api}/notification-settings`, { token, body: { language: 'ko' } });
  await must('POST', `${api}/notification-recipients`, {
    token,
    body: { email: owner, kinds: ALERT_KINDS },
  });
  // A second shop whose licence key (90 days at Rakuten) runs out in 10 days.
  const simShop2 = String(Number(simShop) + 1).slice(-8);
  const simNow = Date.parse(((await must('GET', `${sim}/__sim/clock`)) as { now: string }).now);
  await must('POST', `${sim}/__sim/shops`, {
    body: {
      shopId: simShop2,
      serviceSecret: `${secret}2`,
      licenseKey: `${licence}2`,
      expiresAt: new Date(simNow + 10 * 86_400_000).toISOString(),
    },
  });
  const expiring = await must('POST', `${api}/shops/rakuten`, {
    token,
    body: {
      shopId: `${shopName}-2`,
      shopUrl: `https://www.rakuten.ne.jp/${shopName}-2`,
      serviceSecret: `${secret}2`,
      licenseKey: `${licence}2`,
      options: { autoOrderSync: false, autoOrderConfirm: false, autoFulfillmentDispatch: false },
    },
  });
  const expiringShopId: string = expiring.shop.id;
  log(
    `  ✔ notifications to ${owner} (ko); second shop ${expiringShopId} with a licence key that expires in 10 days`,
  );

  // Columns in the template's order, from the template itself.
  const template = await fetch(`${api}/skus/import/template?format=csv`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const header = (await template.text()).replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  const columns = header.split(',').map((c) => c.replace(/^"|"$/g, '').trim());
  const rows = skuRows();
  const xlsx = await skuWorkbook(columns, rows);
  const form = new FormData();
  form.append(
    'file',
    new Blob([new Uint8Array(xlsx)], {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    }),
    'demo-skus.xlsx',
  );
  const imported = await must('POST', `${api}/skus/import`, { token, form });
  const codes = stockCodes(rows);
  for (const code of codes) {
    await must('PUT', `${api}/inventory/${encodeURIComponent(code)}`, {
      token,
      body: { onHand: 500, note: 'demo: first count' },
    });
  }
  if (!imported.applied) {
    throw new DemoError(`the SKU import was rejected: ${JSON.stringify(imported.problems)}`);
  }
  log(
    `  ✔ imported demo-skus.xlsx: ${imported.rows} rows, ${imported.created} SKUs created (one a bundle), stock 500 for ${codes.length} SKU codes (${elapsed()})`,
  );

  // 3. Pull ------------------------------------------------------------------------------------
  // Ingestion learns the shop from shop.updated; until then the pull answers 404. A scheduled
  // poll (autoOrderSync) may be running at the same moment (409).
  const pull = await waitFor(
    async () => {
      const answer = await call('POST', `${api}/shops/${shopId}/pull`, { token });
      return answer.status === 200 ? answer.body : undefined;
    },
    60_000,
    1000,
  );
  if (!pull) throw new DemoError('the pull did not answer 200 within 60 s');
  log(
    `  ✔ pull: searched ${pull.searched}, new ${pull.new}, already known ${pull.alreadyKnown}, confirmed ${pull.confirmed}, failed ${pull.failed} (${elapsed()})`,
  );

  const listAll = async (path: string): Promise<Json[]> => {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page = await must(
        'GET',
        `${api}${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token },
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  const mappingOrders = async (status: 'mapped' | 'needs_mapping'): Promise<Json[]> => {
    const items: Json[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await must(
        'GET',
        `${api}/orders?status=${status}&shopId=${shopId}&limit=500&offset=${offset}`,
        { token },
      );
      const list: Json[] = Array.isArray(page) ? page : (page.items ?? []);
      items.push(...list);
      if (list.length < 500) return items;
    }
  };
  const foByStatus = async (): Promise<Record<string, Json[]>> => {
    const all = await listAll(`/fulfillment-orders?shopId=${shopId}`);
    const groups: Record<string, Json[]> = {};
    for (const fo of all) (groups[fo.status] ??= []).push(fo);
    return groups;
  };

  // Every pulled order is either mapped or held, and every mapped one has its fulfillment orders.
  let last = '';
  const settled = await waitFor(
    async () => {
      const [mapped, held, fos] = await Promise.all([
        mappingOrders('mapped'),
        mappingOrders('needs_mapping'),
        foByStatus(),
      ]);
      const foOrders = new Set(
        Object.values(fos)
          .flat()
          .map((fo: Json) => fo.orderNumber),
      );
      const state = `${mapped.length}/${held.length}/${foOrders.size}`;
      const done =
        mapped.length + held.length >= pull.new && foOrders.size >= mapped.length && state === last;
      last = state;
      return done ? { mapped, held, fos } : undefined;
    },
    90_000,
    1500,
  );
  if (!settled) throw new DemoError(`orders not mapped and dispatched within 90 s (${last})`);
  const readyBefore = settled.fos.ready ?? [];
  log(
    `  ✔ mapped ${settled.mapped.length}, needs mapping ${settled.held.length}, fulfillment orders ready ${readyBefore.length} (${elapsed()})`,
  );

  // The buyer cancels one order that is already at the warehouse; the next pull notices.
  let canceledOrder: string | null = null;
  let cancelSeen = false;
  if (readyBefore.length > 1) {
    canceledOrder = readyBefore[readyBefore.length - 1].orderNumber as string;
    await must('POST', `${sim}/__sim/orders/${canceledOrder}/state`, { body: { progress: 900 } });
    const second = await waitFor(
      async () => {
        const answer = await call('POST', `${api}/shops/${shopId}/pull`, { token });
        return answer.status === 200 ? answer.body : undefined;
      },
      30_000,
      1000,
    );
    cancelSeen =
      (await waitFor(
        async () => {
          const page = await must(
            'GET',
            `${api}/fulfillment-orders?shopId=${shopId}&orderNumber=${canceledOrder}`,
            { token },
          );
          return page.items.length > 0 && page.items.every((fo: Json) => fo.status === 'canceled')
            ? true
            : undefined;
        },
        20_000,
        1000,
      )) ?? false;
    log(
      `  ✔ buyer cancelled ${canceledOrder} on Rakuten; second pull: canceled ${second?.canceled ?? '?'}; fulfillment order ${cancelSeen ? 'canceled' : 'NOT canceled yet'} (${elapsed()})`,
    );
  }

  // 4. The warehouse ships ---------------------------------------------------------------------
  const ready = (await listAll(`/fulfillment-orders?shopId=${shopId}&status=ready`)).filter(
    (fo) => fo.orderNumber !== canceledOrder,
  );
  const shippingDate = todayJst();
  const runDigits = String(Date.now()).slice(-6);
  let shipped = 0;
  let parcels = 0;
  const shipErrors: string[] = [];
  const shipments: DemoResult['shipments'] = [];
  for (let i = 0; i < ready.length; i += 8) {
    await Promise.all(
      ready.slice(i, i + 8).map(async (fo: Json, j: number) => {
        const n = i + j;
        const trackingNumbers = [`${runDigits}${String(n).padStart(6, '0')}`];
        if (n % 10 === 0) trackingNumbers.push(`${runDigits}${String(n).padStart(6, '0')}9`);
        const answer = await call('POST', `${api}/fulfillment-orders/${fo.id}/ship`, {
          token,
          body: { carrierCode: '1001', trackingNumbers, shippingDate },
        });
        if (answer.status === 200) {
          shipped++;
          parcels += trackingNumbers.length;
          shipments.push({
            fulfillmentOrderId: fo.id,
            orderNumber: fo.orderNumber,
            trackingNumbers,
          });
        } else
          shipErrors.push(
            `${fo.orderNumber}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
          );
      }),
    );
  }
  log(
    `  ✔ warehouse confirmed ${shipped} of ${ready.length} fulfillment orders (${parcels} parcels, ヤマト運輸, ${shippingDate})${shipErrors.length ? `; ${shipErrors.length} refused, e.g. ${shipErrors[0]}` : ''} (${elapsed()})`,
  );

  // 5. Back to Rakuten -------------------------------------------------------------------------
  const expectedStockRows = 7; // the tee's 6 variants and the mug (post-migration listings seen)
  let reports: Json[] = [];
  let stock: Json[] = [];
  let lastStock = '';
  const reported = await waitFor(
    async () => {
      reports = await must('GET', `${sim}/__sim/shops/${simShop}/shipping-reports`);
      stock = await must('GET', `${sim}/__sim/shops/${simShop}/stock`);
      const numbers = new Set(
        reports
          .filter((r) => r.action !== 'deleted' && r.shippingNumber)
          .map((r) => r.shippingNumber),
      );
      // Stock values still move while shipments are booked: wait until two reads agree.
      const stockNow = JSON.stringify(stock.map((row) => [row.variantId, row.quantity]));
      const stable = stockNow === lastStock;
      lastStock = stockNow;
      return numbers.size >= parcels && stock.length >= expectedStockRows && stable
        ? true
        : undefined;
    },
    90_000,
    2000,
  );
  log(
    `  ${reported ? '✔' : '✖'} simulator holds ${new Set(reports.filter((r) => r.shippingNumber).map((r) => r.shippingNumber)).size} of ${parcels} tracking numbers and ${stock.length} stock rows${reported ? '' : ' (gave up waiting after 90 s)'} (${elapsed()})`,
  );

  // 6. Summary ---------------------------------------------------------------------------------
  const simStates: Record<string, number> = {};
  for (const progress of [100, 200, 300, 400, 500, 600, 700, 800, 900]) {
    const answer = await call('POST', `${sim}/es/2.0/order/searchOrder/`, {
      headers: { authorization: esa, 'content-type': 'application/json; charset=utf-8' },
      body: {
        dateType: 1,
        startDatetime: rmsDateTime(Date.now() - 62 * 86_400_000),
        endDatetime: rmsDateTime(Date.now() + 60_000),
        orderProgressList: [progress],
        PaginationRequestModel: { requestRecordsAmount: 1, requestPage: 1 },
      },
    });
    const total = answer.body?.PaginationResponseModel?.totalRecordsAmount ?? 0;
    if (total) simStates[progress] = total;
  }
  const [mapped, held, fos] = await Promise.all([
    mappingOrders('mapped'),
    mappingOrders('needs_mapping'),
    foByStatus(),
  ]);
  const attention =
    (await call('GET', `${api}/fulfillment-orders?shopId=${shopId}&needsAttention=true`, { token }))
      .body?.items ?? [];
  const stockRows = stock.filter((row) => !row.orphan);
  const stockSample = stockRows
    .slice(0, 8)
    .map((row) => `${row.variantId}=${row.quantity}`)
    .join(', ');
  const shippedFo = (fos.shipped ?? [])[0];
  const exampleOrder = shippedFo?.orderNumber ?? mapped[0]?.orderNumber ?? riceOrderNumber;

  // The licence monitor (credentials) warns 14 days ahead; notifications lists and mails it.
  const listed = await waitFor(
    async () => {
      const page = await must('GET', `${api}/notifications?limit=50`, { token });
      const found = (page.items as Json[]).find(
        (n) => n.kind === 'license_expiring' && n.shopId === expiringShopId,
      );
      return found ?? undefined;
    },
    90_000,
    1000,
  );
  const mail =
    listed && options.waitForMail
      ? await options.waitForMail(owner, `/shops/${expiringShopId}`, 60_000)
      : undefined;
  const licenceAlert = {
    listed: listed !== undefined,
    email: mail ? { to: owner, subject: mail.subject, file: mail.file } : null,
  };
  log(
    `  ${listed ? '✔' : '✖'} licence alert for the second shop ${listed ? 'in the notification list' : 'not seen within 90 s'}${mail ? `, e-mailed to ${owner}` : ''} (${elapsed()})`,
  );

  const table: [string, string][] = [
    [
      'Orders in the simulator, by 受注ステータス',
      Object.entries(simStates)
        .map(([state, n]) => `${state}: ${n}`)
        .join(', '),
    ],
    ['Pulled (発送待ち 300 orders)', `${pull.new} new of ${pull.searched} searched`],
    ['Confirmed on Rakuten by the pull (100 → 200)', `${pull.confirmed}`],
    ['Mapped to SKUs', `${mapped.length}`],
    ['Needing mapping (GET /orders?status=needs_mapping)', `${held.length}`],
    [
      'Fulfillment orders, by status',
      Object.entries(fos)
        .map(([status, list]) => `${status}: ${list.length}`)
        .join(', ') || 'none',
    ],
    [
      'Shipments reported to Rakuten',
      `${new Set(reports.filter((r) => r.action !== 'deleted' && r.shippingNumber).map((r) => r.orderNumber)).size} orders, ${new Set(reports.filter((r) => r.shippingNumber).map((r) => r.shippingNumber)).size} tracking numbers`,
    ],
    [
      'Stock values pushed to Rakuten',
      `${stockRows.length} rows (${stockSample}${stockRows.length > 8 ? ', …' : ''})`,
    ],
    [
      'Notifications (GET /notifications)',
      licenceAlert.listed
        ? `licence key of ${shopName}-2 expires in 10 days: "${listed?.title ?? ''}"`
        : 'the licence alert did not arrive (check the notifications log)',
    ],
    [
      'E-mail sent',
      licenceAlert.email
        ? `to ${licenceAlert.email.to}: "${licenceAlert.email.subject}" (${licenceAlert.email.file})`
        : options.waitForMail
          ? 'none arrived at the mail catcher (check the notifications log)'
          : 'no mail catcher in this run',
    ],
  ];
  const width = Math.max(...table.map(([k]) => k.length));
  log(`\n  ── Demo summary (run ${run}, ${elapsed()}) ${'─'.repeat(40)}`);
  log(
    `  Tenant ${tenantId}, shop connection ${shopId} (Rakuten shop ${shopName}, simulator shop ${simShop})`,
  );
  for (const [key, value] of table) log(`  ${key.padEnd(width)}  ${value}`);
  log('\n  What needs attention:');
  for (const order of held) {
    for (const line of order.unmappedLines ?? []) {
      log(
        `   • ${order.orderNumber}: line "${line.itemName}" (商品番号 ${line.itemNumber}) is not mapped: ${line.reason}` +
          (line.candidates?.length
            ? `; candidates ${line.candidates.map((c: Json) => c.skuCode).join(', ')}`
            : '; no candidate') +
          ' → add a SKU with seller_code demo-rice, or POST /orders/:orderNumber/lines/:itemDetailId/link',
      );
    }
  }
  if (canceledOrder) {
    log(
      `   • ${canceledOrder}: cancelled by the buyer on Rakuten after it reached the warehouse; fulfillment order ${cancelSeen ? 'canceled, stock released' : 'not canceled yet (check it)'}`,
    );
  }
  if (pull.confirmed > 0) {
    log(
      `   • ${pull.confirmed} new order(s) (100) confirmed on Rakuten by the pull (autoOrderConfirm); they reach 発送待ち after the simulator's processing delay (5 min) and arrive with the next scheduled pull`,
    );
  }
  for (const fo of attention) log(`   • ${fo.orderNumber}: ${fo.attentionReason}`);
  for (const [status, list] of Object.entries(fos)) {
    if (['awaiting_shop', 'awaiting_release', 'awaiting_stock'].includes(status)) {
      log(`   • ${list.length} fulfillment order(s) ${status}`);
    }
  }
  if (shipErrors.length) log(`   • ${shipErrors.length} shipment confirmation(s) refused`);
  log('\n  One order’s timeline (Rakuten → mapping → warehouse → Rakuten):');
  log(
    `    curl -s -H 'Authorization: Bearer ${token}' http://127.0.0.1:3000/api/v1/orders/${exampleOrder}`,
  );
  log(`  The unmapped queue:`);
  log(
    `    curl -s -H 'Authorization: Bearer ${token}' 'http://127.0.0.1:3000/api/v1/orders?status=needs_mapping'`,
  );
  return {
    tenantId,
    token,
    shopId,
    simShop,
    pulledNew: pull.new,
    mapped: mapped.length,
    needsMapping: held.map((order: Json) => order.orderNumber as string),
    canceledOrder,
    cancelSeen,
    shipments,
    shipErrors,
    reportedInTime: reported === true,
    expiringShopId,
    licenceAlert,
  };
}
