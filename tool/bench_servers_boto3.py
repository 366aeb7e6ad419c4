#!/usr/bin/env python3
"""boto3's low-level client as the second client of tool/bench-servers.sh:
the workloads of bench/examples/server_bench.rs, one call at a time, with the
server's CPU per call read from /proc the same way.

    bench_servers_boto3.py --endpoint http://127.0.0.1:8000 --label mock --pid 1234
        [--load 20000] [--ops 2000] [--queries 200] [--batches 100]

Creates a fresh on-demand table (hash key `pk` S, range key `sk` N), loads
`--load` ~1 KB items with BatchWriteItem (not measured), writes the
partition `q` of 100 items, warms up (a tenth of each workload, not
reported), then measures, one call at a time:

- put_c1: PutItem of new items;
- get_c1: GetItem on keys scattered over the loaded items (each must exist);
- query_c1: Query of the 100-item partition (each must return 100 items);
- batch_c1: BatchWriteItem of 25 new items (unprocessed items are resent).

The items are those of server_bench: `pk`, `sk`, ten strings of 96
characters (`attr0`..`attr9`) and the number `count`.

Server CPU is read before and after each workload, as server_bench reads it:
the sum of /proc/PID/task/*/schedstat (ns, live threads) and utime+stime
from /proc/PID/stat (clock ticks, exited threads too). Output lines are those
of server_bench, with the workload names prefixed by `boto3.`:

    bench LABEL boto3.get_c1.cpu_us 52.1
"""

import argparse
import os
import subprocess
import sys
import time

import boto3
import botocore
from botocore.config import Config

TABLE = "bench"


def read_cpu(pid):
    """(utime+stime ticks, stime ticks, sum of the live threads' schedstat ns)."""
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2 :].split()
    # Fields from the state (field 3) on: utime is field 14, stime field 15.
    utime, stime = int(fields[11]), int(fields[12])
    sched = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                sched += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # the thread has exited since the listing
    return utime + stime, stime, sched


def mark(when, name):
    """Runs `$BENCH_MARK start|end NAME` around a measured workload, when that
    variable is set (tool/bench-server-instructions.sh: callgrind's counters
    of the server are zeroed and dumped there)."""
    cmd = os.environ.get("BENCH_MARK")
    if cmd:
        subprocess.run([cmd, when, "boto3." + name], check=True)


def item(pk, sk):
    it = {"pk": {"S": pk}, "sk": {"N": str(sk)}, "count": {"N": "42"}}
    for i in range(10):
        it["attr%d" % i] = {"S": str(i) * 96}
    return it


def key(pk, sk):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def load_key(i):
    """The loaded items are p{i % 1000} / i // 1000, as in server_bench."""
    return "p%d" % (i % 1000), i // 1000


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--endpoint", required=True)
    p.add_argument("--label", default="server")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--clk-tck", type=int, default=os.sysconf("SC_CLK_TCK"))
    p.add_argument("--load", type=int, default=20_000)
    p.add_argument("--ops", type=int, default=2_000)
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--batches", type=int, default=100)
    a = p.parse_args()

    client = boto3.client(
        "dynamodb",
        endpoint_url=a.endpoint,
        region_name="us-east-1",
        aws_access_key_id="dummy",
        aws_secret_access_key="dummy",
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )
    table = "boto3_%s_%d_%s" % (a.label.replace("-", "_"), int(time.time() * 1000) % 1_000_000, TABLE)
    client.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 60})

    def batch(items):
        requests = [{"PutRequest": {"Item": it}} for it in items]
        for _ in range(20):
            out = client.batch_write_item(RequestItems={table: requests})
            requests = out.get("UnprocessedItems", {}).get(table, [])
            if not requests:
                return
            time.sleep(0.01)
        sys.exit("bench_servers_boto3.py: BatchWriteItem kept items unprocessed")

    def put(i):
        client.put_item(TableName=table, Item=item("put%d" % (i % 100), i))

    def get(i):
        pk, sk = load_key((i * 7919) % max(a.load, 1))
        out = client.get_item(TableName=table, Key=key(pk, sk))
        if "Item" not in out:
            sys.exit("bench_servers_boto3.py: %s/%d not found" % (pk, sk))

    def query(_):
        out = client.query(
            TableName=table,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "q"}},
        )
        if out["Count"] != 100:
            sys.exit("bench_servers_boto3.py: query returned %d items, not 100" % out["Count"])

    def batch_op(b):
        batch([item("bw%d" % (b % 100), b * 25 + j) for j in range(25)])

    for b in range(0, a.load, 25):
        batch([item(*load_key(i)) for i in range(b, min(b + 25, a.load))])
    for b in range(0, 100, 25):
        batch([item("q", i) for i in range(b, b + 25)])

    # Warm-up (not reported), as server_bench's.
    for i in range(a.ops // 10):
        put(i)
    for i in range(a.ops // 10):
        get(i)
    for i in range(a.queries // 10):
        query(i)
    for i in range(a.batches // 10):
        batch_op(i)

    tick_us = 1e6 / a.clk_tck

    def emit(metric, value):
        print("bench %s boto3.%s %.3f" % (a.label, metric, value), flush=True)

    def measure(name, count, per, op, offset=0):
        mark("start", name)
        t0, s0, n0 = read_cpu(a.pid)
        start = time.perf_counter()
        for i in range(count):
            op(i + offset)
        wall = time.perf_counter() - start
        t1, s1, n1 = read_cpu(a.pid)
        mark("end", name)
        units = max(count * per, 1)
        emit(name + ".ops", count)
        emit(name + ".ops_per_s", count / wall)
        emit(name + ".cpu_us", (n1 - n0) / 1e3 / units)
        emit(name + ".cpu_us_ticks", (t1 - t0) * tick_us / units)
        emit(name + ".cpu_us_sys_ticks", (s1 - s0) * tick_us / units)

    measure("put_c1", a.ops, 1, put, 1_000_000)
    measure("get_c1", a.ops, 1, get)
    measure("query_c1", a.queries, 1, query)
    measure("batch_c1", a.batches, 25, batch_op, 1_000_000)
    print(
        "boto3 %s botocore %s, python %s" % (boto3.__version__, botocore.__version__, sys.version.split()[0]),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
