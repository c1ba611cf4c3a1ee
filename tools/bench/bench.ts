/*
 * `npm run bench` (tools/scripts/bench.sh): the platform's benchmarks of issue 8, on a Kafka
 * broker and a database of their own, with every service as a process. Prints a table and
 * writes .data/bench/latest.json (and a copy named after the time).
 *
 *   BENCH_SHOPS (10), BENCH_ORDERS (2,000 per shop)   pipeline size
 *   BENCH_LIMIT_ORDERS (10,000)                       backlog of the 1 request/s benchmark
 *   BENCH_MANY_SHOPS (2,000)                          shops registered for each many-shops round
 *   BENCH_FRESH_SECONDS (60)                          length of the freshness run
 *   BENCH_IMPORT_ROWS (60,000)                        rows of the SKU import (imports)
 *   BENCH_LISTINGS (50,000), BENCH_ITEM_RPS (20)      listings import size and item rate
 *   BENCH_QUICK=1                                     4 × 500, 2,000, 200 shops, 20 s, 10,000 rows, 5,000 items
 *   BENCH_ONLY=pipeline,baseline,limit,many,fresh,imports,listings   run some sections only
 *   BENCH_POLL_CONCURRENCY                            ingestion's POLL_CONCURRENCY (default: its own, 16)
 *   BENCH_KAFKA_PORT (19792), BENCH_DATABASE_URL (…/smartship_bench)
 *   BENCH_PROFILE=1                                   CPU profile of every service (profile.ts)
 */
import 'reflect-metadata';

import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from 'pg';

import {
  type FreshnessResult,
  type IngestionLimitResult,
  type ManyShopsResult,
  type PipelineResult,
  type BaselineResult,
  benchKafka,
  freshness,
  ingestionLimit,
  kafkaBaseline,
  manyShops,
  pipeline,
} from './sections';
import { type ImportsResult, type ListingsResult, imports, listingsImport } from './catalog';
import { PROFILE_DIR, resetProfiles, summarizeProfiles } from './profile';
import { BenchKafka, BenchStack, ROOT, SIM, freshDatabase, http } from './stack';
import { fmt, round, table } from './stats';

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const num = (name: string, full: number, quick: number) =>
  Number(env[name] ?? (QUICK ? quick : full));
const SHOPS = num('BENCH_SHOPS', 10, 4);
const ORDERS = num('BENCH_ORDERS', 2_000, 500);
const LIMIT_ORDERS = num('BENCH_LIMIT_ORDERS', 10_000, 2_000);
const MANY_SHOPS = num('BENCH_MANY_SHOPS', 2_000, 200);
const FRESH_SECONDS = num('BENCH_FRESH_SECONDS', 60, 20);
const IMPORT_ROWS = num('BENCH_IMPORT_ROWS', 60_000, 10_000);
const LISTINGS = num('BENCH_LISTINGS', 50_000, 5_000);
const ITEM_RPS = num('BENCH_ITEM_RPS', 20, 20);
const ONLY = new Set(
  (env.BENCH_ONLY ?? 'pipeline,baseline,fresh,limit,many,imports,listings').split(','),
);
const KAFKA_PORT = Number(env.BENCH_KAFKA_PORT ?? 19_792);
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/smartship_bench';
const BROKERS = `127.0.0.1:${KAFKA_PORT}`;
const PROFILE = env.BENCH_PROFILE === '1';

interface Results {
  startedAt: string;
  finishedAt?: string;
  quick: boolean;
  machine: Record<string, unknown>;
  pipeline?: PipelineResult;
  baseline?: BaselineResult & { pipelineRatio: number };
  freshness?: FreshnessResult;
  ingestionLimit?: IngestionLimitResult;
  manyShops?: ManyShopsResult[];
  imports?: ImportsResult;
  listings?: ListingsResult;
  errors: string[];
}

async function machine(): Promise<Record<string, unknown>> {
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const { rows } = await db.query<{ version: string }>('SELECT version()');
  await db.end();
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres: rows[0].version.split(' on ')[0],
    kafka: env.KAFKA_MAJOR === '4' ? '4.1.2' : '3.9.1',
    topicPartitions: 6,
  };
}

async function section<T>(
  results: Results,
  name: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  process.stdout.write(`▶ ${name}\n`);
  try {
    return await run();
  } catch (error) {
    const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
    process.stdout.write(`  FAILED ${message}\n`);
    results.errors.push(message);
    return undefined;
  }
}

function report(r: Results): string {
  const rows: (string | number)[][] = [];
  const p = r.pipeline;
  if (p) {
    rows.push([
      'pipeline throughput',
      `${fmt(p.ordersPerSecond)} orders/s`,
      `${p.shops} shops × ${fmt(p.ordersPerShop)} orders, first pull → last shipment.ready in ${p.seconds} s (target 3,000/s)`,
    ]);
    const hop = (name: string, h: { p50: number; p99: number }) =>
      rows.push([`  ${name}`, `p50 ${fmt(h.p50)} ms`, `p99 ${fmt(h.p99)} ms`]);
    hop('pull → order.pulled', p.hopsMs.pollToPulled);
    hop('order.pulled → order.mapped', p.hopsMs.pulledToMapped);
    hop('order.mapped → shipment.ready', p.hopsMs.mappedToReady);
    hop('pull → shipment.ready', p.hopsMs.pollToReady);
    rows.push([
      'CPU per order, steady state',
      `${fmt(p.steadyCpuMsPerOrder['total'] ?? Number.NaN, 2)} ms`,
      `all services but the simulator, each from 20 % to 80 % of its own output (${Object.entries(
        p.steadyCpuMsPerOrder,
      )
        .filter(([name]) => name !== 'total')
        .map(([name, ms]) => `${name} ${fmt(ms, 2)}`)
        .join(', ')}) (target ≤ 1.0)`,
    ]);
  }
  if (r.baseline) {
    rows.push([
      'raw KafkaJS produce → consume',
      `${fmt(r.baseline.messagesPerSecond)} msgs/s`,
      `${fmt(r.baseline.messages)} × ${r.baseline.bytes} B; pipeline / raw = ${r.baseline.pipelineRatio}`,
    ]);
  }
  if (r.freshness) {
    rows.push([
      'freshness (sim → shipment.ready)',
      `p99 ${fmt(r.freshness.freshnessMs.p99)} ms`,
      `p50 ${fmt(r.freshness.freshnessMs.p50)} ms at ${fmt(r.freshness.ordersPerSecond)} orders/s, pull every 1 s, ${fmt(r.freshness.orders)} orders`,
    ]);
  }
  const l = r.ingestionLimit;
  if (l) {
    rows.push([
      'ingestion at 1 request/s',
      `${l.seconds} s`,
      `${fmt(l.orders)} orders; lower bound ${l.lowerBoundSeconds} s; ${l.calls} calls (${Object.entries(
        l.callsByFunction,
      )
        .map(([f, n]) => `${f} ${n}`)
        .join(', ')}); ${l.throttled} throttled; ${l.callsPerOrder} calls/order`,
    ]);
  }
  for (const m of r.manyShops ?? []) {
    rows.push([
      `shops per ingestion (${m.instances} instance${m.instances > 1 ? 's' : ''})`,
      `${fmt(m.shopsPer5Minutes)} per 5 min`,
      `round over ${m.shops} shops in ${m.roundSeconds} s (${m.pollsPerSecond} polls/s, ${m.ordersPerShop} orders each, 1 req/s per key, POLL_CONCURRENCY ${env.BENCH_POLL_CONCURRENCY ?? 'default'}); ${m.throttled} throttled`,
    ]);
  }
  const [one, two] = r.manyShops ?? [];
  if (one && two) {
    rows.push([
      '  2 instances ÷ 1',
      `${round(two.pollsPerSecond / one.pollsPerSecond, 2)} ×`,
      'polls per second over the same number of shops (target ≥ 1.8 ×)',
    ]);
  }
  const im = r.imports;
  if (im) {
    rows.push([
      'SKU import end to end',
      `${fmt(im.rowsPerSecond)} rows/s`,
      `${fmt(im.rows)} rows (${fmt(im.fileBytes / 1024)} KiB CSV) uploaded → applied in ${im.seconds} s (target ≥ 10,000/s)`,
    ]);
    rows.push([
      '  mapping during the import',
      `peak RSS ${fmt(im.peakRssMiB)} MiB`,
      `${fmt(im.rssBeforeMiB)} MiB before, after the two refusals (target ≤ 256 MiB)`,
    ]);
    rows.push([
      '  zip bomb refused',
      `peak RSS ${fmt(im.zipBomb.peakRssMiB)} MiB`,
      `${fmt(im.zipBomb.fileBytes / 1024)} KiB → ${im.zipBomb.unpackedMiB} MiB, ${im.zipBomb.code} in ${fmt(im.zipBomb.ms)} ms, from the idle service (target ≤ 256 MiB)`,
    ]);
    rows.push([
      '  3.5 M-row CSV refused',
      `peak RSS ${fmt(im.longCsv.peakRssMiB)} MiB`,
      `${fmt(im.longCsv.fileBytes / 2 ** 20, 1)} MiB, ${im.longCsv.code} in ${fmt(im.longCsv.ms)} ms`,
    ]);
  }
  const li = r.listings;
  if (li) {
    rows.push([
      'listings import at the item rate',
      `${li.ratio} × lower bound`,
      `${fmt(li.items)} items at ${li.rps} req/s: ${li.calls} calls (lower bound ${li.lowerBoundCalls}), first → last call ${li.spanSeconds} s vs ${li.lowerBoundSeconds} s; run ${li.runSeconds} s; mapping peak ${fmt(li.mappingPeakRssMiB)} MiB (target ≤ 1.1 ×)`,
    ]);
  }
  if (p) {
    for (const [service, mem] of Object.entries(p.memory)) {
      rows.push([
        `  ${service}`,
        `peak RSS ${fmt(mem.peakRssMiB)} MiB`,
        `CPU ${fmt(p.cpuMsPerOrder[service], 2)} ms/order over the whole run (high-water RSS ${fmt(mem.highWaterMiB)} MiB)`,
      ]);
    }
  }
  return table(['benchmark', 'figure', 'details'], rows);
}

async function main(): Promise<void> {
  const results: Results = {
    startedAt: new Date().toISOString(),
    quick: QUICK,
    machine: {},
    errors: [],
  };
  const kafkaProcess = new BenchKafka(KAFKA_PORT);
  freshDatabase(DATABASE_URL);
  kafkaProcess.start();
  results.machine = await machine();
  const stack = new BenchStack({
    databaseUrl: DATABASE_URL,
    brokers: BROKERS,
    ingestionEnv: {
      RAKUTEN_ORDER_RPS: '1000',
      RAKUTEN_ITEM_RPS: String(ITEM_RPS),
      // The services start with a clean environment; these reach ingestion on purpose.
      ...(env.BENCH_POLL_CONCURRENCY ? { POLL_CONCURRENCY: env.BENCH_POLL_CONCURRENCY } : {}),
    },
    profile: PROFILE,
  });
  if (PROFILE) resetProfiles();
  const kafka = benchKafka(BROKERS);
  let exitCode = 0;
  const stopOnSignal = () => {
    void stack.stop().finally(() => {
      kafkaProcess.stop();
      process.exit(130);
    });
  };
  process.once('SIGINT', stopOnSignal);
  try {
    process.stdout.write('▶ starting Kafka, PostgreSQL database, simulator and services\n');
    await stack.start();
    await http('PUT', `${SIM}/__sim/settings`, { callLogBodies: false });

    if (ONLY.has('pipeline')) {
      results.pipeline = await section(results, `pipeline: ${SHOPS} shops × ${ORDERS} orders`, () =>
        pipeline(stack, kafka, DATABASE_URL, SHOPS, ORDERS),
      );
    }
    if (ONLY.has('baseline')) {
      const messages = results.pipeline?.orders ?? SHOPS * ORDERS;
      const bytes = results.pipeline?.messageBytes ?? 2_000;
      const baseline = await section(results, `raw KafkaJS baseline: ${messages} messages`, () =>
        kafkaBaseline(kafka, messages, bytes),
      );
      if (baseline) {
        results.baseline = {
          ...baseline,
          pipelineRatio: results.pipeline
            ? round(results.pipeline.ordersPerSecond / baseline.messagesPerSecond, 3)
            : Number.NaN,
        };
      }
    }
    if (ONLY.has('fresh')) {
      const max = results.pipeline?.ordersPerSecond ?? 200;
      results.freshness = await section(
        results,
        `freshness at half load (${Math.round(max / 2)} orders/s)`,
        () => freshness(stack, kafka, DATABASE_URL, max / 2, FRESH_SECONDS, Math.min(4, SHOPS)),
      );
    }
    if (ONLY.has('limit')) {
      results.ingestionLimit = await section(
        results,
        `ingestion vs 1 request/s: ${LIMIT_ORDERS} orders`,
        () => ingestionLimit(stack, kafka, DATABASE_URL, LIMIT_ORDERS),
      );
    }
    if (ONLY.has('many')) {
      results.manyShops = [];
      for (const [instances, first] of [
        [1, 10_000],
        [2, 20_000],
      ]) {
        const m = await section(results, `many shops, ${instances} ingestion instance(s)`, () =>
          manyShops(stack, DATABASE_URL, instances, MANY_SHOPS, first),
        );
        if (m) results.manyShops.push(m);
      }
    }
    if (ONLY.has('imports')) {
      results.imports = await section(
        results,
        `SKU import: ${IMPORT_ROWS} rows, zip bomb, 3.5 M rows`,
        () => imports(stack, IMPORT_ROWS),
      );
    }
    if (ONLY.has('listings')) {
      results.listings = await section(
        results,
        `listings import: ${LISTINGS} items at ${ITEM_RPS} req/s`,
        () => listingsImport(stack, LISTINGS, ITEM_RPS),
      );
    }
  } catch (error) {
    results.errors.push(error instanceof Error ? error.message : String(error));
    exitCode = 1;
  } finally {
    process.stdout.write('▶ stopping services and Kafka\n');
    await stack.stop().catch(() => undefined);
    kafkaProcess.stop();
  }
  results.finishedAt = new Date().toISOString();
  const dir = join(ROOT, '.data', 'bench');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2);
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, `bench-${results.startedAt.replace(/[:.]/g, '-')}.json`), json);
  process.stdout.write(`\n${report(results)}\n`);
  process.stdout.write(`machine: ${JSON.stringify(results.machine)}\n`);
  if (PROFILE) {
    process.stdout.write(`\nCPU self time by place (${PROFILE_DIR}):\n${summarizeProfiles()}\n`);
  }
  process.stdout.write(`results: .data/bench/latest.json\n`);
  if (results.errors.length > 0) {
    process.stdout.write(`errors:\n  ${results.errors.join('\n  ')}\n`);
    exitCode = 1;
  }
  process.exit(exitCode);
}

void main();
