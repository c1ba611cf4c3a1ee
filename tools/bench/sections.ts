import type { Topic } from '@smartship/contracts';
import { createKafka, createProducer, ensureTopics } from '@smartship/messaging';
import type { Kafka } from 'kafkajs';
import pino from 'pino';

import { TimestampCollector } from './collector';
import {
  API,
  type BenchShop,
  type BenchStack,
  SIM,
  http,
  pooled,
  pull,
  setupShop,
  startPull,
  waitShopsKnown,
} from './stack';
import {
  type Percentiles,
  type ProcessUsage,
  RssSampler,
  percentiles,
  round,
  sleep,
} from './stats';

const quiet = pino({ level: 'silent' });

export function benchKafka(brokers: string): Kafka {
  return createKafka({ brokers: brokers.split(','), clientId: 'bench', logger: quiet });
}

const say = (line: string) => process.stdout.write(`  ${line}\n`);

// ---------------------------------------------------------------------------------------------
// 1. Pipeline throughput

export interface PipelineResult {
  shops: number;
  ordersPerShop: number;
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  hopsMs: {
    pollToPulled: Percentiles;
    pulledToMapped: Percentiles;
    mappedToReady: Percentiles;
    pollToReady: Percentiles;
  };
  messageBytes: number;
  /** Peak RSS and CPU time per service during the run. */
  memory: Record<string, ProcessUsage>;
  /** CPU time per order per service, ms, over the whole run (start-up of the run included). */
  cpuMsPerOrder: Record<string, number>;
  /**
   * CPU time per order per service, ms, in steady state: for each service, the CPU it used while
   * its own output (order.pulled, order.mapped, shipment.ready) went from 20 % to 80 % of the
   * orders, divided by the orders it produced meanwhile. Services that produce none of the three
   * are counted over the fulfillment window. `total` is the sum.
   */
  steadyCpuMsPerOrder: Record<string, number>;
}

/** Which topic's count measures each service's own progress (see steadyCpuMsPerOrder). */
const OUTPUT_OF: Record<string, 'order.pulled' | 'order.mapped' | 'shipment.ready'> = {
  ingestion: 'order.pulled',
  mapping: 'order.mapped',
  fulfillment: 'shipment.ready',
};

/** Snapshots of CPU time and output count as a topic's count crosses 20 % and 80 %. */
class SteadyWindow {
  private readonly marks = new Map<string, { count: number; cpu: Record<string, number> }[]>();

  constructor(
    private readonly expected: number,
    private readonly sampler: RssSampler,
  ) {}

  /** Called on every tick with the counts so far. */
  observe(counts: Record<string, number>): void {
    for (const [topic, count] of Object.entries(counts)) {
      const marks = this.marks.get(topic) ?? [];
      const next = marks.length === 0 ? 0.2 : marks.length === 1 ? 0.8 : null;
      if (next !== null && count >= next * this.expected) {
        marks.push({ count, cpu: this.sampler.cpuNowMs() });
        this.marks.set(topic, marks);
      }
    }
  }

  perOrder(): Record<string, number> {
    const out: Record<string, number> = {};
    const fallback = this.marks.get('shipment.ready');
    let total = 0;
    const services = Object.keys(fallback?.[0]?.cpu ?? {});
    for (const service of services) {
      const topic = OUTPUT_OF[service.replace(/-\d+$/, '')] ?? 'shipment.ready';
      const marks = this.marks.get(topic);
      if (!marks || marks.length < 2) continue;
      const [a, b] = marks;
      const orders = b.count - a.count;
      if (orders <= 0) continue;
      const value = ((b.cpu[service] ?? 0) - (a.cpu[service] ?? 0)) / orders;
      out[service] = round(value, 3);
      if (service !== 'rakuten-sim') total += value;
    }
    out['total'] = round(total, 3);
    return out;
  }
}

export async function pipeline(
  stack: BenchStack,
  kafka: Kafka,
  databaseUrl: string,
  shopCount: number,
  ordersPerShop: number,
): Promise<PipelineResult> {
  say(`setting up ${shopCount} shops × ${ordersPerShop} orders (catalog and stock each)…`);
  const shops = await pooled(
    Array.from({ length: shopCount }, (_, i) => i),
    4,
    (i) =>
      setupShop(stack, {
        name: `pipe${Date.now().toString(36)}${i}`,
        simShopId: String(5000 + i),
        orders: ordersPerShop,
        catalog: true,
      }),
  );
  await waitShopsKnown(databaseUrl, shops);
  const ids = shops.map((shop) => shop.id);
  const collector = await new TimestampCollector(kafka, [
    'order.pulled',
    'order.mapped',
    'shipment.ready',
  ]).start();
  const sampler = new RssSampler(() => stack.pids()).start();
  say('pulling every shop at once…');
  const t0 = Date.now();
  await Promise.all(shops.map((shop) => startPull(shop)));
  const expected = shopCount * ordersPerShop;
  const steady = new SteadyWindow(expected, sampler);
  let last = -1;
  for (let tick = 0; ; tick++) {
    const ready = collector.countForShops('shipment.ready', ids);
    steady.observe({
      'order.pulled': collector.countForShops('order.pulled', ids),
      'order.mapped': collector.countForShops('order.mapped', ids),
      'shipment.ready': ready,
    });
    if (ready >= expected) break;
    if (tick % 10 === 0 && ready !== last) {
      say(
        `${((Date.now() - t0) / 1000).toFixed(0)} s: pulled ${collector.countForShops('order.pulled', ids)}, ` +
          `mapped ${collector.countForShops('order.mapped', ids)}, ready ${ready} of ${expected}`,
      );
      last = ready;
    }
    if (Date.now() - t0 > 30 * 60_000) throw new Error('pipeline: not done within 30 minutes');
    await sleep(200);
  }
  const memory = sampler.stop();
  const pulled = collector.forShops('order.pulled', ids);
  const mapped = collector.forShops('order.mapped', ids);
  const ready = collector.forShops('shipment.ready', ids);
  await collector.stop();
  const end = Math.max(...ready.values());
  const hop = (from: Map<string, number> | null, to: Map<string, number>) => {
    const values: number[] = [];
    for (const [key, ts] of to) {
      const start = from ? from.get(key) : t0;
      if (start !== undefined) values.push(ts - start);
    }
    return percentiles(values);
  };
  const seconds = (end - t0) / 1000;
  return {
    shops: shopCount,
    ordersPerShop,
    orders: expected,
    seconds: round(seconds, 2),
    ordersPerSecond: round(expected / seconds),
    hopsMs: {
      pollToPulled: hop(null, pulled),
      pulledToMapped: hop(pulled, mapped),
      mappedToReady: hop(mapped, ready),
      pollToReady: hop(null, ready),
    },
    messageBytes: round(collector.sizes.reduce((a, b) => a + b, 0) / collector.sizes.length),
    memory,
    cpuMsPerOrder: Object.fromEntries(
      Object.entries(memory).map(([name, usage]) => [name, round(usage.cpuMs / expected, 2)]),
    ),
    steadyCpuMsPerOrder: steady.perOrder(),
  };
}

// ---------------------------------------------------------------------------------------------
// Raw KafkaJS baseline: the same number of messages of the same size, produce → consume

export interface BaselineResult {
  messages: number;
  bytes: number;
  seconds: number;
  messagesPerSecond: number;
}

export async function kafkaBaseline(
  kafka: Kafka,
  messages: number,
  bytes: number,
): Promise<BaselineResult> {
  const topic = `bench.raw.${Date.now().toString(36)}`;
  // Not one of the platform's topics: a throwaway name for the baseline.
  await ensureTopics(kafka, { topics: [topic as Topic], partitions: 6 }, quiet);
  // The services' producer settings (idempotent, acks -1, one request in flight) and their relay's
  // batch size, so the ratio compares like with like.
  const producer = createProducer(kafka);
  await producer.connect();
  const consumer = kafka.consumer({
    groupId: `${topic}.group`,
    sessionTimeout: 10_000,
    maxBytes: 50 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let received = 0;
  let lastAt = 0;
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      received += batch.messages.length;
      lastAt = Date.now();
      await Promise.resolve();
    },
  });
  while (!joined) await sleep(50);
  const value = 'x'.repeat(Math.max(1, bytes));
  const started = Date.now();
  for (let sent = 0; sent < messages; sent += 500) {
    const n = Math.min(500, messages - sent);
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: n }, (_, i) => ({ key: `shop:${sent + i}`, value })),
    });
  }
  while (received < messages) {
    if (Date.now() - started > 10 * 60_000) throw new Error('baseline: not consumed in 10 min');
    await sleep(20);
  }
  await consumer.disconnect();
  await producer.disconnect();
  const seconds = (lastAt - started) / 1000;
  return {
    messages,
    bytes,
    seconds: round(seconds, 2),
    messagesPerSecond: round(messages / seconds),
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Ingestion against Rakuten's 1 request/s

export interface IngestionLimitResult {
  orders: number;
  seconds: number;
  lowerBoundSeconds: number;
  calls: number;
  callsByFunction: Record<string, number>;
  throttled: number;
  callsPerOrder: number;
}

interface SimCall {
  atMs: number;
  function: string | null;
  shopId: string | null;
  status: number;
}

async function callsOf(simShopId: string, sinceMs: number): Promise<SimCall[]> {
  const answer = await http<SimCall[]>('GET', `${SIM}/__sim/calls?shopId=${simShopId}`);
  return answer.body.filter((call) => call.atMs >= sinceMs);
}

export async function ingestionLimit(
  stack: BenchStack,
  kafka: Kafka,
  databaseUrl: string,
  orders: number,
): Promise<IngestionLimitResult> {
  await stack.startIngestion(1, { RAKUTEN_ORDER_RPS: '1' });
  const shop = await setupShop(stack, {
    name: `limit${Date.now().toString(36)}`,
    simShopId: '7000',
    orders,
    orderRps: 1,
  });
  await waitShopsKnown(databaseUrl, [shop]);
  // The connection test just used the key: start with a full bucket, as a poll would.
  await sleep(1_500);
  say(`one shop, ${orders} orders waiting, 1 request/s: pulling…`);
  const collector = await new TimestampCollector(kafka, ['order.pulled']).start();
  const t0 = Date.now();
  await startPull(shop);
  while (collector.countForShops('order.pulled', [shop.id]) < orders) {
    if (Date.now() - t0 > 20 * 60_000) throw new Error('ingestion limit: not done in 20 min');
    await sleep(250);
  }
  // The end: the last order.pulled written by the relay, as the broker stamped it.
  const seconds = (Math.max(...collector.forShops('order.pulled', [shop.id]).values()) - t0) / 1000;
  await collector.stop();
  const answer = { new: orders };
  const calls = (await callsOf(shop.simShopId, t0)).filter(
    (call) => call.function === 'searchOrder' || call.function === 'getOrder',
  );
  const byFunction: Record<string, number> = {};
  for (const call of calls) byFunction[call.function!] = (byFunction[call.function!] ?? 0) + 1;
  // Fewest calls possible: a search page holds 1,000 numbers, a getOrder 100 orders; at 1/s the
  // first call goes at once.
  const minimum = Math.ceil(orders / 1_000) + Math.ceil(orders / 100);
  return {
    orders: answer.new,
    seconds: round(seconds, 1),
    lowerBoundSeconds: minimum - 1,
    calls: calls.length,
    callsByFunction: byFunction,
    throttled: calls.filter((call) => call.status === 429).length,
    callsPerOrder: round(calls.length / Math.max(1, answer.new), 4),
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Many shops per ingestion instance

export interface ManyShopsResult {
  instances: number;
  shops: number;
  ordersPerShop: number;
  roundSeconds: number;
  pollsPerSecond: number;
  shopsPer5Minutes: number;
  throttled: number;
}

/**
 * Registers `count` shops with automatic polling while no ingestion instance runs, then starts
 * `instances` instances: every shop is due at once, and the time until each was polled (its
 * search and its getOrder answered) is one full round. Shops kept polled every 5 minutes =
 * 300 s × shops polled per second.
 */
export async function manyShops(
  stack: BenchStack,
  databaseUrl: string,
  instances: number,
  count: number,
  firstSimShop: number,
  ordersPerShop = 3,
): Promise<ManyShopsResult> {
  await stack.stopIngestion();
  say(`registering ${count} shops (1 request/s each, ${ordersPerShop} new orders each)…`);
  const shops: BenchShop[] = await pooled(
    Array.from({ length: count }, (_, i) => i),
    6,
    (i) =>
      setupShop(stack, {
        name: `many${instances}x${Date.now().toString(36)}${i}`,
        simShopId: String(firstSimShop + i),
        orders: ordersPerShop,
        orderRps: 1,
        autoOrderSync: true,
      }),
  );
  const t0 = Date.now();
  // No jitter: new shops are then all due within a second (with the default 10 %, their first
  // polls spread over 30 s, and the round measured that spread rather than the capacity).
  await stack.startIngestion(instances, {
    RAKUTEN_ORDER_RPS: '1',
    POLL_INTERVAL_MS: '300000',
    POLL_JITTER: '0',
  });
  say(`${instances} ingestion instance(s) started; waiting for one round over ${count} shops…`);
  const done = new Map<string, number>();
  const mine = new Set(shops.map((shop) => shop.simShopId));
  const deadline = Date.now() + 15 * 60_000;
  while (done.size < count && Date.now() < deadline) {
    await sleep(2_000);
    const all = await http<SimCall[]>('GET', `${SIM}/__sim/calls?function=getOrder`);
    for (const call of all.body) {
      if (call.atMs < t0 || !call.shopId || !mine.has(call.shopId)) continue;
      if (call.status === 200 && !done.has(call.shopId)) done.set(call.shopId, call.atMs);
    }
  }
  const calls = (await http<SimCall[]>('GET', `${SIM}/__sim/calls`)).body.filter(
    (call) => call.atMs >= t0 && call.shopId !== null && mine.has(call.shopId),
  );
  const firstSearch = Math.min(
    ...calls.filter((call) => call.function === 'searchOrder').map((call) => call.atMs),
  );
  const throttled = calls.filter((call) => call.status === 429).length;
  const roundSeconds = (Math.max(...done.values()) - firstSearch) / 1000;
  // Further rounds are not wanted: stop polling these shops.
  await Promise.all(
    shops.map((shop) =>
      http('PATCH', `${API}/shops/${shop.id}`, { options: { autoOrderSync: false } }, shop.token),
    ),
  );
  const pollsPerSecond = done.size / roundSeconds;
  return {
    instances,
    shops: count,
    ordersPerShop,
    roundSeconds: round(roundSeconds, 1),
    pollsPerSecond: round(pollsPerSecond, 2),
    shopsPer5Minutes: Math.floor(pollsPerSecond * 300),
    throttled,
  };
}

// ---------------------------------------------------------------------------------------------
// 4. Freshness at half the maximum load

export interface FreshnessResult {
  ordersPerSecond: number;
  seconds: number;
  orders: number;
  pullEveryMs: number;
  freshnessMs: Percentiles;
}

/**
 * Orders appear in the simulator at `rate` per second (spread over the shops, once a second)
 * while each shop is pulled again as soon as its previous pull answered (at most once a second,
 * the cadence of a 1-second poll interval); freshness is the time from the order's creation in
 * the simulator to its shipment.ready on Kafka.
 */
export async function freshness(
  stack: BenchStack,
  kafka: Kafka,
  databaseUrl: string,
  rate: number,
  seconds: number,
  shopCount: number,
): Promise<FreshnessResult> {
  const shops = await pooled(
    Array.from({ length: shopCount }, (_, i) => i),
    4,
    (i) =>
      setupShop(stack, {
        name: `fresh${Date.now().toString(36)}${i}`,
        simShopId: String(6000 + i),
        orders: 0,
        catalog: true,
      }),
  );
  await waitShopsKnown(databaseUrl, shops);
  for (const shop of shops) await pull(shop);
  const ids = shops.map((shop) => shop.id);
  const collector = await new TimestampCollector(kafka, ['shipment.ready']).start();
  const created = new Map<string, { first: string; last: string; at: number }[]>();
  let generated = 0;
  let running = true;
  const perShop = Math.max(1, Math.round(rate / shopCount));
  say(`${perShop * shopCount} orders/s over ${shopCount} shops for ${seconds} s…`);
  const pullers = shops.map(async (shop) => {
    while (running) {
      const started = Date.now();
      // A pull that fails (the gateway gives up after 180 s) is simply made again.
      await pull(shop).catch(() => undefined);
      await sleep(Math.max(0, 1_000 - (Date.now() - started)));
    }
  });
  const t0 = Date.now();
  for (let tick = 0; Date.now() - t0 < seconds * 1_000; tick++) {
    const next = t0 + tick * 1_000;
    await sleep(Math.max(0, next - Date.now()));
    await Promise.all(
      shops.map(async (shop) => {
        const at = Date.now();
        const answer = await http<{ generated: number; first: string; last: string }>(
          'POST',
          `${SIM}/__sim/shops/${shop.simShopId}/orders/generate`,
          {
            count: perShop,
            seed: tick + 1,
            progress: 300,
            maxPackages: 1,
            from: new Date(at - 2_000).toISOString(),
            to: new Date(at - 1_000).toISOString(),
          },
        );
        generated += answer.body.generated;
        const list = created.get(shop.id) ?? [];
        list.push({ first: answer.body.first, last: answer.body.last, at });
        created.set(shop.id, list);
      }),
    );
  }
  const deadline = Date.now() + 5 * 60_000;
  while (collector.countForShops('shipment.ready', ids) < generated && Date.now() < deadline) {
    await sleep(500);
  }
  running = false;
  await Promise.all(pullers);
  const ready = collector.forShops('shipment.ready', ids);
  await collector.stop();
  const latencies: number[] = [];
  for (const [key, ts] of ready) {
    const [shopId, orderNumber] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const batch = created.get(shopId)?.find((b) => b.first <= orderNumber && orderNumber <= b.last);
    if (batch) latencies.push(ts - batch.at);
  }
  return {
    ordersPerSecond: perShop * shopCount,
    seconds,
    orders: generated,
    pullEveryMs: 1_000,
    freshnessMs: percentiles(latencies),
  };
}
