/**
 * The node flags every service runs with (NODE_OPTIONS), set by `npm start`, the tests', chaos
 * and bench service processes and the Dockerfile; a deployment may override NODE_OPTIONS.
 *
 * - `--max-semi-space-size=8` (MiB) caps V8's young generation. Node 24 sizes it from the
 *   machine's memory (up to 64 MiB a semi-space): on a 24 GB host every service held 100+ MiB
 *   of young garbage. Measured with `npm run bench` (BENCH_QUICK pipeline): mapping peak
 *   316 → 187 MiB, fulfillment 320 → 207, ingestion 333 → 225, CPU per order within the
 *   run-to-run spread.
 * - `--expose-gc` lets the mapping service's SKU imports ask for a full collection between
 *   their steps (apps/mapping/src/catalog/release-memory.ts): the 60,000-row import peaked at
 *   266 MiB without, 243 with.
 *
 * Plain data: `npm start` and the chaos run (Node's type stripping) import this file directly.
 */
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=8 --expose-gc';
