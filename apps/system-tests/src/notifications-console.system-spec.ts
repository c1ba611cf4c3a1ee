import 'reflect-metadata';

import {
  type AnyEvent,
  type ShopWithTestView,
  createEvent,
  encodeEvent,
  eventKey,
} from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import {
  ServiceProcess,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import type { Producer } from 'kafkajs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

// The local mail catcher is a tool script (npm start runs it), not a library.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type MailCatcher, startMailCatcher } from '../../../tools/scripts/mail-catcher';
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type WebhookReceiver,
  startWebhookReceiver,
} from '../../../tools/scripts/webhook-receiver';
import { acceptInvitation, linkMailedTo } from './console-people';

/**
 * The console's notification pages in a real browser against the stack as processes: the
 * credentials service warns that two shops' licence keys expire soon (real `shop.alert`s from
 * its licence monitor, keys expiring in the Rakuten simulator), two more alerts come on Kafka,
 * and the seller sees them under the bell. On the settings page a bad e-mail and an internal
 * webhook URL are refused by the field that is wrong; a recipient and an endpoint are added, the
 * endpoint's secret is shown once and verifies the signed test webhook it then receives. "Mark
 * all read" empties the bell. Takes docs/console/notifications*.png (UPDATE_SCREENSHOTS=1).
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'n'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('notify1');
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
 * This file's fixed ports, 23000–23019, below Linux's ephemeral range (see docs/running-tests.md);
 * the gateway's other services point at ports here that nothing listens on.
 */
const PORT = {
  sim: 23000,
  gateway: 23001,
  credentialsHttp: 23002,
  credentialsTcp: 23003,
  notificationsHttp: 23004,
  notificationsTcp: 23005,
  webhooks: 23006,
  smtp: 23007,
  unused: 23010,
};
const SIM = `http://127.0.0.1:${PORT.sim}`;
const GATEWAY = `http://127.0.0.1:${PORT.gateway}`;
const API = `${GATEWAY}/api/v1`;
/** Webhooks may reach `localhost` (WEBHOOK_ALLOWED_HOSTS), never 127.0.0.1 written as such. */
const WEBHOOK_URL = `https://localhost:${PORT.webhooks}/smartship`;
const DAY_MS = 86_400_000;

/**
 * Two simulated Rakuten shops whose licence keys expire in 5 and 2 days. Shop IDs are unique per
 * tenant (a new one each run), so they read as a seller's would in the screenshots.
 */
const SHOPS = [
  { sim: '4611', shopId: 'kstyle-tokyo', expiresInDays: 5 },
  { sim: '4612', shopId: 'seoul-beauty', expiresInDays: 2 },
].map((shop) => ({
  ...shop,
  serviceSecret: `SPnotify${shop.sim}${run}`,
  licenseKey: `SLnotify${shop.sim}${run}0042`,
}));

let processes: ServiceProcess[] = [];
let gateway: ServiceProcess | undefined;
let browser: Browser;
let page: Page;
let token: string;
let tenantId: string;
const shopIds: string[] = [];
let producer: Producer;
let mail: MailCatcher;
let receiver: WebhookReceiver;
let shownSecret = '';

async function http<T>(
  method: string,
  url: string,
  body?: unknown,
  bearer?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** The project's HTTPS receiver, its certificate written where the notifications service trusts it. */
async function startReceiver(caFile: string): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver({ port: PORT.webhooks });
  writeFileSync(caFile, started.certificate);
  return started;
}

async function startStack(caFile: string): Promise<void> {
  const backend = {
    NODE_ENV: 'test',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_SESSION_TIMEOUT_MS: '30000',
    MASTER_KEYS,
    RAKUTEN_BASE_URL: SIM,
  };
  processes = [
    new ServiceProcess({ app: 'rakuten-sim', httpPort: PORT.sim, env: { NODE_ENV: 'test' } }),
    new ServiceProcess({
      app: 'credentials',
      httpPort: PORT.credentialsHttp,
      // The licence monitor looks every 2 s (its first look is at most 5 s after the start).
      env: {
        ...backend,
        TCP_PORT: String(PORT.credentialsTcp),
        LICENSE_CHECK_INTERVAL_MS: '2000',
      },
    }),
    new ServiceProcess({
      app: 'notifications',
      httpPort: PORT.notificationsHttp,
      env: {
        ...backend,
        TCP_PORT: String(PORT.notificationsTcp),
        SMTP_URL: `smtp://127.0.0.1:${PORT.smtp}`,
        CONSOLE_URL: GATEWAY,
        WEBHOOK_ALLOWED_HOSTS: 'localhost',
        WEBHOOK_CA_FILE: caFile,
        DELIVERY_POLL_MS: '200',
      },
    }),
  ];
  const nowhere = `127.0.0.1:${PORT.unused}`;
  gateway = new ServiceProcess({
    app: 'gateway',
    httpPort: PORT.gateway,
    env: {
      ...backend,
      OPERATOR_TOKEN,
      CREDENTIALS_TCP: `127.0.0.1:${PORT.credentialsTcp}`,
      NOTIFICATIONS_TCP: `127.0.0.1:${PORT.notificationsTcp}`,
      INGESTION_TCP: nowhere,
      MAPPING_TCP: nowhere,
      FULFILLMENT_TCP: nowhere,
    },
  });
  await Promise.all(processes.map((process) => process.start(180_000)));
  await gateway.start(180_000);
}

interface ListedNotification {
  kind: string;
  shopName: string | null;
  suppressedRepeats: number;
  readAt: string | null;
}

async function notifications(): Promise<{ items: ListedNotification[]; unreadCount: number }> {
  const answer = await http<{ items: ListedNotification[]; unreadCount: number }>(
    'GET',
    `${API}/notifications?limit=50`,
    undefined,
    token,
  );
  expect(answer.status).toBe(200);
  return answer.body;
}

async function publish(events: AnyEvent[]): Promise<void> {
  await producer.send({
    topic: 'shop.alert',
    acks: -1,
    messages: events.map((event) => ({ key: eventKey(event), value: encodeEvent(event) })),
  });
}

const shot = (name: string, fullPage = false) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const outDir = resolve(__dirname, '../../../test-output/notifications-console');
  mkdirSync(outDir, { recursive: true });
  const caFile = join(outDir, `webhook-ca-${run}.pem`);
  mail = await startMailCatcher({ port: PORT.smtp, dir: join(outDir, `mail-${run}`) });
  receiver = await startReceiver(caFile);
  await startStack(caFile);
  producer = testKafka(infra.kafkaBrokers, `notifications-console-${run}`).producer();
  await producer.connect();

  for (const shop of SHOPS) {
    const simShop = await http('POST', `${SIM}/__sim/shops`, {
      shopId: shop.sim,
      serviceSecret: shop.serviceSecret,
      licenseKey: shop.licenseKey,
      expiresAt: new Date(Date.now() + shop.expiresInDays * DAY_MS).toISOString(),
    });
    expect(simShop.status).toBe(201);
  }
  const tenant = await http<{ tenant: { id: string }; token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: `notify-${run}` },
    OPERATOR_TOKEN,
  );
  expect(tenant.status).toBe(201);
  token = tenant.body.token.token;
  tenantId = tenant.body.tenant.id;
  for (const shop of SHOPS) {
    const registered = await http<ShopWithTestView>(
      'POST',
      `${API}/shops/rakuten`,
      {
        shopId: shop.shopId,
        shopUrl: `https://www.rakuten.ne.jp/${shop.shopId}`,
        serviceSecret: shop.serviceSecret,
        licenseKey: shop.licenseKey,
        options: { autoOrderSync: false, autoOrderConfirm: false, autoFulfillmentDispatch: false },
      },
      token,
    );
    expect(registered.status).toBe(201);
    shopIds.push(registered.body.shop.id);
  }

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
});

afterAll(async () => {
  await browser?.close();
  await producer?.disconnect();
  await gateway?.stop();
  await Promise.all(processes.map((process) => process.stop()));
  await mail?.close();
  await receiver?.close();
});

describe('notifications in the web console', () => {
  it('shows the alerts under the bell, refuses bad recipients and webhooks by field, and marks all read', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });

    // The credentials service's licence monitor warns about both keys (real shop.alert events).
    await expectEventually(
      async () => {
        const listed = await notifications();
        expect(listed.items.map((item) => item.kind).sort()).toEqual([
          'license_expiring',
          'license_expiring',
        ]);
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    // Two more alerts as their producers would send them; the unmapped one twice, so the second
    // is counted on the first instead of being sent again.
    const [first, second] = shopIds;
    const unmapped = (n: number) =>
      createEvent('shop.alert', {
        tenantId,
        shopId: first,
        data: {
          kind: 'orders_unmapped',
          severity: 'warning',
          message: `${n} order lines have waited unmapped for more than 120 minutes.`,
          details: {
            count: n,
            since: new Date(Date.now() - 3 * 3_600_000).toISOString(),
            thresholdMinutes: 120,
          },
          occurrenceKey: `orders_unmapped:${n}`,
        },
      });
    await publish([unmapped(12)]);
    await publish([
      unmapped(14),
      createEvent('shop.alert', {
        tenantId,
        shopId: second,
        data: {
          kind: 'report_failed',
          severity: 'critical',
          message: 'Rakuten refused the shipping report for good (ES04-01).',
          details: {
            orderNumbers: ['461200-20260301-0000000007'],
            operation: 'updateOrderShipping',
            errorCode: 'ES04-01',
          },
          occurrenceKey: 'report_failed:461200-20260301-0000000007',
        },
      }),
    ]);
    await expectEventually(
      async () => {
        const listed = await notifications();
        expect(listed.items).toHaveLength(4);
        expect(listed.unreadCount).toBe(4);
        expect(listed.items.find((item) => item.kind === 'orders_unmapped')).toMatchObject({
          suppressedRepeats: 1,
        });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    // The operator invites the owner, who accepts in the browser and is signed in: the bell
    // shows the four unread notifications.
    const owner = `owner-${run}@example.com`;
    const invited = await http(
      'POST',
      `${API}/tenants/${tenantId}/invitations`,
      { email: owner, role: 'owner' },
      OPERATOR_TOKEN,
    );
    expect(invited.status).toBe(201);
    await acceptInvitation(page, await linkMailedTo(mail, owner, /초대되었습니다/));
    const bell = page.locator('header a.bell');
    await page.getByTestId('bell-count').waitFor();
    await expect(page.getByTestId('bell-count').innerText()).resolves.toBe('4');
    await expect(bell.getAttribute('aria-label')).resolves.toBe('알림 (읽지 않은 알림 4건)');

    // Settings: a recipient with a bad address is refused, the problem shown by the field.
    await page.getByRole('navigation').getByRole('link', { name: '알림 설정' }).click();
    await page.getByRole('heading', { name: '알림 설정' }).waitFor();
    await page.getByRole('button', { name: '+ 수신자 추가' }).click();
    const email = page.locator('input[name=email]');
    await email.fill('ops.k-style.example');
    await page.getByRole('button', { name: '수신자 추가', exact: true }).click();
    const emailError = page.locator('.field-error[data-field=email]');
    await expect(emailError.innerText()).resolves.toBe(
      '올바른 이메일 주소를 입력하세요 (예: shop@example.com).',
    );
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    type Settings = { recipients: { email: string; kinds: string[] }[]; endpoints: unknown[] };
    const settings = () =>
      http<Settings>('GET', `${API}/notification-settings`, undefined, token).then((r) => r.body);
    expect((await settings()).recipients).toEqual([]);

    // The right address, without the SKU import errors: added, and its test e-mail arrives.
    await email.fill('ops@k-style.example');
    await page.getByRole('checkbox', { name: /SKU 업로드 오류/ }).uncheck();
    await page.getByRole('button', { name: '수신자 추가', exact: true }).click();
    const recipient = page.locator('li[data-recipient="ops@k-style.example"]');
    await recipient.waitFor();
    expect((await settings()).recipients).toEqual([
      expect.objectContaining({ email: 'ops@k-style.example' }),
    ]);
    expect((await settings()).recipients[0].kinds).not.toContain('import_errors');
    await recipient.getByRole('button', { name: '테스트 보내기' }).click();
    await recipient.getByText('테스트를 보냈습니다.').waitFor();
    await mail.waitFor((message) => message.to.includes('ops@k-style.example'), 60_000);

    // A webhook to an internal address is refused, naming the URL field; nothing stored.
    await page.getByRole('button', { name: '+ 웹훅 추가' }).click();
    const url = page.locator('input[name=url]');
    await url.fill('https://127.0.0.1/hooks/smartship');
    await page.getByRole('button', { name: '웹훅 추가', exact: true }).click();
    const urlError = page.locator('.field-error[data-field=url]');
    await expect(urlError.innerText()).resolves.toContain('내부 주소');
    await expect(url.getAttribute('aria-invalid')).resolves.toBe('true');
    expect((await settings()).endpoints).toEqual([]);

    // A public one (here: localhost, which the operator allowed): its secret is shown once.
    await url.fill(WEBHOOK_URL);
    await page.getByRole('button', { name: '웹훅 추가', exact: true }).click();
    const secretBox = page.getByTestId('webhook-secret');
    await secretBox.waitFor();
    shownSecret = await secretBox.innerText();
    expect(shownSecret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    // The receiver verifies what arrives on the endpoint's path with the secret the page showed.
    receiver.secrets.set(new URL(WEBHOOK_URL).pathname, shownSecret);
    await page.getByText('이 비밀키는 지금 한 번만 보여 줍니다.', { exact: false }).waitFor();
    const endpoint = page.locator(`li[data-endpoint="${WEBHOOK_URL}"]`);
    await expect(endpoint.innerText()).resolves.toContain(`whsec_…${shownSecret.slice(-4)}`);
    const listedSettings = JSON.stringify(await settings());
    expect(listedSettings).not.toContain(shownSecret);

    // Its test webhook is signed with that secret, and the delivery log shows it delivered.
    await endpoint.getByRole('button', { name: '테스트 보내기' }).click();
    const log = endpoint.locator('[data-deliveries]');
    await expectEventually(
      async () => {
        await log.getByRole('button', { name: '새로고침' }).click();
        await log.locator('tr[data-status=succeeded]').first().waitFor({ timeout: 2_000 });
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.every((request) => request.verified === true)).toBe(true);
    await expect(log.locator('tr[data-status=succeeded]').first().innerText()).resolves.toContain(
      'HTTP 200',
    );
    await page.getByRole('heading', { name: '알림 설정' }).scrollIntoViewIfNeeded();
    await shot('notifications-settings', true);
    await page.getByRole('button', { name: '저장했습니다. 닫기' }).click();
    await expect(secretBox.count()).resolves.toBe(0);

    // The list: four notifications, unread and highlighted, the repeat counted, a link each.
    await bell.click();
    await page.getByRole('heading', { name: '알림', exact: true }).waitFor();
    const items = page.locator('li[data-notification]');
    await expectEventually(async () => expect(await items.count()).toBe(4));
    await expect(page.locator('li[data-unread=true]').count()).resolves.toBe(4);
    const repeated = page.locator('li[data-kind=orders_unmapped]');
    await expect(repeated.innerText()).resolves.toContain('같은 알림이 1번 더 발생했습니다');
    await expect(
      repeated.getByRole('link', { name: /해결하러 가기/ }).getAttribute('href'),
    ).resolves.toBe('/mapping');
    const expiring = page.locator('li[data-kind=license_expiring]').first();
    await expect(expiring.innerText()).resolves.toContain('License Key 만료 임박');
    await expect(expiring.locator('.badge').first().innerText()).resolves.toMatch(/주의|긴급/);
    await shot('notifications');

    // Mark all read: the bell empties at once, and the API agrees.
    await page.getByRole('button', { name: '모두 읽음으로 표시' }).click();
    await page.getByText('모든 알림을 읽었습니다.').waitFor();
    await expect(page.getByTestId('bell-count').count()).resolves.toBe(0);
    await expect(bell.getAttribute('aria-label')).resolves.toBe('알림');
    await expect(page.locator('li[data-unread=true]').count()).resolves.toBe(0);
    expect((await notifications()).unreadCount).toBe(0);

    // The refused e-mail and URL (400) are logged by the browser as failed loads.
    expect(consoleErrors.filter((text) => !text.startsWith('Failed to load resource'))).toEqual([]);
  });
});
