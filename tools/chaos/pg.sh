#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the chaos run, so it can be crashed and restarted without
# touching the machine's shared server. Trust auth on 127.0.0.1 only, no Unix socket.
#
# Usage: tools/chaos/pg.sh {start|stop|crash|restart|status|remove|where}
#   CHAOS_PG_PORT=55433   port
#   CHAOS_PG_DIR=…        cluster directory; by default /tmp/smartship-pg-<user>-<port>, outside
#                         the checkout (see below)
#   CHAOS_PG_FRESH=0      1 = wipe the cluster before start
#   CHAOS_PG_KEEP_LOG=…   `remove` copies the server log there before deleting the cluster
# `crash` is `pg_ctl stop -m immediate`: no checkpoint, crash recovery on the next start.
# `remove` stops the cluster (if running) and deletes its directory.
#
# Who runs PostgreSQL: PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` user, which must be able to enter every folder above the cluster directory. A
# checkout often sits in a folder only its owner can enter (/root, a `mktemp -d` folder), so
# the cluster lives in /tmp (world-traversable), in a directory this script creates for the
# `postgres` user. As any other user the cluster runs as that user.
set -euo pipefail

PORT="${CHAOS_PG_PORT:-55433}"
BIN="${CHAOS_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [[ "$(id -u)" == 0 ]]; then
  PG_USER=postgres
  DEFAULT_DIR="/tmp/smartship-pg-postgres-$PORT"
else
  PG_USER="$(id -un)"
  DEFAULT_DIR="${TMPDIR:-/tmp}/smartship-pg-$PG_USER-$PORT"
fi
DIR="${CHAOS_PG_DIR:-$DEFAULT_DIR}"
DATA="$DIR/data"
LOG="$DIR/postgres.log"

# Runs a command as the cluster's user, from / (the caller's folder may be closed to that user).
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

# Fails with what to do when the cluster's user cannot create, enter or write the directory.
check_reachable() {
  if ! as_pg test -d "$DIR" -a -w "$DIR" -a -x "$DIR"; then
    cat >&2 <<MSG
chaos-pg: the user '$PG_USER' that runs PostgreSQL cannot enter or write $DIR.
chaos-pg: a folder above it is probably private (mode 0700, as /root and mktemp folders are).
chaos-pg: leave CHAOS_PG_DIR unset (the default, $DEFAULT_DIR, is reachable) or point it at a
chaos-pg: folder that '$PG_USER' can enter.
MSG
    exit 1
  fi
}

make_dir() {
  if [[ -e "$DIR" && ! -d "$DIR" ]]; then
    echo "chaos-pg: $DIR exists and is not a directory" >&2
    exit 1
  fi
  if [[ ! -d "$DIR" ]]; then
    mkdir -p -m 0700 "$DIR"
    [[ "$(id -u)" == 0 ]] && chown "$PG_USER:$PG_USER" "$DIR"
  fi
  # A directory left in a shared /tmp by someone else is not used.
  local owner
  owner="$(stat -c %U "$DIR")"
  if [[ "$owner" != "$PG_USER" ]]; then
    echo "chaos-pg: $DIR belongs to '$owner', not '$PG_USER'; remove it or set CHAOS_PG_DIR" >&2
    exit 1
  fi
  check_reachable
}

ensure_cluster() {
  if [[ "${CHAOS_PG_FRESH:-0}" == 1 && -d "$DIR" ]]; then
    if [[ -f "$DATA/PG_VERSION" ]]; then
      as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
  fi
  make_dir
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
max_connections = 300
fsync = on
shared_buffers = 128MB
CONF
  fi
}

running() {
  [[ -f "$DATA/PG_VERSION" ]] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
  ensure_cluster
  if running; then
    echo "chaos-pg: already running on 127.0.0.1:$PORT"
    return
  fi
  if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null; then
    echo "chaos-pg: PostgreSQL did not start; its log ($LOG):" >&2
    tail -n 20 "$LOG" >&2 || true
    exit 1
  fi
  echo "chaos-pg: running on 127.0.0.1:$PORT ($DATA)"
}

stop() {
  local mode="${1:-fast}"
  if running; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m "$mode" -w -t 60 stop >/dev/null
    echo "chaos-pg: stopped ($mode)"
  else
    echo "chaos-pg: not running"
  fi
}

remove() {
  stop fast
  if [[ -d "$DIR" ]]; then
    if [[ -n "${CHAOS_PG_KEEP_LOG:-}" && -f "$LOG" ]]; then
      mkdir -p "$(dirname "$CHAOS_PG_KEEP_LOG")"
      cp "$LOG" "$CHAOS_PG_KEEP_LOG"
    fi
    rm -rf "$DIR"
    echo "chaos-pg: removed $DIR"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop fast ;;
  crash) stop immediate ;;
  restart) stop immediate; start ;;
  status) as_pg "$BIN/pg_ctl" -D "$DATA" status ;;
  remove) remove ;;
  where) echo "$DIR" ;;
  *) echo "usage: $0 {start|stop|crash|restart|status|remove|where}" >&2; exit 2 ;;
esac
