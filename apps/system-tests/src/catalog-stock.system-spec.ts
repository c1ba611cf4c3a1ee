import 'reflect-metadata';

import { readFileSync } from 'node:fs';

import { SecretBox } from '@smartship/crypto';
import {
  bulkSkuCsv,
  expectEventually,
  longCsv,
  ServiceProcess,
  SIM_CATALOG,
  testInfrastructure,
  testKafka,
  TopicCollector,
  uniqueSuffix,
  uploadImport,
  zipBombXlsx,
} from '@smartship/testing';
import iconv from 'iconv-lite';

/**
 * The seller's catalog and Rakuten stock, all services as processes: a listing no order ever
 * mentioned is found by the listings import, linked by its seller code and gets its stock (less
 * the shop's safety stock); a quantity changed in RMS behind our back is found by the drift check
 * and repaired; a Shift_JIS CSV with Japanese titles imports what the UTF-8 English one does; a
 * zip bomb and an over-long CSV are refused while orders keep being mapped, the mapping service
 * staying within 768 MiB (the 256 MiB is not met yet).
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'c'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('cs1');
const SIM = 'http://127.0.0.1:30120';
const API = 'http://127.0.0.1:30100/api/v1';
/** The shop whose listings are imported (no order, ever). */
const SIM_SHOP = '6001';
/** The shop whose orders are pulled and mapped during the refused imports. */
const SIM_ORDER_SHOP = '6002';
const SECRET = `SPcs${run}`;
const LICENSE = `SLcs${run}0042`;
const MIB = 1024 * 1024;

const backend = {
  NODE_ENV: 'test',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  MASTER_KEYS,
  RAKUTEN_BASE_URL: SIM,
};
const mapping = new ServiceProcess({
  app: 'mapping',
  httpPort: 30103,
  env: { ...backend, TCP_PORT: '30113', IMPORT_POLL_INTERVAL_MS: '200' },
});
const processes = [
  new ServiceProcess({ app: 'rakuten-sim', httpPort: 30120, env: { NODE_ENV: 'test' } }),
  new ServiceProcess({
    app: 'credentials',
    httpPort: 30101,
    env: { ...backend, TCP_PORT: '30111' },
  }),
  new ServiceProcess({
    app: 'ingestion',
    httpPort: 30102,
    env: {
      ...backend,
      TCP_PORT: '30112',
      RAKUTEN_ORDER_RPS: '20',
      RAKUTEN_INVENTORY_RPS: '20',
      RAKUTEN_ITEM_RPS: '20',
      POLL_INTERVAL_MS: '3600000',
      LISTINGS_IMPORT_TICK_MS: '200',
      LISTINGS_IMPORT_INTERVAL_MS: '3600000',
      STOCK_PUSH_TICK_MS: '200',
      STOCK_PUSH_COALESCE_MS: '0',
      // Only on demand: the test starts each check itself.
      STOCK_DRIFT_CHECK_INTERVAL_MS: '0',
    },
  }),
  mapping,
  new ServiceProcess({
    app: 'fulfillment',
    httpPort: 30104,
    env: { ...backend, TCP_PORT: '30114' },
  }),
];
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 30100,
  env: {
    ...backend,
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: '127.0.0.1:30111',
    INGESTION_TCP: '127.0.0.1:30112',
    MAPPING_TCP: '127.0.0.1:30113',
    FULFILLMENT_TCP: '127.0.0.1:30114',
    RATE_LIMIT_API_PER_SECOND: '0',
    RATE_LIMIT_RAKUTEN_PER_MINUTE: '0',
    RATE_LIMIT_SHOP_REGISTRATIONS_PER_DAY: '0',
  },
});

async function http<T>(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

interface ImportReport {
  applied: boolean;
  rows: number;
  created: number;
  updated: number;
  encoding: string | null;
  problemCount: number;
  problems: unknown[];
}

const importFile = (token: string, fileName: string, content: Uint8Array, type: string) =>
  uploadImport<ImportReport>(API, token, fileName, content, type);

function csv(rows: Record<string, string>[], columns: string[], header: string[]): string {
  return [header, ...rows.map((row) => columns.map((column) => row[column] ?? ''))]
    .map((cells) => cells.join(','))
    .join('\r\n')
    .concat('\r\n');
}

/** Peak resident set of a process, KiB (`VmHWM`). */
function peakRssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]);
}

async function newTenant(name: string): Promise<string> {
  const tenant = await http<{ token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `${name}-${run}` },
    OPERATOR_TOKEN,
  );
  expect(tenant.status).toBe(201);
  return tenant.body.token.token;
}

async function registerShop(
  token: string,
  name: string,
  secret: string,
  license: string,
): Promise<string> {
  const registered = await http<{ shop: { id: string }; connectionTest: { code: string } }>(
    'POST',
    `${API}/shops/rakuten`,
    {
      shopId: `${name}-${run}`,
      shopUrl: `https://www.rakuten.ne.jp/${name}-${run}`,
      serviceSecret: secret,
      licenseKey: license,
      options: { autoOrderSync: false, autoFulfillmentDispatch: true },
    },
    token,
  );
  expect(registered.status).toBe(201);
  expect(registered.body.connectionTest.code).toBe('OK');
  return registered.body.shop.id;
}

interface SimStockRow {
  manageNumber: string;
  variantId: string;
  quantity: number;
}

async function simQuantity(manageNumber: string, variantId: string): Promise<number | undefined> {
  const stock = await http<SimStockRow[]>('GET', `${SIM}/__sim/shops/${SIM_SHOP}/stock`);
  expect(stock.status).toBe(200);
  return stock.body.find((row) => row.manageNumber === manageNumber && row.variantId === variantId)
    ?.quantity;
}

const ENGLISH_COLUMNS = [
  'sku_code',
  'sku_name',
  'barcode',
  'seller_code',
  'option_code',
  'option_name',
  'option_seller_code',
  'option_barcode',
  'variant_id',
  'components',
];

/** The listing no order mentions: lamp-100 / lamp-100-wh, システム連携用SKU番号 LAMP100-WH. */
const LAMP = { manageNumber: 'lamp-100', variantId: 'lamp-100-wh', skuCode: 'LAMP-100-WH' };

let collector: TopicCollector;
let token: string;
let shopId: string;

beforeAll(async () => {
  await Promise.all(processes.map((process) => process.start()));
  await gateway.start();
  collector = await new TopicCollector(testKafka(infra.kafkaBrokers), ['order.mapped']).start();

  for (const [simShop, suffix] of [
    [SIM_SHOP, ''],
    [SIM_ORDER_SHOP, 'o'],
  ]) {
    const created = await http('POST', `${SIM}/__sim/shops`, {
      shopId: simShop,
      serviceSecret: `${SECRET}${suffix}`,
      licenseKey: `${LICENSE}${suffix}`,
    });
    expect(created.status).toBe(201);
  }
  // The listings shop: a lamp in two colours (white carries the seller's option code), a vase
  // with no システム連携用SKU番号, and a hidden item. No order is ever added to this shop.
  const catalog = await http<{ items: number }>('PUT', `${SIM}/__sim/shops/${SIM_SHOP}/catalog`, {
    items: [
      {
        manageNumber: 'lamp-100',
        title: '有田焼 テーブルランプ',
        kind: 'variants',
        variants: [
          {
            variantId: 'lamp-100-wh',
            merchantDefinedSkuId: 'LAMP100-WH',
            selectorValues: { color: '白' },
          },
          {
            variantId: 'lamp-100-bk',
            merchantDefinedSkuId: 'LAMP100-BK',
            selectorValues: { color: '黒' },
          },
        ],
      },
      { manageNumber: 'vase-200', title: '一輪挿し', kind: 'single' },
      { manageNumber: 'old-300', title: '廃番品', kind: 'single', hidden: true },
    ],
  });
  expect(catalog.status).toBe(200);
  expect(catalog.body.items).toBe(3);

  token = await newTenant('catstock');
  shopId = await registerShop(token, 'cs', SECRET, LICENSE);
}, 300_000);

afterAll(async () => {
  await collector?.stop();
  await gateway.stop();
  await Promise.all(processes.map((process) => process.stop()));
});

it('a listing never ordered is linked by its seller code and its stock is pushed', async () => {
  // The seller's SKUs, imported from their own file: the lamp with its white option only.
  const imported = await importFile(
    token,
    'lamps.csv',
    Buffer.from(
      csv(
        [
          {
            sku_code: 'LAMP-100',
            sku_name: '有田焼 テーブルランプ',
            option_code: LAMP.skuCode,
            option_name: '白',
            option_seller_code: 'LAMP100-WH',
          },
          { sku_code: 'VASE-X', sku_name: '別の花瓶', seller_code: 'vase-x' },
        ],
        ENGLISH_COLUMNS,
        ENGLISH_COLUMNS,
      ),
    ),
    'text/csv',
  );
  expect(imported.status).toBe(200);
  expect(imported.body).toMatchObject({ applied: true, rows: 2, created: 2 });

  const settings = await http<{ safetyStock: number }>(
    'PUT',
    `${API}/shops/${shopId}/stock-settings`,
    { safetyStock: 1 },
    token,
  );
  expect(settings.status).toBe(200);
  expect(settings.body.safetyStock).toBe(1);

  // Ingestion learns the shop from shop.updated; until then the import answers 404.
  const started = await expectEventually(
    async () => {
      const answer = await http<{ state: string }>(
        'POST',
        `${API}/shops/${shopId}/listings/import`,
        undefined,
        token,
      );
      expect(answer.status).toBe(202);
      return answer.body;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  expect(['queued', 'running', 'finished']).toContain(started.state);
  const finished = await expectEventually(
    async () => {
      const status = await http<{ state: string; items: number; numFound: number | null }>(
        'GET',
        `${API}/shops/${shopId}/listings/import`,
        undefined,
        token,
      );
      expect(status.body.state).toBe('finished');
      return status.body;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  expect(finished).toMatchObject({ items: 3, numFound: 3 });

  // The white lamp is suggested by its システム連携用SKU番号; the black one and the vase match
  // nothing; the hidden item is hidden.
  interface Listing {
    manageNumber: string;
    variantId: string | null;
    state: string;
    links: { skuCode: string; perUnit: number }[] | null;
    suggestion: { links: { skuCode: string; perUnit: number }[]; by: string } | null;
    source: string;
  }
  const listings = await expectEventually(
    async () => {
      const page = await http<{ items: Listing[] }>(
        'GET',
        `${API}/listings?shopId=${shopId}&limit=200`,
        undefined,
        token,
      );
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(4);
      return page.body.items;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  const byVariant = new Map(listings.map((listing) => [listing.variantId, listing]));
  expect(byVariant.get(LAMP.variantId)).toMatchObject({
    state: 'suggested',
    source: 'import',
    suggestion: { links: [{ skuCode: LAMP.skuCode, perUnit: 1 }] },
  });
  expect(byVariant.get('lamp-100-bk')?.state).toBe('unlinked');
  expect(byVariant.get('vase-200')?.state).toBe('unlinked');
  expect(byVariant.get('old-300')?.state).toBe('hidden');

  const accepted = await http<{ linked: number; stockPushed: number }>(
    'POST',
    `${API}/listings/links`,
    { links: [{ shopId, manageNumber: LAMP.manageNumber, variantId: LAMP.variantId }] },
    token,
  );
  expect(accepted.status).toBe(200);
  expect(accepted.body.linked).toBe(1);

  await expectEventually(
    async () => {
      const put = await http('PUT', `${API}/inventory/${LAMP.skuCode}`, { onHand: 7 }, token);
      expect(put.status).toBe(200);
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  // 7 on hand less the shop's safety stock of 1.
  await expectEventually(
    async () => expect(await simQuantity(LAMP.manageNumber, LAMP.variantId)).toBe(6),
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  const linked = await http<{ items: Listing[] }>(
    'GET',
    `${API}/listings?shopId=${shopId}&state=linked`,
    undefined,
    token,
  );
  expect(linked.body.items.map((listing) => listing.variantId)).toEqual([LAMP.variantId]);

  // The simulator's call log: the shop was read with items.search, and the lamp's 6 was pushed
  // with bulk-upsert; nothing was pushed for the listings left unlinked.
  const searches = await http<unknown[]>(
    'GET',
    `${SIM}/__sim/calls?shopId=${SIM_SHOP}&function=itemSearch`,
  );
  expect(searches.body.length).toBeGreaterThan(0);
  const upserts = await http<{ status: number; body: { inventories: SimStockRow[] } }[]>(
    'GET',
    `${SIM}/__sim/calls?shopId=${SIM_SHOP}&function=inventoryBulkUpsert`,
  );
  const pushed = upserts.body.flatMap((call) => call.body?.inventories ?? []);
  expect(pushed).toContainEqual(
    expect.objectContaining({
      manageNumber: LAMP.manageNumber,
      variantId: LAMP.variantId,
      quantity: 6,
    }),
  );
  expect(pushed.map((row) => row.variantId).filter((id) => id !== LAMP.variantId)).toEqual([]);
  // No order ever mentioned it.
  const simOrders = await http<unknown[]>('GET', `${SIM}/__sim/shops/${SIM_SHOP}/orders`);
  expect(simOrders.body).toEqual([]);
});

it("a value changed in the simulator's RMS behind our back is found and repaired", async () => {
  // Someone edits the lamp's stock in RMS by hand.
  const edited = await http('PUT', `${SIM}/__sim/shops/${SIM_SHOP}/stock`, {
    rows: [{ manageNumber: LAMP.manageNumber, variantId: LAMP.variantId, quantity: 2 }],
  });
  expect(edited.status).toBe(200);
  expect(await simQuantity(LAMP.manageNumber, LAMP.variantId)).toBe(2);

  interface Drift {
    manageNumber: string;
    variantId: string;
    rakutenQuantity: number | null;
    ourQuantity: number;
    repairedAt: string | null;
  }
  interface LastDrift {
    check: { trigger: string; listings: number; differences: number; error: unknown } | null;
    drifts: Drift[];
  }
  const check = await http<LastDrift>(
    'POST',
    `${API}/shops/${shopId}/stock-drift-check`,
    undefined,
    token,
  );
  expect(check.status).toBe(200);
  expect(check.body.check).toMatchObject({
    trigger: 'manual',
    listings: 1,
    differences: 1,
    error: null,
  });
  expect(check.body.drifts).toEqual([
    expect.objectContaining({
      manageNumber: LAMP.manageNumber,
      variantId: LAMP.variantId,
      rakutenQuantity: 2,
      ourQuantity: 6,
    }),
  ]);

  // Rakuten shows ours again, and the drift says it was repaired.
  await expectEventually(
    async () => expect(await simQuantity(LAMP.manageNumber, LAMP.variantId)).toBe(6),
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  await expectEventually(
    async () => {
      const last = await http<LastDrift>(
        'GET',
        `${API}/shops/${shopId}/stock-drift`,
        undefined,
        token,
      );
      expect(last.status).toBe(200);
      expect(last.body.drifts).toEqual([
        expect.objectContaining({
          manageNumber: LAMP.manageNumber,
          variantId: LAMP.variantId,
          rakutenQuantity: 2,
          ourQuantity: 6,
          repairedAt: expect.any(String),
        }),
      ]);
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
});

it('a Shift_JIS CSV with Japanese headers imports the same SKUs as the UTF-8 English one', async () => {
  const english = await newTenant('csv-en');
  const japanese = await newTenant('csv-ja');
  const rows: Record<string, string>[] = [
    { sku_code: 'KTL-010', sku_name: '南部鉄器 急須 0.5L', seller_code: 'ktl-010' },
    {
      sku_code: 'YUK-020',
      sku_name: '浴衣 髙島 紺',
      option_code: 'YUK-020-M',
      option_name: 'Ｍ／紺',
      option_seller_code: 'YUK020-M',
    },
    {
      sku_code: 'YUK-020',
      sku_name: '浴衣 髙島 紺',
      option_code: 'YUK-020-L',
      option_name: 'Ｌ／紺①',
      option_seller_code: 'YUK020-L',
      variant_id: 'yuk-020-l',
    },
    { sku_code: 'CHA-030', sku_name: '宇治抹茶 缶入り 30g', seller_code: 'cha-030' },
    {
      sku_code: 'CHA-SET',
      sku_name: 'お茶セット（急須＋抹茶２缶）',
      seller_code: 'cha-set',
      components: 'KTL-010*1;CHA-030*2',
    },
  ];

  const template = await fetch(`${API}/skus/import/template?format=csv&lang=ja`, {
    headers: { authorization: `Bearer ${japanese}` },
  });
  expect(template.status).toBe(200);
  const titles = (await template.text())
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)[0]
    .split(',');
  expect(titles).toHaveLength(ENGLISH_COLUMNS.length);
  expect(titles).toContain('システム連携用SKU番号');
  expect(titles).toContain('商品番号');

  const utf8 = await importFile(
    english,
    'skus.csv',
    Buffer.from(csv(rows, ENGLISH_COLUMNS, ENGLISH_COLUMNS), 'utf8'),
    'text/csv',
  );
  expect(utf8.status).toBe(200);
  expect(utf8.body).toMatchObject({ applied: true, rows: 5, created: 4, encoding: 'utf-8' });

  const sjis = await importFile(
    japanese,
    '商品一覧.csv',
    iconv.encode(csv(rows, ENGLISH_COLUMNS, titles), 'cp932'),
    'text/csv',
  );
  expect(sjis.status).toBe(200);
  expect(sjis.body).toMatchObject({ applied: true, rows: 5, created: 4, encoding: 'shift_jis' });

  interface Sku {
    code: string;
    name: string;
    kind: string;
    sellerCode: string | null;
    barcode: string | null;
    components: unknown;
    options: {
      code: string;
      name: string;
      sellerCode: string | null;
      barcode: string | null;
      variantId: string | null;
      components: unknown;
    }[];
  }
  const skusOf = async (tenantToken: string) => {
    const list = await http<{ items: Sku[]; total: number }>(
      'GET',
      `${API}/skus?limit=500`,
      undefined,
      tenantToken,
    );
    expect(list.status).toBe(200);
    return list.body.items
      .map((sku) => ({
        code: sku.code,
        name: sku.name,
        kind: sku.kind,
        sellerCode: sku.sellerCode,
        barcode: sku.barcode,
        components: sku.components,
        options: sku.options.map((option) => ({
          code: option.code,
          name: option.name,
          sellerCode: option.sellerCode,
          barcode: option.barcode,
          variantId: option.variantId,
          components: option.components,
        })),
      }))
      .sort((a, b) => a.code.localeCompare(b.code));
  };
  const fromUtf8 = await skusOf(english);
  const fromSjis = await skusOf(japanese);
  expect(fromUtf8.map((sku) => sku.code)).toEqual(['CHA-030', 'CHA-SET', 'KTL-010', 'YUK-020']);
  expect(fromSjis).toEqual(fromUtf8);
  // And what was read is what was written, the CP932-only characters included.
  const yukata = fromSjis.find((sku) => sku.code === 'YUK-020');
  expect(yukata?.name).toBe('浴衣 髙島 紺');
  expect(yukata?.options.map((option) => option.name).sort()).toEqual(['Ｌ／紺①', 'Ｍ／紺'].sort());
  expect(fromSjis.find((sku) => sku.code === 'CHA-SET')).toMatchObject({
    kind: 'bundle',
    components: expect.arrayContaining([
      expect.objectContaining({ skuCode: 'KTL-010', quantity: 1 }),
      expect.objectContaining({ skuCode: 'CHA-030', quantity: 2 }),
    ]),
  });
});

it('a zip bomb and a 3.5-million-row CSV are refused while orders keep being mapped, and the mapping service stays within 384 MiB', async () => {
  const orderToken = await newTenant('bomb');
  const orderShopId = await registerShop(orderToken, 'bomb', `${SECRET}o`, `${LICENSE}o`);
  for (const sku of SIM_CATALOG) {
    expect((await http('POST', `${API}/skus`, sku, orderToken)).status).toBe(201);
  }
  const generated = await http('POST', `${SIM}/__sim/shops/${SIM_ORDER_SHOP}/orders/generate`, {
    count: 300,
    seed: 11,
    progress: 300,
  });
  expect(generated.status).toBe(201);

  // A zip bomb: xl/sharedStrings.xml inflates to 64 MiB, the file is well under 100 KiB.
  const bomb = zipBombXlsx(64);
  expect(bomb.byteLength).toBeLessThan(100 * 1024);

  // 3,500,000 data rows in 14 MB: under the 20 MiB upload limit, far over 100,000 rows.
  const ROWS = 3_500_000;
  const long = longCsv(ROWS);
  expect(long.byteLength).toBeLessThan(20 * MIB);

  const mappedOf = () =>
    new Set(
      collector
        .on('order.mapped')
        .filter((message) => message.key?.startsWith(`${orderShopId}:`))
        .map((message) => message.key),
    ).size;

  // The pull starts (once ingestion knows the shop) while the two files go in.
  const pulling = expectEventually(
    async () => {
      const answer = await http<{ complete: boolean; new: number }>(
        'POST',
        `${API}/shops/${orderShopId}/pull`,
        undefined,
        orderToken,
      );
      expect(answer.status).toBe(200);
      return answer.body;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  const peakBefore = peakRssKiB(mapping.pid ?? 0);
  const started = Date.now();
  const [bombAnswer, longAnswer] = await Promise.all([
    importFile(
      orderToken,
      'bomb.xlsx',
      bomb,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ),
    importFile(orderToken, 'long.csv', long, 'text/csv'),
  ]);
  const refusedMs = Date.now() - started;
  const mappedWhileRefusing = mappedOf();

  expect(bombAnswer.status).toBe(400);
  expect(bombAnswer.body.code).toBe('IMPORT_UNREADABLE');
  expect(bombAnswer.body.message).toMatch(/sharedStrings/i);
  expect(longAnswer.status).toBe(422);
  expect(longAnswer.body.code).toBe('IMPORT_TOO_MANY_ROWS');

  const pull = await pulling;
  expect(pull).toMatchObject({ complete: true, new: 300 });
  await expectEventually(() => expect(mappedOf()).toBe(300), {
    timeoutMs: 120_000,
    intervalMs: 500,
  });
  // Through the API as well: the shop's orders are mapped, none held.
  const held = await http<{ items: unknown[] }>(
    'GET',
    `${API}/orders?status=needs_mapping&shopId=${orderShopId}`,
    undefined,
    orderToken,
  );
  expect(held.status).toBe(200);
  expect(held.body.items).toEqual([]);
  const mapped = await http<{ items: unknown[] }>(
    'GET',
    `${API}/orders?status=mapped&shopId=${orderShopId}&limit=500`,
    undefined,
    orderToken,
  );
  expect(mapped.status).toBe(200);
  expect(mapped.body.items).toHaveLength(300);

  // Nothing of either file was stored.
  const skus = await http<{ total: number }>('GET', `${API}/skus?limit=1`, undefined, orderToken);
  expect(skus.body.total).toBe(SIM_CATALOG.length);

  const peak = peakRssKiB(mapping.pid ?? 0);
  console.log(
    `catalog-stock: zip bomb (${bomb.byteLength} B → 64 MiB) answered ${bombAnswer.answeredWith}, ` +
      `${ROWS}-row CSV (${long.byteLength} B) answered ${longAnswer.answeredWith}, both in ${refusedMs} ms; ` +
      `${mappedWhileRefusing} of 300 orders mapped meanwhile; mapping VmHWM ${peak} KiB (${(peak / 1024).toFixed(1)} MiB; ${(peakBefore / 1024).toFixed(1)} MiB before the two files)`,
  );
  // The service's high-water mark since it started, so everything this file did before counts
  // too: 226 MiB measured alone, 287 MiB inside a loaded fresh-clone CI run (252 before the two
  // files). The 256 MiB figure of issue 18 is measured from an idle service by `npm run bench`
  // (section imports); this bound still catches the old failures (a 3.5 M-row CSV held as
  // ~1.4 GB of records, a zip bomb unpacked whole).
  expect(peak).toBeLessThanOrEqual(384 * 1024);
});

it('figure: a 60,000-row CSV import end to end through the gateway', async () => {
  const figureToken = await newTenant('figure');
  const ROWS = 60_000;
  const file = bulkSkuCsv(ROWS);
  const started = performance.now();
  const answer = await importFile(figureToken, 'bulk.csv', file, 'text/csv');
  const seconds = (performance.now() - started) / 1000;
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ applied: true, rows: ROWS, created: ROWS });
  const peak = peakRssKiB(mapping.pid ?? 0);
  console.log(
    `catalog-stock figure: ${ROWS} rows (${file.byteLength} B) applied in ${seconds.toFixed(2)} s ` +
      `= ${Math.round(ROWS / seconds)} rows/s end to end (answered ${answer.answeredWith}); ` +
      `mapping VmHWM now ${peak} KiB (${(peak / 1024).toFixed(1)} MiB)`,
  );
});
