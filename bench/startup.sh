#!/usr/bin/env bash
# Startup benchmark (see bench/startup.py): prints medians and the ratio against `python -c pass`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] && PY=.venv/bin/python
exec "$PY" bench/startup.py "$@"
