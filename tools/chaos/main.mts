/**
 * `npm run chaos`: the chaos run (tools/chaos/chaos.ts) with the figures of issue 8 — 20,000
 * orders over three shops, every service SIGKILLed several times, the broker and PostgreSQL
 * restarted, faults injected by the simulator — then the checker's counts. Exits 1 when any
 * count is not 0 (or a secret shows up in a log), 2 when the run itself failed.
 *
 * Environment: CHAOS_ORDERS (20000), CHAOS_SHOPS (3), CHAOS_WAVES (6), CHAOS_WAVE_INTERVAL_MS
 * (20000), CHAOS_KILLS (3 per service), CHAOS_BROKER_RESTARTS (1), CHAOS_PG_RESTARTS (1),
 * CHAOS_MAINTENANCE_MS (60000), CHAOS_SEED, CHAOS_FAULTS (1), CHAOS_SETTLE_TIMEOUT_MS (900000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { defaultOptions, runChaos } from './chaos.ts';
import { formatReport } from './checker.ts';

const number = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name}=${raw}: must be a number ≥ 0`);
    process.exit(2);
  }
  return value;
};

const options = defaultOptions({
  orders: number('CHAOS_ORDERS', 20_000),
  shops: Math.max(1, number('CHAOS_SHOPS', 3)),
  waves: Math.max(1, number('CHAOS_WAVES', 6)),
  waveIntervalMs: number('CHAOS_WAVE_INTERVAL_MS', 20_000),
  killsPerService: number('CHAOS_KILLS', 3),
  alertsPerTenantPerWave: number('CHAOS_ALERTS', 25),
  brokerRestarts: number('CHAOS_BROKER_RESTARTS', 1),
  postgresRestarts: number('CHAOS_PG_RESTARTS', 1),
  maintenanceMs: number('CHAOS_MAINTENANCE_MS', 60_000),
  faults: process.env.CHAOS_FAULTS !== '0',
  settleTimeoutMs: number('CHAOS_SETTLE_TIMEOUT_MS', 15 * 60_000),
  ...(process.env.CHAOS_SEED ? { seed: number('CHAOS_SEED', 1) } : {}),
  ...(process.env.CHAOS_DIST ? { dist: process.env.CHAOS_DIST } : {}),
});

console.log(
  `▶ chaos run: ${options.orders} orders, ${options.shops} shops, ${options.waves} waves, ${options.killsPerService} SIGKILLs per service, ${options.brokerRestarts} broker and ${options.postgresRestarts} PostgreSQL restarts, faults ${options.faults ? 'on' : 'off'}, seed ${options.seed}`,
);
console.log(`  service logs in ${options.logDir}`);

const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopping the run and everything it started…`);
    abort.abort(new Error(`interrupted by ${signal}`));
  });
}

try {
  const result = await runChaos({ ...options, signal: abort.signal });
  const d = result.disruptions;
  console.log('\n── Chaos run summary ─────────────────────────────────────────────');
  console.log(
    `  duration                           ${(result.durationMs / 1000).toFixed(0)} s (settled: ${result.settled})`,
  );
  console.log(
    `  SIGKILLs                           ${Object.entries(d.kills)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ')}`,
  );
  console.log(
    `  ended by themselves, restarted     ${
      Object.entries(d.selfExits)
        .filter(([, n]) => n > 0)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(`  broker restarts                    ${d.brokerRestarts}`);
  console.log(`  PostgreSQL restarts (crash)        ${d.postgresRestarts}`);
  console.log(
    `  RMS calls / injected faults        ${d.rmsCalls} / ${
      Object.entries(d.injectedFaults)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(
    `  maintenance window                 ${d.maintenanceWindowMs / 1000} s; throttling bursts ${d.throttleBursts}`,
  );
  console.log(
    `  warehouse                          ${result.warehouse.shipped} fulfillment orders shipped via the gateway, ${result.warehouse.retries} calls retried`,
  );
  console.log(`  secrets found in logs / on Kafka   ${result.secretsInLogs}`);
  console.log(
    `  disruptions that failed            ${result.failedDisruptions.length ? result.failedDisruptions.join('; ') : 'none'}`,
  );
  console.log('\n── Checker ───────────────────────────────────────────────────────');
  console.log(formatReport(result.report));
  const n = result.notifications;
  console.log('\n── Notifications ─────────────────────────────────────────────────');
  console.log(`  alerts published on shop.alert        ${n.alertsPublished}`);
  console.log(
    `  e-mails: received / expected         ${n.emailsReceived} / ${n.emailsExpected} (lost ${n.emailsLost}, sent twice with the same Message-ID ${n.emailsDuplicate})`,
  );
  console.log(
    `  webhooks: delivered / expected       ${n.webhooksDelivered} / ${n.webhooksExpected} (lost ${n.webhooksLost}, delivered twice with the same webhook-id ${n.webhooksDuplicate}, refused on purpose and retried ${n.webhooksRefused}, bad signatures ${n.webhooksUnverified})`,
  );
  const out = join(options.root, '.data', 'chaos-result.json');
  mkdirSync(join(options.root, '.data'), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ options: { ...options, log: undefined }, ...result }, null, 2),
  );
  console.log(`\n  full result: ${out}`);
  const passed =
    result.report.ok &&
    n.emailsLost === 0 &&
    n.webhooksLost === 0 &&
    n.webhooksUnverified === 0 &&
    result.secretsInLogs === 0 &&
    result.settled &&
    result.failedDisruptions.length === 0;
  process.exit(passed ? 0 : 1);
} catch (error) {
  console.error(`✖ the chaos run failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(2);
}
