#!/usr/bin/env bash
# Prints the directory of the production Temporal server v1.29.1 (the version the
# compose file runs), building it into a cache outside the repo when it is missing:
#   <dir>/server   the multi-service server (frontend, history, matching, worker)
#   <dir>/sql      temporal-sql-tool (schema setup)
#   <dir>/schema   the module's schema/postgresql/v12/{temporal,visibility}
# The first build takes about 3 minutes (`go install` from the Go module proxy).
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

VERSION=1.29.1
CACHE_DIR="${FIELDFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fieldflow}/temporal-server-$VERSION"

if [ -x "$CACHE_DIR/server" ] && [ -x "$CACHE_DIR/sql" ] && [ -d "$CACHE_DIR/schema/temporal/versioned" ]; then
  echo "$CACHE_DIR"
  exit 0
fi
command -v go >/dev/null 2>&1 || {
  echo "No Temporal server in $CACHE_DIR and no Go toolchain to build it: install Go 1.24 or later." >&2
  exit 1
}

mkdir -p "$CACHE_DIR"
echo "Building the Temporal server v$VERSION into $CACHE_DIR (first time only, about 3 minutes)..." >&2
# Outside any module, so that the repo's files play no part in the build.
(cd / && GOBIN="$CACHE_DIR" go install "go.temporal.io/server/cmd/server@v$VERSION" "go.temporal.io/server/cmd/tools/sql@v$VERSION") >&2
# The schema files ship in the module source, which `go install` left in the module cache.
module_dir=$(cd / && go mod download -json "go.temporal.io/server@v$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$module_dir/schema/postgresql/v12" ] || { echo "no schema/postgresql/v12 in $module_dir" >&2; exit 1; }
rm -rf "$CACHE_DIR/schema"
cp -R "$module_dir/schema/postgresql/v12" "$CACHE_DIR/schema"
chmod -R u+w "$CACHE_DIR/schema"
echo "$CACHE_DIR"
