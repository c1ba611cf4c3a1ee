#!/usr/bin/env bash
# Entry point of `npm start` and `npm test` on a fresh clone: installs the dependencies if they
# are missing or stale, then runs the rest on the Node 24 that the `node` devDependency provides.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "smartship: installing dependencies (npm ci)…"
  # npm itself runs on the system's Node until node_modules/.bin/node (24) exists, so it may print
  # EBADENGINE warnings for packages (and this project) that want Node 22+/24: harmless, every
  # script below runs on Node 24 and checks it.
  node -e 'if (+process.versions.node.split(".")[0] !== 24) console.log(`smartship: npm runs on Node ${process.version} for this install; "EBADENGINE" warnings below are expected (the project then runs on the Node 24 it installs)`)' || true
  npm ci --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"
node -e 'const [major] = process.versions.node.split("."); if (+major !== 24) { console.error(`smartship: expected Node 24 from node_modules/.bin, got ${process.version}`); process.exit(1); }'

case "${1:-}" in
  start) shift; exec node tools/scripts/start.mts "$@" ;;
  test) shift; exec bash tools/scripts/test.sh "$@" ;;
  bench) shift; exec bash tools/scripts/bench.sh "$@" ;;
  *) echo "usage: run.sh start|test|bench" >&2; exit 2 ;;
esac
