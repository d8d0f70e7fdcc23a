#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine:
#   1. `docker-compose config -q` (Debian's docker-compose 1.29.2 is installed
#      with apt-get if docker-compose is not on PATH),
#   2. the api and worker commands name dist/api/main.js and
#      dist/worker/main.js,
#   3. their sources api/main.ts and worker/main.ts exist,
#   4. the Temporal frontend and UI publish no port (they have no authentication).
# Exits non-zero on any failure; prints "compose file valid" on success.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE_FILE=docker-compose.yml

fail() { echo "validate-compose: ERROR: $*" >&2; exit 1; }

[ -f "$COMPOSE_FILE" ] || fail "$COMPOSE_FILE not found in $(pwd)"

# --- docker-compose ----------------------------------------------------------
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "validate-compose: docker-compose not on PATH; installing Debian package docker-compose"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to apt-get install docker-compose"
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y docker-compose; then
    $SUDO apt-get update
    $SUDO apt-get install -y docker-compose
  fi
  command -v docker-compose >/dev/null 2>&1 || fail "docker-compose still not on PATH after install"
fi

# --- compose file syntax and interpolation ----------------------------------
# JWT_SECRET and the webhook secrets are required (${VAR:?}) in the compose file.
if ! JWT_SECRET=x WEBHOOK_SECRET_MANUFACTURER=y WEBHOOK_SECRET_DESIGN=z docker-compose -f "$COMPOSE_FILE" config -q; then
  fail "docker-compose -f $COMPOSE_FILE config -q failed"
fi

# --- api / worker commands ---------------------------------------------------
# Read the commands from the resolved config, so anchors and list/string forms
# are both handled.
rendered=$(JWT_SECRET=x WEBHOOK_SECRET_MANUFACTURER=y WEBHOOK_SECRET_DESIGN=z docker-compose -f "$COMPOSE_FILE" config)

service_command() {
  # Prints the service's command as one space-separated line.
  local service=$1
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' >/dev/null 2>&1; then
    printf '%s\n' "$rendered" | python3 -c '
import sys, yaml
cfg = yaml.safe_load(sys.stdin)
svc = (cfg.get("services") or {}).get(sys.argv[1])
if svc is None:
    sys.exit(2)
cmd = svc.get("command")
if cmd is None:
    sys.exit(3)
print(" ".join(cmd) if isinstance(cmd, list) else str(cmd))
' "$service"
  else
    # Fallback without PyYAML: the command lines of the service block.
    printf '%s\n' "$rendered" | awk -v svc="  $service:" '
      $0 == svc { inside = 1; next }
      inside && /^  [^ ]/ { inside = 0 }
      inside && /^    command:/ { grab = 1; sub(/^    command:[ ]*/, ""); print; next }
      inside && grab && /^    - / { sub(/^    - /, ""); print; next }
      inside && grab && /^    [^ -]/ { grab = 0 }
    ' | tr '\n' ' '
  fi
}

errors=0
check_service() {
  local service=$1 entry=$2 source=$3 cmd rc=0
  cmd=$(service_command "$service") || rc=$?
  case $rc in
    0) ;;
    2) echo "validate-compose: ERROR: service '$service' is not defined in $COMPOSE_FILE" >&2; errors=$((errors + 1)); return ;;
    3) echo "validate-compose: ERROR: service '$service' has no command in $COMPOSE_FILE" >&2; errors=$((errors + 1)); return ;;
    *) echo "validate-compose: ERROR: could not read the command of service '$service'" >&2; errors=$((errors + 1)); return ;;
  esac
  if [[ " $cmd " != *" $entry "* && " $cmd " != *" ./$entry "* ]]; then
    echo "validate-compose: ERROR: service '$service' command is '$cmd'; expected it to run $entry" >&2
    errors=$((errors + 1))
  fi
  if [ ! -f "$source" ]; then
    echo "validate-compose: ERROR: $source does not exist (compiled to $entry by npm run build; service '$service' cannot start without it)" >&2
    errors=$((errors + 1))
  fi
}

check_service api dist/api/main.js api/main.ts
check_service worker dist/worker/main.js worker/main.ts

# The Temporal frontend and UI have no authentication: they must publish no port.
for service in temporal temporal-ui; do
  block=$(printf '%s\n' "$rendered" | awk -v svc="  $service:" '$0 == svc { inside = 1; next } inside && /^  [^ ]/ { inside = 0 } inside { print }')
  if printf '%s\n' "$block" | grep -q '^    ports:'; then
    echo "validate-compose: ERROR: service '$service' publishes a port; reach it over the compose network or a tunnel (README, Production layout)" >&2
    errors=$((errors + 1))
  fi
done

[ "$errors" -eq 0 ] || fail "$errors problem(s) found"
echo "compose file valid"
