#!/usr/bin/env bash
# Prints the path of a `temporal` CLI (v1.5.1), building it into a cache outside the
# repo when none is found. Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, the cache,
# then `go install` into the cache (about 4.5 minutes and 252 MB the first time).
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

VERSION=1.5.1
CACHE_DIR="${FIELDFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fieldflow}/temporal-$VERSION"

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  if [ -x "$TEMPORAL_CLI_PATH" ]; then echo "$TEMPORAL_CLI_PATH"; exit 0; fi
  echo "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file" >&2
  exit 1
fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [ -x "$CACHE_DIR/temporal" ]; then echo "$CACHE_DIR/temporal"; exit 0; fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
No Temporal CLI found and no Go toolchain to build one. Either
  - install Go (1.23 or later) and run this again: it builds the CLI into $CACHE_DIR, or
  - put a 'temporal' binary (v$VERSION) on PATH or set TEMPORAL_CLI_PATH to it, or
  - set TEMPORAL_ADDRESS to a running Temporal server (host:port) and no dev server is started.
MSG
  exit 1
fi

mkdir -p "$CACHE_DIR"
echo "Building the Temporal CLI v$VERSION into $CACHE_DIR (first time only, about 4-5 minutes)..." >&2
# Later tags carry a `replace` directive and cannot be built with `go install`.
GOBIN="$CACHE_DIR" go install "github.com/temporalio/cli/cmd/temporal@v$VERSION" >&2
echo "$CACHE_DIR/temporal"
