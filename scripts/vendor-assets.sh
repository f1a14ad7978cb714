#!/usr/bin/env bash
# Vendor the front-end libraries the map needs into dashboard/static/vendor/,
# so that no page loads anything from outside the server (an intranet has no
# internet), and plotly.js's basic bundle (bar, scatter, pie: 1.2 MB against
# the full 4.8 MB) that the review's Word report draws its charts with
# (dashboard/charts/export.py: Chromium starts 2 s sooner with it; without it
# the report uses the full bundle inside the plotly package). Streamlit serves
# dashboard/static/ at /app/static/ when server.enableStaticServing is on
# (.streamlit/config.toml), so the files end up at
#   /app/static/vendor/leaflet/leaflet.js, leaflet.css, images/*.png
#   /app/static/vendor/jquery/jquery.min.js      (Folium's Popup needs jQuery)
#
# Each package is fetched with `npm pack` at a pinned version (npm checks the
# download against the registry's published integrity) and its tarball is
# checked again here against the sha512 pinned below, so a changed upload
# cannot slip in. Idempotent: when the manifest matches, nothing is fetched.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST="$ROOT/dashboard/static/vendor"
MANIFEST="$DEST/.manifest"

# name version integrity files... (paths inside the package; a leading "dist/" is dropped)
PACKAGES=(
    "leaflet 1.9.4 sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA== dist/leaflet.js dist/leaflet.js.map dist/leaflet.css dist/images LICENSE"
    "jquery 3.7.1 sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg== dist/jquery.min.js LICENSE.txt"
    # The version plotly (requirements.txt) bundles: tests/dashboard/charts/test_export.py holds them equal.
    "plotly.js-basic-dist-min 4.1.1 sha512-1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9abTiE775C4kkjMQ== plotly-basic.min.js LICENSE"
)

wanted_manifest() {
    printf '%s\n' "${PACKAGES[@]}"
}

all_present() {
    local line name files path
    for line in "${PACKAGES[@]}"; do
        read -r name _ _ files <<<"$line"
        for path in $files; do
            [ -e "$DEST/$name/${path#dist/}" ] || return 1
        done
    done
}

if [ -f "$MANIFEST" ] && [ "$(cat "$MANIFEST")" = "$(wanted_manifest)" ] && all_present; then
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "vendor-assets: npm not found; install Node.js and npm (Debian: apt-get install npm)" >&2
    exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/vendor"
mkdir -p "$STAGE"

sha512_integrity() {
    python3 -c 'import base64, hashlib, sys; print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"
}

for line in "${PACKAGES[@]}"; do
    read -r name version integrity files <<<"$line"
    echo "vendor-assets: $name@$version"
    tarball=$(cd "$WORK" && npm pack "$name@$version" --silent --no-fund --no-audit | tail -n 1)
    actual=$(sha512_integrity "$WORK/$tarball")
    if [ "$actual" != "$integrity" ]; then
        echo "vendor-assets: $name@$version does not match its pinned sha512 (got $actual)" >&2
        exit 1
    fi
    unpacked="$WORK/$name-unpacked"
    mkdir -p "$unpacked"
    tar -xzf "$WORK/$tarball" -C "$unpacked"
    for path in $files; do
        target="$STAGE/$name/${path#dist/}"
        mkdir -p "$(dirname "$target")"
        cp -R "$unpacked/package/$path" "$target"
    done
done
wanted_manifest >"$STAGE/.manifest"

# Swap in the new folder whole, so that an interrupted run leaves no half copy.
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST.old"
if [ -e "$DEST" ]; then
    mv "$DEST" "$DEST.old"
fi
mv "$STAGE" "$DEST"
rm -rf "$DEST.old"
echo "vendor-assets: done ($DEST)"
