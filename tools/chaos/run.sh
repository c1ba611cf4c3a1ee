#!/usr/bin/env bash
# `npm run chaos`: builds the services, then runs tools/chaos/main.mts (see there for CHAOS_*).
# Uses its own Kafka broker (KAFKA_PORT 19492) and a private PostgreSQL cluster (port 55433),
# never the shared ones, and HTTP ports 30000-30299. The services run from a copy of dist/
# (.data/chaos-dist), so a build started elsewhere during the run cannot pull files from under
# a restarting service.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export PATH="$PWD/node_modules/.bin:$PATH" NX_DAEMON=false NX_NO_CLOUD=true
if [[ "${CHAOS_SKIP_BUILD:-0}" != 1 ]]; then
  nx run-many -t build --parallel=2 --projects=gateway,credentials,ingestion,mapping,fulfillment,notifications,rakuten-sim --output-style=static >/dev/null
fi
rm -rf .data/chaos-dist
mkdir -p .data/chaos-dist/apps
for app in gateway credentials ingestion mapping fulfillment notifications rakuten-sim; do
  [[ -f "dist/apps/$app/apps/$app/src/main.js" ]] || { echo "dist/apps/$app missing: build first" >&2; exit 2; }
  cp -r "dist/apps/$app" .data/chaos-dist/apps/
done
export CHAOS_DIST="$PWD/.data/chaos-dist"
exec node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON tools/chaos/main.mts "$@"
