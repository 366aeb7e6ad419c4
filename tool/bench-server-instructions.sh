#!/usr/bin/env bash
# Instructions each server (the mock server, dynoxide) executes per request,
# by client (the AWS SDK for Rust, boto3), counted by valgrind's callgrind:
# the server's own work, which the machine's load and the cost of waking an
# idle virtual CPU do not move (the CPU times of tool/bench-servers.sh move
# with both).
#
#   tool/bench-server-instructions.sh
#
# Environment:
#   SERVERS="mock dynoxide"   CLIENTS="rust boto3"
#   ARGS="--load 2000 --ops 300 --queries 30 --batches 20"   for both clients
#   BUILD=0   use the binaries as they are (target/release/dynamo-objects,
#             bench/target/release/server_bench, .bench-tools/bin/dynoxide,
#             which tool/bench-servers.sh installs)
#
# Each server runs under callgrind on loopback. Each client runs the
# workloads of tool/bench-servers.sh (put_c1, get_c1, query_c1, batch_c1;
# one call at a time) with BENCH_MARK set: the harness calls it before and
# after each measured workload, and it zeroes, then dumps, the server's
# counters (`callgrind_control`). A workload's figure is the instructions
# of every server thread in that dump divided by its operations (by the
# items written, for BatchWriteItem). User-space instructions only: the
# kernel's share of a request (the socket calls) is not in them, and is
# about the same for every server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SERVERS="${SERVERS:-mock dynoxide}"
CLIENTS="${CLIENTS:-rust boto3}"
read -r -a ARGS <<<"${ARGS:---load 2000 --ops 300 --queries 30 --batches 20}"
SERVER_BIN="$ROOT/target/release/dynamo-objects"
BENCH="$ROOT/bench/target/release/server_bench"
DYNOXIDE="$ROOT/.bench-tools/bin/dynoxide"
VENV="$ROOT/.clients-venv"
command -v valgrind >/dev/null || { echo "bench-server-instructions: valgrind is missing" >&2; exit 1; }
if [ "${BUILD:-1}" = 1 ]; then
  cargo build --release --quiet --features cli --bin dynamo-objects
  cargo build --release --quiet --manifest-path bench/Cargo.toml --bin server_bench
fi
[[ " $CLIENTS " != *" boto3 "* ]] || "$VENV/bin/python" -c 'import boto3' 2>/dev/null ||
  { echo "bench-server-instructions: no boto3 in .clients-venv (tool/clients.sh or tool/bench-servers.sh makes it)" >&2; exit 1; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
port=18400

for server in $SERVERS; do
  port=$((port + 1))
  case "$server" in
    mock) cmd=("$SERVER_BIN" mock-server --host 127.0.0.1 --port "$port") ;;
    dynoxide)
      [ -x "$DYNOXIDE" ] || { echo "bench-server-instructions: no $DYNOXIDE (tool/bench-servers.sh installs it)" >&2; exit 1; }
      cmd=("$DYNOXIDE" --host 127.0.0.1 --port "$port" --log quiet) ;;
    *) echo "bench-server-instructions: unknown server $server" >&2; exit 1 ;;
  esac
  valgrind --tool=callgrind --callgrind-out-file="$OUT/$server.cg" "${cmd[@]}" >"$OUT/$server.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  cat >"$OUT/mark" <<EOF
#!/usr/bin/env bash
# \$1: start or end; \$2: the workload.
if [ "\$1" = start ]; then exec callgrind_control --zero $pid >/dev/null 2>&1
else exec callgrind_control --dump="\$2" $pid >/dev/null 2>&1; fi
EOF
  chmod +x "$OUT/mark"
  for client in $CLIENTS; do
    case "$client" in
      rust) BENCH_MARK="$OUT/mark" "$BENCH" --endpoint "http://127.0.0.1:$port" --label "$server" --pid "$pid" \
        --only put_c1,get_c1,query_c1,batch_c1 --max-secs 600 "${ARGS[@]}" >>"$OUT/$server.lines" ;;
      boto3) BENCH_MARK="$OUT/mark" "$VENV/bin/python" tool/bench_servers_boto3.py --endpoint "http://127.0.0.1:$port" \
        --label "$server" --pid "$pid" "${ARGS[@]}" >>"$OUT/$server.lines" ;;
      *) echo "bench-server-instructions: unknown client $client" >&2; exit 1 ;;
    esac
  done
  kill "$pid"
  wait "$pid" || true
done

python3 - "$OUT" $SERVERS <<'PY'
import glob, os, re, sys
out, servers = sys.argv[1], sys.argv[2:]
per = {"batch_c1": 25}
rows = {}
for server in servers:
    ops = {}
    for line in open(os.path.join(out, server + ".lines")):
        m = re.match(r"bench \S+ (\S+)\.ops (\S+)$", line)
        if m:
            ops[m.group(1)] = float(m.group(2))
    for dump in glob.glob(os.path.join(out, server + ".cg.*")):
        name = total = None
        for line in open(dump):
            if line.startswith("desc: Trigger: dump "):
                name = line.split("dump ", 1)[1].strip()
            elif line.startswith("summary: "):
                total = int(line.split()[1])
                break
        if name and total is not None and ops.get(name):
            workload = name.split(".")[-1]
            client = "boto3" if name.startswith("boto3.") else "rust"
            rows[(workload, client, server)] = total / (ops[name] * per.get(workload, 1))
print(f"{'workload':10} {'client':6} " + " ".join(f"{s:>14}" for s in servers) + "   ratio")
for workload in ("put_c1", "get_c1", "query_c1", "batch_c1"):
    for client in ("rust", "boto3"):
        cells = [rows.get((workload, client, s)) for s in servers]
        if all(c is None for c in cells):
            continue
        text = " ".join(f"{c:14,.0f}" if c is not None else f"{'-':>14}" for c in cells)
        ratio = f"{cells[-1] / cells[0]:7.2f}x" if len(cells) > 1 and None not in cells else ""
        print(f"{workload:10} {client:6} {text} {ratio}")
PY
