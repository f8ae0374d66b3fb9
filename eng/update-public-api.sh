#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to PublicAPI.Unshipped.txt,
# and drops declared symbols that no longer exist (RS0017). Run after changing the public API; review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
for proj in src/*/; do
  unshipped="$proj/PublicAPI.Unshipped.txt"
  [ -f "$unshipped" ] || continue
  for round in 1 2 3; do
    out=$(dotnet build "$proj" -c Release --no-incremental -p:TreatWarningsAsErrors=false 2>&1 || true)
    added=$(printf '%s\n' "$out" | grep -oP "warning RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u || true)
    removed=$(printf '%s\n' "$out" | grep -oP "warning RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" | sort -u || true)
    [ -z "$added" ] && [ -z "$removed" ] && break
    { head -n 1 "$unshipped"; { tail -n +2 "$unshipped"; printf '%s\n' "$added"; } | grep -v '^$' | grep -vxF -f <(printf '%s\n' "$removed" | grep -v '^$' || echo '@@none@@') | sort -u; } > "$unshipped.tmp"
    mv "$unshipped.tmp" "$unshipped"
  done
done
