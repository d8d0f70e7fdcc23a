#!/bin/sh
# Temporal bootstrap for Fieldflow's docker-compose.yml. Runs inside the
# temporalio/admin-tools image (Alpine, POSIX sh). Both modes are idempotent.
#
#   setup.sh schema     create the `temporal` and `temporal_visibility`
#                       databases and bring their schema up to date
#                       (temporal-sql-tool, postgres12 plugin)
#   setup.sh namespace  create namespace $TEMPORAL_NAMESPACE if missing and
#                       register the Keyword search attributes listed in
#                       $SEARCH_ATTRIBUTES (existing ones are left alone)
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

  log "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}"
  i=0
  until nc -z -w 2 "$POSTGRES_SEEDS" "$DB_PORT"; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || die "PostgreSQL not reachable at ${POSTGRES_SEEDS}:${DB_PORT}"
    sleep 2
  done

  for pair in "${DBNAME}:temporal" "${VISIBILITY_DBNAME}:visibility"; do
    db=${pair%%:*}
    kind=${pair##*:}
    # --defaultdb: the database to connect to while creating this one; the
    # postgres image always has `postgres` (a database named after the user
    # exists only if POSTGRES_DB matches it).
    log "database ${db}: create (no-op if it exists)"
    sql_tool --db "$db" create-database --defaultdb postgres
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
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" \
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

  log "waiting for Temporal frontend at ${TEMPORAL_ADDRESS}"
  i=0
  until nc -z -w 2 "$host" "$port"; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || die "Temporal not reachable at ${TEMPORAL_ADDRESS}"
    sleep 2
  done

  # Temporal's compose samples resolve the host to an IPv4 address before
  # calling the CLI; do the same, falling back to the name.
  ip=$(getent ahosts "$host" 2>/dev/null | awk '/STREAM/ && $1 !~ /:/ { print $1; exit }' || true)
  if [ -n "$ip" ]; then
    address="${ip}:${port}"
  else
    address="$TEMPORAL_ADDRESS"
  fi
  log "using address ${address}"

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

  for name in $SEARCH_ATTRIBUTES; do
    if out=$(temporal operator search-attribute create --name "$name" --type Keyword \
               --namespace "$TEMPORAL_NAMESPACE" --address "$address" 2>&1); then
      log "search attribute ${name} (Keyword) registered"
    else
      case "$out" in
        *"already exists"* | *"AlreadyExists"*)
          log "search attribute ${name} already exists" ;;
        *)
          # Another run may have raced us; accept it if the attribute is there.
          if temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" \
               --address "$address" 2>/dev/null | grep -qw "$name"; then
            log "search attribute ${name} already exists"
          else
            echo "$out" >&2
            die "could not create search attribute ${name}"
          fi ;;
      esac
    fi
  done
  log "namespace setup complete"
}

case "${1:-}" in
  schema) setup_schema ;;
  namespace) setup_namespace ;;
  *) die "usage: $0 schema|namespace" ;;
esac
