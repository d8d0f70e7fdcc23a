#!/usr/bin/env bash
# The production Temporal server without Docker: the same server (v1.29.1), the same
# schema setup and the same namespace setup (deploy/temporal/setup.sh) as
# docker-compose.yml, on any PostgreSQL.
#
#   scripts/temporal-server.sh prepare ROOT    schemas (setup.sh schema) and ROOT/config
#   scripts/temporal-server.sh run ROOT        the server in the foreground (exec)
#   scripts/temporal-server.sh namespace       namespace and search attributes (setup.sh namespace)
#
# Environment (compose's names): POSTGRES_SEEDS (127.0.0.1), DB_PORT (5432),
# POSTGRES_USER (postgres), POSTGRES_PWD, DBNAME (temporal), VISIBILITY_DBNAME
# (temporal_visibility); TEMPORAL_PORT (7233): the frontend's gRPC port; history,
# matching and worker use the next ports (+1, +2, +6) and membership the same minus
# 300, as in Temporal's own development configs. `namespace` reads TEMPORAL_ADDRESS
# (127.0.0.1:$TEMPORAL_PORT), TEMPORAL_NAMESPACE and SEARCH_ATTRIBUTES like compose;
# its CLI is scripts/ensure-temporal.sh's.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${POSTGRES_SEEDS:=127.0.0.1}" "${DB_PORT:=5432}" "${POSTGRES_USER:=postgres}" "${POSTGRES_PWD:=}"
: "${DBNAME:=temporal}" "${VISIBILITY_DBNAME:=temporal_visibility}" "${TEMPORAL_PORT:=7233}"
export POSTGRES_SEEDS DB_PORT POSTGRES_USER POSTGRES_PWD DBNAME VISIBILITY_DBNAME

server_dir() { bash "$REPO/scripts/ensure-temporal-server.sh" </dev/null; }

write_config() {
  local root=$1 p=$TEMPORAL_PORT
  mkdir -p "$root/config/dynamicconfig"
  # The dynamic config docker-compose.yml mounts, unchanged.
  cp "$REPO/deploy/temporal/dynamicconfig/production.yaml" "$root/config/dynamicconfig/production.yaml"
  # The shape of the module's config/development-postgres12.yaml.
  cat >"$root/config/fieldflow.yaml" <<YAML
log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
      sql:
        pluginName: "postgres12"
        databaseName: "$DBNAME"
        connectAddr: "$POSTGRES_SEEDS:$DB_PORT"
        connectProtocol: "tcp"
        user: "$POSTGRES_USER"
        password: "$POSTGRES_PWD"
        maxConns: 10
        maxIdleConns: 10
        maxConnLifetime: "1h"
    postgres-visibility:
      sql:
        pluginName: "postgres12"
        databaseName: "$VISIBILITY_DBNAME"
        connectAddr: "$POSTGRES_SEEDS:$DB_PORT"
        connectProtocol: "tcp"
        user: "$POSTGRES_USER"
        password: "$POSTGRES_PWD"
        maxConns: 2
        maxIdleConns: 2
        maxConnLifetime: "1h"

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:
    rpc: { grpcPort: $p, membershipPort: $((p - 300)), httpPort: $((p + 10)), bindOnLocalHost: true }
  history:
    rpc: { grpcPort: $((p + 1)), membershipPort: $((p - 299)), bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: $((p + 2)), membershipPort: $((p - 298)), bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: $((p + 6)), membershipPort: $((p - 294)), bindOnLocalHost: true }

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:$p"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "$root/config/dynamicconfig/production.yaml"
  pollInterval: "10s"
YAML
}

case "${1:-}" in
  prepare)
    root=${2:?usage: $0 prepare ROOT}
    mkdir -p "$root" && root=$(cd "$root" && pwd)
    dir=$(server_dir)
    TEMPORAL_SQL_TOOL="$dir/sql" TEMPORAL_SCHEMA_DIR="$dir/schema" SQL_PASSWORD="$POSTGRES_PWD" \
      sh "$REPO/deploy/temporal/setup.sh" schema
    write_config "$root"
    ;;
  run)
    root=${2:?usage: $0 run ROOT}
    root=$(cd "$root" && pwd)
    exec "$(server_dir)/server" --root "$root" --config config --env fieldflow --allow-no-auth start
    ;;
  namespace)
    : "${TEMPORAL_ADDRESS:=127.0.0.1:$TEMPORAL_PORT}"
    TEMPORAL_CLI=$(bash "$REPO/scripts/ensure-temporal.sh" </dev/null)
    export TEMPORAL_ADDRESS TEMPORAL_CLI
    exec sh "$REPO/deploy/temporal/setup.sh" namespace
    ;;
  *) echo "usage: $0 prepare ROOT | run ROOT | namespace" >&2; exit 2 ;;
esac
