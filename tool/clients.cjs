// The AWS SDK for JavaScript (v3), unmodified, against the mock server.
// Run by tool/clients.sh, which installs the SDK into .clients-node/.
// Usage: NODE_PATH=.clients-node/node_modules node tool/clients.cjs ENDPOINT
"use strict";
const assert = require("node:assert/strict");
const ddb = require("@aws-sdk/client-dynamodb");

const endpoint = process.argv[2];
const client = new ddb.DynamoDBClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});
const send = (Command, input) => client.send(new Command(input));
let checks = 0;
const check = (label, got, expected) => {
  assert.deepEqual(got, expected, label);
  checks += 1;
};

async function errorName(Command, input) {
  try {
    await send(Command, input);
    return "no error";
  } catch (e) {
    return e.name;
  }
}

async function main() {
  const table = `js_${process.pid}`;
  await send(ddb.CreateTableCommand, {
    TableName: table,
    KeySchema: [
      { AttributeName: "id", KeyType: "HASH" },
      { AttributeName: "n", KeyType: "RANGE" },
    ],
    AttributeDefinitions: [
      { AttributeName: "id", AttributeType: "S" },
      { AttributeName: "n", AttributeType: "N" },
    ],
    BillingMode: "PAY_PER_REQUEST",
  });
  const item = {
    id: { S: "a" },
    n: { N: "1" },
    s: { S: 'quote " backslash \\ newline \n é 😀' },
    b: { B: new Uint8Array([0, 1, 255]) },
    l: { L: [{ BOOL: true }, { NULL: true }, { M: { x: { SS: ["p", "q"] } } }] },
  };
  await send(ddb.PutItemCommand, { TableName: table, Item: item });
  await send(ddb.BatchWriteItemCommand, {
    RequestItems: {
      [table]: [2, 3].map((i) => ({ PutRequest: { Item: { id: { S: "a" }, n: { N: String(i) } } } })),
    },
  });
  const got = await send(ddb.GetItemCommand, { TableName: table, Key: { id: { S: "a" }, n: { N: "1" } } });
  check("get: string", got.Item.s.S, item.s.S);
  check("get: binary", Array.from(got.Item.b.B), [0, 1, 255]);
  check("get: nested", got.Item.l, item.l);
  const page = await send(ddb.QueryCommand, {
    TableName: table,
    KeyConditionExpression: "id = :a",
    ExpressionAttributeValues: { ":a": { S: "a" } },
    Limit: 2,
  });
  check("query: count", page.Count, 2);
  check("query: last key", page.LastEvaluatedKey, { id: { S: "a" }, n: { N: "2" } });
  await send(ddb.UpdateTimeToLiveCommand, {
    TableName: table,
    TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" },
  });
  const ttl = await send(ddb.DescribeTimeToLiveCommand, { TableName: table });
  check("ttl", ttl.TimeToLiveDescription, { TimeToLiveStatus: "ENABLED", AttributeName: "exp" });
  check(
    "missing table",
    await errorName(ddb.GetItemCommand, { TableName: "missing_table", Key: { id: { S: "a" } } }),
    "ResourceNotFoundException",
  );
  check(
    "failed condition",
    await errorName(ddb.PutItemCommand, {
      TableName: table,
      Item: { id: { S: "a" }, n: { N: "1" } },
      ConditionExpression: "attribute_not_exists(id)",
    }),
    "ConditionalCheckFailedException",
  );
  await send(ddb.DeleteTableCommand, { TableName: table });
  console.log(`clients: the AWS SDK for JavaScript: ${checks} checks passed`);
}

main().catch((e) => {
  console.error(`clients.cjs: ${e.stack || e}`);
  process.exit(1);
});
