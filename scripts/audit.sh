#!/usr/bin/env bash
# Check the pinned runtime dependencies (requirements.txt, resolved with their
# own dependencies) against the advisory database with pip-audit.
#
#   scripts/audit.sh PYTHON [strict|warn]
#
# A known vulnerability always fails. When the advisory service cannot be
# reached, or answers for no package (some registry mirrors do not serve the
# per-version metadata pip-audit reads), the audit has not happened: "strict"
# (make audit) fails, "warn" (make test) prints a warning and passes.
set -uo pipefail

PYTHON=${1:?usage: $0 PYTHON [strict|warn]}
MODE=${2:-strict}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

report=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$report" "$errors"' EXIT

"$PYTHON" -m pip_audit --progress-spinner off -r "$ROOT/requirements.txt" -f json -o "$report" 2>"$errors"
status=$?

not_audited() {
    echo "audit: WARNING: $1" >&2
    if [ "$MODE" = strict ]; then
        exit 1
    fi
    exit 0
}

if [ ! -s "$report" ]; then
    tail -n 5 "$errors" >&2
    not_audited "pip-audit could not run (advisory service unreachable?); dependencies NOT audited"
fi

# Prints one line per vulnerability, then a summary line "N of M" (packages looked up of all).
summary=$("$PYTHON" - "$report" <<'EOF'
import json
import sys

deps = json.load(open(sys.argv[1], encoding="utf-8"))["dependencies"]
audited = [d for d in deps if "skip_reason" not in d]
for dep in audited:
    for vuln in dep.get("vulns", []):
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"VULN {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixes})")
print(f"{len(audited)} of {len(deps)}")
EOF
)
echo "$summary" | grep '^VULN' >&2 && {
    echo "audit: known vulnerabilities in pinned dependencies (see above)" >&2
    exit 1
}
counts=$(echo "$summary" | tail -n 1)
if [ "$status" -ne 0 ]; then
    tail -n 5 "$errors" >&2
    not_audited "pip-audit exited with $status after looking up $counts dependencies"
fi
case "$counts" in
    "0 of"*) not_audited "the advisory service answered for none of the dependencies ($counts); NOT audited" ;;
esac
echo "audit: no known vulnerabilities ($counts dependencies looked up)"
