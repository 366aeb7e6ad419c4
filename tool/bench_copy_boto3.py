#!/usr/bin/env python3
"""A boto3 table copy (scan the source, Table.batch_writer() into the target), the baseline of tool/bench-copy.sh.

    bench_copy_boto3.py copy --source-endpoint URL --source TABLE --target-endpoint URL --target TABLE [--threads N]
    bench_copy_boto3.py count --endpoint URL --table TABLE

`copy` creates the target (on-demand, hash key `id`, S; not timed), then times
the copy: with --threads 1 (the default) the common script, one paginated scan
feeding one `batch_writer()`; with --threads N a parallel scan of N segments,
one thread (its own boto3 session, scan and `batch_writer()`) per segment. It
then counts the target (a COUNT scan, not timed) and prints one line:

    bench boto3 items_per_s 1234.5 items 50000 secs 40.5 verified 50000

`count` prints the item count of a table (a COUNT scan).
"""

import argparse
import sys
import threading
import time

import boto3


def resource(endpoint):
    """A boto3 DynamoDB resource on ENDPOINT with the credentials `dummy`/`dummy`.

    The same as the crate's Local connection (and so `dynamo-objects copy-table`):
    DynamoDB Local without -sharedDb keeps one database per access key, so a
    count with any other key would not see ours' target tables.
    """
    return boto3.session.Session().resource(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="dummy",
        aws_secret_access_key="dummy",
    )


def count(table):
    """The table's item count, by a paginated COUNT scan."""
    n = 0
    kwargs = {"Select": "COUNT"}
    while True:
        page = table.scan(**kwargs)
        n += page["Count"]
        if "LastEvaluatedKey" not in page:
            return n
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def copy_segment(a, segment, copied, errors):
    """Scan one segment (or the whole table when segment is None) of the source into the target."""
    try:
        source = resource(a.source_endpoint).Table(a.source)
        target = resource(a.target_endpoint).Table(a.target)
        kwargs = {}
        if segment is not None:
            kwargs = {"Segment": segment, "TotalSegments": a.threads}
        n = 0
        with target.batch_writer() as writer:
            while True:
                page = source.scan(**kwargs)
                for it in page["Items"]:
                    writer.put_item(Item=it)
                n += len(page["Items"])
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        copied.append(n)
    except Exception as e:  # reported by the main thread
        errors.append(e)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("copy")
    c.add_argument("--source-endpoint", required=True)
    c.add_argument("--source", required=True)
    c.add_argument("--target-endpoint", required=True)
    c.add_argument("--target", required=True)
    c.add_argument("--threads", type=int, default=1)
    c.add_argument("--label", default="boto3")
    n = sub.add_parser("count")
    n.add_argument("--endpoint", required=True)
    n.add_argument("--table", required=True)
    a = p.parse_args()

    if a.cmd == "count":
        print(count(resource(a.endpoint).Table(a.table)))
        return 0

    target = resource(a.target_endpoint).create_table(
        TableName=a.target,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    target.wait_until_exists()

    copied, errors = [], []
    start = time.perf_counter()
    if a.threads <= 1:
        copy_segment(a, None, copied, errors)
    else:
        threads = [threading.Thread(target=copy_segment, args=(a, s, copied, errors)) for s in range(a.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    secs = time.perf_counter() - start
    if errors:
        print("bench_copy_boto3: %r" % errors[0], file=sys.stderr)
        return 1

    items = sum(copied)
    verified = count(target)
    rate = items / secs if secs > 0 else 0.0
    print("bench %s items_per_s %.1f items %d secs %.3f verified %d" % (a.label, rate, items, secs, verified))
    return 0 if verified == items else 1


if __name__ == "__main__":
    sys.exit(main())
