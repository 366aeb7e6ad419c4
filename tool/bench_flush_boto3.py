#!/usr/bin/env python3
"""boto3's Table.batch_writer() writing N items of ~1 KB, the baseline of
tool/bench-flush.sh (examples/flush_bench.rs writes the same items).

    bench_flush_boto3.py --endpoint http://127.0.0.1:8000 --items 100000 [--table NAME] [--verify]

Creates a fresh on-demand table (hash key `id`, S), builds the items up front
(`id` = item-00000042, `payload` = 1000 bytes, `n` = the index, as in
examples/flush_bench.rs), then times `batch_writer()` from the first put_item to
the end of the `with` block. The result is one line on stdout:

    bench boto3 items_per_s 1234.5 items 100000 secs 81.0 verified 100000

(`verified` is -1 without --verify: the COUNT scan after the timed part.)
"""

import argparse
import sys
import time

import boto3


def item(i):
    """The i-th item, ~1 KB: the same shape and bytes as examples/flush_bench.rs."""
    return {"id": "item-%08d" % i, "payload": ("%08d" % i) * 125, "n": i}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--endpoint", required=True)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--table", default="boto3_flush_bench_%d" % int(time.time() * 1000))
    p.add_argument("--verify", action="store_true", help="count the items with a scan afterwards (not timed)")
    a = p.parse_args()

    resource = boto3.resource(
        "dynamodb",
        endpoint_url=a.endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    table = resource.create_table(
        TableName=a.table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    table.wait_until_exists()

    items = [item(i) for i in range(a.items)]
    start = time.perf_counter()
    with table.batch_writer() as writer:
        for it in items:
            writer.put_item(Item=it)
    secs = time.perf_counter() - start

    verified = -1
    if a.verify:
        verified = 0
        kwargs = {"Select": "COUNT"}
        while True:
            page = table.scan(**kwargs)
            verified += page["Count"]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        if verified != a.items:
            print("bench_flush_boto3: wrote %d items, the table holds %d" % (a.items, verified), file=sys.stderr)
    table.delete()

    rate = a.items / secs if secs > 0 else 0.0
    print("bench boto3 items_per_s %.1f items %d secs %.3f verified %d" % (rate, a.items, secs, verified))
    return 0 if verified in (-1, a.items) else 1


if __name__ == "__main__":
    sys.exit(main())
