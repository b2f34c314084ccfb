#!/usr/bin/env bash
# tools/vulncheck.sh — govulncheck (pinned in go.mod as a tool) over every package, against the
# Go vulnerability database of the golang.org/x/vulndb module (pinned below), fetched through the
# Go module proxy and converted once by tools/vulndb into ~/.cache/bridge/vulndb/<version>: this
# machine reaches the proxy but not vuln.go.dev. Exit status: govulncheck's (3 when code calls a
# known-vulnerable function, the standard library's included).
#
# To take newer advisories, set VULNDB_VERSION to a newer pseudo-version of golang.org/x/vulndb
# (`go list -m -versions` does not list pseudo-versions: take the newest commit the proxy serves).
set -euo pipefail
cd "$(dirname "$0")/.."
go=${GO:-go}
version=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
db="$HOME/.cache/bridge/vulndb/$version"

if [ ! -f "$db/index/db.json" ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch" "$db.tmp"' EXIT
  # A scratch module, so that downloading the database leaves go.mod and go.sum alone.
  src=$(cd "$scratch" && "$go" mod init scratch >/dev/null 2>&1 &&
    GOFLAGS=-mod=mod "$go" mod download -json "golang.org/x/vulndb@$version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src/data/osv" ] || { echo "vulncheck: could not fetch golang.org/x/vulndb@$version" >&2; exit 1; }
  # The pseudo-version's timestamp (yyyymmddhhmmss) is the date of the advisories' snapshot.
  ts=$(printf '%s' "$version" | cut -d- -f2)
  as_of="${ts:0:4}-${ts:4:2}-${ts:6:2}T${ts:8:2}:${ts:10:2}:${ts:12:2}Z"
  rm -rf "$db.tmp" && mkdir -p "$(dirname "$db")"
  "$go" run ./tools/vulndb -src "$src/data/osv" -out "$db.tmp" -as-of "$as_of"
  mv "$db.tmp" "$db"
fi
echo "vulncheck: govulncheck against golang.org/x/vulndb@$version ($("$go" env GOVERSION))"
exec "$go" tool govulncheck -db "file://$db" ./...
