#!/usr/bin/env bash
# Install OHInspect with its test tools and run all tests:  ./scripts/test.sh [PYTEST_ARGS...]
# Debian packages (scripts/system-deps.sh test), .venv with `pip install -e '.[dev]'`, a
# PostgreSQL server (scripts/pg-ensure.sh: the local one, else a throwaway cluster that is
# stopped on exit), the desktop bundle when its tests run (scripts/build.sh --if-stale), then
# `python -m pytest -n 2 ARGS...` (pytest-xdist workers) with QT_QPA_PLATFORM=offscreen.
# pytest's exit code 5 (no tests collected) is turned into a failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

OHINSPECT_SCRIPT=test
# shellcheck source=scripts/venv.sh
source ./scripts/venv.sh

./scripts/system-deps.sh test
ensure_venv
ensure_installed dev

# shellcheck source=scripts/pg-ensure.sh
source ./scripts/pg-ensure.sh
trap ohinspect_pg_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
OHINSPECT_PY=.venv/bin/python ohinspect_pg_ensure
export OHINSPECT_TEST_PG_URL
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"

# The desktop bundle tests/build/ runs: built (scripts/build.sh, about a minute on 2 cores) when
# missing or older than the sources, unless the paths asked for leave tests/build/ out.
needs_bundle() {
    local a paths=0
    for a; do
        case "$a" in
            . | ./ | tests | tests/ | tests/build*) return 0 ;;
            -*) ;;
            *) [[ -e "${a%%::*}" ]] && paths=1 ;;
        esac
    done
    [[ $paths -eq 0 ]]
}
if needs_bundle "$@"; then ./scripts/build.sh --if-stale; fi

# Tests on OHINSPECT_TEST_WORKERS pytest-xdist workers (default 2: many tests wait on servers
# and subprocesses); 0 runs them in this one process. An explicit -n in the arguments wins.
workers=(-n "${OHINSPECT_TEST_WORKERS:-2}")
for a; do
    case "$a" in -n | -n* | --numprocesses* | no:xdist) workers=() ;; esac
done

status=0
.venv/bin/python -m pytest "${workers[@]}" "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "test: pytest collected no tests (exit 5): treating that as a failure" >&2
    exit 1
fi
exit "$status"
