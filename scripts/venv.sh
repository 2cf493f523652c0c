# shellcheck shell=bash
# Shared by scripts/run.sh and scripts/test.sh (sourced): pick a Python 3.11–3.13, make .venv,
# and `pip install -e .[EXTRAS]` only when pyproject.toml, the venv's Python or the set of
# top-level packages changed. Messages are prefixed with $OHINSPECT_SCRIPT.
py_ok='import sys; raise SystemExit(not ((3, 11) <= sys.version_info[:2] <= (3, 13)))'

pick_python() {
    local c
    for c in ${OHINSPECT_PYTHON:-} python3.11 python3 python3.12 python3.13; do
        if command -v "$c" >/dev/null 2>&1 && "$c" -c "$py_ok" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    local py ver
    if [[ -x .venv/bin/python ]] && .venv/bin/python -c "$py_ok" >/dev/null 2>&1; then
        return 0
    fi
    if ! py="$(pick_python)"; then
        echo "OHInspect needs Python 3.11, 3.12 or 3.13 (tried python3.11, python3, python3.12," \
            "python3.13; found: $(python3 --version 2>&1 || echo none))." >&2
        echo "Install one (Debian 12: apt-get install python3 python3-venv) or point" \
            "OHINSPECT_PYTHON at one." >&2
        exit 1
    fi
    if ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        # Debian's own Pythons need pythonX.Y-venv for `-m venv`.
        ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        ./scripts/system-deps.sh app "python$ver-venv"
    fi
    if [[ -e .venv ]]; then echo "$OHINSPECT_SCRIPT: replacing .venv (missing or unusable Python)" >&2; fi
    rm -rf .venv
    echo "$OHINSPECT_SCRIPT: creating .venv with $py ($("$py" --version 2>&1))" >&2
    "$py" -m venv .venv
}

# Stamp: pyproject.toml, the venv's Python and the top-level packages. A change to any of
# them reinstalls; otherwise pip is not run at all.
install_key() {
    { cat pyproject.toml; .venv/bin/python -VV; ls -d -- */__init__.py 2>/dev/null || true; } \
        | sha256sum | cut -d' ' -f1
}

# ensure_installed EXTRAS: EXTRAS is "" (the app) or "dev" (app + test tools).
ensure_installed() {
    local extras="$1" stamp=.venv/.ohinspect-install-stamp key have_key have_extras
    key="$(install_key)"
    if [[ -f "$stamp" ]]; then
        read -r have_key have_extras <"$stamp" || true
        if [[ "$have_key" == "$key" && ("$extras" == "" || "$have_extras" == "$extras") ]]; then
            return 0
        fi
    fi
    rm -f "$stamp"
    echo "$OHINSPECT_SCRIPT: pip install -e .${extras:+[$extras]}" >&2
    .venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"
    echo "$key ${extras:-none}" >"$stamp"
}
