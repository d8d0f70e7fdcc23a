#!/usr/bin/env bash
# Measures how long `npm start` takes to answer GET /readyz with 200 after a crash:
# starts it once (cold), then ROUNDS times kills the whole process group with SIGKILL
# and starts it again on the same DATA_DIR, timing each restart from the command to the
# first 200. Usage: bash scripts/measure-restart.sh [ROUNDS]   (default 3)
# Uses a fresh DATA_DIR and free ports, so it can run beside another `npm start`.
# Also prints the CPU seconds the started processes used until ready: on a shared
# machine the wall time follows the load, the CPU time much less.
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
  echo "$(( $(now_ms) - began )) ms, CPU $(cpu_seconds) s"
}
# CPU time (user + system) of the processes of the session so far: the dev server, npm,
# tsx and node. Unlike the wall time, it hardly depends on what else the machine runs.
cpu_seconds() {
  local ticks=0 stat rest
  for stat in /proc/[0-9]*/stat; do
    read -r stat_line < "$stat" 2>/dev/null || continue
    rest=${stat_line##*) }           # the fields after "(comm) "
    set -- $rest                     # $1 = state (field 3), so field N is ${N-2}
    [ "$4" = "$PGID" ] || [ "$5" = "$PGID" ] || continue   # pgrp or session
    ticks=$(( ticks + ${12} + ${13} ))   # utime, stime
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'
}
crash() {
  kill -9 -- "-$PGID" 2>/dev/null || true
  # Wait until every process of the group is gone.
  while pgrep -g "$PGID" >/dev/null 2>&1; do sleep 0.05; done
}
trap 'crash' EXIT

echo "DATA_DIR=$DATA_DIR PORT=$PORT log=$LOG"
began=$(now_ms); start
echo "cold start: $(wait_ready "$began")"
sleep 2
for round in $(seq 1 "$ROUNDS"); do
  crash
  began=$(now_ms); start
  echo "restart $round after kill -9: $(wait_ready "$began")"
  sleep 2
done
