#!/usr/bin/env bash
# `npm test`: lint, format check, build, unit tests, then integration and system tests against a
# real Kafka (started here on its own port and data directory) and the PostgreSQL server
# (a fresh smartship_test database). Stops what it started, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."

export KAFKA_PORT="${TEST_KAFKA_PORT:-19192}"
export KAFKA_DATA_DIR="${TEST_KAFKA_DATA_DIR:-$PWD/.data/kafka-test}"
export TEST_KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/smartship_test}"
export NX_DAEMON=false NX_NO_CLOUD=true

section() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }

stop_kafka() { bash tools/kafka/kafka.sh stop || true; }
trap stop_kafka EXIT

section "lint, format and types"
nx run-many -t lint --parallel=2
nx format:check --all   # every file: without --all it checks only what differs from main
tsc -p tsconfig.json --noEmit   # every .ts file, specs and tools too (builds check apps only)

section "build"
nx run-many -t build --parallel=2

section "unit tests"
jest -c jest.unit.config.ts

section "infrastructure: Kafka on ${TEST_KAFKA_BROKERS}, PostgreSQL database ${TEST_DATABASE_URL##*/}"
KAFKA_FRESH=1 bash tools/kafka/kafka.sh start
node tools/scripts/prepare-db.mts "$TEST_DATABASE_URL" --fresh

section "integration tests"
jest -c jest.int.config.ts --runInBand

section "system tests"
bash tools/scripts/install-chromium.sh   # the web console's browser tests (no-op when present)
# Services run as their own database roles (prepare-db made them): TEST_SERVICE_ROLES.
TEST_SERVICE_ROLES=1 jest -c jest.system.config.ts --runInBand

section "all tests passed"
