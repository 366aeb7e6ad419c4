//! DynamoDB Streams through the mock server: the `DynamoDBStreams_20120810`
//! target prefix on the same endpoint, read with the AWS SDK's streams
//! client (`aws-sdk-dynamodbstreams`, behind `AwsBackend::local`).

#![allow(missing_docs)]
use dynamo_objects::sdk::*;
use dynamo_objects::server::{MockServer, ServerOptions};
use dynamo_objects::streams::{
    Change, DescribeStreamInput, GetRecordsInput, GetShardIteratorInput, ListStreamsInput, Position,
};
use dynamo_objects::{Backend, Database, Error, KeyAttr, KeyType, TableSchema, dynamo_table};
use futures::StreamExt;

use aws_sdk_dynamodbstreams::types as st;

dynamo_table! {
    /// A thing whose changes are streamed.
    thing: Thing {
        hash id: String,
        size: i64,
    }
    on_demand
}

#[tokio::test]
async fn the_aws_sdk_streams_client_reads_the_mock_server_s_streams_on_the_same_endpoint() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = Database::local(&server.endpoint());
    let mut input = TableSchema::new("things", KeyAttr::new("id", KeyType::S))
        .create_table_input("things")
        .unwrap();
    input.stream_specification = Some(
        StreamSpecification::builder()
            .stream_enabled(true)
            .stream_view_type(StreamViewType::NewAndOldImages)
            .build()
            .unwrap(),
    );
    let arn = db
        .create_table(input)
        .await
        .unwrap()
        .table_description
        .unwrap()
        .latest_stream_arn
        .unwrap();
    let put = |id: &str, size: &str| {
        PutItemInput::builder()
            .table_name("things")
            .item("id", AttributeValue::S(id.into()))
            .item("size", AttributeValue::N(size.into()))
            .item("blob", AttributeValue::B(Blob::new(vec![0, 1])))
            .build()
            .unwrap()
    };
    db.put_item(put("a", "1")).await.unwrap();
    db.put_item(put("a", "2")).await.unwrap();
    db.delete_item(
        DeleteItemInput::builder()
            .table_name("things")
            .key("id", AttributeValue::S("a".into()))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();

    let streams = Backend::streams(&db).unwrap();
    let listed = streams
        .list_streams(ListStreamsInput::builder().build().unwrap())
        .await
        .unwrap();
    assert_eq!(listed.streams.unwrap()[0].stream_arn.as_deref(), Some(arn.as_str()));
    let d = streams
        .describe_stream(DescribeStreamInput::builder().stream_arn(&arn).build().unwrap())
        .await
        .unwrap()
        .stream_description
        .unwrap();
    assert_eq!(d.stream_status, Some(st::StreamStatus::Enabled));
    assert_eq!(d.stream_view_type, Some(st::StreamViewType::NewAndOldImages));
    assert_eq!(d.table_name.as_deref(), Some("things"));
    assert!(d.creation_request_date_time.is_some());
    let shard = d.shards.unwrap().remove(0);
    let it = streams
        .get_shard_iterator(
            GetShardIteratorInput::builder()
                .stream_arn(&arn)
                .set_shard_id(shard.shard_id)
                .shard_iterator_type(st::ShardIteratorType::TrimHorizon)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .shard_iterator
        .unwrap();
    let out = streams
        .get_records(GetRecordsInput::builder().shard_iterator(it).build().unwrap())
        .await
        .unwrap();
    assert!(out.next_shard_iterator.is_some());
    let records = out.records.unwrap();
    let names: Vec<&str> = records
        .iter()
        .map(|r| r.event_name.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(names, ["INSERT", "MODIFY", "REMOVE"]);
    let modify = records[1].dynamodb.as_ref().unwrap();
    assert_eq!(
        modify.new_image.as_ref().unwrap()["size"],
        st::AttributeValue::N("2".into())
    );
    assert_eq!(
        modify.old_image.as_ref().unwrap()["size"],
        st::AttributeValue::N("1".into())
    );
    assert_eq!(
        modify.old_image.as_ref().unwrap()["blob"],
        st::AttributeValue::B(aws_sdk_dynamodbstreams::primitives::Blob::new(vec![0, 1]))
    );
    assert_eq!(modify.keys.as_ref().unwrap()["id"], st::AttributeValue::S("a".into()));
    assert_eq!(modify.sequence_number.as_ref().map(String::len), Some(21));
    assert!(modify.approximate_creation_date_time.is_some());
    assert_eq!(records[0].event_source.as_deref(), Some("aws:dynamodb"));
    assert_eq!(records[0].event_version.as_deref(), Some("1.1"));

    // Errors keep their code and message over HTTP.
    let e = streams
        .get_records(GetRecordsInput::builder().shard_iterator("garbage").build().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Validation(m) if m.text() == "Invalid ShardIterator"),
        "{e:?}"
    );
    let e = streams
        .describe_stream(DescribeStreamInput::builder().stream_arn("nope").build().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::ResourceNotFound(m) if m.text() == "Requested resource not found: Stream: nope not found"),
        "{e:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn typed_changes_read_through_the_mock_server_as_through_the_in_process_mock() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = Database::local(&server.endpoint());
    let things = ThingTable::new(&db);
    things.enable_stream(StreamViewType::NewImage).await.unwrap();
    things
        .put(&mut Thing {
            id: "x".into(),
            size: 3,
        })
        .await
        .unwrap();
    things
        .put(&mut Thing {
            id: "x".into(),
            size: 4,
        })
        .await
        .unwrap();
    let changes: Vec<Change<Thing>> = things
        .changes(Position::Oldest)
        .await
        .unwrap()
        .map(|c| c.unwrap().change)
        .collect()
        .await;
    assert_eq!(
        changes,
        vec![
            Change::Inserted(Some(Thing {
                id: "x".into(),
                size: 3
            })),
            Change::Modified {
                old: None,
                new: Some(Thing {
                    id: "x".into(),
                    size: 4
                })
            },
        ]
    );
    server.shutdown().await;
}

/// Sends one raw streams request; returns the status and the JSON body.
async fn raw(server: &MockServer, op: &str, body: &str) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let req = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\nX-Amz-Target: DynamoDBStreams_20120810.{op}\r\nX-Amz-Date: 20260101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00\r\n\r\n{body}",
        server.local_addr(),
        body.len()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out);
    let status: u16 = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn the_streams_prefix_serves_only_the_four_streams_operations_with_dynamodb_s_error_types() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let (status, body) = raw(&server, "ListStreams", "{}").await;
    assert_eq!((status, body), (200, serde_json::json!({"Streams": []})));
    let (status, body) = raw(&server, "GetRecords", r#"{"ShardIterator":"garbage"}"#).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "com.amazon.coral.validate#ValidationException");
    assert_eq!(body["message"], "Invalid ShardIterator");
    let (status, body) = raw(&server, "DescribeStream", r#"{"StreamArn":"x"}"#).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["__type"],
        "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
    );
    assert_eq!(body["message"], "Requested resource not found: Stream: x not found");
    // A DynamoDB operation under the streams prefix is unknown there.
    let (status, body) = raw(&server, "ListTables", "{}").await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "com.amazon.coral.service#UnknownOperationException");
    server.shutdown().await;
}
