#!/usr/bin/env bash
# Install veille and everything it needs into .venv, then run the main job on the bundled
# sample corpus with the default embedded store (veille.duckdb): ingest, clean, code, list.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e '.[dask]'
.venv/bin/veille ingest veille.duckdb --sample
.venv/bin/veille documents veille.duckdb
.venv/bin/veille events veille.duckdb --limit 40
echo "Store: $(pwd)/veille.duckdb — try: .venv/bin/veille serve veille.duckdb"
