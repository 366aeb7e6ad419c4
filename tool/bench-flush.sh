#!/usr/bin/env bash
# Flushing N items of ~1 KB: boto3's Table.batch_writer() against this
# crate's MemoryTable flush, into the same DynamoDB Local; then the same flush
# into the in-process mock and into the mock server.
#
#   tool/bench-flush.sh                 100,000 items, one round
#   ITEMS=2000 tool/bench-flush.sh      a quick try
#
# Environment:
#   ITEMS=100000   items per run
#   ROUNDS=1       rounds; each writes into fresh tables (the table shows medians)
#   RUNS="boto3-local ours-local batch_write-local ours-mock ours-mock-server"
#                  which runs, in this order (batch_write-local is Table::batch_write,
#                  the crate's plain batch writer, for comparison; ours-local-cN is the
#                  flush with N requests in flight instead of the default 8)
#   WARMUP=10000   items written into DynamoDB Local before the measured runs
#                  (not recorded; 0 for none), so that no run pays for the JVM's
#                  warm-up alone
#   VERIFY=1       count each table's items afterwards (a COUNT scan, not timed);
#                  a run that lost items fails
#
# boto3 is installed the first time into a git-ignored virtualenv, .bench-venv/,
# from PyPI. DynamoDB Local is started with tool/dynamodb-local.sh (in memory)
# and stopped at the end; the mock server binds to a free loopback port. Raw
# lines (`ROUND LABEL items_per_s X items N secs S verified V`) go to
# target/bench-flush/raw-*.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ITEMS="${ITEMS:-100000}"
ROUNDS="${ROUNDS:-1}"
RUNS="${RUNS:-boto3-local ours-local batch_write-local ours-mock ours-mock-server}"
VERIFY="${VERIFY:-1}"
WARMUP="${WARMUP:-10000}"
OUT="$ROOT/target/bench-flush"
BENCH="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/flush_bench"
SERVER_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/dynamo-objects"
mkdir -p "$OUT"
RAW="$OUT/raw-$(date +%Y%m%d-%H%M%S).txt"
: >"$RAW"

log() { echo "bench-flush: $*" >&2; }

# boto3 in its own virtualenv, as tool/clients.sh sets up .clients-venv/.
venv=.bench-venv
if ! "$venv/bin/python" -c 'import boto3' 2>/dev/null; then
  command -v python3 >/dev/null 2>&1 || { log "python3 is missing"; exit 1; }
  log "installing boto3 into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check boto3
fi
BOTO3_VERSION="$("$venv/bin/python" -c 'import boto3, botocore; print(boto3.__version__, "botocore", botocore.__version__)')"

cargo build --release --quiet --bin dynamo-objects --example flush_bench

verify_flag=()
ours_verify=()
if [ "$VERIFY" = 1 ]; then verify_flag=(--verify); else ours_verify=(--no-verify); fi

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

if [[ " $RUNS " == *"-local "* ]]; then
  LOCAL=$(./tool/dynamodb-local.sh start) || { log "DynamoDB Local could not be started"; exit 1; }
  log "DynamoDB Local at $LOCAL"
  if [ "$WARMUP" -gt 0 ]; then
    log "warming DynamoDB Local up with $WARMUP items (not recorded)"
    "$BENCH" --endpoint "$LOCAL" --items "$WARMUP" --no-verify --label warmup >/dev/null
  fi
fi
SERVER=""
if [[ " $RUNS " == *" ours-mock-server "* ]]; then
  SERVER_LOG=$(mktemp)
  "$SERVER_BIN" mock-server --port 0 >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    SERVER=$(grep -o 'http://[0-9.:]*' "$SERVER_LOG" | head -n1 || true)
    [ -n "$SERVER" ] && break
    sleep 0.05
  done
  [ -n "$SERVER" ] || { log "the mock server did not start:"; cat "$SERVER_LOG" >&2; exit 1; }
  log "mock server at $SERVER"
fi

# CPU seconds DynamoDB Local's JVM has used so far (utime + stime), or empty.
TICKS_PER_S=$(getconf CLK_TCK 2>/dev/null || echo 100)
local_cpu() {
  local pid
  pid=$(cat "$ROOT/.dynamodb-local/dynamodb-local.pid" 2>/dev/null) || return 0
  [ -r "/proc/$pid/stat" ] || return 0
  awk -v t="$TICKS_PER_S" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$pid/stat"
}

# run ROUND LABEL: one run; its `bench ...` line goes to the raw file, with
# the CPU seconds DynamoDB Local spent during the run for the -local runs.
run() {
  local round="$1" label="$2" cmd line before="" extra=
  case "$label" in
    boto3-local) cmd=("$venv/bin/python" tool/bench_flush_boto3.py --endpoint "$LOCAL" "${verify_flag[@]}") ;;
    ours-local) cmd=("$BENCH" --endpoint "$LOCAL" "${ours_verify[@]}") ;;
    ours-local-c[0-9]*) cmd=("$BENCH" --endpoint "$LOCAL" --concurrency "${label#ours-local-c}" "${ours_verify[@]}") ;;
    batch_write-local) cmd=("$BENCH" --endpoint "$LOCAL" --via batch-write "${ours_verify[@]}") ;;
    ours-mock) cmd=("$BENCH" --mock "${ours_verify[@]}") ;;
    ours-mock-server) cmd=("$BENCH" --endpoint "$SERVER" "${ours_verify[@]}") ;;
    *) log "unknown run $label"; return 1 ;;
  esac
  log "round $round: $label, $ITEMS items"
  [[ "$label" != *-local* ]] || before=$(local_cpu)
  line=$("${cmd[@]}" --items "$ITEMS") || { log "$label failed"; return 1; }
  if [ -n "$before" ]; then
    extra=" local_cpu_s $(awk -v a="$before" -v b="$(local_cpu)" 'BEGIN { printf "%.2f", b - a }')"
  fi
  echo "$line" >&2
  line=$(grep '^bench ' <<<"$line" | tail -n1)
  # `bench boto3 ...` from the Python script: relabelled with the run's name.
  echo "$round $label ${line#bench * }$extra" >>"$RAW"
}

failed=0
for round in $(seq 1 "$ROUNDS"); do
  for label in $RUNS; do run "$round" "$label" || failed=1; done
done

echo
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- src examples Cargo.toml 2>/dev/null || COMMIT="$COMMIT+local changes"
echo "== $(date -u +%Y-%m-%dT%H:%MZ), commit $COMMIT, $ITEMS items, $ROUNDS round(s), $(nproc) cores; boto3 $BOTO3_VERSION"
echo "raw lines: ${RAW#"$ROOT"/}"
echo "items/s: items written / seconds from the first write to the last confirmed (median of rounds);"
echo "vs boto3: items/s over boto3-local's items/s (median of the rounds' ratios)"
echo "Local CPU s: CPU seconds DynamoDB Local's JVM spent during the run (with VERIFY=1 this includes the COUNT scan);"
echo "Local cores: those seconds / the run's seconds, shown with VERIFY=0 only (median)"
awk -v runs="$RUNS" -v rounds="$ROUNDS" -v verify="$VERIFY" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
  }
  { rate[$1, $2] = $4; secs[$1, $2] = $8; if ($11 == "local_cpu_s" && $8 > 0) { cpu[$1, $2] = $12; cores[$1, $2] = $12 / $8 } }
  END {
    printf "%-20s %12s %10s %10s %12s %12s\n", "run", "items/s", "secs", "vs boto3", "Local CPU s", "Local cores"
    nr = split(runs, rv, " ")
    for (k = 1; k <= nr; k++) {
      l = rv[k]; n = 0; m = 0; q = 0; p = 0; u = 0; delete a; delete b; delete c; delete d; delete e
      for (r = 1; r <= rounds; r++) {
        if (!((r, l) in rate)) continue
        a[++n] = rate[r, l]; b[++m] = secs[r, l]
        if ((r, "boto3-local") in rate && rate[r, "boto3-local"] > 0) c[++q] = rate[r, l] / rate[r, "boto3-local"]
        if ((r, l) in cores) { d[++p] = cores[r, l]; e[++u] = cpu[r, l] }
      }
      printf "%-20s %12s %10s %10s %12s %12s\n", l, n ? sprintf("%.0f", median(a, n)) : "-", m ? sprintf("%.2f", median(b, m)) : "-",
        q ? sprintf("%.2fx", median(c, q)) : "-", u ? sprintf("%.1f", median(e, u)) : "-",
        (p && verify == 0) ? sprintf("%.2f", median(d, p)) : "-"
    }
  }' "$RAW"
exit "$failed"
