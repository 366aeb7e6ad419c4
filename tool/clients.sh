#!/usr/bin/env bash
# Unmodified clients (boto3 and the AWS CLI) against the mock server.
# Installs them into a git-ignored virtualenv (.clients-venv/) from PyPI the
# first time. Usage: tool/clients.sh ENDPOINT
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
