import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { testInfrastructure } from '@smartship/testing';

// tools/chaos is the `npm run chaos` script folder, not an Nx project: the spec runs the same
// run and checker as the command, by path.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { defaultOptions, runChaos } from '../../../tools/chaos/chaos';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { formatReport } from '../../../tools/chaos/checker';

/**
 * `npm run chaos` in short (issue 8): 600 orders over three shops while every service is
 * SIGKILLed once at a random moment and restarted (notifications too, while 40 alerts are
 * e-mailed and sent as webhooks), the test broker is restarted once, a private
 * PostgreSQL cluster is crashed (immediate stop) and restarted once, and the simulator injects
 * 5 % server errors, 2 % timeouts, throttling bursts and a maintenance window. The checker must
 * then count no lost order, no duplicate shipment.ready, no duplicate or missing tracking number
 * on Rakuten and no stock value that differs.
 *
 * The services run on their own PostgreSQL cluster (tools/chaos/pg.sh, port 55434, in
 * /tmp/smartship-pg-postgres-55434 while the test runs) so that it can be restarted without
 * touching the shared server; Kafka is the test broker, restarted with
 * tools/kafka/kafka.sh (KAFKA_PORT / KAFKA_DATA_DIR as `npm test` exports them).
 */
const infra = testInfrastructure();
const root = join(__dirname, '..', '..', '..');
const timeline = join(root, 'test-output', 'chaos', 'timeline.log');
const abort = new AbortController();
let running: Promise<unknown> | undefined;

beforeAll(() => {
  mkdirSync(join(root, 'test-output', 'chaos'), { recursive: true });
  writeFileSync(timeline, '');
});

// Should the test time out, the run is stopped with everything it started (services, the
// private PostgreSQL cluster) before Jest moves on.
afterAll(async () => {
  abort.abort(new Error('the test is over'));
  await running?.catch(() => undefined);
}, 120_000);

const kafkaPort = Number(process.env.KAFKA_PORT ?? infra.kafkaBrokers[0].split(':')[1]);

it('a run with kills, a broker and a database restart and Rakuten faults loses nothing and duplicates nothing', async () => {
  const lines: string[] = [];
  const result = await (running = runChaos(
    defaultOptions({
      root,
      orders: 600,
      shops: 3,
      waves: 2,
      waveIntervalMs: 10_000,
      killsPerService: 1,
      alertsPerTenantPerWave: 10,
      webhookFailureRate: 0.25,
      brokerRestarts: 1,
      postgresRestarts: 1,
      faults: true,
      maintenanceMs: 10_000,
      throttleBursts: 2,
      settleTimeoutMs: 240_000,
      portBases: Array.from({ length: 8 }, (_, k) => 27_000 + 30 * k),
      kafka: {
        port: kafkaPort,
        dataDir: process.env.KAFKA_DATA_DIR ?? join(root, '.data', `kafka-${kafkaPort}`),
        fresh: false,
      },
      postgres: { port: 55_434 },
      logDir: join(root, 'test-output', 'chaos'),
      seed: 4242,
      log: (line) => {
        lines.push(line);
        appendFileSync(timeline, `${line}\n`);
      },
      signal: abort.signal,
    }),
  ));
  const summary = `${lines.join('\n')}\n${formatReport(result.report)}`;

  expect({ settled: result.settled, summary }).toEqual({ settled: true, summary });
  // The summary rides along so that a failure shows the checker's notes (which order, which SKU).
  expect({ counts: result.report.counts, summary }).toEqual({
    counts: {
      ordersLost: 0,
      duplicateShipmentReady: 0,
      codAmountsWrong: 0,
      duplicateTrackingReports: 0,
      missingTrackingReports: 0,
      unexpectedTrackingReports: 0,
      stockValuesDiffer: 0,
    },
    summary,
  });
  expect(result.secretsInLogs).toBe(0);
  expect(result.failedDisruptions).toEqual([]);
  // The run did what it says: orders went through, and the disruptions happened.
  expect(result.report.figures.ordersGenerated).toBe(600);
  expect(result.report.figures.listingsCompared).toBeGreaterThan(0);
  // Cash on delivery and split shipments went through the same faults.
  expect(result.report.figures.codOrders).toBeGreaterThan(0);
  expect(result.report.figures.splitPackages).toBeGreaterThan(0);
  expect(
    Object.entries(result.disruptions.kills)
      .filter(([name]) => name !== 'rakuten-sim')
      .sort(([a], [b]) => a.localeCompare(b)),
  ).toEqual(
    ['credentials', 'fulfillment', 'gateway', 'ingestion', 'mapping', 'notifications'].map(
      (name) => [name, 1],
    ),
  );
  // Notifications: every alert reached its tenant's recipient and endpoint, signed. A SIGKILL
  // between sending and recording can send one again with the same Message-ID / webhook-id
  // (receivers drop it): at most what was in flight, DELIVERY_CONCURRENCY (16) per kill.
  const told = result.notifications;
  expect({ ...told, summary }).toMatchObject({
    emailsLost: 0,
    webhooksLost: 0,
    webhooksUnverified: 0,
    emailsReceived: told.emailsExpected,
  });
  expect(told.alertsPublished).toBe(2 * 2 * 10); // two tenants, two waves, ten each
  expect(told.webhooksRefused).toBeGreaterThan(0);
  expect(told.emailsDuplicate + told.webhooksDuplicate).toBeLessThanOrEqual(16);
  expect(result.disruptions.brokerRestarts).toBe(1);
  expect(result.disruptions.postgresRestarts).toBe(1);
  expect(result.disruptions.injectedFaults.http500).toBeGreaterThan(0);
  expect(result.disruptions.injectedFaults.maintenance).toBeGreaterThan(0);
});
