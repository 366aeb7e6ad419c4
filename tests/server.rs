//! The mock server: DynamoDB's HTTP protocol, its error answers, tags, TTL
//! and credentials, checked with raw HTTP and with the AWS SDK.

use std::time::Duration;

use dynamo_objects::server::{MockServer, ServerOptions};
use dynamo_objects::{AwsBackend, AwsOptions, Backend, Database, Error, KeyAttr, KeyType, TableSchema};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const AUTH: &str =
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00";

/// Sends one raw request; returns the status and the JSON body.
async fn raw(server: &MockServer, target: Option<&str>, auth: bool, body: &str) -> (u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let mut req = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n",
        server.local_addr(),
        body.len()
    );
    if let Some(t) = target {
        req.push_str(&format!("X-Amz-Target: {t}\r\n"));
    }
    if auth {
        req.push_str(&format!("Authorization: {AUTH}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out);
    let status: u16 = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn kind(v: &Value) -> &str {
    v["__type"].as_str().unwrap_or("").rsplit('#').next().unwrap_or("")
}

#[tokio::test]
async fn requests_without_authorization_are_refused() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let (status, body) = raw(&server, Some("DynamoDB_20120810.ListTables"), false, "{}").await;
    assert_eq!((status, kind(&body)), (400, "MissingAuthenticationTokenException"));
    server.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_get_dynamodb_errors() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let (status, body) = raw(&server, Some("DynamoDB_20120810.ListTables"), true, "{}").await;
    assert_eq!((status, body), (200, json!({"TableNames": []})));
    let (status, body) = raw(&server, Some("DynamoDB_20120810.Frobnicate"), true, "{}").await;
    assert_eq!((status, kind(&body)), (400, "UnknownOperationException"));
    let (status, body) = raw(&server, None, true, "{}").await;
    assert_eq!((status, kind(&body)), (400, "UnknownOperationException"));
    let (status, body) = raw(&server, Some("DynamoDB_20120810.ListTables"), true, "{not json").await;
    assert_eq!((status, kind(&body)), (400, "SerializationException"));
    let (status, body) = raw(&server, Some("DynamoDB_20120810.ListTables"), true, r#"{"Limit": "5"}"#).await;
    assert_eq!((status, kind(&body)), (400, "SerializationException"));
    let (status, body) = raw(
        &server,
        Some("DynamoDB_20120810.GetItem"),
        true,
        r#"{"Key": {"id": {"S": "a"}}}"#,
    )
    .await;
    assert_eq!((status, kind(&body)), (400, "ValidationException"));
    let (status, body) = raw(
        &server,
        Some("DynamoDB_20120810.GetItem"),
        true,
        r#"{"TableName": "nope", "Key": {"id": {"S": 5}}}"#,
    )
    .await;
    assert_eq!((status, kind(&body)), (400, "SerializationException"));
    let (status, body) = raw(
        &server,
        Some("DynamoDB_20120810.GetItem"),
        true,
        r#"{"TableName": "nope", "Key": {"id": {}}}"#,
    )
    .await;
    assert_eq!((status, kind(&body)), (400, "ValidationException"));
    let (status, body) = raw(
        &server,
        Some("DynamoDB_20120810.GetItem"),
        true,
        r#"{"TableName": "nope", "Key": {"id": {"S": "a"}}}"#,
    )
    .await;
    assert_eq!((status, kind(&body)), (400, "ResourceNotFoundException"));
    server.shutdown().await;
}

fn table() -> TableSchema {
    TableSchema::new("things", KeyAttr::new("id", KeyType::S))
}

#[tokio::test]
async fn the_server_and_the_in_process_mock_share_the_engine() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let remote = Database::local(&server.endpoint());
    remote.ensure_table(&table()).await.unwrap();
    let local = Database::new(std::sync::Arc::new(server.backend().clone()), "");
    assert_eq!(local.table_names().await.unwrap(), ["things"]);
    server.shutdown().await;
}

#[tokio::test]
async fn tags_are_kept_per_table_arn() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = Database::local(&server.endpoint());
    db.ensure_table(&table()).await.unwrap();
    let aws = AwsBackend::local(&server.endpoint());
    let client = aws.client();
    let arn = client
        .describe_table()
        .table_name("things")
        .send()
        .await
        .unwrap()
        .table
        .unwrap()
        .table_arn
        .unwrap();
    let tag = |k: &str, v: &str| aws_sdk_dynamodb::types::Tag::builder().key(k).value(v).build().unwrap();
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("team", "a"))
        .tags(tag("env", "dev"))
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    let tags = client
        .list_tags_of_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap()
        .tags
        .unwrap();
    let got: Vec<(String, String)> = tags.into_iter().map(|t| (t.key, t.value)).collect();
    assert_eq!(got, [("env".to_string(), "dev".to_string())]);
    let bad = client
        .list_tags_of_resource()
        .resource_arn("not-an-arn")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        aws_sdk_dynamodb::error::ProvideErrorMetadata::code(&bad),
        Some("ValidationException")
    );
    let missing = arn.replace("table/things", "table/other");
    let err = client
        .list_tags_of_resource()
        .resource_arn(missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        aws_sdk_dynamodb::error::ProvideErrorMetadata::code(&err),
        Some("ResourceNotFoundException")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn items_past_their_ttl_expire() {
    let options = ServerOptions {
        ttl_interval: Duration::from_millis(20),
        ..ServerOptions::default()
    };
    let server = MockServer::start(options).await.unwrap();
    let db = Database::local(&server.endpoint());
    db.ensure_table(&table()).await.unwrap();
    let client = AwsBackend::local(&server.endpoint()).client().clone();
    let spec = aws_sdk_dynamodb::types::TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name("expires")
        .build()
        .unwrap();
    client
        .update_time_to_live()
        .table_name("things")
        .time_to_live_specification(spec.clone())
        .send()
        .await
        .unwrap();
    let again = client
        .update_time_to_live()
        .table_name("things")
        .time_to_live_specification(spec)
        .send()
        .await;
    assert_eq!(
        aws_sdk_dynamodb::error::ProvideErrorMetadata::code(&again.unwrap_err()),
        Some("ValidationException")
    );
    let desc = client
        .describe_time_to_live()
        .table_name("things")
        .send()
        .await
        .unwrap();
    let d = desc.time_to_live_description.unwrap();
    assert_eq!(d.attribute_name(), Some("expires"));
    use aws_sdk_dynamodb::types::AttributeValue as AV;
    client
        .put_item()
        .table_name("things")
        .item("id", AV::S("old".into()))
        .item("expires", AV::N("1000".into()))
        .send()
        .await
        .unwrap();
    client
        .put_item()
        .table_name("things")
        .item("id", AV::S("new".into()))
        .item("expires", AV::N("99999999999".into()))
        .send()
        .await
        .unwrap();
    client
        .put_item()
        .table_name("things")
        .item("id", AV::S("none".into()))
        .send()
        .await
        .unwrap();
    // Expiry runs in the background: wait for it (bounded), then check exactly.
    let mut left = 3;
    for _ in 0..250 {
        left = client.scan().table_name("things").send().await.unwrap().count;
        if left == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(left, 2);
    let old = client
        .get_item()
        .table_name("things")
        .key("id", AV::S("old".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(old.item, None);
    server.shutdown().await;
}

#[tokio::test]
async fn a_server_with_credentials_checks_signatures() {
    let options = ServerOptions {
        credentials: Some(("AKIDTEST".into(), "s3cret".into())),
        ..ServerOptions::default()
    };
    let server = MockServer::start(options).await.unwrap();
    let with = |key: &str, secret: &str| {
        AwsOptions::new()
            .region("us-east-1")
            .endpoint_url(server.endpoint())
            .credentials(key, secret)
    };
    let good = Database::new(
        std::sync::Arc::new(AwsBackend::connect(with("AKIDTEST", "s3cret")).await),
        "",
    );
    good.ensure_table(&table()).await.unwrap();
    assert_eq!(good.table_names().await.unwrap(), ["things"]);
    let wrong_key = AwsBackend::connect(with("OTHER", "s3cret").max_attempts(1)).await;
    let e = wrong_key
        .list_tables(dynamo_objects::sdk::ListTablesInput::builder().build().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Service { code, .. } if code == "UnrecognizedClientException"),
        "{e:?}"
    );
    let wrong_secret = AwsBackend::connect(with("AKIDTEST", "guess").max_attempts(1)).await;
    let e = wrong_secret
        .list_tables(dynamo_objects::sdk::ListTablesInput::builder().build().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Service { code, .. } if code == "InvalidSignatureException"),
        "{e:?}"
    );
    server.shutdown().await;
}
