#!/usr/bin/env bash
# Instructions per call of each in-process peer (the mock, the typed API,
# dynoxide embedded), counted by valgrind's callgrind: a count that does not
# depend on what else the machine runs, unlike the times of `peers`.
#
#   tool/bench-instructions.sh [PEERS_ARGS...]     default: --only ops --rounds 1 --ms 100 --items 2000
#
# It runs `bench/target/release/peers` (built here unless BUILD=0) under
# callgrind and divides, for each `<Peer as Peer>::op`, the instructions
# spent in it and below (inclusive) by its number of calls. `put` counts the
# puts that load the table too (the same operation). Memory and cache
# effects are not in these counts: the times of `peers` are what a caller
# waits, these are what the code does.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
command -v valgrind >/dev/null || { echo "bench-instructions: valgrind is missing" >&2; exit 1; }
TARGET="${CARGO_TARGET_DIR:-$ROOT/bench/target}"
if [ "${BUILD:-1}" = 1 ]; then
  cargo build --release --quiet --manifest-path bench/Cargo.toml --bin peers
fi
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--only ops --rounds 1 --ms 100 --items 2000)
OUT="$(mktemp -d)"
valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.out" "$TARGET/release/peers" "${args[@]}" >"$OUT/peers.txt" 2>"$OUT/valgrind.txt"
callgrind_annotate --inclusive=yes --threshold=100 "$OUT/cg.out" >"$OUT/inclusive.txt" 2>/dev/null
python3 - "$OUT/cg.out" "$OUT/inclusive.txt" <<'PY'
import re, sys
names, calls, cur = {}, {}, None
for line in open(sys.argv[1]):
    m = re.match(r'^(c?fn)=\((\d+)\)(?: (.*))?', line)
    if m:
        kind, id_, name = m.groups()
        if name:
            names[id_] = name.strip()
        if kind == 'cfn':
            cur = id_
        continue
    m = re.match(r'^calls=(\d+)', line)
    if m and cur:
        calls[names.get(cur, cur)] = calls.get(names.get(cur, cur), 0) + int(m.group(1))
incl = {}
for line in open(sys.argv[2]):
    m = re.match(r'^\s*([\d,]+) .*?(<dynamo_objects_bench::(\w+) as dynamo_objects_bench::Peer>::(\w+))', line)
    if m:
        incl[m.group(2)] = int(m.group(1).replace(',', ''))
rows = {}
for fn, ir in incl.items():
    m = re.match(r'<dynamo_objects_bench::(\w+) as dynamo_objects_bench::Peer>::(\w+)', fn)
    n = calls.get(fn)
    if m and n and m.group(2) in ('put', 'get', 'query', 'update', 'scan'):
        rows.setdefault(m.group(2), {})[m.group(1)] = ir / n
print(f"{'op':8} {'peer':10} {'instructions/call':>18} {'vs Mock':>8}")
for op in ('put', 'get', 'query', 'update', 'scan'):
    peers = rows.get(op, {})
    base = peers.get('Mock')
    for peer in ('Mock', 'Typed', 'Dynoxide'):
        if peer in peers:
            ratio = f"{peers[peer] / base:.2f}x" if base else ''
            print(f"{op:8} {peer:10} {peers[peer]:18,.0f} {ratio:>8}")
PY
rm -rf "$OUT"
