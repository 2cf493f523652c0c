#!/usr/bin/env bash
# Install the Debian packages OHInspect needs. Does nothing (no apt at all) when they are
# all installed already, so reruns cost a fraction of a second.
#
#   scripts/system-deps.sh [app|test] [EXTRA_PACKAGE...]
#   scripts/system-deps.sh --list [app|test]     # print the package list and exit
#
#   app   Qt's runtime libraries (xcb + offscreen), CJK fonts, python3 + python3-venv
#   test  app + xvfb, xauth, poppler-utils (screenshots, PDF pages), and PostgreSQL's
#         server binaries when no server answers on 127.0.0.1:5432 (or when
#         OHINSPECT_PG_FORCE_THROWAWAY=1), so that scripts/pg-ensure.sh can start one.
#
# OHINSPECT_SKIP_SYSTEM_DEPS=1 skips this step (for machines whose packages you manage yourself).
set -euo pipefail

# Qt 6 (PySide6-Essentials wheels) links these; found with ldd on QtCore/Gui/Widgets/Svg/
# PrintSupport/Network/DBus and the xcb, offscreen, xcb-gl, image-format and TLS plugins.
QT_PACKAGES=(
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 fontconfig libdbus-1-3
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
    libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
    libxkbcommon0 libxkbcommon-x11-0 libgssapi-krb5-2 libpng16-16 libzstd1 zlib1g
)
# fonts-noto-cjk: CJK on screen (OpenType/CFF, which reportlab cannot embed).
# fonts-wqy-microhei: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc, TrueType outlines,
# which reportlab's TTFont embeds in PDFs.
FONT_PACKAGES=(fonts-noto-cjk fonts-wqy-microhei)
PYTHON_PACKAGES=(python3 python3-venv)
TEST_PACKAGES=(xvfb xauth poppler-utils)
PG_PACKAGES=(postgresql)

list_only=0
if [[ "${1:-}" == "--list" ]]; then
    list_only=1
    shift
fi
mode="${1:-app}"
if [[ $# -gt 0 ]]; then shift; fi
case "$mode" in
    app | test) ;;
    *)
        echo "usage: $0 [--list] [app|test] [EXTRA_PACKAGE...]" >&2
        exit 2
        ;;
esac

# Does a PostgreSQL server accept TCP connections on 127.0.0.1:5432?
pg_port_open() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h 127.0.0.1 -p 5432 -t 3
    else
        timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5432' 2>/dev/null
    fi
}

have_pg_server_binaries() {
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null 2>&1
}

packages=("${QT_PACKAGES[@]}" "${FONT_PACKAGES[@]}" "${PYTHON_PACKAGES[@]}")
if [[ "$mode" == test ]]; then
    packages+=("${TEST_PACKAGES[@]}")
    if [[ $list_only == 1 ]]; then
        packages+=("${PG_PACKAGES[@]}")
    elif [[ "${OHINSPECT_PG_FORCE_THROWAWAY:-0}" == 1 ]] || ! pg_port_open; then
        have_pg_server_binaries || packages+=("${PG_PACKAGES[@]}")
    fi
fi
packages+=("$@")

if [[ $list_only == 1 ]]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

if [[ "${OHINSPECT_SKIP_SYSTEM_DEPS:-0}" == 1 ]]; then
    echo "system-deps: skipped (OHINSPECT_SKIP_SYSTEM_DEPS=1)" >&2
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    cat >&2 <<EOF
system-deps: apt-get/dpkg not found: this is not a Debian-like system, so nothing was installed.
Install the equivalents of these Debian packages by hand, then rerun
(or set OHINSPECT_SKIP_SYSTEM_DEPS=1 to silence this step):
  ${packages[*]}
EOF
    exit 0
fi

# One dpkg-query for all: unknown packages print nothing (and make it exit 1).
declare -A installed=()
while read -r pkg status; do
    if [[ "$status" == installed ]]; then installed["${pkg%%:*}"]=1; fi
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for pkg in "${packages[@]}"; do
    [[ -n "${installed[$pkg]:-}" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

echo "system-deps: installing ${missing[*]}" >&2
SUDO=()
if [[ $EUID -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "system-deps: not root and sudo is missing; as root run:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    SUDO=(sudo)
    # No terminal (CI): never wait for a password prompt.
    [[ -t 0 ]] || SUDO=(sudo -n)
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" \
    --no-install-recommends "${missing[@]}"
