#!/usr/bin/env bash
# Benchmarks the dynamo-objects mock server against DynamoDB Local and
# dynoxide, with two clients: the AWS SDK for Rust (bench/src/bin/server_bench.rs)
# and boto3's low-level client (tool/bench_servers_boto3.py), on the same workloads.
#
#   tool/bench-servers.sh [SERVER_BENCH_ARGS...]     e.g. --ops 1000 --load 10000
#
# Environment:
#   ROUNDS=3            rounds; each starts every server afresh and runs the workloads on it
#   SERVERS="mock dynamodb-local dynoxide"
#   CLIENTS="rust boto3"     which clients; on each server the Rust client runs first,
#                            then boto3 (into its own table, on the same server process)
#   BOTO3_ARGS="--load 20000 --ops 2000 --queries 200 --batches 100"   for the boto3 client
#   SERVER_BIN, BENCH     the server binary and the Rust client (default: built here)
#   BUILD=0               use SERVER_BIN and BENCH as they are, without building
#   DYNOXIDE_VERSION=3.2.0   installed with `cargo install` into .bench-tools/ (git-ignored)
#                            when missing or of another version; DYNOXIDE_INSTALL=0 skips it
#
# boto3 comes from .clients-venv/, made as tool/clients.sh makes it (a virtualenv
# with boto3 and awscli from PyPI) when missing.
#
# For each server in each round: start-up (spawn to first good ListTables,
# polled every 2 ms), then the workload (idle RSS, load, per-op server CPU,
# throughput). Servers bind to loopback and are stopped (SIGTERM, then SIGKILL
# after 10 s) before the next starts. Raw lines go to target/bench-servers/;
# the table shows medians over rounds, and ratios as the median of each
# round's ratio.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS="${ROUNDS:-3}"
SERVERS="${SERVERS:-mock dynamodb-local dynoxide}"
CLIENTS="${CLIENTS:-rust boto3}"
BOTO3_ARGS="${BOTO3_ARGS:---load 20000 --ops 2000 --queries 200 --batches 100}"
DYNOXIDE_VERSION="${DYNOXIDE_VERSION:-3.2.0}"
OUT="$ROOT/target/bench-servers"
# The server is the crate's binary; the Rust client is built in the bench
# package (bench/, its own workspace: its target is bench/target by default).
SERVER_BIN="${SERVER_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/dynamo-objects}"
BENCH="${BENCH:-${CARGO_TARGET_DIR:-$ROOT/bench/target}/release/server_bench}"
DYNOXIDE="$ROOT/.bench-tools/bin/dynoxide"
mkdir -p "$OUT"
RAW="$OUT/raw-$(date +%Y%m%d-%H%M%S).txt"
: >"$RAW"

log() { echo "bench-servers: $*" >&2; }

if [ "${BUILD:-1}" = 1 ]; then
  cargo build --release --quiet --features cli --bin dynamo-objects
  cargo build --release --quiet --manifest-path bench/Cargo.toml --bin server_bench
fi

VENV="$ROOT/.clients-venv"
BOTO3_STATUS="not requested"
if [[ " $CLIENTS " == *" boto3 "* ]]; then
  if [ ! -x "$VENV/bin/aws" ] || ! "$VENV/bin/python" -c 'import boto3' 2>/dev/null; then
    command -v python3 >/dev/null 2>&1 || { log "python3 is missing"; exit 1; }
    log "installing boto3 and awscli into .clients-venv (as tool/clients.sh does)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check boto3 awscli
  fi
  BOTO3_STATUS="$("$VENV/bin/python" -c 'import boto3, botocore, sys; print("boto3", boto3.__version__, "botocore", botocore.__version__, "python", sys.version.split()[0])')"
fi

# DynamoDB Local: unpacked by the project's script; started here directly (not
# through `dynamodb-local.sh start`, which polls every 100 ms and shares one
# PID file) with the same arguments, plus -disableTelemetry.
DDB_DIR=""
if [[ " $SERVERS " == *" dynamodb-local "* ]]; then
  if ./tool/dynamodb-local.sh install; then
    DDB_DIR=$(ls -d .dynamodb-local/dist/dynamodb_local_*/ 2>/dev/null | sort | tail -n1)
    DDB_DIR="$ROOT/${DDB_DIR%/}"
  else
    log "DynamoDB Local could not be installed; skipping it"
  fi
fi

DYNOXIDE_STATUS="not requested"
if [[ " $SERVERS " == *" dynoxide "* ]]; then
  # cargo install records what it installed (.crates.toml): another version is replaced.
  installed() { [ -x "$DYNOXIDE" ] && grep -q "^\"dynoxide-rs $DYNOXIDE_VERSION " "$ROOT/.bench-tools/.crates.toml" 2>/dev/null; }
  if ! installed && [ "${DYNOXIDE_INSTALL:-1}" = 1 ]; then
    log "installing dynoxide-rs $DYNOXIDE_VERSION into .bench-tools (several minutes; log: $OUT/dynoxide-install.log)"
    cargo install dynoxide-rs --version "$DYNOXIDE_VERSION" --locked --force --root "$ROOT/.bench-tools" \
      >"$OUT/dynoxide-install.log" 2>&1 || log "dynoxide failed to build: see $OUT/dynoxide-install.log"
  fi
  installed || { log "no dynoxide-rs $DYNOXIDE_VERSION in .bench-tools; skipping it"; DYNOXIDE=/nonexistent; }
  # The binary prints its product version (1.x), not the crate's.
  if [ -x "$DYNOXIDE" ]; then
    DYNOXIDE_STATUS="dynoxide-rs $DYNOXIDE_VERSION ($("$DYNOXIDE" --version 2>&1 | head -n1))"
  else
    DYNOXIDE_STATUS="missing"
  fi
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# alive PID: the process exists and is not a zombie.
alive() {
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

SERVER_PID=""
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do alive "$SERVER_PID" || break; sleep 0.1; done
  alive "$SERVER_PID" && kill -KILL "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

# run_server ROUND NAME: start, measure start-up, run the workload, stop.
run_server() {
  local round="$1" name="$2" port dir cmd
  shift 2
  port=$(free_port)
  dir="$ROOT"
  case "$name" in
    mock) cmd=("$SERVER_BIN" mock-server --host 127.0.0.1 --port "$port") ;;
    dynamodb-local)
      [ -n "$DDB_DIR" ] || return 0
      dir="$DDB_DIR"
      cmd=(java -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar -inMemory -disableTelemetry -port "$port") ;;
    dynoxide)
      [ -x "$DYNOXIDE" ] || return 0
      cmd=("$DYNOXIDE" --host 127.0.0.1 --port "$port" --log quiet) ;;
    *) log "unknown server $name"; return 1 ;;
  esac
  local endpoint="http://127.0.0.1:$port" logf="$OUT/$name-$round.log" line t0
  log "round $round: $name on $endpoint"
  # The poller warms its client up, says "warm", then gets the spawn instant.
  coproc POLL { "$BENCH" --endpoint "$endpoint" --label "$name" --startup 2>&1; }
  local poll_pid="$POLL_PID" pin pout
  # Our own copies of the coprocess's pipes: bash closes POLL[*] as soon as
  # the coprocess exits, possibly before its last lines are read.
  if ! { exec {pin}<&"${POLL[0]}" {pout}>&"${POLL[1]}"; } 2>/dev/null; then
    log "$name: poller exited at once"; wait "$poll_pid" || true; return 0
  fi
  read -r -t 30 line <&"$pin" || true
  if [ "$line" != warm ]; then
    log "$name: poller did not start: $line"; exec {pin}<&- {pout}>&-; wait "$poll_pid" || true; return 0
  fi
  t0=$EPOCHREALTIME
  (cd "$dir" && exec "${cmd[@]}") >"$logf" 2>&1 {pin}<&- {pout}>&- &
  SERVER_PID=$!
  echo "$t0" >&"$pout"
  local ok=0
  while read -r -t 150 line <&"$pin"; do
    echo "$line" >&2
    if [[ "$line" == "bench "* ]]; then echo "$round ${line#bench }" >>"$RAW"; ok=1; fi
  done
  exec {pin}<&- {pout}>&-
  wait "$poll_pid" 2>/dev/null || ok=0
  if [ "$ok" = 1 ]; then
    record() {
      while read -r line; do
        echo "$line" >&2
        if [[ "$line" == "bench "* ]]; then echo "$round ${line#bench }" >>"$RAW"; fi
      done
    }
    if [[ " $CLIENTS " == *" rust "* ]]; then
      timeout 900 "$BENCH" --endpoint "$endpoint" --label "$name" --pid "$SERVER_PID" \
        --clk-tck "$(getconf CLK_TCK)" "$@" 2>&1 | record || log "$name: workload failed (see above)"
    fi
    if [[ " $CLIENTS " == *" boto3 "* ]]; then
      # shellcheck disable=SC2086 # BOTO3_ARGS is a list of arguments
      timeout 900 "$VENV/bin/python" "$ROOT/tool/bench_servers_boto3.py" --endpoint "$endpoint" --label "$name" \
        --pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)" $BOTO3_ARGS 2>&1 | record ||
        log "$name: boto3 workload failed (see above)"
    fi
  else
    log "$name: did not start (log: $logf)"; tail -n 5 "$logf" >&2 || true
  fi
  stop_server
}

for round in $(seq 1 "$ROUNDS"); do
  for name in $SERVERS; do run_server "$round" "$name" "$@"; done
done

# The table: rows are metrics; per server the median over rounds; per other
# server the median over rounds of that round's ratio to the mock, oriented so
# that > 1 means the mock is better (cost: other / mock; rate: mock / other).
table() {
  awk -v servers="$SERVERS" -v rounds="$ROUNDS" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
      return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
    }
    function fmt(x) { return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.2f", x) }
    { v[$1, $2, $3] = $4 }
    END {
      ns = split(servers, sv, " ")
      nm = split("startup_ms:cost rss_idle_mb:cost rss_loaded_mb:cost " \
                 "put_c1.cpu_us:cost get_c1.cpu_us:cost query_c1.cpu_us:cost batch_c1.cpu_us:cost load_batch.cpu_us:cost " \
                 "put_c1.ops_per_s:rate put_c16.ops_per_s:rate get_c1.ops_per_s:rate get_c16.ops_per_s:rate " \
                 "query_c1.ops_per_s:rate batch_c1.ops_per_s:rate " \
                 "boto3.put_c1.cpu_us:cost boto3.get_c1.cpu_us:cost boto3.query_c1.cpu_us:cost boto3.batch_c1.cpu_us:cost " \
                 "boto3.put_c1.ops_per_s:rate boto3.get_c1.ops_per_s:rate boto3.query_c1.ops_per_s:rate " \
                 "boto3.batch_c1.ops_per_s:rate", ms, " ")
      printf "%-24s", "metric"
      for (s = 1; s <= ns; s++) printf " %14s", sv[s]
      for (s = 1; s <= ns; s++) if (sv[s] != "mock") printf " %18s", "vs " sv[s]
      printf "\n"
      for (m = 1; m <= nm; m++) {
        split(ms[m], mk, ":"); metric = mk[1]; kind = mk[2]
        printf "%-24s", metric
        for (s = 1; s <= ns; s++) {
          n = 0; delete a
          for (r = 1; r <= rounds; r++) if ((r, sv[s], metric) in v) a[++n] = v[r, sv[s], metric]
          printf " %14s", n ? fmt(median(a, n)) : "-"
        }
        for (s = 1; s <= ns; s++) {
          if (sv[s] == "mock") continue
          n = 0; delete a
          for (r = 1; r <= rounds; r++)
            if ((r, sv[s], metric) in v && (r, "mock", metric) in v && v[r, "mock", metric] > 0 && v[r, sv[s], metric] > 0)
              a[++n] = kind == "cost" ? v[r, sv[s], metric] / v[r, "mock", metric] : v[r, "mock", metric] / v[r, sv[s], metric]
          printf " %18s", n ? fmt(median(a, n)) "x" : "-"
        }
        printf "\n"
      }
    }' "$RAW"
}

echo
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- src Cargo.toml 2>/dev/null || COMMIT="$COMMIT+local changes"
echo "== $(date -u +%Y-%m-%dT%H:%MZ), commit $COMMIT, $ROUNDS round(s), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); dynoxide: $DYNOXIDE_STATUS; $BOTO3_STATUS"
echo "raw lines: ${RAW#"$ROOT"/}"
echo "cpu_us: server CPU (µs) per op (batch, load: per item written); ops_per_s: client-measured; c1/c16: client tasks"
echo "boto3.*: the same workloads from boto3's low-level client, one call at a time ($BOTO3_ARGS)"
echo "vs X: how many times better the mock is (X/mock for costs, mock/X for ops/s), median of the rounds' ratios"
table
