#!/usr/bin/env bash
# Copying a table of N items of ~1 KB from the mock server into DynamoDB Local:
# a boto3 script (paginated scan + Table.batch_writer()) against
# `dynamo-objects copy-table --create --total-segments N`.
#
#   tool/bench-copy.sh                  50,000 items
#   ITEMS=2000 tool/bench-copy.sh       a quick try
#
# Environment:
#   ITEMS=50000    items in the source table
#   RUNS="boto3 boto3-4threads ours-4 ours-8"
#                  which runs, in this order: boto3 is the common script (one
#                  scan, one batch_writer), boto3-4threads a parallel scan of 4
#                  segments with a thread and a batch_writer each, ours-N is
#                  copy-table with --total-segments N
#   WARMUP=10000   items written into DynamoDB Local before the measured runs
#                  (not recorded; 0 for none)
#
# The source is loaded (not timed) by examples/flush_bench.rs into the table
# `flush_<millis>_flush_bench` of a fresh `dynamo-objects mock-server` (same items as
# tool/bench-flush.sh: `id`, a 1000-byte `payload`, `n`). Every run copies it
# into a fresh on-demand table on DynamoDB Local; each target is counted
# afterwards (a COUNT scan, not timed) and a run that lost items fails.
# boto3's time is measured inside the script, from the first scan to the end of
# the batch_writer (table creation not included); ours is the wall clock of the
# whole copy-table process (start-up and creating the target included).
# boto3 comes from the git-ignored virtualenv .bench-venv/ (installed from PyPI
# the first time). Raw lines (`LABEL items_per_s X items N secs S verified V`)
# go to target/bench-copy/raw-*.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ITEMS="${ITEMS:-50000}"
RUNS="${RUNS:-boto3 boto3-4threads ours-4 ours-8}"
WARMUP="${WARMUP:-10000}"
OUT="$ROOT/target/bench-copy"
BENCH="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/flush_bench"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/dynamo-objects"
mkdir -p "$OUT"
RAW="$OUT/raw-$(date +%Y%m%d-%H%M%S).txt"
: >"$RAW"

log() { echo "bench-copy: $*" >&2; }

venv=.bench-venv
if ! "$venv/bin/python" -c 'import boto3' 2>/dev/null; then
  command -v python3 >/dev/null 2>&1 || { log "python3 is missing"; exit 1; }
  log "installing boto3 into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check boto3
fi
PY="$venv/bin/python"
BOTO3_VERSION="$("$PY" -c 'import boto3, botocore; print(boto3.__version__, "botocore", botocore.__version__)')"

cargo build --release --quiet --bin dynamo-objects --example flush_bench

LOCAL=""
SERVER_PID=""
SERVER_LOG=""
cleanup() {
  [ -z "$LOCAL" ] || ./tool/dynamodb-local.sh stop || true
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [ -z "$SERVER_LOG" ] || rm -f "$SERVER_LOG"
}
trap cleanup EXIT

LOCAL=$(./tool/dynamodb-local.sh start) || { log "DynamoDB Local could not be started"; exit 1; }
log "DynamoDB Local at $LOCAL"
if [ "$WARMUP" -gt 0 ]; then
  log "warming DynamoDB Local up with $WARMUP items (not recorded)"
  "$BENCH" --endpoint "$LOCAL" --items "$WARMUP" --no-verify --label warmup >/dev/null
fi

SERVER_LOG=$(mktemp)
"$BIN" mock-server --port 0 >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
SERVER=""
for _ in $(seq 1 100); do
  SERVER=$(grep -o 'http://[0-9.:]*' "$SERVER_LOG" | head -n1 || true)
  [ -n "$SERVER" ] && break
  sleep 0.05
done
[ -n "$SERVER" ] || { log "the mock server did not start:"; cat "$SERVER_LOG" >&2; exit 1; }
log "mock server at $SERVER"

log "loading $ITEMS items into flush_bench on the mock server (not timed)"
line=$("$BENCH" --endpoint "$SERVER" --items "$ITEMS" --label load) || { log "loading failed"; exit 1; }
loaded=$(awk '/^bench /{print $NF}' <<<"$line" | tail -n1)
[ "$loaded" = "$ITEMS" ] || { log "the source holds $loaded items, not $ITEMS"; exit 1; }
# flush_bench names its table flush_<millis>_flush_bench: the only table on this fresh server.
SOURCE=$("$PY" -c 'import boto3, sys
c = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="dummy", aws_secret_access_key="dummy")
print(*c.list_tables()["TableNames"])' "$SERVER")
[[ "$SOURCE" =~ ^flush_[0-9]+_flush_bench$ ]] || { log "unexpected tables on the mock server: $SOURCE"; exit 1; }
LOAD_AVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# run LABEL: one copy into a fresh table on Local; its line goes to the raw file.
run() {
  local label="$1" target="copy_${1//-/_}_$(date +%s)" line t0 t1 secs verified
  log "$label: $SOURCE ($SERVER) -> $target ($LOCAL), $ITEMS items"
  case "$label" in
    boto3 | boto3-*threads)
      local threads=1
      [ "$label" = boto3 ] || { threads=${label#boto3-}; threads=${threads%threads}; }
      line=$("$PY" tool/bench_copy_boto3.py copy --source-endpoint "$SERVER" --source "$SOURCE" \
        --target-endpoint "$LOCAL" --target "$target" --threads "$threads" --label "$label") || { log "$label failed"; return 1; }
      line=$(grep '^bench ' <<<"$line" | tail -n1)
      echo "$line" >&2
      echo "${line#bench }" >>"$RAW"
      ;;
    ours-*)
      t0=$(date +%s.%N)
      "$BIN" copy-table "$SOURCE" "$target" --endpoint-url "$SERVER" --target-endpoint-url "$LOCAL" \
        --create --total-segments "${label#ours-}" </dev/null >"$OUT/$label.log" 2>&1 || {
        log "$label failed:"; tail -n5 "$OUT/$label.log" >&2; return 1; }
      t1=$(date +%s.%N)
      verified=$("$PY" tool/bench_copy_boto3.py count --endpoint "$LOCAL" --table "$target") || verified=-1
      secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
      line=$(awk -v l="$label" -v n="$ITEMS" -v s="$secs" -v v="$verified" \
        'BEGIN { printf "%s items_per_s %.1f items %d secs %s verified %d", l, n / s, n, s, v }')
      echo "bench $line" >&2
      echo "$line" >>"$RAW"
      [ "$verified" = "$ITEMS" ] || { log "$label: the target holds $verified items, not $ITEMS"; return 1; }
      ;;
    *) log "unknown run $label"; return 1 ;;
  esac
}

failed=0
for label in $RUNS; do run "$label" || failed=1; done
LOAD_AVG_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- src examples Cargo.toml 2>/dev/null || COMMIT="$COMMIT+local changes"
echo "== $(date -u +%Y-%m-%dT%H:%MZ), commit $COMMIT, $ITEMS items, $(nproc) cores; boto3 $BOTO3_VERSION"
echo "load average (1/5/15 min) before the runs: $LOAD_AVG_BEFORE, after: $LOAD_AVG_AFTER"
echo "raw lines: ${RAW#"$ROOT"/}"
echo "vs boto3: items/s over the boto3 run's items/s (same run)"
awk -v runs="$RUNS" '
  { rate[$1] = $3; secs[$1] = $7; ver[$1] = $9 }
  END {
    printf "%-16s %10s %9s %9s %9s\n", "run", "items/s", "secs", "verified", "vs boto3"
    nr = split(runs, rv, " ")
    for (k = 1; k <= nr; k++) {
      l = rv[k]
      if (!(l in rate)) { printf "%-16s %10s\n", l, "failed"; continue }
      printf "%-16s %10.0f %9.2f %9d %9s\n", l, rate[l], secs[l], ver[l],
        ("boto3" in rate && rate["boto3"] > 0) ? sprintf("%.2fx", rate[l] / rate["boto3"]) : "-"
    }
  }' "$RAW"
exit "$failed"
