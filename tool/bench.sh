#!/usr/bin/env bash
# Every benchmark against the peers, in one go:
#   1. the in-process figures (bench/, its own workspace, kept out of the
#      crate's build): the mock, the typed Table API and dynoxide-rs 3.2.0
#      embedded; mock put/get as the table grows; record conversion against
#      serde_dynamo;
#   2. tool/bench-servers.sh: the mock server, DynamoDB Local (started by that
#      script) and the dynoxide server, with the Rust SDK and boto3 as clients.
#
#   tool/bench.sh                      the full run (about 20 minutes on 2 shared cores)
#   QUICK=1 tool/bench.sh              a short try of everything (figures are noise)
#
# Environment:
#   ROUNDS=5         rounds of the in-process figures
#   MS=200           milliseconds of operations per in-process figure and round
#   GROWTH=10,1000,100000,1000000   table sizes of the growth figures
#   SERVER_ROUNDS=3  rounds of tool/bench-servers.sh (which also reads SERVERS,
#                    CLIENTS, BOTO3_ARGS, DYNOXIDE_VERSION)
#   PARTS="inprocess servers"   which parts to run
#   NICE=-5          niceness of the measured processes (below 0 needs root;
#                    ignored when it cannot be set)
#
# Output goes to target/bench/RUN/ (RUN is the start time): inprocess.txt
# (summary) and inprocess-raw.txt (`ROUND FIGURE PEER VALUE`), servers.txt
# (the table of tool/bench-servers.sh, whose raw lines are in
# target/bench-servers/), and machine.txt (commit, CPU, load before and after).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PARTS="${PARTS:-inprocess servers}"
NICE="${NICE:--5}"
if [ "${QUICK:-0}" = 1 ]; then
  ROUNDS="${ROUNDS:-2}" MS="${MS:-20}" GROWTH="${GROWTH:-10,1000}" SERVER_ROUNDS="${SERVER_ROUNDS:-1}"
  INPROC_ARGS=(--items 2000 --scan-items 10000 --memory-items 10000)
  SERVER_ARGS=(--load 2000 --ops 300 --queries 30 --batches 20)
  export BOTO3_ARGS="${BOTO3_ARGS:---load 1000 --ops 200 --queries 20 --batches 10}"
else
  ROUNDS="${ROUNDS:-5}" MS="${MS:-200}" GROWTH="${GROWTH:-10,1000,100000,1000000}" SERVER_ROUNDS="${SERVER_ROUNDS:-3}"
  INPROC_ARGS=()
  SERVER_ARGS=()
fi
OUT="$ROOT/target/bench/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
BENCH_TARGET="${CARGO_TARGET_DIR:-$ROOT/bench/target}"

log() { echo "bench: $*" >&2; }

# nice -n NICE when allowed, plain otherwise.
measured() {
  if nice -n "$NICE" true 2>/dev/null; then nice -n "$NICE" "$@"; else "$@"; fi
}

machine() {
  echo "$1: $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
{
  COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  git diff --quiet HEAD -- src bench Cargo.toml 2>/dev/null || COMMIT="$COMMIT+local changes"
  echo "commit $COMMIT"
  echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "rustc: $(rustc --version)"
  machine start
} >"$OUT/machine.txt"

if [[ " $PARTS " == *" inprocess "* ]]; then
  log "building the bench package (bench/, release)"
  cargo build --release --quiet --manifest-path bench/Cargo.toml --bin peers --bin peers_memory
  log "in-process: $ROUNDS rounds of $MS ms per figure, growth $GROWTH"
  measured "$BENCH_TARGET/release/peers" --rounds "$ROUNDS" --ms "$MS" --growth "$GROWTH" \
    --raw "$OUT/inprocess-raw.txt" "${INPROC_ARGS[@]}" | tee "$OUT/inprocess.txt"
  machine "after in-process" >>"$OUT/machine.txt"
fi

if [[ " $PARTS " == *" servers "* ]]; then
  log "servers: tool/bench-servers.sh, $SERVER_ROUNDS rounds"
  ROUNDS="$SERVER_ROUNDS" measured ./tool/bench-servers.sh "${SERVER_ARGS[@]}" | tee "$OUT/servers.txt"
  machine "after servers" >>"$OUT/machine.txt"
fi

echo
cat "$OUT/machine.txt"
echo "figures: ${OUT#"$ROOT"/}/ (inprocess.txt, inprocess-raw.txt, servers.txt; servers' raw lines in target/bench-servers/)"
