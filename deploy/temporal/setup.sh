#!/bin/sh
# Temporal bootstrap for Fieldflow's docker-compose.yml. Runs inside the
# temporalio/admin-tools image (Alpine, POSIX sh), and on a plain host for the
# production layout without Docker (scripts/temporal-server.sh). Both modes are
# idempotent and need no `nc`.
#
#   setup.sh schema     create the `temporal` and `temporal_visibility`
#                       databases and bring their schema up to date
#                       (temporal-sql-tool, postgres12 plugin)
#   setup.sh namespace  create namespace $TEMPORAL_NAMESPACE if missing and
#                       register the Keyword search attributes listed in
#                       $SEARCH_ATTRIBUTES (existing ones are left alone);
#                       returns once a visibility query on them works
#
# Outside the image: TEMPORAL_SQL_TOOL (default temporal-sql-tool),
# TEMPORAL_SCHEMA_DIR (default $TEMPORAL_HOME/schema/postgresql/v12) and
# TEMPORAL_CLI (default temporal) name the tools.
set -eu

log() { echo "[fieldflow-temporal-setup] $*"; }
die() { echo "[fieldflow-temporal-setup] ERROR: $*" >&2; exit 1; }

# --- schema ------------------------------------------------------------------

setup_schema() {
  : "${POSTGRES_SEEDS:=postgresql}"
  : "${DB_PORT:=5432}"
  : "${POSTGRES_USER:?POSTGRES_USER must be set}"
  : "${DBNAME:=temporal}"
  : "${VISIBILITY_DBNAME:=temporal_visibility}"
  # temporal-sql-tool reads the password from SQL_PASSWORD.
  SQL_PASSWORD="${SQL_PASSWORD:-${POSTGRES_PWD:-}}"
  export SQL_PASSWORD
  schema_dir="${TEMPORAL_HOME:-/etc/temporal}/schema/postgresql/v12"

  schema_dir="${TEMPORAL_SCHEMA_DIR:-$schema_dir}"
  [ -d "$schema_dir" ] || die "no schema directory ${schema_dir}"

  for pair in "${DBNAME}:temporal" "${VISIBILITY_DBNAME}:visibility"; do
    db=${pair%%:*}
    kind=${pair##*:}
    # --defaultdb: the database to connect to while creating this one; the
    # postgres image always has `postgres` (a database named after the user
    # exists only if POSTGRES_DB matches it).
    # The first attempt doubles as the wait for PostgreSQL to accept connections.
    log "database ${db}: create (no-op if it exists)"
    i=0
    until out=$(sql_tool --db "$db" create-database --defaultdb postgres 2>&1); do
      i=$((i + 1))
      [ "$i" -lt 60 ] || { echo "$out" >&2; die "PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}: cannot create ${db}"; }
      log "PostgreSQL not ready at ${POSTGRES_SEEDS}:${DB_PORT} (attempt ${i})"
      sleep 2
    done
    # setup-schema -v 0.0 only creates the version tables; it does not reset a
    # database that is already past 0.0.
    log "database ${db}: setup-schema -v 0.0"
    sql_tool --db "$db" setup-schema -v 0.0
    log "database ${db}: update-schema -d ${schema_dir}/${kind}/versioned"
    sql_tool --db "$db" update-schema -d "${schema_dir}/${kind}/versioned"
  done
  log "schema setup complete"
}

sql_tool() {
  "${TEMPORAL_SQL_TOOL:-temporal-sql-tool}" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" \
    -u "$POSTGRES_USER" "$@"
}

# --- namespace and search attributes -----------------------------------------

setup_namespace() {
  : "${TEMPORAL_ADDRESS:=temporal:7233}"
  : "${TEMPORAL_NAMESPACE:=default}"
  : "${TEMPORAL_NAMESPACE_RETENTION:=72h}"
  : "${SEARCH_ATTRIBUTES:=ProjectKind ProjectStage CustomerId SiteId}"

  host=${TEMPORAL_ADDRESS%:*}
  port=${TEMPORAL_ADDRESS##*:}

  # Temporal's compose samples resolve the host to an IPv4 address before
  # calling the CLI; do the same, falling back to the name.
  ip=$(getent ahosts "$host" 2>/dev/null | awk '/STREAM/ && $1 !~ /:/ { print $1; exit }' || true)
  if [ -n "$ip" ]; then
    address="${ip}:${port}"
  else
    address="$TEMPORAL_ADDRESS"
  fi
  log "using address ${address}"

  # The CLI's health check is the wait for the frontend (no `nc` needed).
  log "waiting for Temporal frontend at ${address}"
  i=0
  until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || die "Temporal cluster not healthy at ${address}"
    log "cluster not serving yet (attempt ${i})"
    sleep 2
  done

  if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" \
       --address "$address" >/dev/null 2>&1; then
    log "namespace ${TEMPORAL_NAMESPACE} exists"
  else
    log "creating namespace ${TEMPORAL_NAMESPACE} (retention ${TEMPORAL_NAMESPACE_RETENTION})"
    if ! out=$(temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" \
                 --retention "$TEMPORAL_NAMESPACE_RETENTION" --address "$address" 2>&1); then
      case "$out" in
        *"already exists"* | *"AlreadyExists"* | *"already registered"*)
          log "namespace ${TEMPORAL_NAMESPACE} already exists" ;;
        *) echo "$out" >&2; die "could not create namespace ${TEMPORAL_NAMESPACE}" ;;
      esac
    fi
    # A new namespace takes a moment to reach every service's cache.
    i=0
    until temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" \
            --address "$address" >/dev/null 2>&1; do
      i=$((i + 1))
      [ "$i" -lt 30 ] || die "namespace ${TEMPORAL_NAMESPACE} not visible after creation"
      sleep 1
    done
  fi

  # A namespace just created is not known to every service at once: the first
  # `search-attribute create` says "namespace not found" for about a second. Retry
  # until every attribute is registered and a visibility query on them works.
  i=0
  until register_search_attributes "$address" && visibility_ready "$address"; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || die "search attributes (${SEARCH_ATTRIBUTES}) not usable in namespace ${TEMPORAL_NAMESPACE}"
    log "namespace ${TEMPORAL_NAMESPACE} not ready for search attributes yet (attempt ${i})"
    sleep 1
  done
  log "namespace setup complete"
}

# Registers each missing attribute; fails (printing why) if any is still missing.
register_search_attributes() {
  known=$(temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" \
            --address "$1" 2>&1) || { echo "$known" >&2; return 1; }
  for name in $SEARCH_ATTRIBUTES; do
    if printf '%s\n' "$known" | grep -qw "$name"; then
      continue
    fi
    if out=$(temporal operator search-attribute create --name "$name" --type Keyword \
               --namespace "$TEMPORAL_NAMESPACE" --address "$1" 2>&1); then
      log "search attribute ${name} (Keyword) registered"
    else
      case "$out" in
        *"already exists"* | *"AlreadyExists"*) log "search attribute ${name} already exists" ;;
        *) echo "$out" >&2; return 1 ;;
      esac
    fi
  done
}

# A list query that names every attribute: what the API and the worker rely on.
visibility_ready() {
  query=""
  for name in $SEARCH_ATTRIBUTES; do
    query="${query:+$query AND }$name = 'fieldflow-setup-check'"
  done
  out=$(temporal workflow list --namespace "$TEMPORAL_NAMESPACE" --query "$query" \
          --limit 1 --address "$1" 2>&1) || { echo "$out" >&2; return 1; }
}

temporal() {
  if [ -n "${TEMPORAL_CLI:-}" ]; then "$TEMPORAL_CLI" "$@"; else command temporal "$@"; fi
}

case "${1:-}" in
  schema) setup_schema ;;
  namespace) setup_namespace ;;
  *) die "usage: $0 schema|namespace" ;;
esac
