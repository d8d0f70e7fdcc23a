#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster (for CI and local test runs) and prints,
# on stdout and nothing else:
#   DATABASE_URL=postgres://postgres@127.0.0.1:<port>/fieldflow
#   PGDATA_DIR=<data directory; a temp dir, remove it after stopping>
#   PG_CTL=<path to pg_ctl>
# Progress goes to stderr. Stop and clean up with
#   [runuser -u <owner of PGDATA_DIR> --] "$PG_CTL" -D "$PGDATA_DIR" -m fast stop
#   rm -rf "$PGDATA_DIR"
#
# The server binaries are the highest version under /usr/lib/postgresql/*/bin
# (Debian layout); without any, Debian's `postgresql` package is installed.
# initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` user; as any other user it belongs to that user.
# Durability is switched off (fsync, full_page_writes, synchronous_commit): the
# data is thrown away after the run, and tests run noticeably faster without it.
# PG_SETTINGS replaces those settings: the fault tests and the benchmark's cluster ask
# for production's durability, because they crash the server on purpose and a commit
# acknowledged with synchronous_commit=off is lost by an immediate stop.
set -euo pipefail

log() { echo "start-postgres: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

# --- server binaries ----------------------------------------------------------
find_bin_dir() {
  local dir
  # Highest version first (sort -V handles 9.6 < 15 < 16).
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if ! BIN_DIR=$(find_bin_dir); then
  log "no PostgreSQL server under /usr/lib/postgresql; installing Debian package postgresql"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to apt-get install postgresql"
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  # On a fresh machine the package lists are usually empty or stale: update and
  # retry once when the plain install fails. apt output goes to stderr so that
  # stdout keeps only the variables.
  if ! $SUDO apt-get install -y postgresql >&2; then
    $SUDO apt-get update >&2
    $SUDO apt-get install -y postgresql >&2
  fi
  BIN_DIR=$(find_bin_dir) || fail "postgresql installed but no initdb/pg_ctl under /usr/lib/postgresql/*/bin"
fi
PG_CTL="$BIN_DIR/pg_ctl"
log "using $("$BIN_DIR/postgres" --version 2>/dev/null || echo "$BIN_DIR")"

# --- who owns the cluster -------------------------------------------------------
# AS_OWNER runs a command as the cluster's owner.
AS_OWNER=()
OWNER=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  OWNER=postgres
  if ! id postgres >/dev/null 2>&1; then
    # The Debian package creates this user; a bare binary install may not have.
    log "creating system user postgres"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
  AS_OWNER=(runuser -u postgres --)
fi

# --- data directory ---------------------------------------------------------------
# The data directory itself is the temp dir (initdb accepts an empty existing
# directory), so removing PGDATA_DIR removes everything, socket and log included.
TMP_BASE="${TMPDIR:-/tmp}"
if [ ${#AS_OWNER[@]} -gt 0 ] && ! "${AS_OWNER[@]}" test -w "$TMP_BASE" -a -x "$TMP_BASE" 2>/dev/null; then
  TMP_BASE=/tmp   # e.g. TMPDIR inside /root, which postgres cannot enter
fi
DATA_DIR=$(mktemp -d "$TMP_BASE/fieldflow-pg.XXXXXX")
[ "$OWNER" = "$(id -un)" ] || chown "$OWNER": "$DATA_DIR"

STARTED=""
cleanup_on_failure() {
  local rc=$?
  [ "$rc" -ne 0 ] || return 0
  if [ -f "$DATA_DIR/postgres.log" ]; then
    log "server log (last 30 lines):"
    tail -n 30 "$DATA_DIR/postgres.log" >&2 || true
  fi
  if [ -n "$STARTED" ]; then "${AS_OWNER[@]}" "$PG_CTL" -D "$DATA_DIR" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$DATA_DIR"
}
trap cleanup_on_failure EXIT

log "initdb in $DATA_DIR (owner $OWNER)"
# cd to a directory the owner can read: runuser keeps the caller's cwd.
if ! out=$(cd / && "${AS_OWNER[@]}" "$BIN_DIR/initdb" -D "$DATA_DIR" -A trust -U postgres --no-sync -E UTF8 2>&1); then
  printf '%s\n' "$out" >&2
  fail "initdb failed"
fi

# --- start on a free port -----------------------------------------------------------
free_port() {
  if command -v node >/dev/null 2>&1; then
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  else
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
  fi
}

SETTINGS=${PG_SETTINGS:-"-c fsync=off -c synchronous_commit=off -c full_page_writes=off"}
# Another process may take the port between picking and binding it; try a few.
PORT=""
for attempt in 1 2 3; do
  candidate=$(free_port)
  log "starting on 127.0.0.1:$candidate (attempt $attempt)"
  if (cd / && "${AS_OWNER[@]}" "$PG_CTL" -D "$DATA_DIR" -l "$DATA_DIR/postgres.log" -w -t 60 \
        -o "-p $candidate -k $DATA_DIR -c listen_addresses=127.0.0.1 $SETTINGS -c max_connections=200" \
        start) >&2; then
    PORT=$candidate
    STARTED=1
    break
  fi
  # A postmaster that failed to come up within the timeout may still be running.
  "${AS_OWNER[@]}" "$PG_CTL" -D "$DATA_DIR" -m immediate stop >/dev/null 2>&1 || true
done
[ -n "$PORT" ] || fail "PostgreSQL did not start"

"$BIN_DIR/createdb" -h 127.0.0.1 -p "$PORT" -U postgres fieldflow >&2 \
  || fail "createdb fieldflow failed"
log "ready: database fieldflow on 127.0.0.1:$PORT"

trap - EXIT
echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/fieldflow"
echo "PGDATA_DIR=$DATA_DIR"
echo "PG_CTL=$PG_CTL"
