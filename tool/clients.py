"""Unmodified clients against the mock server: boto3 and the AWS CLI.

Run by tool/clients.sh with the server's endpoint as the only argument.
Every step asserts its exact outcome; the first failure exits non-zero.
"""
import json
import os
import subprocess
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
os.environ.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
ddb = boto3.client("dynamodb", endpoint_url=endpoint)
checks = 0


def check(label, got, expected):
    global checks
    if got != expected:
        sys.exit(f"clients.py: {label}: expected {expected!r}, got {got!r}")
    checks += 1


def error_code(fn, **kwargs):
    try:
        fn(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


ddb.create_table(
    TableName="boto_users",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "at", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "at", "AttributeType": "N"}],
    BillingMode="PAY_PER_REQUEST",
)
check("describe", ddb.describe_table(TableName="boto_users")["Table"]["TableStatus"], "ACTIVE")
check("create again", error_code(ddb.create_table, TableName="boto_users",
      KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
      AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST"),
      "ResourceInUseException")
for i in range(5):
    ddb.put_item(TableName="boto_users", Item={"id": {"S": "u1"}, "at": {"N": str(i)}, "b": {"B": b"\x00\x01"},
                                              "tags": {"SS": ["a", "b"]}, "n": {"N": "1.50"}})
got = ddb.get_item(TableName="boto_users", Key={"id": {"S": "u1"}, "at": {"N": "3"}}, ConsistentRead=True)["Item"]
check("binary round trip", got["b"]["B"], b"\x00\x01")
check("number canonical", got["n"]["N"], "1.5")
page = ddb.query(TableName="boto_users", KeyConditionExpression="id = :u AND #a BETWEEN :lo AND :hi",
                 ExpressionAttributeNames={"#a": "at"},
                 ExpressionAttributeValues={":u": {"S": "u1"}, ":lo": {"N": "1"}, ":hi": {"N": "3"}},
                 ScanIndexForward=False)
check("query order", [i["at"]["N"] for i in page["Items"]], ["3", "2", "1"])
check("conditional put", error_code(ddb.put_item, TableName="boto_users",
      Item={"id": {"S": "u1"}, "at": {"N": "0"}}, ConditionExpression="attribute_not_exists(id)"),
      "ConditionalCheckFailedException")
check("reserved word", error_code(ddb.update_item, TableName="boto_users", Key={"id": {"S": "u1"}, "at": {"N": "0"}},
      UpdateExpression="SET name = :v", ExpressionAttributeValues={":v": {"S": "x"}}), "ValidationException")
try:
    ddb.transact_write_items(TransactItems=[
        {"ConditionCheck": {"TableName": "boto_users", "Key": {"id": {"S": "u1"}, "at": {"N": "0"}},
                            "ConditionExpression": "attribute_not_exists(id)"}},
        {"Put": {"TableName": "boto_users", "Item": {"id": {"S": "u2"}, "at": {"N": "0"}}}},
    ])
    check("transaction", "succeeded", "canceled")
except ClientError as e:
    check("transaction error", e.response["Error"]["Code"], "TransactionCanceledException")
    check("reasons", [r["Code"] for r in e.response["CancellationReasons"]], ["ConditionalCheckFailed", "None"])
arn = ddb.describe_table(TableName="boto_users")["Table"]["TableArn"]
ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "blue"}])
check("tags", ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "team", "Value": "blue"}])
check("unknown table", error_code(ddb.get_item, TableName="nope", Key={"id": {"S": "x"}}), "ResourceNotFoundException")
paginator = ddb.get_paginator("scan")
check("paginated scan", sum(len(p["Items"]) for p in paginator.paginate(TableName="boto_users", Limit=2)), 5)


def aws(*args):
    out = subprocess.run(["aws", "dynamodb", *args, "--endpoint-url", endpoint, "--output", "json"],
                         capture_output=True, text=True, check=False)
    return out.returncode, (json.loads(out.stdout) if out.stdout.strip() else None), out.stderr


code, out, err = aws("list-tables")
check("aws list-tables", (code, "boto_users" in out["TableNames"]), (0, True))
code, out, err = aws("get-item", "--table-name", "boto_users", "--key", '{"id": {"S": "u1"}, "at": {"N": "4"}}')
check("aws get-item", (code, out["Item"]["at"]), (0, {"N": "4"}))
code, out, err = aws("describe-table", "--table-name", "missing")
check("aws error exit code", code != 0, True)
check("aws error names the exception", "ResourceNotFoundException" in err, True)
ddb.delete_table(TableName="boto_users")

# DynamoDB Streams: boto3's dynamodbstreams client on the same endpoint.
streams = boto3.client("dynamodbstreams", endpoint_url=endpoint)
created = ddb.create_table(
    TableName="boto_streamed",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
)["TableDescription"]
stream_arn = created["LatestStreamArn"]
check("stream specification", created["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
ddb.put_item(TableName="boto_streamed", Item={"id": {"S": "a"}, "v": {"N": "1"}})
ddb.put_item(TableName="boto_streamed", Item={"id": {"S": "a"}, "v": {"N": "1"}})
ddb.update_item(TableName="boto_streamed", Key={"id": {"S": "a"}}, UpdateExpression="SET v = :v",
                ExpressionAttributeValues={":v": {"N": "2"}})
ddb.delete_item(TableName="boto_streamed", Key={"id": {"S": "a"}})
check("list streams", [s["StreamArn"] for s in streams.list_streams(TableName="boto_streamed")["Streams"]], [stream_arn])
description = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]
check("stream status", (description["StreamStatus"], description["StreamViewType"]), ("ENABLED", "NEW_AND_OLD_IMAGES"))
shard_id = description["Shards"][0]["ShardId"]
iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
got = streams.get_records(ShardIterator=iterator)
records = got["Records"]
check("record events", [r["eventName"] for r in records], ["INSERT", "MODIFY", "REMOVE"])
check("modify images", (records[1]["dynamodb"]["OldImage"]["v"], records[1]["dynamodb"]["NewImage"]["v"]), ({"N": "1"}, {"N": "2"}))
check("record keys", records[2]["dynamodb"]["Keys"], {"id": {"S": "a"}})
check("creation time is a datetime", hasattr(records[0]["dynamodb"]["ApproximateCreationDateTime"], "year"), True)
check("next iterator", "NextShardIterator" in got, True)
check("bad iterator", error_code(streams.get_records, ShardIterator="garbage"), "ValidationException")
check("unknown stream", error_code(streams.describe_stream, StreamArn=stream_arn + "x"), "ResourceNotFoundException")
ddb.delete_table(TableName="boto_streamed")
print(f"clients: boto3 and the AWS CLI: {checks} checks passed")
