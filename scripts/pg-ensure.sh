#!/usr/bin/env bash
# Find a PostgreSQL server the tests can use, or start a throwaway one.
#
# Sourced (what scripts/test.sh does):
#     source scripts/pg-ensure.sh
#     ohinspect_pg_ensure              # exports OHINSPECT_TEST_PG_URL
#     trap ohinspect_pg_stop EXIT      # stops the throwaway cluster, if one was started
#
# Run by hand:
#     scripts/pg-ensure.sh             # prints OHINSPECT_TEST_PG_URL=... ; a throwaway
#                                      # cluster it started keeps running, and the line
#     scripts/pg-ensure.sh stop DIR    # that stops it is printed too
#
# Order of choice:
#   1. OHINSPECT_TEST_PG_URL already set: use it (it must work, or this fails).
#   2. A server on 127.0.0.1:5432 where user postgres gets in without a password and may
#      create databases: postgresql+psycopg://postgres@127.0.0.1:5432/postgres
#   3. Otherwise a throwaway cluster: Debian's initdb + pg_ctl (/usr/lib/postgresql/*/bin),
#      in a mktemp folder, trust auth, on 127.0.0.1 and a free port. As root it runs as the
#      `postgres` system user (created if missing), because initdb refuses root.
# OHINSPECT_PG_FORCE_THROWAWAY=1 skips 1 and 2.

_ohinspect_pg_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OHINSPECT_PG_THROWAWAY_DIR="${OHINSPECT_PG_THROWAWAY_DIR:-}"

_ohinspect_pg_log() { echo "pg-ensure: $*" >&2; }

# A Python with psycopg for probes, when there is one (the project's venv has it).
_ohinspect_pg_python() {
    local py
    for py in "${OHINSPECT_PY:-}" "$_ohinspect_pg_repo/.venv/bin/python" python3; do
        [[ -n "$py" ]] || continue
        if "$py" -c 'import psycopg' >/dev/null 2>&1; then
            echo "$py"
            return 0
        fi
    done
    return 1
}

# _ohinspect_pg_open HOST PORT: does anything accept connections there?
_ohinspect_pg_open() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$1" -p "$2" -t 3
    else
        timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
    fi
}

# _ohinspect_pg_usable SQLALCHEMY_URL: can we log in and create databases there?
_ohinspect_pg_usable() {
    local url="$1" libpq_url py out
    libpq_url="postgresql://${url#*://}"
    if command -v psql >/dev/null 2>&1; then
        out="$(PGCONNECT_TIMEOUT=5 psql -w -X -q -tA -d "$libpq_url" \
            -c 'select rolsuper or rolcreatedb from pg_roles where rolname = current_user' \
            2>/dev/null </dev/null)" || return 1
    elif py="$(_ohinspect_pg_python)"; then
        out="$("$py" - "$libpq_url" 2>/dev/null <<'EOF'
import sys, psycopg
with psycopg.connect(sys.argv[1], connect_timeout=5) as c:
    row = c.execute("select rolsuper or rolcreatedb from pg_roles where rolname = current_user").fetchone()
    print("t" if row[0] else "f")
EOF
)" || return 1
    else
        _ohinspect_pg_log "neither psql nor psycopg is available to check $url"
        return 1
    fi
    [[ "$out" == t ]]
}

_ohinspect_pg_bindir() {
    local d
    d="$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1 || true)"
    if [[ -n "$d" ]]; then
        dirname "$d"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    else
        return 1
    fi
}

_ohinspect_pg_free_port() {
    local py port
    if py="$(command -v python3)"; then
        "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    for ((port = 55432; port < 55632; port++)); do
        if ! timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    return 1
}

# Run a command as the cluster's owner: `postgres` when we are root, else ourselves.
_ohinspect_pg_as_owner() {
    if [[ $EUID -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

# Stop clusters left behind by test runs that were killed before their trap ran: each
# records its shell's PID in owner.pid (a cluster started by hand records none).
_ohinspect_pg_reap_stale() {
    local d pid
    for d in "${TMPDIR:-/tmp}"/ohinspect-pg.*; do
        [[ -f "$d/owner.pid" ]] || continue
        pid="$(cat "$d/owner.pid" 2>/dev/null || true)"
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            _ohinspect_pg_log "cleaning up a cluster left by a killed run (PID $pid)"
            ohinspect_pg_stop "$d" || true
        fi
    done
}

# _ohinspect_pg_start_throwaway [OWNER_PID]
_ohinspect_pg_start_throwaway() {
    local owner="${1:-}" bindir dir port attempt
    _ohinspect_pg_reap_stale
    if ! bindir="$(_ohinspect_pg_bindir)"; then
        _ohinspect_pg_log "no PostgreSQL server binaries (initdb) found; install Debian's" \
            "'postgresql' package (scripts/system-deps.sh test does)"
        return 1
    fi
    if [[ $EUID -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
        _ohinspect_pg_log "creating system user postgres (initdb refuses to run as root)"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin postgres
    fi
    dir="$(mktemp -d "${TMPDIR:-/tmp}/ohinspect-pg.XXXXXX")"
    chmod 700 "$dir"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$dir"; fi
    OHINSPECT_PG_THROWAWAY_DIR="$dir"
    export OHINSPECT_PG_THROWAWAY_DIR

    # cd: the owner may not be allowed into the caller's working directory (e.g. /root).
    if ! (cd "$dir" && _ohinspect_pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres \
        -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1); then
        _ohinspect_pg_log "initdb failed:"
        cat "$dir/initdb.log" >&2
        return 1
    fi
    for attempt in 1 2 3; do
        port="$(_ohinspect_pg_free_port)"
        # A throwaway cluster: durability settings off for speed.
        if (cd "$dir" && _ohinspect_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" \
            -l "$dir/server.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $port -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null); then
            OHINSPECT_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
            export OHINSPECT_TEST_PG_URL
            echo "$bindir" >"$dir/bindir"
            if [[ -n "$owner" ]]; then echo "$owner" >"$dir/owner.pid"; fi
            _ohinspect_pg_log "started throwaway PostgreSQL ($bindir) in $dir on 127.0.0.1:$port"
            return 0
        fi
        _ohinspect_pg_log "pg_ctl start failed on port $port (attempt $attempt)"
    done
    tail -n 20 "$dir/server.log" >&2 || true
    return 1
}

# Set and export OHINSPECT_TEST_PG_URL. A throwaway cluster started here belongs to this
# shell: a later run removes it if this shell dies without calling ohinspect_pg_stop.
# (`scripts/pg-ensure.sh start` passes --manual: that cluster lives until stopped by hand.)
ohinspect_pg_ensure() {
    local url owner=$$
    if [[ "${1:-}" == --manual ]]; then owner=""; fi
    if [[ "${OHINSPECT_PG_FORCE_THROWAWAY:-0}" != 1 ]]; then
        if [[ -n "${OHINSPECT_TEST_PG_URL:-}" ]]; then
            if _ohinspect_pg_usable "$OHINSPECT_TEST_PG_URL"; then
                _ohinspect_pg_log "using OHINSPECT_TEST_PG_URL from the environment"
                export OHINSPECT_TEST_PG_URL
                return 0
            fi
            _ohinspect_pg_log "OHINSPECT_TEST_PG_URL=$OHINSPECT_TEST_PG_URL does not work" \
                "(need login without password and CREATEDB); unset it to let this script choose"
            return 1
        fi
        url="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        if _ohinspect_pg_open 127.0.0.1 5432; then
            if _ohinspect_pg_usable "$url"; then
                OHINSPECT_TEST_PG_URL="$url"
                export OHINSPECT_TEST_PG_URL
                _ohinspect_pg_log "using the PostgreSQL server on 127.0.0.1:5432"
                return 0
            fi
            _ohinspect_pg_log "a server answers on 127.0.0.1:5432 but postgres cannot log in" \
                "without a password there; starting a throwaway one instead"
        fi
    fi
    _ohinspect_pg_start_throwaway "$owner" || return 1
    if ! _ohinspect_pg_usable "$OHINSPECT_TEST_PG_URL"; then
        _ohinspect_pg_log "throwaway server started but does not accept postgres"
        return 1
    fi
}

# Stop the throwaway cluster (if this shell started one) and delete its folder.
ohinspect_pg_stop() {
    local dir="${1:-${OHINSPECT_PG_THROWAWAY_DIR:-}}" bindir
    [[ -n "$dir" && -d "$dir" ]] || return 0
    if [[ -f "$dir/bindir" ]]; then
        bindir="$(cat "$dir/bindir")"
        (cd "$dir" && _ohinspect_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 \
            stop >/dev/null 2>&1) || _ohinspect_pg_log "pg_ctl stop failed for $dir"
    fi
    rm -rf "$dir"
    [[ "$dir" != "${OHINSPECT_PG_THROWAWAY_DIR:-}" ]] || OHINSPECT_PG_THROWAWAY_DIR=""
    _ohinspect_pg_log "stopped throwaway PostgreSQL in $dir"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-start}" in
        start)
            ohinspect_pg_ensure --manual
            echo "OHINSPECT_TEST_PG_URL=$OHINSPECT_TEST_PG_URL"
            if [[ -n "$OHINSPECT_PG_THROWAWAY_DIR" ]]; then
                echo "# stop it with: $0 stop $OHINSPECT_PG_THROWAWAY_DIR"
            fi
            ;;
        stop)
            [[ -n "${2:-}" ]] || { echo "usage: $0 stop DIR" >&2; exit 2; }
            ohinspect_pg_stop "$2"
            ;;
        *)
            echo "usage: $0 [start] | stop DIR" >&2
            exit 2
            ;;
    esac
fi
