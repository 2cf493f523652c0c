#!/usr/bin/env bash
# Install OHInspect and run it on the embedded demo store:  ./scripts/run.sh [ARGS...]
# Debian packages (scripts/system-deps.sh app), then .venv with `pip install -e .`,
# then `python main.py --demo ARGS...`. Reruns skip whatever is already in place.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

OHINSPECT_SCRIPT=run
# shellcheck source=scripts/venv.sh
source ./scripts/venv.sh

./scripts/system-deps.sh app
ensure_venv
# Keep the test tools if scripts/test.sh installed them: "dev" satisfies the app too.
ensure_installed ""

if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]]; then
    echo "run: no DISPLAY or WAYLAND_DISPLAY: the window needs a desktop session" \
        "(or xvfb-run ./scripts/run.sh, or QT_QPA_PLATFORM=offscreen)." >&2
fi
exec .venv/bin/python main.py --demo "$@"
