/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   HTTP answers are untyped JSON here; the assertions are what checks their shape. */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { loadConfig } from '@smartship/service-kit';
import { freePort, testInfrastructure, uniqueSuffix } from '@smartship/testing';
import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';

// The real mapping service behind the gateway: a test may wire two apps, production code may not.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AppModule as MappingAppModule } from '../../../mapping/src/app.module';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { MappingConfig } from '../../../mapping/src/config';
import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';
import { PasswordHasher } from '../users/password-hasher';

/**
 * The catalog routes end to end over HTTP: the gateway and the real mapping service (over the
 * TCP transport) in this process, on the real database and broker. Multipart upload included.
 */
const infra = testInfrastructure();
const run = uniqueSuffix();
const OPERATOR_TOKEN = `operator-catalog-${run}-${'x'.repeat(32)}`;

let gateway: INestApplication;
let mapping: INestApplication;
let base: string;

async function api(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: any; headers: Headers; text: string }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (the template)
  }
  return { status: response.status, body: parsed, headers: response.headers, text };
}

async function tenantToken(name: string): Promise<string> {
  const answer = await api('POST', '/api/v1/tenants', OPERATOR_TOKEN, { name });
  expect(answer.status).toBe(201);
  return answer.body.token.token as string;
}

function upload(name: string, content: string, type = 'text/csv'): FormData {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  return form;
}

beforeAll(async () => {
  const mappingTcp = await freePort();
  const mappingConfig = loadConfig('mapping', MappingConfig, {
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_GROUP_SUFFIX: `-${run}`,
    LOG_LEVEL: 'warn',
  });
  mapping = await NestFactory.create(MappingAppModule.forRoot(mappingConfig), { logger: false });
  mapping.connectMicroservice({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: mappingTcp },
  });
  await mapping.startAllMicroservices();
  await mapping.init();

  const config = loadConfig('gateway', GatewayConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: infra.databaseUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    OPERATOR_TOKEN,
    CREDENTIALS_TCP: `127.0.0.1:${await freePort()}`,
    INGESTION_TCP: `127.0.0.1:${await freePort()}`,
    MAPPING_TCP: `127.0.0.1:${mappingTcp}`,
    FULFILLMENT_TCP: `127.0.0.1:${await freePort()}`,
  });
  gateway = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  configureHttp(gateway, config);
  await gateway.listen(0, '127.0.0.1');
  base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await gateway?.close();
  await mapping?.close();
});

it('SKUs, import, rules, dry run and the queue through the gateway, tenant-scoped', async () => {
  const token = await tenantToken(`catalog-${run}`);
  const other = await tenantToken(`catalog-other-${run}`);

  const created = await api('POST', '/api/v1/skus', token, {
    code: 'MUG-002',
    name: 'マグカップ',
    sellerCode: 'mug-002',
  });
  expect(created.status).toBe(201);
  expect(created.body.item).toMatchObject({
    code: 'MUG-002',
    kind: 'single',
    sellerCode: 'mug-002',
  });
  const id = created.body.item.id as string;
  expect((await api('GET', `/api/v1/skus/${id}`, token)).status).toBe(200);
  // Another tenant's SKU is a 404, and the same code in another tenant is fine.
  expect((await api('GET', `/api/v1/skus/${id}`, other)).body.code).toBe('SKU_NOT_FOUND');
  expect((await api('POST', '/api/v1/skus', other, { code: 'MUG-002', name: 'x' })).status).toBe(
    201,
  );
  const duplicate = await api('POST', '/api/v1/skus', token, { code: 'MUG-002', name: 'again' });
  expect(duplicate).toMatchObject({ status: 409, body: { code: 'CODE_ALREADY_EXISTS' } });
  const bad = await api('POST', '/api/v1/skus', token, { code: 'has space', name: '' });
  expect(bad.status).toBe(400);
  expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['code', 'name']);

  const patched = await api('PATCH', `/api/v1/skus/${id}`, token, { barcode: '4901234567894' });
  expect(patched).toMatchObject({ status: 200, body: { item: { barcode: '4901234567894' } } });

  const template = await api('GET', '/api/v1/skus/import/template?format=csv', token);
  expect(template.status).toBe(200);
  expect(template.headers.get('content-type')).toContain('text/csv');
  // (fetch's text() drops the BOM the file starts with.)
  expect(template.text.split('\r\n')[0]).toBe(
    'sku_code,sku_name,barcode,seller_code,option_code,option_name,option_seller_code,option_barcode,variant_id,components',
  );
  const xlsx = await fetch(`${base}/api/v1/skus/import/template`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(xlsx.headers.get('content-disposition')).toContain('smartship-skus.xlsx');

  const header =
    'sku_code,sku_name,seller_code,option_code,option_name,option_seller_code,components';
  const rejected = await api(
    'POST',
    '/api/v1/skus/import',
    token,
    upload('bad.csv', `${header}\nSET,set,set-1,,,,MUG-002*2\n,no code,,,,,\n`),
  );
  expect(rejected.status).toBe(422);
  expect(rejected.body).toMatchObject({
    code: 'IMPORT_REJECTED',
    details: { applied: false, problems: [{ row: 3, column: 'sku_code', reason: 'required' }] },
  });
  const csv = `${header}\nSET,set,set-1,,,,MUG-002*2\nTEE,Tシャツ,,TEE-M,M,TEE001-M-BK,\n`;
  const imported = await api('POST', '/api/v1/skus/import', token, upload('good.csv', csv));
  expect(imported).toMatchObject({ status: 200, body: { applied: true, created: 2 } });
  const again = await api('POST', '/api/v1/skus/import', token, upload('good.csv', csv));
  expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  expect((await api('POST', '/api/v1/skus/import', undefined, upload('x.csv', csv))).status).toBe(
    401,
  );
  expect(
    (await api('POST', '/api/v1/skus/import', token, upload('x.txt', csv, 'text/plain'))).body
      .details[0].field,
  ).toBe('file');
  // The seller's own formats: a Shift_JIS CSV with the Japanese titles of the template.
  const jaTemplate = await api('GET', '/api/v1/skus/import/template?format=csv&lang=ja', token);
  const japaneseHeader = jaTemplate.text.split('\r\n')[0];
  expect(japaneseHeader.split(',').slice(0, 2)).toEqual(['SKUコード', 'SKU名']);
  const sjis = iconv.encode(`${japaneseHeader}\r\nSJIS-1,有田焼 小皿,,sjis-1,,,,,,\r\n`, 'cp932');
  const fromExcel = new FormData();
  fromExcel.append('file', new Blob([sjis], { type: 'text/csv' }), '商品.csv');
  const japanese = await api('POST', '/api/v1/skus/import', token, fromExcel);
  expect(japanese).toMatchObject({
    status: 200,
    body: { applied: true, created: 1, encoding: 'shift_jis' },
  });
  expect((await api('GET', '/api/v1/skus?search=SJIS-1', token)).body.items[0]).toMatchObject({
    name: '有田焼 小皿',
    sellerCode: 'sjis-1',
  });
  const listed = await api('GET', '/api/v1/skus?search=tee', token);
  expect(listed.body).toMatchObject({ total: 1, items: [{ code: 'TEE', kind: 'options' }] });

  const rule = { itemName: 'マグ ペア', optionText: '', skuCode: 'SET' };
  const dryRun = await api('POST', '/api/v1/mappings/dry-run', token, rule);
  expect(dryRun).toMatchObject({ status: 200, body: { wouldRelease: [], lines: [] } });
  const added = await api('POST', '/api/v1/mappings', token, rule);
  expect(added.status).toBe(201);
  expect((await api('GET', '/api/v1/mappings', token)).body.items).toHaveLength(1);
  expect((await api('GET', '/api/v1/mappings', other)).body.items).toHaveLength(0);
  expect((await api('DELETE', `/api/v1/mappings/${added.body.item.id}`, other)).status).toBe(404);
  expect((await api('DELETE', `/api/v1/mappings/${added.body.item.id}`, token)).status).toBe(204);
  const unknownTarget = await api('POST', '/api/v1/mappings', token, { ...rule, skuCode: 'NOPE' });
  expect(unknownTarget).toMatchObject({ status: 422, body: { code: 'UNKNOWN_SKU_CODE' } });

  const queue = await api('GET', '/api/v1/orders?status=needs_mapping', token);
  expect(queue).toMatchObject({ status: 200, body: { items: [], total: 0 } });
  const link = await api('POST', '/api/v1/orders/123-20250301-0000000001/lines/1/link', token, {
    skuCode: 'SET',
  });
  expect(link).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
});

it('name rules in bulk: a Shift_JIS file with Japanese headers, all or nothing, again unchanged', async () => {
  const token = await tenantToken(`rules-${run}`);
  const skus = await api(
    'POST',
    '/api/v1/skus/import',
    token,
    upload(
      'skus.csv',
      'sku_code,sku_name,option_code,option_name\nMUG,マグ,,\nTEE,Tシャツ,TEE-M-BK,M 黒\n',
    ),
  );
  expect(skus).toMatchObject({ status: 200, body: { applied: true, created: 2 } });

  const template = await api('GET', '/api/v1/mappings/import/template?format=csv&lang=ja', token);
  expect(template.status).toBe(200);
  const header = template.text.replace(/^\uFEFF/, '').split('\r\n')[0];
  expect(header).toBe('商品名,項目・選択肢,SKUコード');
  const file = (rows: string[]) =>
    new Blob([iconv.encode(`${header}\r\n${rows.join('\r\n')}\r\n`, 'Shift_JIS')], {
      type: 'text/csv',
    });
  const form = (rows: string[]) => {
    const body = new FormData();
    body.append('file', file(rows), 'rules.csv');
    return body;
  };
  const good = ['有田焼 マグ,,MUG', '"コットン Tシャツ","サイズ:M\r\nカラー:ブラック",TEE-M-BK'];

  // One row names a code the catalog does not have: nothing is stored, the row is named.
  const refused = await api('POST', '/api/v1/mappings/import', token, form([...good, 'X,,NOPE']));
  expect(refused).toMatchObject({
    status: 422,
    body: {
      code: 'IMPORT_REJECTED',
      details: {
        applied: false,
        problemCount: 1,
        problems: [{ row: 4, column: 'sku_code', reason: expect.stringContaining('NOPE') }],
      },
    },
  });
  expect((await api('GET', '/api/v1/mappings', token)).body.items).toEqual([]);
  const bad = await api(
    'POST',
    '/api/v1/mappings/import',
    token,
    form(['有田焼 マグ,,', ',x,MUG']),
  );
  expect(bad.body.details.problems).toEqual([
    { row: 2, column: 'sku_code', reason: 'required' },
    { row: 3, column: 'item_name', reason: 'required' },
  ]);

  const imported = await api('POST', '/api/v1/mappings/import', token, form(good));
  expect(imported).toMatchObject({
    status: 200,
    body: { applied: true, rows: 2, created: 2, unchanged: 0, encoding: 'shift_jis' },
  });
  const rules = (await api('GET', '/api/v1/mappings', token)).body.items;
  expect(
    rules.map((r: { itemName: string; optionText: string; skuCode: string }) => [
      r.itemName,
      r.optionText,
      r.skuCode,
    ]),
  ).toEqual(
    // One statement stores both: the same created_at, in no particular order.
    expect.arrayContaining([
      ['有田焼 マグ', '', 'MUG'],
      ['コットン Tシャツ', 'サイズ:M\nカラー:ブラック', 'TEE-M-BK'],
    ]),
  );
  expect(rules).toHaveLength(2);
  const again = await api('POST', '/api/v1/mappings/import', token, form(good));
  expect(again.body).toMatchObject({ applied: true, created: 0, unchanged: 2 });
  expect((await api('GET', '/api/v1/mappings', token)).body.items).toHaveLength(2);
  const audit = await gateway
    .get(DataSource)
    .query(`SELECT count(*)::int AS n FROM gateway.audit_log WHERE action = 'mapping.imported'`);
  expect(audit[0].n).toBeGreaterThanOrEqual(4);
});

describe('imports as background jobs', () => {
  it('?wait=false answers 202 with the job; GET /imports/:id follows it to its report; another tenant sees nothing', async () => {
    const token = await tenantToken(`jobs-${run}`);
    const other = await tenantToken(`jobs-other-${run}`);
    // About 2.2 MB of rows: many pieces (IMPORT_PIECE_BYTES each).
    const rows = Array.from({ length: 40_000 }, (_, i) => `JOB-${i},${'品名'.repeat(10)} ${i}`);
    const csv = `sku_code,sku_name\n${rows.join('\n')}\n`;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(2 * 1024 * 1024);
    const started = await api(
      'POST',
      '/api/v1/skus/import?wait=false',
      token,
      upload('big.csv', csv),
    );
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/v1/imports/${started.body.id}`);
    expect(started.body).toMatchObject({ kind: 'skus', format: 'csv', fileName: 'big.csv' });
    expect(['queued', 'running', 'applied']).toContain(started.body.state);
    expect((await api('GET', `/api/v1/imports/${started.body.id}`, other)).status).toBe(404);

    let job = started.body;
    const deadline = Date.now() + 60_000;
    while (!['applied', 'rejected', 'failed'].includes(job.state) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await api('GET', `/api/v1/imports/${started.body.id}`, token)).body;
    }
    expect(job).toMatchObject({
      state: 'applied',
      rowsRead: 40_000,
      report: { applied: true, created: 40_000, rows: 40_000 },
      error: null,
    });
    expect((await api('GET', '/api/v1/skus?search=JOB-39999', token)).body.total).toBe(1);
    const pieces = await gateway
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM mapping.import_pieces WHERE import_id = $1', [
        started.body.id,
      ]);
    expect(pieces[0].n).toBe(0);
  });

  it('a rejected job answers as the import did (422 with the problems), and its job says why', async () => {
    const token = await tenantToken(`jobs-bad-${run}`);
    const rejected = await api(
      'POST',
      '/api/v1/skus/import',
      token,
      upload('bad.csv', 'sku_code,sku_name\n,nameless\nOK-1,fine\n'),
    );
    expect(rejected).toMatchObject({
      status: 422,
      body: { code: 'IMPORT_REJECTED', details: { problemCount: 1, applied: false } },
    });
    const job = await api('GET', `/api/v1/imports/${rejected.body.details.importId}`, token);
    expect(job.body).toMatchObject({
      state: 'rejected',
      error: { statusCode: 422, code: 'IMPORT_REJECTED' },
      report: { problems: [{ row: 2, column: 'sku_code' }] },
    });
    expect((await api('GET', '/api/v1/imports/not-a-uuid', token)).body.details[0].field).toBe(
      'id',
    );
    const empty = await api('POST', '/api/v1/skus/import', token, upload('empty.csv', ''));
    expect(empty).toMatchObject({ status: 400, body: { details: [{ field: 'file' }] } });
  });
});

describe('an import job whose instance died', () => {
  it('is taken again by a live instance and applied once', async () => {
    const created = await api('POST', '/api/v1/tenants', OPERATOR_TOKEN, { name: `orphan-${run}` });
    const token = created.body.token.token as string;
    const db = gateway.get(DataSource);
    const content = Buffer.from('sku_code,sku_name\nORPHAN-1,left running\n');
    const importId = randomUUID();
    // As a crashed instance leaves it: running, its heartbeat two minutes old, its pieces kept.
    await db.query(
      `INSERT INTO mapping.import_jobs (id, tenant_id, kind, format, file_name, size_bytes, pieces,
                                        state, started_at, heartbeat_at)
       VALUES ($1, $2, 'skus', 'csv', 'orphan.csv', $3, 1, 'running',
               now() - interval '3 minutes', now() - interval '2 minutes')`,
      [importId, created.body.tenant.id, content.length],
    );
    await db.query(
      'INSERT INTO mapping.import_pieces (import_id, index, content) VALUES ($1, 0, $2)',
      [importId, content],
    );
    let job = (await api('GET', `/api/v1/imports/${importId}`, token)).body;
    const deadline = Date.now() + 30_000;
    while (job.state !== 'applied' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await api('GET', `/api/v1/imports/${importId}`, token)).body;
    }
    expect(job).toMatchObject({ state: 'applied', report: { created: 1 } });
    expect((await api('GET', '/api/v1/skus?search=ORPHAN-1', token)).body.total).toBe(1);
  });
});

describe('who may upload, checked before the file is read', () => {
  /** Starts a 20 MB upload, sends 1 KiB of it and answers whatever comes back before the rest. */
  function startedUpload(headers: Record<string, string>): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const boundary = 'smartship-test-boundary';
      const request = httpRequest(`${base}/api/v1/skus/import`, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(20 * 1024 * 1024),
        },
      });
      request.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          request.destroy();
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        });
      });
      // The server may close the socket once it answered: that is the point, not a failure.
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
      request.write(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.csv"\r\ncontent-type: text/csv\r\n\r\n${'x'.repeat(1024)}`,
      );
      // Nothing more is sent: a server that waited for the body would never answer.
    });
  }

  it('a missing, unknown or read-only token is refused while the body is still being sent', async () => {
    const token = await tenantToken(`upload-${run}`);
    const readOnly = await api('POST', '/api/v1/tokens', token, { name: 'ro', scope: 'read' });
    expect((await startedUpload({})).status).toBe(401);
    const unknown = await startedUpload({ authorization: 'Bearer sst_not_a_real_token' });
    expect(unknown.status).toBe(401);
    const forbidden = await startedUpload({ authorization: `Bearer ${readOnly.body.token}` });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('ROLE_FORBIDDEN');
  });

  it('a person signed in with the session cookie imports with the CSRF token, not without', async () => {
    const created = await api('POST', '/api/v1/tenants', OPERATOR_TOKEN, {
      name: `upload-session-${run}`,
    });
    const token = created.body.token.token as string;
    const email = `staff-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'correct-horse-battery-7';
    const hash = await gateway.get(PasswordHasher).hash(password);
    await gateway.get(DataSource).query(
      `INSERT INTO gateway.users (id, tenant_id, email, password_hash, role)
         VALUES ($1, $2, $3, $4, 'staff')`,
      [randomUUID(), created.body.tenant.id, email, hash],
    );
    const signIn = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = /smartship_session=([^;]*)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const csv = 'sku_code,sku_name\nSESSION-1,imported by a person\n';
    const send = (csrf: string | null) =>
      fetch(`${base}/api/v1/skus/import`, {
        method: 'POST',
        headers: {
          cookie: `smartship_session=${cookie}`,
          ...(csrf ? { 'x-csrf-token': csrf } : {}),
        },
        body: upload('session.csv', csv),
      });
    const noCsrf = await send(null);
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { code: string }).code).toBe('CSRF_FAILED');
    expect((await api('GET', '/api/v1/skus?search=SESSION-1', token)).body.total).toBe(0);
    const imported = await send(csrfToken);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ applied: true, created: 1 });
    expect((await api('GET', '/api/v1/skus?search=SESSION-1', token)).body.total).toBe(1);
  });
});
