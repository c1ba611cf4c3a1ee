#!/usr/bin/env bash
# `npm run bench`: benchmarks that print figures (not timed tests). So far: the mapping service's
# order-line matching with its database writes (issue 6). The pipeline, ingestion-vs-Rakuten and
# memory benchmarks of issue 8 are not written yet.
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/smartship_bench}"
node tools/scripts/prepare-db.mts "$BENCH_DATABASE_URL"
export TS_NODE_PROJECT=tsconfig.spec.json
echo "▶ mapping: lines mapped per second (BENCH_ORDERS=${BENCH_ORDERS:-20000} orders of 3 lines)"
node -r ts-node/register/transpile-only -r tsconfig-paths/register apps/mapping/bench/map-orders.bench.ts
