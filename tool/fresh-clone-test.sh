#!/usr/bin/env bash
# Times `./tool/test.sh` in a fresh clone of this repository at COMMIT, with
# an empty target directory of its own, as a new contributor would run it.
# DynamoDB Local and the client installs (.dynamodb-local, .clients-venv,
# .clients-node) are copied in when present, so nothing is downloaded and the
# figure is compiling and testing only. Prints test.sh's summary and
# /usr/bin/time's account; the full log is left in $OUT/log.
#
#   ./tool/fresh-clone-test.sh [COMMIT]      (default: HEAD)
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
commit=$(git -C "$repo" rev-parse "${1:-HEAD}") || exit 1
OUT=${OUT:-$(mktemp -d /tmp/fresh-clone.XXXXXX)}
git clone -q "$repo" "$OUT/clone" && git -C "$OUT/clone" checkout -q "$commit" || exit 1
for d in .dynamodb-local .clients-venv .clients-node; do
  [ -e "$repo/$d" ] && cp -a "$repo/$d" "$OUT/clone/"
done
rm -f "$OUT"/clone/.dynamodb-local/*.pid
{ echo "commit $(git -C "$OUT/clone" log --oneline -1)"; uptime; } >"$OUT/log"
(cd "$OUT/clone" && CARGO_TARGET_DIR="$OUT/target" /usr/bin/time -v ./tool/test.sh) >>"$OUT/log" 2>&1
rc=$?
uptime >>"$OUT/log"
grep -E '^commit|load average|^== build|Elapsed|User time|System time' "$OUT/log"
echo "rc=$rc (log: $OUT/log)"
exit $rc
