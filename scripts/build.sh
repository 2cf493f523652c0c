#!/usr/bin/env bash
# Build the one-folder desktop bundle dist/OHInspect/ from pyinstaller.spec with .venv's
# PyInstaller (declared in the `dev` extra):
#
#   scripts/build.sh              build (PyInstaller's cache in build/ makes rebuilds faster)
#   scripts/build.sh --if-stale   build only when the sources changed since the last build
#   scripts/build.sh --key        print the sources' key and exit
#
# The key is a SHA-256 over every file the bundle is made from (main.py, the spec, pyproject.toml,
# ohinspect/, ui/, resources/, db/), the venv's Python and installed set; a finished build stores
# it in dist/OHInspect/BUILD-KEY, and tests/build/ refuses to test a bundle whose key is not the
# sources' key. A failed build leaves no BUILD-KEY, so it never passes for a good one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
KEY_FILE=dist/OHInspect/BUILD-KEY

source_key() {
    {
        find main.py pyinstaller.spec pyproject.toml ohinspect ui resources db -type f \
            ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum
        .venv/bin/python -VV
        cat .venv/.ohinspect-install-stamp 2>/dev/null || true
    } | sha256sum | cut -d' ' -f1
}

mode="${1:-build}"
case "$mode" in
    --key) source_key; exit 0 ;;
    --if-stale | build) ;;
    *) echo "usage: $0 [--if-stale | --key]" >&2; exit 2 ;;
esac

OHINSPECT_SCRIPT=build
# shellcheck source=scripts/venv.sh
source ./scripts/venv.sh
ensure_venv
ensure_installed dev

key="$(source_key)"
if [[ "$mode" == --if-stale && -f "$KEY_FILE" && "$(cat "$KEY_FILE")" == "$key" ]]; then
    echo "build: dist/OHInspect is up to date" >&2
    exit 0
fi
rm -f "$KEY_FILE"
echo "build: pyinstaller pyinstaller.spec -> dist/OHInspect" >&2
start=$SECONDS
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN pyinstaller.spec
echo "$key" >"$KEY_FILE"
echo "build: done in $((SECONDS - start)) s, $(du -sh dist/OHInspect | cut -f1)" >&2
