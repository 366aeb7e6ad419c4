#!/usr/bin/env python3
"""What a request costs a server that was idle before it: server CPU per GetItem.

    python3 tool/bench_server_idle.py --port PORT --pid SERVER_PID \
        [--requests 3000] [--gap 0.001] [--split] [--busy]

One connection sends the same small GetItem (table `idleprobe`, created and
filled here) again and again, waiting for each answer, then --gap seconds
(spinning, so the client itself never sleeps). The server's CPU time is read
from /proc/PID/task/*/schedstat (nanoseconds, every thread) before and after,
and so are its context switches. --split writes the headers and the body in
two sends, as boto3 (urllib3) does; without it the request goes in one, as
the AWS SDK for Rust sends it. --busy starts one nice-19 spinning process per
core for the measurement, so that no core goes idle: what is left is the
server's own work, not the cost of waking an idle (virtual) CPU.

Every server the same way: the mock (`dynamo-objects mock-server`), dynoxide,
DynamoDB Local. Any signature is accepted by these (none checks credentials).
"""

import argparse
import json
import os
import socket
import subprocess
import time


def request(port: int, target: str, body: dict) -> tuple[bytes, bytes]:
    data = json.dumps(body).encode()
    head = (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"X-Amz-Target: DynamoDB_20120810.{target}\r\n"
        "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Date: 20261202T000000Z\r\n"
        "Authorization: AWS4-HMAC-SHA256 Credential=x/20261202/us-east-1/dynamodb/aws4_request, "
        f"SignedHeaders=host;x-amz-date;x-amz-target, Signature={'0' * 64}\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    ).encode()
    return head, data


class Conn:
    def __init__(self, port: int):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def call(self, target: str, body: dict, split: bool = False) -> bytes:
        head, data = request(self.port, target, body)
        if split:
            self.sock.sendall(head)
            self.sock.sendall(data)
        else:
            self.sock.sendall(head + data)
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed")
            buf += chunk
        head_bytes, rest = buf.split(b"\r\n\r\n", 1)
        length = 0
        for line in head_bytes.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            rest += self.sock.recv(65536)
        status = head_bytes.split(b"\r\n", 1)[0]
        if b" 200 " not in status + b" ":
            raise RuntimeError(f"{target}: {status!r} {rest[:200]!r}")
        return rest


def cpu_ns(pid: int) -> int:
    tasks = os.listdir(f"/proc/{pid}/task")
    return sum(int(open(f"/proc/{pid}/task/{t}/schedstat").read().split()[0]) for t in tasks)


def switches(pid: int) -> int:
    total = 0
    for t in os.listdir(f"/proc/{pid}/task"):
        for line in open(f"/proc/{pid}/task/{t}/status"):
            if "ctxt_switches" in line:
                total += int(line.split()[1])
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--gap", type=float, default=0.0)
    ap.add_argument("--split", action="store_true")
    ap.add_argument("--busy", action="store_true")
    args = ap.parse_args()

    conn = Conn(args.port)
    table = "idleprobe"
    try:
        conn.call("CreateTable", {
            "TableName": table,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        })
    except RuntimeError as e:
        if "ResourceInUse" not in str(e):
            raise
    for _ in range(100):
        status = json.loads(conn.call("DescribeTable", {"TableName": table}))["Table"]["TableStatus"]
        if status == "ACTIVE":
            break
        time.sleep(0.1)
    item = {"pk": {"S": "k"}, **{f"attr{i}": {"S": "x" * 96} for i in range(10)}}
    for i in range(100):
        conn.call("PutItem", {"TableName": table, "Item": {**item, "pk": {"S": f"k{i}"}}})
    get = {"TableName": table, "Key": {"pk": {"S": "k7"}}}
    for _ in range(200):
        conn.call("GetItem", get, args.split)

    spinners = []
    if args.busy:
        for _ in range(os.cpu_count() or 1):
            spinners.append(subprocess.Popen(["nice", "-n", "19", "sh", "-c", "while :; do :; done"]))
        time.sleep(0.3)
    try:
        c0, s0, t0 = cpu_ns(args.pid), switches(args.pid), time.time()
        for _ in range(args.requests):
            conn.call("GetItem", get, args.split)
            if args.gap:
                until = time.perf_counter() + args.gap
                while time.perf_counter() < until:
                    pass
        dt = time.time() - t0
        c1, s1 = cpu_ns(args.pid), switches(args.pid)
    finally:
        for p in spinners:
            p.kill()
    n = args.requests
    print(
        f"{'split' if args.split else 'whole'} gap={args.gap} busy={int(args.busy)}: "
        f"{n / dt:.0f} req/s, server {(c1 - c0) / n / 1000:.1f} us/req, {(s1 - s0) / n:.2f} switches/req"
    )


if __name__ == "__main__":
    main()
