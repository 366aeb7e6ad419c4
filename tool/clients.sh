#!/usr/bin/env bash
# Unmodified clients (boto3, the AWS CLI and the AWS SDK for JavaScript)
# against the mock server. Installs them the first time, into git-ignored
# folders: a virtualenv (.clients-venv/) from PyPI, and .clients-node/ from
# the npm registry. Usage: tool/clients.sh ENDPOINT
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
endpoint="${1:?usage: tool/clients.sh ENDPOINT}"
venv=.clients-venv
if [ ! -x "$venv/bin/aws" ] || ! "$venv/bin/python" -c 'import boto3' 2>/dev/null; then
  command -v python3 >/dev/null 2>&1 || { echo "clients.sh: python3 is missing" >&2; exit 1; }
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check boto3 awscli
fi
PATH="$PWD/$venv/bin:$PATH" "$venv/bin/python" tool/clients.py "$endpoint"
node_dir=.clients-node
js_sdk=@aws-sdk/client-dynamodb@3.1169.0
if [ ! -d "$node_dir/node_modules/@aws-sdk/client-dynamodb" ]; then
  command -v npm >/dev/null 2>&1 || { echo "clients.sh: npm is missing" >&2; exit 1; }
  npm install --prefix "$node_dir" --no-audit --no-fund --silent "$js_sdk"
fi
NODE_NO_WARNINGS=1 NODE_PATH="$PWD/$node_dir/node_modules" node tool/clients.cjs "$endpoint"
