#!/usr/bin/env bash
# `npm run bench`: benchmarks that print figures (not timed tests).
#   1. the platform (tools/bench/bench.ts): pipeline throughput with a raw KafkaJS baseline,
#      freshness, ingestion against Rakuten's 1 request/s, shops per ingestion instance, memory —
#      on a Kafka broker (port BENCH_KAFKA_PORT, default 19792) and a database of its own;
#   2. the mapping service's order-line matching with its database writes (chunks of one event
#      against chunks of 200).
# BENCH_QUICK=1 makes every part small enough for a few minutes; BENCH_ONLY=mapping runs the
# mapping part alone, BENCH_ONLY=pipeline,limit,… the named platform parts (see tools/bench/bench.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/smartship_bench}"
export TS_NODE_PROJECT=tsconfig.spec.json
ONLY="${BENCH_ONLY:-all}"

if [[ "$ONLY" != "mapping" ]]; then
  if [[ ! -f dist/apps/ingestion/apps/ingestion/src/main.js || "${BENCH_BUILD:-1}" == "1" ]]; then
    echo "▶ building the services"
    nx run-many -t build --projects=rakuten-sim,credentials,ingestion,mapping,fulfillment,gateway --parallel=2 >/dev/null
  fi
  [[ "$ONLY" == "all" ]] && unset BENCH_ONLY
  node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/bench/bench.ts
fi

if [[ "$ONLY" == "all" || "$ONLY" == *mapping* ]]; then
  node tools/scripts/prepare-db.mts "$BENCH_DATABASE_URL"
  MAPPING_ORDERS="${BENCH_MAPPING_ORDERS:-$([[ "${BENCH_QUICK:-}" == 1 ]] && echo 4000 || echo 20000)}"
  echo "▶ mapping: lines mapped per second (BENCH_MAPPING_ORDERS=$MAPPING_ORDERS orders of 3 lines)"
  BENCH_ORDERS="$MAPPING_ORDERS" \
    node -r ts-node/register/transpile-only -r tsconfig-paths/register apps/mapping/bench/map-orders.bench.ts
fi
