import 'reflect-metadata';

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { SecretBox, shopSecretPurpose } from '@smartship/crypto';
import {
  ServiceProcess,
  TopicCollector,
  expectEventually,
  testInfrastructure,
  testKafka,
  uniqueSuffix,
} from '@smartship/testing';
import { Client } from 'pg';

/**
 * Shop setup as the seller does it in the guide, through the gateway, with the credentials
 * service, the gateway and the Rakuten simulator as processes on the real broker and database:
 * register → test → update options → renew → delete, the connection-test outcomes, tenant
 * isolation, bad input, and no plaintext secret anywhere afterwards.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-${run}-${'x'.repeat(32)}`;
const MASTER_KEYS = SecretBox.generateKey('sys1');
const SIM = 'http://127.0.0.1:15200';
const API = 'http://127.0.0.1:15000/api/v1';

// Plaintext secrets that must never leave the credentials service's memory.
const SECRET_A = `SPsecretA${run}`;
const LICENSE_A = `SLlicenseA${run}7Q1Z`;
const SECRET_B = `SPsecretB${run}`;
const LICENSE_B = `SLlicenseB${run}8R2Y`;
const PLAINTEXTS = [SECRET_A, LICENSE_A, SECRET_B, LICENSE_B];

const sim = new ServiceProcess({ app: 'rakuten-sim', httpPort: 15200, env: { NODE_ENV: 'test' } });
const credentials = new ServiceProcess({
  app: 'credentials',
  httpPort: 15101,
  env: {
    NODE_ENV: 'test',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    TCP_PORT: '16101',
    MASTER_KEYS,
    RAKUTEN_BASE_URL: SIM,
    RAKUTEN_TIMEOUT_MS: '3000',
    // Wrong keys are "wrong" at once (not "maybe not active yet"), so the test need not wait.
    LICENSE_KEY_ACTIVATION_MINUTES: '0',
    LOG_LEVEL: 'debug',
  },
});
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 15000,
  env: {
    NODE_ENV: 'test',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    CREDENTIALS_TCP: '127.0.0.1:16101',
    OPERATOR_TOKEN,
    LOG_LEVEL: 'debug',
  },
});

/** Every response body the test saw, for the leak check at the end. */
const responses: string[] = [];
let collector: TopicCollector;
let db: Client;

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  raw?: string | Buffer,
): Promise<Answer<T>> {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  responses.push(text);
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

async function simAdmin(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${SIM}/__sim${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`sim ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function tenant(name: string): Promise<string> {
  const created = await call<{ token: { token: string } }>('POST', '/tenants', OPERATOR_TOKEN, {
    name,
  });
  expect(created.status).toBe(201);
  return created.body.token.token;
}

function shopEvents(shopId: string): { data: Record<string, unknown> }[] {
  return collector
    .on('shop.updated')
    .filter((message) => message.key === shopId)
    .map((message) => JSON.parse(message.value!) as { data: Record<string, unknown> });
}

beforeAll(async () => {
  await Promise.all([sim.start(), credentials.start()]);
  await gateway.start();
  collector = await new TopicCollector(testKafka(infra.kafkaBrokers), [
    'shop.updated',
    'shop.alert',
  ]).start();
  db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  await simAdmin('POST', '/shops', {
    shopId: '2001',
    serviceSecret: SECRET_A,
    licenseKey: LICENSE_A,
  });
});

afterAll(async () => {
  await collector?.stop();
  await db?.end();
  await Promise.all([gateway.stop(), credentials.stop(), sim.stop()]);
});

describe('a seller registers a Rakuten shop and looks after it', () => {
  let token: string;
  let shopId: string;

  beforeAll(async () => {
    token = await tenant(`seller-${run}`);
  });

  it('registers the shop: keys trimmed and encrypted, connection tested, shop.updated published', async () => {
    const answer = await call<{
      shop: Record<string, unknown>;
      connectionTest: Record<string, unknown>;
    }>('POST', '/shops/rakuten', token, {
      shopId: 'abcd14231499',
      // The guide's other URL form is accepted and normalised.
      shopUrl: 'https://www.rakuten.co.jp/abcd14231499/',
      serviceSecret: `  ${SECRET_A}\n`,
      licenseKey: `${LICENSE_A} \r\n`,
      options: { autoOrderConfirm: true },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.connectionTest).toMatchObject({ code: 'OK', trigger: 'register' });
    expect(answer.body.shop).toMatchObject({
      rakutenShopId: 'abcd14231499',
      shopUrl: 'https://www.rakuten.ne.jp/abcd14231499',
      status: 'active',
      licenseKeyLast4: LICENSE_A.slice(-4),
      options: { autoOrderSync: true, autoOrderConfirm: true, autoFulfillmentDispatch: false },
    });
    shopId = answer.body.shop.id as string;

    const row = await db.query(
      'SELECT key_id, service_secret_ct, license_key_ct FROM credentials.shops WHERE id = $1',
      [shopId],
    );
    expect(row.rows[0].key_id).toBe('sys1');
    expect(row.rows[0].service_secret_ct).not.toContain(SECRET_A);

    // The event carries the keys as ciphertext that ingestion can open with the master key.
    await expectEventually(() => expect(shopEvents(shopId)).toHaveLength(1));
    const event = shopEvents(shopId)[0].data as {
      status: string;
      revision: number;
      credentials: { keyId: string; serviceSecretCiphertext: string; licenseKeyCiphertext: string };
    };
    expect(event).toMatchObject({ status: 'active', revision: 1 });
    const box = SecretBox.fromEnv(MASTER_KEYS);
    const sealed = event.credentials;
    expect(
      box.open(
        { keyId: sealed.keyId, ciphertext: sealed.serviceSecretCiphertext },
        shopSecretPurpose(shopId, 'serviceSecret'),
      ),
    ).toBe(SECRET_A);
    expect(
      box.open(
        { keyId: sealed.keyId, ciphertext: sealed.licenseKeyCiphertext },
        shopSecretPurpose(shopId, 'licenseKey'),
      ),
    ).toBe(LICENSE_A);
  });

  it('refuses the same Rakuten shop twice in one account with 409', async () => {
    const again = await call('POST', '/shops/rakuten', token, {
      shopId: 'abcd14231499',
      shopUrl: 'https://www.rakuten.ne.jp/abcd14231499',
      serviceSecret: SECRET_A,
      licenseKey: LICENSE_A,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SHOP_ALREADY_REGISTERED');
  });

  it('lists and reads the shop without any secret', async () => {
    const list = await call<{ items: { id: string }[] }>('GET', '/shops', token);
    expect(list.body.items.map((shop) => shop.id)).toEqual([shopId]);
    const one = await call('GET', `/shops/${shopId}`, token);
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.body)).not.toMatch(/serviceSecret|ciphertext/i);
  });

  it('updates the options and publishes the change', async () => {
    const patched = await call<{ options: Record<string, boolean> }>(
      'PATCH',
      `/shops/${shopId}`,
      token,
      {
        options: { autoFulfillmentDispatch: true },
      },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.options).toEqual({
      autoOrderSync: true,
      autoOrderConfirm: true,
      autoFulfillmentDispatch: true,
      pollIntervalMinutes: null,
    });
    await expectEventually(() =>
      expect(shopEvents(shopId).at(-1)?.data).toMatchObject({
        revision: 2,
        options: { autoFulfillmentDispatch: true },
      }),
    );
  });

  it('tests the connection on demand and keeps the history', async () => {
    const test = await call('POST', `/shops/${shopId}/connection-test`, token);
    expect(test.status).toBe(200);
    expect(test.body.code).toBe('OK');
    const history = await call<{ items: { trigger: string }[] }>(
      'GET',
      `/shops/${shopId}/connection-tests`,
      token,
    );
    expect(history.body.items.map((item) => item.trigger)).toEqual(['manual', 'register']);
  });

  it('renews the keys: the new ones are tested and used at once', async () => {
    await simAdmin('POST', '/shops/2001/keys', {
      serviceSecret: SECRET_B,
      licenseKey: LICENSE_B,
      revokeOthers: true,
    });
    const renewed = await call<{
      shop: Record<string, unknown>;
      connectionTest: Record<string, unknown>;
    }>('PUT', `/shops/${shopId}/credentials`, token, {
      serviceSecret: SECRET_B,
      licenseKey: LICENSE_B,
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.connectionTest).toMatchObject({ code: 'OK', trigger: 'renew' });
    expect(renewed.body.shop).toMatchObject({
      licenseKeyLast4: LICENSE_B.slice(-4),
      status: 'active',
    });
    await expectEventually(() => {
      const last = shopEvents(shopId).at(-1)?.data as { licenseKeyLast4: string };
      expect(last.licenseKeyLast4).toBe(LICENSE_B.slice(-4));
    });
  });

  it('keeps the working keys while renewed keys are refused, and shows them as pending', async () => {
    const renewed = await call<{
      shop: Record<string, unknown>;
      connectionTest: Record<string, unknown>;
    }>('PUT', `/shops/${shopId}/credentials`, token, {
      serviceSecret: 'SPnot-known-to-rakuten',
      licenseKey: 'SLnot-known-to-rakuten-0000',
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.connectionTest.code).toBe('AUTH_FAILED');
    expect(renewed.body.shop).toMatchObject({
      licenseKeyLast4: LICENSE_B.slice(-4),
      pendingLicenseKeyLast4: '0000',
      status: 'active',
    });
    // The keys in use still work: a test right after is OK.
    expect((await call('POST', `/shops/${shopId}/connection-test`, token)).body.code).toBe('OK');
  });

  it('deletes the shop: 204, then 404, and shop.updated says deleted without keys', async () => {
    expect((await call('DELETE', `/shops/${shopId}`, token)).status).toBe(204);
    expect((await call('GET', `/shops/${shopId}`, token)).status).toBe(404);
    await expectEventually(() =>
      expect(shopEvents(shopId).at(-1)?.data).toMatchObject({
        status: 'deleted',
        credentials: null,
      }),
    );
    const row = await db.query(
      'SELECT service_secret_ct, license_key_ct FROM credentials.shops WHERE id = $1',
      [shopId],
    );
    expect(row.rows[0]).toEqual({ service_secret_ct: '', license_key_ct: '' });
  });
});

describe('connection-test outcomes a seller can act on', () => {
  let token: string;

  beforeAll(async () => {
    token = await tenant(`outcomes-${run}`);
  });

  async function registerWith(shopIdSuffix: string, secret: string, license: string) {
    const shop = `outcome-${shopIdSuffix}`;
    return call<{
      shop: { id: string; status: string };
      connectionTest: { code: string; message: string };
    }>('POST', '/shops/rakuten', token, {
      shopId: shop,
      shopUrl: `https://www.rakuten.ne.jp/${shop}`,
      serviceSecret: secret,
      licenseKey: license,
    });
  }

  it('wrong keys: AUTH_FAILED, and the shop needs re-authentication', async () => {
    const answer = await registerWith('wrong', 'SPwrong', 'SLwrong-1111');
    expect(answer.status).toBe(201);
    expect(answer.body.connectionTest.code).toBe('AUTH_FAILED');
    expect(answer.body.connectionTest.message).toContain('WEB APIサービス');
    expect(answer.body.shop.status).toBe('needs_reauth');
  });

  it('RakutenPay Order API not enabled for the key: says which RMS menu enables it', async () => {
    await simAdmin('POST', '/shops', {
      shopId: '2002',
      serviceSecret: 'SPnoorders',
      licenseKey: 'SLnoorders-2222',
      enabledFunctions: ['license-management.*'],
    });
    const answer = await registerWith('noorders', 'SPnoorders', 'SLnoorders-2222');
    expect(answer.body.connectionTest.code).toBe('ORDER_API_NOT_ENABLED');
    expect(answer.body.connectionTest.message).toContain('楽天ペイ受注API');
  });

  it('Rakuten in maintenance: RAKUTEN_UNAVAILABLE; throttled: THROTTLED — keys untouched', async () => {
    await simAdmin('POST', '/shops', {
      shopId: '2003',
      serviceSecret: 'SPmaint',
      licenseKey: 'SLmaint-3333',
    });
    await simAdmin('PUT', '/faults', {
      rules: [{ kind: 'html', shopId: '2003' }],
      maintenance: null,
    });
    const down = await registerWith('maint', 'SPmaint', 'SLmaint-3333');
    expect(down.body.connectionTest.code).toBe('RAKUTEN_UNAVAILABLE');
    expect(down.body.shop.status).toBe('active');

    await simAdmin('PUT', '/faults', {
      rules: [{ kind: 'throttle', shopId: '2003' }],
      maintenance: null,
    });
    const slow = await call<{ code: string }>(
      'POST',
      `/shops/${down.body.shop.id}/connection-test`,
      token,
    );
    expect(slow.body.code).toBe('THROTTLED');
    await simAdmin('DELETE', '/faults');
    const ok = await call<{ code: string }>(
      'POST',
      `/shops/${down.body.shop.id}/connection-test`,
      token,
    );
    expect(ok.body.code).toBe('OK');
  });
});

describe('tenant isolation', () => {
  it("another tenant's shop is a 404 on every route, and absent from its list", async () => {
    const owner = await tenant(`owner-${run}`);
    const other = await tenant(`other-${run}`);
    await simAdmin('POST', '/shops', {
      shopId: '2004',
      serviceSecret: 'SPowner',
      licenseKey: 'SLowner-4444',
    });
    const created = await call<{ shop: { id: string } }>('POST', '/shops/rakuten', owner, {
      shopId: 'owner-shop',
      shopUrl: 'https://www.rakuten.ne.jp/owner-shop',
      serviceSecret: 'SPowner',
      licenseKey: 'SLowner-4444',
    });
    const id = created.body.shop.id;
    const attempts: [string, string, unknown?][] = [
      ['GET', `/shops/${id}`],
      ['PATCH', `/shops/${id}`, { options: { autoOrderSync: false } }],
      ['PUT', `/shops/${id}/credentials`, { serviceSecret: 'SPx', licenseKey: 'SLx-0000' }],
      ['POST', `/shops/${id}/connection-test`],
      ['GET', `/shops/${id}/connection-tests`],
      ['DELETE', `/shops/${id}`],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await call(method, path, other, body);
      expect([method, path, answer.status]).toEqual([method, path, 404]);
    }
    expect((await call<{ items: unknown[] }>('GET', '/shops', other)).body.items).toEqual([]);
    // And the owner's shop is untouched.
    expect(
      (await call<{ options: { autoOrderSync: boolean } }>('GET', `/shops/${id}`, owner)).body
        .options.autoOrderSync,
    ).toBe(true);
  });
});

describe('bad input', () => {
  const valid = {
    shopId: 'badinput-shop',
    shopUrl: 'https://www.rakuten.ne.jp/badinput-shop',
    serviceSecret: 'SPbadinput',
    licenseKey: 'SLbadinput-5555',
  };
  const cases: [string, Record<string, unknown>, string][] = [
    ['blank shopId', { ...valid, shopId: '' }, 'shopId'],
    ['blank shopUrl', { ...valid, shopUrl: '' }, 'shopUrl'],
    ['blank serviceSecret', { ...valid, serviceSecret: '   ' }, 'serviceSecret'],
    ['blank licenseKey', { ...valid, licenseKey: '\n' }, 'licenseKey'],
    ['URL on another host', { ...valid, shopUrl: 'https://example.com/badinput-shop' }, 'shopUrl'],
    [
      'URL with another shop ID',
      { ...valid, shopUrl: 'https://www.rakuten.ne.jp/someone-else' },
      'shopUrl',
    ],
    ['URL that is not a URL', { ...valid, shopUrl: 'rakuten shop' }, 'shopUrl'],
    ['URL with javascript scheme', { ...valid, shopUrl: 'javascript:alert(1)' }, 'shopUrl'],
    ['overlong licenseKey', { ...valid, licenseKey: 'K'.repeat(300) }, 'licenseKey'],
    ['number as shopId', { ...valid, shopId: 12345 }, 'shopId'],
    ['string as option', { ...valid, options: { autoOrderSync: 'yes' } }, 'options.autoOrderSync'],
    ['unknown field', { ...valid, password: 'x' }, 'password'],
    ['SQL in shopId', { ...valid, shopId: "x'; DROP TABLE credentials.shops; --" }, 'shopId'],
    ['space inside a key', { ...valid, serviceSecret: 'SP bad input' }, 'serviceSecret'],
  ];

  it.each(cases)(
    '%s → 400 naming the field, nothing stored, Rakuten not called',
    async (_name, body, field) => {
      const token = await tenant(`bad-${uniqueSuffix()}`);
      const callsBefore = ((await simAdmin('GET', '/calls')) as unknown[]).length;
      const answer = await call<{ code: string; message: string; details: { field: string }[] }>(
        'POST',
        '/shops/rakuten',
        token,
        body,
      );
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain(field);
      expect(answer.body.details.map((detail) => detail.field)).toContain(field);
      expect((await call<{ items: unknown[] }>('GET', '/shops', token)).body.items).toEqual([]);
      expect(((await simAdmin('GET', '/calls')) as unknown[]).length).toBe(callsBefore);
    },
  );

  it('a body that is not UTF-8 is a 400 that names the field', async () => {
    const token = await tenant(`latin1-${run}`);
    const raw = Buffer.concat([
      Buffer.from(
        '{"shopId":"latin1-shop","shopUrl":"https://www.rakuten.ne.jp/latin1-shop","serviceSecret":"SP',
      ),
      Buffer.from([0xff, 0xfe, 0xe9]),
      Buffer.from('","licenseKey":"SLlatin1-6666"}'),
    ]);
    const answer = await call<{ message: string }>('POST', '/shops/rakuten', token, undefined, raw);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('serviceSecret');
  });
});

describe('secrets', () => {
  it('occur in plaintext nowhere: database dump, Kafka, service logs, responses', () => {
    const dump = execFileSync('pg_dump', ['--data-only', infra.databaseUrl], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString();
    const topics = collector.messages
      .map((message) => `${message.value}${JSON.stringify(message.headers)}`)
      .join('\n');
    const logs = [credentials.logFile, gateway.logFile]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const seen = responses.join('\n');
    for (const secret of PLAINTEXTS) {
      expect({ secret, where: 'database', found: dump.includes(secret) }).toEqual({
        secret,
        where: 'database',
        found: false,
      });
      expect({ secret, where: 'kafka', found: topics.includes(secret) }).toEqual({
        secret,
        where: 'kafka',
        found: false,
      });
      expect({ secret, where: 'logs', found: logs.includes(secret) }).toEqual({
        secret,
        where: 'logs',
        found: false,
      });
      expect({ secret, where: 'responses', found: seen.includes(secret) }).toEqual({
        secret,
        where: 'responses',
        found: false,
      });
    }
    // The check would see them if they were there: the dump has the ciphertexts and the logs the calls.
    expect(dump).toContain('sys1');
    expect(logs.length).toBeGreaterThan(1000);
  });
});
