import 'reflect-metadata';

import { SecretBox } from '@smartship/crypto';
import {
  expectEventually,
  ServiceProcess,
  SIM_CATALOG,
  SIM_STOCK_CODES,
  testInfrastructure,
  uniqueSuffix,
} from '@smartship/testing';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

// The local mail catcher is a tool script (npm start runs it), not a library.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type MailCatcher, startMailCatcher } from '../../../tools/scripts/mail-catcher';
import { PASSWORD, acceptInvitation, linkMailedTo, signIn } from './console-people';

/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core) against the
 * whole stack as processes and the Rakuten simulator: the tenant's owner, invited by the operator,
 * opens the e-mailed link, sets a password and is signed in (a wrong password is refused after a
 * sign-out), registers the shop (a wrong URL first), tests the connection, pulls the orders, links the one
 * unmapped item from the queue, confirms a shipment and sees it reported to Rakuten. The test
 * takes the screenshots of docs/console/ (see SCREENSHOTS).
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'c'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('console1');
const SIM_SHOP = '4501';
const SHOP_ID = `console-${run}`;
const SECRET = `SPconsole${run}`;
const LICENSE = `SLconsole${run}0042`;
/**
 * Screenshots of the main pages: into docs/console with UPDATE_SCREENSHOTS=1 (to refresh the
 * documentation), else into test-output/console so a test run leaves the tree clean.
 */
const SCREENSHOTS = resolve(
  __dirname,
  process.env.UPDATE_SCREENSHOTS === '1' ? '../../../docs/console' : '../../../test-output/console',
);
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * This file's fixed ports, 26100–26112 (the notifications service and the mail catcher at
 * 26110–26112): below Linux's ephemeral range (32768–60999), where any
 * outgoing connection may hold a port at the moment a service binds it (a CI run lost the
 * simulator to EADDRINUSE on a port probed free a moment before). See docs/running-tests.md.
 */
const PORT_BASE = 26100;

let SIM = '';
let GATEWAY = '';
let API = '';
let processes: ServiceProcess[] = [];
let gateway: ServiceProcess | undefined;
let mail: MailCatcher;
const [NOTIFY_HTTP, NOTIFY_TCP, SMTP] = [PORT_BASE + 10, PORT_BASE + 11, PORT_BASE + 12];

/** The stack as processes (the simulator, four services, then the gateway) on this file's ports. */
async function startStack(): Promise<void> {
  const [simPort, gatewayPort, ...ports] = Array.from({ length: 10 }, (_, i) => PORT_BASE + i);
  SIM = `http://127.0.0.1:${simPort}`;
  GATEWAY = `http://127.0.0.1:${gatewayPort}`;
  API = `${GATEWAY}/api/v1`;
  const backend = {
    NODE_ENV: 'test',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    // No process is killed here: the default session timeout rides out a busy machine.
    KAFKA_SESSION_TIMEOUT_MS: '30000',
    MASTER_KEYS,
    RAKUTEN_BASE_URL: SIM,
  };
  const [credHttp, credTcp, ingHttp, ingTcp, mapHttp, mapTcp, fulHttp, fulTcp] = ports;
  processes = [
    new ServiceProcess({ app: 'rakuten-sim', httpPort: simPort, env: { NODE_ENV: 'test' } }),
    new ServiceProcess({
      app: 'credentials',
      httpPort: credHttp,
      env: { ...backend, TCP_PORT: String(credTcp) },
    }),
    new ServiceProcess({
      app: 'ingestion',
      httpPort: ingHttp,
      env: {
        ...backend,
        TCP_PORT: String(ingTcp),
        RAKUTEN_ORDER_RPS: '20',
        POLL_INTERVAL_MS: '3600000',
      },
    }),
    new ServiceProcess({
      app: 'mapping',
      httpPort: mapHttp,
      env: { ...backend, TCP_PORT: String(mapTcp) },
    }),
    new ServiceProcess({
      app: 'fulfillment',
      httpPort: fulHttp,
      env: { ...backend, TCP_PORT: String(fulTcp) },
    }),
    // Sends the invitation e-mail to the mail catcher.
    new ServiceProcess({
      app: 'notifications',
      httpPort: NOTIFY_HTTP,
      env: {
        ...backend,
        TCP_PORT: String(NOTIFY_TCP),
        SMTP_URL: `smtp://127.0.0.1:${SMTP}`,
        CONSOLE_URL: GATEWAY,
      },
    }),
  ];
  gateway = new ServiceProcess({
    app: 'gateway',
    httpPort: gatewayPort,
    env: {
      ...backend,
      OPERATOR_TOKEN,
      CREDENTIALS_TCP: `127.0.0.1:${credTcp}`,
      INGESTION_TCP: `127.0.0.1:${ingTcp}`,
      MAPPING_TCP: `127.0.0.1:${mapTcp}`,
      FULFILLMENT_TCP: `127.0.0.1:${fulTcp}`,
      NOTIFICATIONS_TCP: `127.0.0.1:${NOTIFY_TCP}`,
    },
  });
  // Generous start timeouts: the machine may be busy with other suites.
  await Promise.all(processes.map((process) => process.start(180_000)));
  await gateway.start(180_000);
}

/**
 * The seller's SKUs for the simulator's items, all linked by 판매자 정의 코드 except the rice:
 * its SKU exists but nothing links it, so its orders wait in the unmapped queue.
 */
const CATALOG = SIM_CATALOG.map((sku) =>
  sku.code === 'RICE-005' ? { code: sku.code, name: sku.name } : sku,
);

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
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed as T };
}

let browser: Browser;
let page: Page;
let token: string;
let tenantId: string;
const OWNER = `owner-${run}@example.com`;

const shot = (name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  mail = await startMailCatcher({
    port: SMTP,
    dir: resolve(__dirname, `../../../test-output/console/mail-${run}`),
  });
  await startStack();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ko-KR',
    timezoneId: 'Asia/Tokyo',
  });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);

  // The simulated Rakuten shop with its keys and 40 orders waiting for shipment (発送待ち).
  expect(
    (
      await http('POST', `${SIM}/__sim/shops`, {
        shopId: SIM_SHOP,
        serviceSecret: SECRET,
        licenseKey: LICENSE,
      })
    ).status,
  ).toBe(201);
  const generated = await http('POST', `${SIM}/__sim/shops/${SIM_SHOP}/orders/generate`, {
    count: 40,
    seed: 11,
    progress: 300,
    maxPackages: 1,
  });
  expect(generated.status).toBe(201);

  // The operator creates the tenant; its machine token (what `npm start`'s demo prints) loads the
  // catalog, and the operator invites the tenant's owner, who signs in to the console below.
  const tenant = await http<{ tenant: { id: string }; token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `console-${run}` },
    OPERATOR_TOKEN,
  );
  expect(tenant.status).toBe(201);
  token = tenant.body.token.token;
  tenantId = tenant.body.tenant.id;
  for (const sku of CATALOG) {
    expect((await http('POST', `${API}/skus`, sku, token)).status).toBe(201);
  }
  for (const code of SIM_STOCK_CODES) {
    const stocked = await http('PUT', `${API}/inventory/${code}`, { onHand: 500 }, token);
    expect(stocked.status).toBe(200);
  }
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await Promise.all(processes.map((process) => process.stop()));
  await mail?.close();
});

describe('the web console', () => {
  it('is served at / with its own scripts allowed, and /api keeps answering JSON', async () => {
    const root = await fetch(`${GATEWAY}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toContain('text/html');
    expect(root.headers.get('content-security-policy')).toContain("script-src 'self'");
    const deep = await fetch(`${GATEWAY}/orders/123-20261129-0000000001`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const api = await http<{ code: string }>('GET', `${API}/nothing-here`, undefined, token);
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('NOT_FOUND');
    const ping = await fetch(`${API}/system/ping`);
    expect(ping.headers.get('content-type')).toContain('application/json');
  });

  it('a seller registers the shop, pulls orders, fixes an unmapped one, ships and sees it reported', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });

    // The operator invites the owner; the owner opens the e-mailed link and sets a password
    // (Korean is the default language). Signed out, a wrong password is refused, then signed in.
    const invited = await http(
      'POST',
      `${API}/tenants/${tenantId}/invitations`,
      { email: OWNER, role: 'owner' },
      OPERATOR_TOKEN,
    );
    expect(invited.status).toBe(201);
    await acceptInvitation(page, await linkMailedTo(mail, OWNER, /초대되었습니다/));
    await page.getByRole('button', { name: '로그아웃' }).click();
    await signIn(page, GATEWAY, OWNER, 'not-the-password-of-this-owner');
    await page.getByRole('alert').filter({ hasText: '이메일 또는 비밀번호' }).waitFor();
    await shot('sign-in');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('heading', { name: '쇼핑몰 API 설정' }).waitFor();

    // [+ 신규등록] → Rakuten → the form, first with a shop URL on the wrong host.
    await page.getByRole('button', { name: '+ 신규등록' }).click();
    await page.getByRole('radio', { name: 'Rakuten (楽天市場)' }).check();
    await page.locator('input[name=shopId]').fill(SHOP_ID);
    await page.locator('input[name=shopUrl]').fill(`https://www.rakuten.com/${SHOP_ID}`);
    await page.locator('input[name=serviceSecret]').fill(SECRET);
    await page.locator('input[name=licenseKey]').fill(LICENSE);
    await page.getByRole('switch', { name: '자동 주문 연동' }).uncheck();
    await page.getByRole('switch', { name: '자동 풀필먼트 출하지시' }).check();
    await page.getByRole('button', { name: '등록', exact: true }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    await expect(error.getAttribute('data-code')).resolves.toBe('VALIDATION_FAILED');
    const fieldError = error.locator('[data-field=shopUrl]');
    await expect(fieldError.innerText()).resolves.toMatch(
      /샵 URL: www\.rakuten\.com가 아니라 www\.rakuten\.ne\.jp 주소여야 합니다/,
    );
    await shot('shop-form-error');
    // The same gateway error in Japanese and English, then back to Korean.
    await page.getByLabel('언어').selectOption('ja');
    await expect(fieldError.innerText()).resolves.toMatch(/ショップURL: www\.rakuten\.com/);
    await page.getByLabel('言語').selectOption('en');
    await expect(fieldError.innerText()).resolves.toMatch(
      /Shop URL: must be on www\.rakuten\.ne\.jp/,
    );
    await page.getByLabel('Language').selectOption('ko');
    const registered = await http<{ items: unknown[] }>('GET', `${API}/shops`, undefined, token);
    expect(registered.body.items).toHaveLength(0);

    // The right URL: registered, and the connection test that runs at once is OK.
    await page.locator('input[name=shopUrl]').fill(`https://www.rakuten.ne.jp/${SHOP_ID}`);
    await page.getByRole('button', { name: '등록', exact: true }).click();
    await page.getByText('등록했습니다. 연결 테스트 결과:').waitFor();
    await expect(page.locator('.test-result').getAttribute('data-code')).resolves.toBe('OK');
    await shot('shop-form');

    // The list: status, [연결 테스트하기], then pull the orders now.
    await page.getByRole('navigation').getByRole('link', { name: '쇼핑몰 API 설정' }).click();
    const card = page.locator(`article[data-shop="${SHOP_ID}"]`);
    await card.waitFor();
    await expect(card.locator('.badge').innerText()).resolves.toBe('정상');
    await card.getByRole('button', { name: '연결 테스트하기' }).click();
    await card.getByText('연결 성공: Rakuten 주문 API를 사용할 수 있습니다.').first().waitFor();
    // Ingestion learns the shop from shop.updated; until then a pull answers "not found".
    await expectEventually(
      async () => {
        await card.getByRole('button', { name: '지금 주문 가져오기' }).click();
        await card
          .locator('[role=status], [role=alert]')
          .filter({ hasText: /발송대기|쇼핑몰을 찾을 수 없습니다|이미 주문을/ })
          .first()
          .waitFor();
        await expect(card.getByTestId('last-pull').innerText()).resolves.toMatch(
          /발송대기 40건 중 신규 40건/,
        );
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    await shot('shops');

    // The unmapped queue: the rice orders wait, each line saying why.
    await page.getByRole('navigation').getByRole('link', { name: 'SKU 매핑' }).click();
    const held = page.locator('li.held-order');
    await expectEventually(
      async () => {
        await page.getByRole('button', { name: '새로고침' }).click();
        await held.first().waitFor({ timeout: 2_000 });
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const heldBefore = await http<{ total: number }>(
      'GET',
      `${API}/orders?status=needs_mapping`,
      undefined,
      token,
    );
    expect(heldBefore.body.total).toBeGreaterThan(0);
    const firstLine = held.first().locator('li.line').first();
    await expect(firstLine.locator('[data-reason]').getAttribute('data-reason')).resolves.toBe(
      'no_match',
    );
    await expect(firstLine.innerText()).resolves.toContain('일치하는 SKU가 없습니다');
    await shot('mapping');

    // Link the line to RICE-005 in one step: every held rice order is released.
    await firstLine.getByLabel('연결할 SKU 코드').fill('RICE-005');
    await firstLine.getByRole('button', { name: '연결', exact: true }).click();
    await page.getByText(/연결했습니다\. 주문 \d+건이 풀렸습니다\./).waitFor();
    await expectEventually(
      async () => {
        const after = await http<{ total: number }>(
          'GET',
          `${API}/orders?status=needs_mapping`,
          undefined,
          token,
        );
        expect(after.body.total).toBe(0);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    // Orders by state.
    await page.getByRole('navigation').getByRole('link', { name: '주문', exact: true }).click();
    await page.getByRole('button', { name: /매핑 완료/ }).click();
    await page.locator('table.data tbody tr').first().waitFor();

    // Shipments: the fulfillment orders at the warehouse; confirm one as shipped.
    await page.getByRole('navigation').getByRole('link', { name: '출하', exact: true }).click();
    await page.locator('#fo-status').selectOption('ready');
    const row = page.locator('tr[data-fo]').first();
    await expectEventually(
      async () => {
        await page.getByRole('button', { name: '검색', exact: true }).click();
        await row.waitFor({ timeout: 2_000 });
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const orderNumber = (await row.getAttribute('data-order')) ?? '';
    expect(orderNumber).toMatch(/^\d+-\d{8}-\d+$/);
    await row.getByRole('button', { name: '출하 확정' }).click();
    const shipForm = page.getByRole('form', { name: `출하 확정: ${orderNumber}` });
    await shipForm.locator('select[name=carrierCode]').selectOption('1002');
    const tracking = `${Date.now()}`.slice(-12);
    await shipForm.locator('textarea[name=trackingNumbers]').fill(tracking);
    await shot('fulfillment');
    await shipForm.getByRole('button', { name: '출하 확정' }).click();
    await page.getByText('출하를 확정했습니다. Rakuten에 발송 보고합니다.').waitFor();

    // The order's timeline ends with the report to Rakuten, and the simulator holds it.
    await page.goto(`${GATEWAY}/orders/${orderNumber}`);
    await expectEventually(
      async () => {
        await page.getByRole('button', { name: '새로고침' }).first().click();
        await page.locator('.timeline li[data-step="reported"]').waitFor({ timeout: 2_000 });
      },
      { timeoutMs: 180_000, intervalMs: 1_500 },
    );
    const steps = await Promise.all(
      (await page.locator('.timeline li').all()).map((item) => item.getAttribute('data-step')),
    );
    expect(steps).toEqual(expect.arrayContaining(['pulled', 'mapped', 'shipped', 'reported']));
    await shot('order-timeline');
    const reports = await http<
      { orderNumber: string; shippingNumber: string; deliveryCompany: string }[]
    >('GET', `${SIM}/__sim/shops/${SIM_SHOP}/shipping-reports`);
    expect(reports.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orderNumber, shippingNumber: tracking, deliveryCompany: '1002' }),
      ]),
    );

    // 상품 목록: the listings import that ran on connect, finished; every suggestion accepted
    // (asked twice). Then the shop's stock settings: its safety stock saved, and a drift check.
    await page.getByRole('navigation').getByRole('link', { name: '상품 목록' }).click();
    await page
      .locator('[data-testid=import-state][data-state=finished]')
      .waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: '제안 모두 연결' }).click();
    await page
      .getByRole('group', { name: /연결 제안을 모두 수락할까요/ })
      .getByRole('button', { name: '제안 모두 연결' })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: /개를 연결했습니다/ })
      .waitFor();
    await shot('listings');
    await page.getByRole('navigation').getByRole('link', { name: '쇼핑몰 API 설정' }).click();
    await card.getByRole('link', { name: '재고 연동 설정' }).click();
    await page.getByLabel(/^안전 재고/).fill('2');
    await page.getByRole('button', { name: '저장', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '안전 재고를 저장했습니다' }).waitFor();
    const [shopId] = (
      await http<{ items: { id: string }[] }>('GET', `${API}/shops`, undefined, token)
    ).body.items.map((shop) => shop.id);
    const settings = await http<{ safetyStock: number }>(
      'GET',
      `${API}/shops/${shopId}/stock-settings`,
      undefined,
      token,
    );
    expect(settings.body.safetyStock).toBe(2);
    await page.getByRole('button', { name: '지금 대조하기' }).click();
    await page.locator('[data-testid=drift-summary]').waitFor({ timeout: 60_000 });
    await shot('stock-settings');

    // Renewing keys with a pasted space is refused, naming both fields; then the shop is disabled.
    await page.getByRole('navigation').getByRole('link', { name: '쇼핑몰 API 설정' }).click();
    await card.getByRole('button', { name: '키 갱신' }).click();
    const renew = card.getByRole('form', { name: `키 갱신: ${SHOP_ID}` });
    await renew.locator('input').nth(0).fill('SP with space');
    await renew.locator('input').nth(1).fill('SL with space');
    await renew.getByRole('button', { name: '갱신', exact: true }).click();
    const renewError = renew.getByRole('alert');
    await renewError.waitFor();
    await expect(renewError.locator('[data-field=serviceSecret]').innerText()).resolves.toBe(
      '서비스 Secret Key: RMS에 보이는 그대로 붙여 넣으세요(공백 없이 영문, 숫자, 기호).',
    );
    await expect(renewError.locator('[data-field=licenseKey]').innerText()).resolves.toContain(
      'License Key:',
    );
    await card.getByRole('button', { name: '사용 중지' }).click();
    await card.getByRole('button', { name: '다시 사용' }).waitFor();
    const shops = await http<{ items: { enabled: boolean }[] }>(
      'GET',
      `${API}/shops`,
      undefined,
      token,
    );
    expect(shops.body.items.map((shop) => shop.enabled)).toEqual([false]);

    // Stock on hand and the SKU list, for the screenshots.
    await page.getByRole('navigation').getByRole('link', { name: '재고', exact: true }).click();
    await page.locator('tr[data-sku]').first().waitFor();
    await shot('inventory');
    await page.getByRole('navigation').getByRole('link', { name: 'SKU 관리' }).click();
    await page.locator('table.data tbody tr').first().waitFor();
    await shot('skus');
    // An import from the page, with the session cookie and its CSRF token (a bearer-only upload
    // once refused it): one new SKU.
    await page.getByLabel('파일 (.xlsx, .csv)').setInputFiles({
      name: 'more-skus.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('sku_code,sku_name\r\nCONSOLE-IMPORT-1,콘솔에서 올린 SKU\r\n'),
    });
    await page.getByRole('button', { name: '업로드' }).click();
    await page.getByText('1행: 새로 1').waitFor();
    const imported = await http<{ total: number }>(
      'GET',
      `${API}/skus?search=CONSOLE-IMPORT-1`,
      undefined,
      token,
    );
    expect(imported.body.total).toBe(1);

    // The refused password (401) and the wrong URL (400) are logged by the browser as failed loads.
    expect(consoleErrors.filter((text) => !text.startsWith('Failed to load resource'))).toEqual([]);
  });
});
