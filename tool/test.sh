#!/usr/bin/env bash
# Runs the whole test suite twice: on the in-process mock, then on DynamoDB
# Local (installed and started by tool/dynamodb-local.sh, stopped afterwards).
# Exits non-zero if either run fails. Extra arguments go to `cargo test`.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"
cargo build --tests --examples --quiet || { echo "test.sh: build failed" >&2; exit 1; }

echo "== phase 1/2: the mock"
t0=$(date +%s%N)
env -u DYNAMODB_ENDPOINT DYNAMODB_MOCK=1 cargo test "$@"
mock_rc=$?
t1=$(date +%s%N)

echo "== phase 2/2: DynamoDB Local"
local_rc=1
if endpoint=$(./tool/dynamodb-local.sh start); then
  trap './tool/dynamodb-local.sh stop' EXIT
  echo "DynamoDB Local at $endpoint"
  t2=$(date +%s%N)
  # The differential test (mock vs Local side by side) is #[ignore]d in the
  # mock phase and runs here.
  DYNAMODB_MOCK= DYNAMODB_ENDPOINT="$endpoint" cargo test "$@" -- --include-ignored
  local_rc=$?
  t3=$(date +%s%N)
  ./tool/dynamodb-local.sh stop
  trap - EXIT
else
  echo "test.sh: DynamoDB Local could not be started" >&2
  t2=$t1; t3=$t1
fi

printf '== mock: %s (%d ms); DynamoDB Local: %s (%d ms)\n' \
  "$([ $mock_rc = 0 ] && echo passed || echo FAILED)" $(( (t1 - t0) / 1000000 )) \
  "$([ $local_rc = 0 ] && echo passed || echo FAILED)" $(( (t3 - t2) / 1000000 ))
[ $mock_rc = 0 ] && [ $local_rc = 0 ]
