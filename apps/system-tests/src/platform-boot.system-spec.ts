import 'reflect-metadata';

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SecretBox } from '@smartship/crypto';
import {
  SERVICE_SCHEMAS,
  provisionServiceRoles,
  serviceDatabaseUrl,
  serviceRole,
} from '@smartship/persistence';
import { ServiceProcess, expectEventually, testInfrastructure } from '@smartship/testing';
import { Client } from 'pg';

/**
 * The seven apps boot for real: each migrates its own schema as its own database role, serves
 * health and metrics, and the gateway reaches the five internal services over the TCP transport.
 */
const infra = testInfrastructure();
// Whatever the tier's setting: this test is about the services running as their roles.
process.env.TEST_SERVICE_ROLES = '1';
const env = {
  NODE_ENV: 'test',
  DATABASE_URL: infra.databaseUrl,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
};

// Every service gets the same master key: credentials, ingestion and notifications read it.
const MASTER_KEYS = SecretBox.generateKey('boot');
const internal = [
  { app: 'credentials', http: 23101, tcp: 24101 },
  { app: 'ingestion', http: 23102, tcp: 24102 },
  { app: 'mapping', http: 23103, tcp: 24103 },
  { app: 'fulfillment', http: 23104, tcp: 24104 },
  { app: 'notifications', http: 23105, tcp: 24105 },
];
const services = [
  ...internal.map(
    ({ app, http, tcp }) =>
      new ServiceProcess({
        app,
        httpPort: http,
        env: { ...env, MASTER_KEYS, TCP_PORT: String(tcp) },
      }),
  ),
  new ServiceProcess({ app: 'rakuten-sim', httpPort: 23200, env: { NODE_ENV: 'test' } }),
];
const OPERATOR_TOKEN = `boot-test-operator-${'x'.repeat(32)}`;
const gateway = new ServiceProcess({
  app: 'gateway',
  httpPort: 23000,
  env: {
    ...env,
    CREDENTIALS_TCP: '127.0.0.1:24101',
    INGESTION_TCP: '127.0.0.1:24102',
    MAPPING_TCP: '127.0.0.1:24103',
    FULFILLMENT_TCP: '127.0.0.1:24104',
    NOTIFICATIONS_TCP: '127.0.0.1:24105',
    OPERATOR_TOKEN,
  },
});
const all = [...services, gateway];
const ports = {
  gateway: 23000,
  credentials: 23101,
  ingestion: 23102,
  mapping: 23103,
  fulfillment: 23104,
  notifications: 23105,
  'rakuten-sim': 23200,
};

beforeAll(async () => {
  // The roles as prepare-db makes them (idempotent), in case this runs on a database it did not.
  const admin = new Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  try {
    await provisionServiceRoles(admin, new URL(infra.databaseUrl).pathname.slice(1));
  } finally {
    await admin.end();
  }
  await Promise.all(services.map((service) => service.start()));
  await gateway.start();
});

afterAll(async () => {
  await Promise.all(all.map((service) => service.stop()));
});

it.each(Object.entries(ports))(
  '%s serves /health/live, /health/ready and /metrics',
  async (app, port) => {
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(live.status).toBe(200);
    const ready = (await (await fetch(`http://127.0.0.1:${port}/health/ready`)).json()) as {
      status: string;
      details: Record<string, { status: string }>;
    };
    expect(ready.status).toBe('ok');
    if (app !== 'rakuten-sim') {
      expect(ready.details.database.status).toBe('up');
      expect(ready.details.kafka.status).toBe('up');
    }
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('process_cpu_seconds_total');
    if (app !== 'rakuten-sim') expect(metrics).toContain('smartship_outbox_published_total');
  },
);

it('each backend service ran its own migrations in its own schema', async () => {
  const db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  try {
    for (const schema of SERVICE_SCHEMAS) {
      const applied = await db.query(`SELECT name FROM "${schema}".migrations`);
      // Each schema starts with its Initial<timestamp> migration (notifications came later).
      expect(applied.rows.map((row: { name: string }) => row.name)).toContainEqual(
        expect.stringMatching(/^Initial\d{13}$/),
      );
      const tables = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
        [schema],
      );
      expect(tables.rows.map((row: { table_name: string }) => row.table_name)).toEqual(
        expect.arrayContaining(['outbox', 'inbox', 'migrations']),
      );
    }
  } finally {
    await db.end();
  }
});

it('each service connects as its own role, which cannot read another service’s tables', async () => {
  const admin = new Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  try {
    // Pools close idle connections: look until every service has been seen.
    await expectEventually(async () => {
      const sessions = await admin.query<{ application_name: string; usename: string }>(
        `SELECT DISTINCT application_name, usename FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = ANY($1)`,
        [SERVICE_SCHEMAS],
      );
      expect(
        Object.fromEntries(sessions.rows.map((row) => [row.application_name, row.usename])),
      ).toEqual(
        Object.fromEntries(SERVICE_SCHEMAS.map((service) => [service, serviceRole(service)])),
      );
    });
  } finally {
    await admin.end();
  }
  const mapping = new Client({
    connectionString: serviceDatabaseUrl(infra.databaseUrl, 'mapping'),
  });
  await mapping.connect();
  try {
    // Its own tables, yes; credentials' shops (key ciphertexts) and the gateway's token hashes, no.
    await expect(
      mapping.query('SELECT count(*) FROM mapping.mapped_orders'),
    ).resolves.toBeDefined();
    for (const table of [
      'credentials.shops',
      'gateway.api_tokens',
      'fulfillment.fulfillment_orders',
    ]) {
      await expect(mapping.query(`SELECT 1 FROM ${table} LIMIT 1`)).rejects.toMatchObject({
        code: '42501', // insufficient_privilege
      });
    }
    // Nor can it make a schema of its own, or tables outside its schema.
    await expect(mapping.query('CREATE SCHEMA sneaky')).rejects.toMatchObject({ code: '42501' });
    await expect(mapping.query('CREATE TABLE public.sneaky (a int)')).rejects.toMatchObject({
      code: '42501',
    });
  } finally {
    await mapping.end();
  }
});

it('the gateway reaches every internal service over the TCP transport, with a request id', async () => {
  // The operator sees each service's reply; an anonymous caller only whether it answers.
  const anonymous = await fetch('http://127.0.0.1:23000/api/v1/system/ping');
  expect(JSON.stringify(await anonymous.json())).not.toContain('pid');
  const response = await fetch('http://127.0.0.1:23000/api/v1/system/ping', {
    headers: { 'X-Request-Id': 'boot-test-ping', Authorization: `Bearer ${OPERATOR_TOKEN}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-request-id')).toBe('boot-test-ping');
  const body = (await response.json()) as {
    services: { service: string; reachable: boolean; reply: { pid: number } }[];
  };
  expect(body.services.map((s) => [s.service, s.reachable])).toEqual(
    internal.map(({ app }) => [app, true]),
  );
  // Each answer comes from the process we started, not from something else on the port.
  expect(body.services.map((s) => s.reply.pid)).toEqual(
    services.slice(0, internal.length).map((s) => s.pid),
  );
  await expectEventually(() =>
    expect(readFileSync(gateway.logFile, 'utf8')).toContain('"requestId":"boot-test-ping"'),
  );
});

it('the gateway answers 503 and names the service when one is down', async () => {
  await services[2].stop();
  const response = await fetch('http://127.0.0.1:23000/api/v1/system/ping');
  expect(response.status).toBe(503);
  const body = (await response.json()) as { code: string; message: string };
  expect(body.code).toBe('SERVICE_UNREACHABLE');
  expect(body.message).toContain('mapping');
});

it('a service with a malformed variable refuses to start and names it', () => {
  const main = join(
    __dirname,
    '..',
    '..',
    '..',
    'dist',
    'apps',
    'mapping',
    'apps',
    'mapping',
    'src',
    'main.js',
  );
  const result = spawnSync(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      ...env,
      HTTP_PORT: 'eighty',
      KAFKA_BROKERS: 'not a broker list',
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(78);
  expect(result.stderr).toContain('HTTP_PORT=eighty');
  expect(result.stderr).toContain('KAFKA_BROKERS=not a broker list');
});
