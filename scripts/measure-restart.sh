#!/usr/bin/env bash
# Measures how long `npm start` takes to answer GET /readyz with 200 after a crash:
# starts it once (cold), then ROUNDS times kills the whole process group with SIGKILL
# and starts it again on the same DATA_DIR, timing each restart from the command to the
# first 200. Usage: bash scripts/measure-restart.sh [ROUNDS]   (default 3)
# Uses a fresh DATA_DIR and free ports, so it can run beside another `npm start`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS=${1:-3}
TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal.sh </dev/null)"
export TEMPORAL_CLI_PATH
unset TEMPORAL_ADDRESS DATABASE_URL
export DATA_DIR="${DATA_DIR:-$(mktemp -d /tmp/fieldflow-restart-XXXXXX)}"
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
export PORT="${PORT:-$(free_port)}"
export TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-$(free_port)}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
LOG="$DATA_DIR/measure-restart.log"
PGID=""

now_ms() { date +%s%3N; }
start() {
  setsid npm start >>"$LOG" 2>&1 </dev/null &
  disown
  PGID=$!
}
wait_ready() {
  local began=$1 deadline=$(( $(now_ms) + 180000 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200 ]; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "not ready after 180 s; see $LOG" >&2; exit 1; }
    sleep 0.05
  done
  echo $(( $(now_ms) - began ))
}
crash() {
  kill -9 -- "-$PGID" 2>/dev/null || true
  # Wait until every process of the group is gone.
  while pgrep -g "$PGID" >/dev/null 2>&1; do sleep 0.05; done
}
trap 'crash' EXIT

echo "DATA_DIR=$DATA_DIR PORT=$PORT log=$LOG"
began=$(now_ms); start
echo "cold start: $(wait_ready "$began") ms"
sleep 2
for round in $(seq 1 "$ROUNDS"); do
  crash
  began=$(now_ms); start
  echo "restart $round after kill -9: $(wait_ready "$began") ms"
  sleep 2
done
