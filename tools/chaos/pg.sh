#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the chaos run, so it can be crashed and restarted without
# touching the machine's shared server. Runs as the postgres user; trust auth on 127.0.0.1 only.
#
# Usage: tools/chaos/pg.sh {start|stop|crash|restart|status}
#   CHAOS_PG_PORT=55433                 port
#   CHAOS_PG_DIR=<repo>/.data/chaos-pg  cluster directory (owned by postgres)
#   CHAOS_PG_FRESH=0                    1 = wipe the cluster before start
# `crash` is `pg_ctl stop -m immediate`: no checkpoint, crash recovery on the next start.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
PORT="${CHAOS_PG_PORT:-55433}"
DIR="${CHAOS_PG_DIR:-$REPO_ROOT/.data/chaos-pg}"
BIN="${CHAOS_PG_BIN:-/usr/lib/postgresql/15/bin}"
DATA="$DIR/data"
LOG="$DIR/postgres.log"

as_pg() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_cluster() {
  if [[ "${CHAOS_PG_FRESH:-0}" == 1 && -d "$DIR" ]]; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
  fi
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    mkdir -p "$DIR"
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 300
fsync = on
shared_buffers = 128MB
CONF
  fi
}

start() {
  ensure_cluster
  if as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    echo "chaos-pg: already running on 127.0.0.1:$PORT"
    return
  fi
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
  echo "chaos-pg: running on 127.0.0.1:$PORT ($DATA)"
}

stop() {
  local mode="${1:-fast}"
  if [[ -f "$DATA/PG_VERSION" ]] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m "$mode" -w -t 60 stop >/dev/null
    echo "chaos-pg: stopped ($mode)"
  else
    echo "chaos-pg: not running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop fast ;;
  crash) stop immediate ;;
  restart) stop immediate; start ;;
  status) as_pg "$BIN/pg_ctl" -D "$DATA" status ;;
  *) echo "usage: $0 {start|stop|crash|restart|status}" >&2; exit 2 ;;
esac
