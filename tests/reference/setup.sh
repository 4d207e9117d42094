#!/usr/bin/env bash
# Prepare the Python environment for the reference MILP oracle.
#
# Creates a virtualenv at ${CREATORMIX_VENV:-$HOME/.cache/creatormix-venv} when it is
# missing (or lacks PuLP / PyYAML), installs `pulp` (which bundles the CBC solver) and
# `pyyaml`, and prints the path of the venv's python on stdout, so that
#
#     PY=$(tests/reference/setup.sh) && $PY tests/reference/compare.py --count 50 --seed 1
#
# works. All progress messages go to stderr.
set -euo pipefail

VENV="${CREATORMIX_VENV:-$HOME/.cache/creatormix-venv}"
PYTHON="$VENV/bin/python"

if [ ! -x "$PYTHON" ]; then
    echo "creating virtualenv at $VENV" >&2
    python3 -m venv "$VENV" >&2
fi

if ! "$PYTHON" -c "import pulp, yaml" >/dev/null 2>&1; then
    echo "installing pulp and pyyaml into $VENV" >&2
    "$PYTHON" -m pip install --quiet --upgrade pip >&2
    "$PYTHON" -m pip install --quiet pulp pyyaml >&2
fi

echo "$PYTHON"
