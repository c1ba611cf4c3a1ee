import 'reflect-metadata';

import type { ShopWithTestView } from '@smartship/contracts';
import { SecretBox } from '@smartship/crypto';
import { ServiceProcess, testInfrastructure, uniqueSuffix } from '@smartship/testing';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

// The local mail catcher is a tool script (npm start runs it), not a library.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type MailCatcher, startMailCatcher } from '../../../tools/scripts/mail-catcher';
import { PASSWORD, acceptInvitation, callAsPage, linkMailedTo, signIn } from './console-people';

/**
 * People in the web console, in a real browser (Debian's Chromium through playwright-core)
 * against the simulator, credentials, notifications (its e-mail to a local mail catcher) and the
 * gateway as processes. The operator creates a tenant and invites its owner; the owner opens the
 * e-mailed link, sets a password and is signed in, invites a staff member and a viewer; the staff
 * member has no [키 갱신] and the gateway refuses their renewal (403); the viewer sees no control
 * that changes anything and a PUT is refused (403); signing out ends the session (the old cookie
 * is 401). An operator signs in to the operator pages (tenants only, no seller pages), invites an
 * owner from the tenant's page, disables the tenant (its owner's session and its token are refused
 * at once with 403 TENANT_DISABLED), enables it again and revokes its tokens. Takes the people
 * page's and the operator's tenant page's screenshots for docs/console/.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'p'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('people1');
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
 * This file's fixed ports, 24500–24510, below Linux's ephemeral range (see
 * docs/running-tests.md); ingestion, mapping and fulfillment are not started.
 */
const PORT = {
  sim: 24500,
  gateway: 24501,
  credentialsHttp: 24502,
  credentialsTcp: 24503,
  notificationsHttp: 24504,
  notificationsTcp: 24505,
  smtp: 24506,
  unused: 24510,
};
const SIM = `http://127.0.0.1:${PORT.sim}`;
const GATEWAY = `http://127.0.0.1:${PORT.gateway}`;
const API = `${GATEWAY}/api/v1`;
const SIM_SHOP = '4701';
const SHOP_ID = `people-${run}`;
const SECRET = `SPpeople${run}`;
const LICENSE = `SLpeople${run}0042`;
const OWNER = `owner-${run}@example.com`;
const STAFF = `staff-${run}@example.com`;
const VIEWER = `viewer-${run}@example.com`;
const OPS = `ops-${run}@example.com`;
const SECOND_OWNER = `owner2-${run}@example.com`;
const TENANT_NAME = `People Store ${run}`;
const INVITED = /초대되었습니다/;

let processes: ServiceProcess[] = [];
let gateway: ServiceProcess | undefined;
let browser: Browser;
let mail: MailCatcher;
let tenantId = '';
let tenantToken = '';
let shopId = '';

async function http<T>(
  method: string,
  url: string,
  body?: unknown,
  init: { bearer?: string; cookie?: string } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function startStack(): Promise<void> {
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
      env: { ...backend, TCP_PORT: String(PORT.credentialsTcp) },
    }),
    new ServiceProcess({
      app: 'notifications',
      httpPort: PORT.notificationsHttp,
      env: {
        ...backend,
        TCP_PORT: String(PORT.notificationsTcp),
        SMTP_URL: `smtp://127.0.0.1:${PORT.smtp}`,
        CONSOLE_URL: GATEWAY,
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

/** A person's own browser (cookies are per context). */
async function newPerson(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ko-KR',
    timezoneId: 'Asia/Tokyo',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const outDir = resolve(__dirname, '../../../test-output/console-people');
  mail = await startMailCatcher({ port: PORT.smtp, dir: join(outDir, `mail-${run}`) });
  await startStack();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });

  expect(
    (
      await http('POST', `${SIM}/__sim/shops`, {
        shopId: SIM_SHOP,
        serviceSecret: SECRET,
        licenseKey: LICENSE,
      })
    ).status,
  ).toBe(201);
  // The operator creates the tenant; its machine token registers the shop the people will see.
  const tenant = await http<{ tenant: { id: string }; token: { token: string } }>(
    'POST',
    `${API}/tenants`,
    { name: TENANT_NAME },
    { bearer: OPERATOR_TOKEN },
  );
  expect(tenant.status).toBe(201);
  tenantId = tenant.body.tenant.id;
  tenantToken = tenant.body.token.token;
  const registered = await http<ShopWithTestView>(
    'POST',
    `${API}/shops/rakuten`,
    {
      shopId: SHOP_ID,
      shopUrl: `https://www.rakuten.ne.jp/${SHOP_ID}`,
      serviceSecret: SECRET,
      licenseKey: LICENSE,
      options: { autoOrderSync: false, autoOrderConfirm: false, autoFulfillmentDispatch: false },
    },
    { bearer: tenant.body.token.token },
  );
  expect(registered.status).toBe(201);
  shopId = registered.body.shop.id;
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await Promise.all(processes.map((process) => process.stop()));
  await mail?.close();
});

describe('people in the web console', () => {
  it('an invited owner invites staff and a viewer; each sees and may do only what the role allows', async () => {
    // The operator invites the tenant's first owner; the link arrives by e-mail.
    const invited = await http(
      'POST',
      `${API}/tenants/${tenantId}/invitations`,
      { email: OWNER, role: 'owner' },
      { bearer: OPERATOR_TOKEN },
    );
    expect(invited.status).toBe(201);
    const ownerLink = await linkMailedTo(mail, OWNER, INVITED);
    expect(ownerLink).toMatch(new RegExp(`^${GATEWAY}/invitations/accept#token=inv_`));

    // The owner opens it, sees the password rules, sets a password twice: signed in.
    const owner = await newPerson();
    await owner.page.goto(ownerLink);
    await owner.page.getByText('12자 이상').waitFor();
    await acceptInvitation(owner.page, ownerLink);
    // Nothing about the session is in the page's storage: the cookie is httpOnly.
    const stored = await owner.page.evaluate(
      "[Object.keys(localStorage).filter((key) => key !== 'smartship.lang'), " +
        'Object.keys(sessionStorage), document.cookie]',
    );
    expect(stored).toEqual([[], [], '']);
    const card = owner.page.locator(`article[data-shop="${SHOP_ID}"]`);
    await card.getByRole('button', { name: '키 갱신' }).waitFor();

    // The people page: invite staff and a viewer.
    const nav = owner.page.getByRole('navigation');
    await nav.getByRole('link', { name: '사용자 관리' }).click();
    await owner.page.getByRole('heading', { name: '사용자 관리', level: 1 }).waitFor();
    for (const [email, role] of [
      [STAFF, 'staff'],
      [VIEWER, 'viewer'],
    ] as const) {
      await owner.page.locator('input[name=inviteEmail]').fill(email);
      await owner.page.locator('select[name=inviteRole]').selectOption(role);
      await owner.page.getByRole('button', { name: '초대 메일 보내기' }).click();
      await owner.page.getByText(`${email}에게 초대 메일을 보냈습니다.`).waitFor();
      await owner.page.locator(`tr[data-invitation="${email}"]`).waitFor();
    }
    await owner.page.locator(`tr[data-person="${OWNER}"]`).waitFor();

    // The staff member accepts: no [키 갱신], register or test controls, no people or tokens.
    const staff = await newPerson();
    await acceptInvitation(staff.page, await linkMailedTo(mail, STAFF, INVITED));
    const staffCard = staff.page.locator(`article[data-shop="${SHOP_ID}"]`);
    await staffCard.waitFor();
    await expect(staffCard.getByRole('button', { name: '키 갱신' }).count()).resolves.toBe(0);
    await expect(staffCard.getByRole('button', { name: '연결 테스트하기' }).count()).resolves.toBe(
      0,
    );
    await expect(staff.page.getByRole('button', { name: '+ 신규등록' }).count()).resolves.toBe(0);
    const staffNav = staff.page.getByRole('navigation');
    await expect(staffNav.getByRole('link', { name: '사용자 관리' }).count()).resolves.toBe(0);
    await expect(staffNav.getByRole('link', { name: 'API 토큰' }).count()).resolves.toBe(0);
    await expect(staffNav.getByRole('link', { name: 'SKU 관리' }).count()).resolves.toBe(1);
    // The gateway refuses the renewal anyway: 403 ROLE_FORBIDDEN with the staff session.
    const renew = await callAsPage(staff.page, 'PUT', `/shops/${shopId}/credentials`, {
      serviceSecret: SECRET,
      licenseKey: LICENSE,
    });
    expect(renew).toEqual({
      status: 403,
      body: expect.objectContaining({ code: 'ROLE_FORBIDDEN' }),
    });

    // The viewer: nothing that changes anything.
    const viewer = await newPerson();
    await acceptInvitation(viewer.page, await linkMailedTo(mail, VIEWER, INVITED));
    const viewerCard = viewer.page.locator(`article[data-shop="${SHOP_ID}"]`);
    await viewerCard.waitFor();
    await expect(viewerCard.getByRole('button').count()).resolves.toBe(0);
    const switches = viewerCard.getByRole('switch');
    await expect(switches.count()).resolves.toBe(3);
    for (const item of await switches.all()) await expect(item.isDisabled()).resolves.toBe(true);
    await viewer.page.getByRole('navigation').getByRole('link', { name: 'SKU 관리' }).click();
    await viewer.page.getByRole('heading', { name: 'SKU 관리' }).first().waitFor();
    await expect(
      viewer.page.getByRole('button', { name: /신규|등록|가져오기/ }).count(),
    ).resolves.toBe(0);
    const put = await callAsPage(viewer.page, 'PUT', '/inventory/NOPE-1', { onHand: 1 });
    expect(put).toEqual({ status: 403, body: expect.objectContaining({ code: 'ROLE_FORBIDDEN' }) });

    // The owner's people page lists all three; its screenshot for the docs.
    await owner.page.reload();
    await owner.page.locator(`tr[data-person="${VIEWER}"]`).waitFor();
    await owner.page.locator(`tr[data-person="${STAFF}"]`).waitFor();
    await owner.page.screenshot({ path: join(SCREENSHOTS, 'people.png'), fullPage: false });

    // Sign out ends the session: the old cookie is refused.
    const [cookie] = await staff.context.cookies(GATEWAY);
    expect(cookie).toEqual(expect.objectContaining({ name: 'smartship_session', httpOnly: true }));
    const before = await http('GET', `${API}/session`, undefined, {
      cookie: `${cookie.name}=${cookie.value}`,
    });
    expect(before.status).toBe(200);
    await staff.page.getByRole('button', { name: '로그아웃' }).click();
    await staff.page.getByRole('heading', { name: '스마트십 콘솔 로그인' }).waitFor();
    const after = await http<{ code: string }>('GET', `${API}/session`, undefined, {
      cookie: `${cookie.name}=${cookie.value}`,
    });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');

    // The staff member signs in again with the password; a wrong one is refused.
    await signIn(staff.page, GATEWAY, STAFF, 'not the right password at all');
    await staff.page.getByRole('alert').waitFor();
    await expect(staff.page.getByRole('alert').getAttribute('data-code')).resolves.toBe(
      'INVALID_CREDENTIALS',
    );
    await signIn(staff.page, GATEWAY, STAFF);
    await staff.page.getByRole('heading', { name: '쇼핑몰 API 설정' }).waitFor();
  });

  it('an operator sees only the operator pages, disables a tenant (refused at once) and enables it', async () => {
    // The first operator user: created with the operator token (README, "The first operator").
    const created = await http(
      'POST',
      `${API}/operators`,
      { email: OPS, password: PASSWORD },
      { bearer: OPERATOR_TOKEN },
    );
    expect(created.status).toBe(201);

    // Signed in, the operator lands on the tenants; the menu has no seller page and no bell.
    const ops = await newPerson();
    await signIn(ops.page, GATEWAY, OPS);
    await ops.page.getByRole('heading', { name: '테넌트 관리', level: 1 }).waitFor();
    expect(new URL(ops.page.url()).pathname).toBe('/operator/tenants');
    const nav = ops.page.getByRole('navigation');
    await expect(nav.getByRole('link').allInnerTexts()).resolves.toEqual(['테넌트']);
    await expect(ops.page.locator('a.bell').count()).resolves.toBe(0);
    // A seller page's address shows the tenants instead.
    await ops.page.goto(`${GATEWAY}/shops`);
    await ops.page.getByRole('heading', { name: '테넌트 관리', level: 1 }).waitFor();
    expect(new URL(ops.page.url()).pathname).toBe('/operator/tenants');

    // The list: the spec's tenant, enabled. Ingestion and mapping do not run in this test, so
    // shop health is unknown and the page says why.
    const row = ops.page.locator(`tr[data-tenant="${tenantId}"]`);
    await row.getByRole('link', { name: TENANT_NAME }).waitFor();
    await expect(row.locator('[data-state]').getAttribute('data-state')).resolves.toBe('enabled');
    await ops.page.getByTestId('health-unavailable').waitFor();
    await expect(row.locator('[data-health]').innerText()).resolves.toBe('알 수 없음');

    // Its page: invite an owner by e-mail; accepting the link signs them in (a session cookie).
    await row.getByRole('link', { name: TENANT_NAME }).click();
    await ops.page.getByRole('heading', { name: TENANT_NAME, level: 1 }).waitFor();
    expect(new URL(ops.page.url()).pathname).toBe(`/operator/tenants/${tenantId}`);
    await ops.page.locator('input[name=ownerEmail]').fill(SECOND_OWNER);
    await ops.page.getByRole('button', { name: '소유자 초대 메일 보내기' }).click();
    await ops.page.getByText(`${SECOND_OWNER}에게 초대 메일을 보냈습니다.`).waitFor();
    const link = await linkMailedTo(mail, SECOND_OWNER, INVITED);
    const accepted = await fetch(`${API}/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: decodeURIComponent(new URL(link).hash.replace(/^#token=/, '')),
        password: PASSWORD,
      }),
    });
    expect(accepted.status).toBe(201);
    const cookie = /smartship_session=[^;]+/.exec(accepted.headers.getSetCookie().join('\n'))?.[0];
    expect(cookie).toBeDefined();
    const owner = { cookie };
    const token = { bearer: tenantToken };
    expect((await http('GET', `${API}/shops`, undefined, owner)).status).toBe(200);
    expect((await http('GET', `${API}/shops`, undefined, token)).status).toBe(200);

    // Disable, once confirmed: the tenant shows disabled and its one shop was suspended.
    const state = ops.page.getByTestId('tenant-state');
    await ops.page.getByRole('button', { name: '테넌트 사용 중지' }).click();
    await ops.page
      .getByRole('group', { name: /^정말 이 테넌트를 사용 중지할까요/ })
      .getByRole('button', { name: '테넌트 사용 중지' })
      .click();
    await ops.page.getByText('테넌트를 사용 중지했습니다. 정지된 샵: 1개.').waitFor();
    await state.locator('[data-state="disabled"]').waitFor();
    await ops.page.getByRole('button', { name: '테넌트 다시 사용' }).waitFor();
    await ops.page.screenshot({ path: join(SCREENSHOTS, 'operator-tenant.png'), fullPage: true });

    // Its owner's session and its token are refused at once.
    for (const caller of [owner, token]) {
      const refused = await http<{ code: string }>('GET', `${API}/shops`, undefined, caller);
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'TENANT_DISABLED',
      });
    }
    // The list says so too.
    await nav.getByRole('link', { name: '테넌트' }).click();
    await expect(row.locator('[data-state]').getAttribute('data-state')).resolves.toBe('disabled');

    // Enable again: the owner and the token work again.
    await row.getByRole('link', { name: TENANT_NAME }).click();
    await ops.page.getByRole('button', { name: '테넌트 다시 사용' }).click();
    await ops.page
      .getByRole('group', { name: '이 테넌트를 다시 사용하게 할까요?' })
      .getByRole('button', { name: '테넌트 다시 사용' })
      .click();
    await ops.page.getByText('테넌트를 다시 사용하게 했습니다. 재개된 샵: 1개.').waitFor();
    await state.locator('[data-state="enabled"]').waitFor();
    expect((await http('GET', `${API}/shops`, undefined, owner)).status).toBe(200);
    expect((await http('GET', `${API}/shops`, undefined, token)).status).toBe(200);

    // Revoke all tokens: the token is refused (401), the owner's session is not touched.
    await ops.page.getByRole('button', { name: '모든 토큰 폐기' }).click();
    await ops.page
      .getByRole('group', { name: /^정말 모든 토큰을 폐기할까요/ })
      .getByRole('button', { name: '모든 토큰 폐기' })
      .click();
    await ops.page.getByText(/^토큰 [1-9]\d*개를 폐기했습니다\.$/).waitFor();
    await ops.page.getByTestId('tenant-tokens').filter({ hasText: /^0$/ }).waitFor();
    expect((await http('GET', `${API}/shops`, undefined, token)).status).toBe(401);
    expect((await http('GET', `${API}/shops`, undefined, owner)).status).toBe(200);
  });
});
