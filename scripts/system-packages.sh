#!/usr/bin/env bash
# Install the Debian packages the tests need, only those missing:
#   chromium        headless browser the Playwright tests drive (never `playwright install`)
#   fonts-noto-cjk  Chinese glyphs in screenshots and exported charts
#   postgresql      server binaries for the throwaway test server (scripts/test-postgres.sh)
#   libreoffice-writer-nogui, poppler-utils
#                   the review test converts the Word report to PDF and reads it back (soffice, pdftotext)
#   npm             only when no npm is on PATH: fetches Leaflet and jQuery (scripts/vendor-assets.sh)
# Quiet and idempotent: with everything present it prints nothing and changes nothing.
set -euo pipefail

wanted=(chromium fonts-noto-cjk postgresql libreoffice-writer-nogui poppler-utils)
command -v npm >/dev/null 2>&1 || wanted+=(npm)

missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-packages: missing ${missing[*]} and no apt-get here; install them by hand" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "system-packages: missing ${missing[*]}; run as root: apt-get update && apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 </dev/null; then
    tail -n 30 "$log" >&2
    echo "system-packages: apt-get failed" >&2
    exit 1
fi
