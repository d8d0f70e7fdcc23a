#!/usr/bin/env bash
# Prints the path of Schemathesis' `st` command (v4.32.5), installing it from PyPI into
# a virtual environment in a cache outside the repo the first time (about a minute).
# Needs python3 (3.10 or later) with the venv module. Progress goes to stderr; only
# the path goes to stdout.
set -euo pipefail

VERSION=4.32.5
CACHE_DIR="${FIELDFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fieldflow}/schemathesis-$VERSION"
ST="$CACHE_DIR/bin/st"

# The marker is written last, so an interrupted install is redone rather than trusted.
if [ -x "$ST" ] && [ -f "$CACHE_DIR/.installed" ]; then echo "$ST"; exit 0; fi

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "No $PYTHON found: Schemathesis needs Python 3.10 or later with the venv module." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "$("$PYTHON" --version 2>&1) is too old: Schemathesis $VERSION needs Python 3.10 or later." >&2
  exit 1
fi

echo "Installing Schemathesis $VERSION into $CACHE_DIR (first time only)..." >&2
rm -rf "$CACHE_DIR"
mkdir -p "$(dirname "$CACHE_DIR")"
"$PYTHON" -m venv "$CACHE_DIR" >&2
"$CACHE_DIR/bin/python" -m pip install --quiet --disable-pip-version-check \
  "schemathesis==$VERSION" >&2
"$ST" --version >&2
touch "$CACHE_DIR/.installed"
echo "$ST"
