#!/usr/bin/env bash
# Runs the whole test suite on the in-process mock, then on DynamoDB Local
# (installed and started by tool/dynamodb-local.sh, stopped afterwards), then
# the conformance suite through the AWS SDK against the mock server (the wire
# layer). Exits non-zero if any run fails. Extra arguments go to `cargo test`.
# Each phase picks its backend with DYNAMODB_TEST_BACKEND (mock | local, the
# latter at DYNAMODB_ENDPOINT), which Database::for_tests() reads.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"
# Every feature is on in test builds (the crate's dev-dependency on itself);
# `--features cli` says so for the binary, which requires it, and changes
# nothing else, so the phases below reuse this build.
tb=$(date +%s%N)
cargo build --tests --examples --bins --features cli --quiet || { echo "test.sh: build failed" >&2; exit 1; }
tb1=$(date +%s%N)

echo "== phase 1/3: the mock"
t0=$(date +%s%N)
env -u DYNAMODB_ENDPOINT -u DYNAMODB_MOCK DYNAMODB_TEST_BACKEND=mock cargo test --no-fail-fast "$@"
mock_rc=$?
t1=$(date +%s%N)

echo "== phase 2/3: DynamoDB Local"
local_rc=1
if endpoint=$(./tool/dynamodb-local.sh start); then
  trap './tool/dynamodb-local.sh stop' EXIT
  echo "DynamoDB Local at $endpoint"
  t2=$(date +%s%N)
  # The differential test (mock vs Local side by side) is #[ignore]d in the
  # mock phase and runs here. Other ignored tests are the by-hand ones
  # (hundreds of MB, thousands of connections): they stay ignored.
  # The DSL's compile errors (rustc on tests/ui) do not depend on the backend: checked
  # in phase 1 only.
  case " $* " in *" -- "*) skip=(--skip dsl_mistakes_do_not_compile) ;; *) skip=(-- --skip dsl_mistakes_do_not_compile) ;; esac
  env -u DYNAMODB_MOCK DYNAMODB_TEST_BACKEND=local DYNAMODB_ENDPOINT="$endpoint" cargo test --no-fail-fast "$@" "${skip[@]}"
  local_rc=$?
  env -u DYNAMODB_MOCK DYNAMODB_TEST_BACKEND=local DYNAMODB_ENDPOINT="$endpoint" \
    cargo test --test differential "$@" -- --include-ignored || local_rc=1
  t3=$(date +%s%N)
  ./tool/dynamodb-local.sh stop
  trap - EXIT
else
  echo "test.sh: DynamoDB Local could not be started" >&2
  t2=$t1; t3=$t1
fi

echo "== phase 3/3: the mock server: the conformance suite through the AWS SDK, then boto3, the AWS CLI and the AWS SDK for JavaScript"
server_rc=1
t4=$(date +%s%N)
log=$(mktemp)
# The binary cargo built, wherever CARGO_TARGET_DIR or a cargo config puts it.
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
"${target_dir:-target}/debug/dynamo-objects" mock-server --port 0 >"$log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null' EXIT
server=""
for _ in $(seq 1 100); do
  server=$(grep -o 'http://[0-9.:]*' "$log" | head -n1)
  [ -n "$server" ] && break
  sleep 0.05
done
if [ -n "$server" ]; then
  echo "mock server at $server"
  # DYNAMODB_TEST_SERVER=mock: the scenarios for operations DynamoDB Local
  # lacks (backups, recovery, policies) run in full here, as on the mock.
  env -u DYNAMODB_MOCK DYNAMODB_TEST_BACKEND=local DYNAMODB_ENDPOINT="$server" DYNAMODB_TEST_SERVER=mock \
    cargo test --test conformance "$@"
  server_rc=$?
  # Unmodified clients of other languages: boto3, the AWS CLI, the JavaScript SDK.
  ./tool/clients.sh "$server" || server_rc=1
else
  echo "test.sh: the mock server did not start:" >&2
  cat "$log" >&2
fi
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
trap - EXIT
rm -f "$log"
t5=$(date +%s%N)

status() { [ "$1" = 0 ] && echo passed || echo FAILED; }
printf '== build: %d ms; mock: %s (%d ms); DynamoDB Local: %s (%d ms); mock server: %s (%d ms)\n' \
  $(( (tb1 - tb) / 1000000 )) \
  "$(status $mock_rc)" $(( (t1 - t0) / 1000000 )) \
  "$(status $local_rc)" $(( (t3 - t2) / 1000000 )) \
  "$(status $server_rc)" $(( (t5 - t4) / 1000000 ))
[ $mock_rc = 0 ] && [ $local_rc = 0 ] && [ $server_rc = 0 ]
