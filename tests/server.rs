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
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    client
        .put_item()
        .table_name("things")
        .item("id", AV::S("old".into()))
        .item("expires", AV::N((now - 60).to_string()))
        .send()
        .await
        .unwrap();
    // As in DynamoDB, an expiry more than five years in the past is ignored,
    // as is one that is not a number.
    for (id, expires) in [("ancient", AV::N("1000".into())), ("text", AV::S("1000".into()))] {
        client
            .put_item()
            .table_name("things")
            .item("id", AV::S(id.into()))
            .item("expires", expires)
            .send()
            .await
            .unwrap();
    }
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
    let mut left = 5;
    for _ in 0..250 {
        left = client.scan().table_name("things").send().await.unwrap().count;
        if left == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(left, 4);
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

/// A ListTables request, framed by `framing` (headers ending in `\r\n`).
fn list_tables(framing: &str, body: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nAuthorization: {AUTH}\r\n{framing}\r\n{body}"
    )
}

/// Reads whole responses (`n` of them) from `stream`; returns their status
/// lines and bodies.
async fn responses(stream: &mut tokio::net::TcpStream, n: usize) -> Vec<(String, String)> {
    let mut buf: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    while out.len() < n {
        if let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .map_or(0, |v| v.parse().unwrap());
            if buf.len() >= head_end + 4 + len {
                let status = head.lines().next().unwrap().to_string();
                let body = String::from_utf8_lossy(&buf[head_end + 4..head_end + 4 + len]).to_string();
                out.push((status, body));
                buf.drain(..head_end + 4 + len);
                continue;
            }
        }
        let mut chunk = vec![0u8; 1 << 20];
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .expect("the server answers within 5 s")
            .unwrap();
        assert!(n > 0, "the server closed early; got {out:?}");
        buf.extend_from_slice(&chunk[..n]);
    }
    out
}

/// Waits until the server closes `stream`, reading nothing more from it.
async fn closed(stream: &mut tokio::net::TcpStream) {
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest))
        .await
        .expect("the server closes the connection")
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&rest), "");
}

#[tokio::test]
async fn one_connection_carries_many_requests() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    // Pipelined: three requests in one write, with both kinds of framing.
    let chunked = list_tables("Transfer-Encoding: chunked\r\n", "1\r\n{\r\n1;ext=1\r\n}\r\n0\r\n\r\n");
    let sized = list_tables("Content-Length: 2\r\n", "{}");
    let limited = list_tables("Content-Length: 11\r\n", r#"{"Limit":1}"#);
    stream
        .write_all(format!("{sized}{chunked}{limited}").as_bytes())
        .await
        .unwrap();
    let got = responses(&mut stream, 3).await;
    let ok = ("HTTP/1.1 200 OK".to_string(), r#"{"TableNames":[]}"#.to_string());
    assert_eq!(got, vec![ok.clone(), ok.clone(), ok.clone()]);
    // Byte by byte, still one request.
    for b in sized.as_bytes() {
        stream.write_all(&[*b]).await.unwrap();
    }
    assert_eq!(responses(&mut stream, 1).await, vec![ok.clone()]);
    // The client says it is done: the server answers, then closes.
    stream.write_all(sized.as_bytes()).await.unwrap();
    stream.shutdown().await.unwrap();
    assert_eq!(responses(&mut stream, 1).await, vec![ok]);
    closed(&mut stream).await;
    server.shutdown().await;
}

#[tokio::test]
async fn expect_continue_http_1_0_and_connection_close_are_honoured() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let head = list_tables("Content-Length: 2\r\nExpect: 100-continue\r\n", "");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut interim = [0u8; 25];
    stream.read_exact(&mut interim).await.unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(b"{}").await.unwrap();
    let got = responses(&mut stream, 1).await;
    assert_eq!(got[0].0, "HTTP/1.1 200 OK");

    for request in [
        list_tables("Content-Length: 2\r\n", "{}").replace("HTTP/1.1", "HTTP/1.0"),
        list_tables("Content-Length: 2\r\nConnection: close\r\n", "{}"),
    ] {
        let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        assert_eq!(responses(&mut stream, 1).await[0].0, "HTTP/1.1 200 OK");
        closed(&mut stream).await;
    }
    server.shutdown().await;
}

#[tokio::test]
async fn bad_http_is_answered_then_the_connection_closed() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let too_large = list_tables("Content-Length: 16777217\r\n", "");
    let too_many_headers = list_tables(&"X-A: 1\r\n".repeat(100), "");
    let huge_header = list_tables(&format!("X-A: {}\r\n", "a".repeat(70_000)), "");
    let cases: [(&str, &str); 5] = [
        ("GARBAGE\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        (&too_large, "HTTP/1.1 413 Payload Too Large"),
        (&too_many_headers, "HTTP/1.1 431 Request Header Fields Too Large"),
        (&huge_header, "HTTP/1.1 431 Request Header Fields Too Large"),
        (
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n",
            "HTTP/1.1 400 Bad Request",
        ),
    ];
    for (request, status) in cases {
        let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
        // The server may close before reading everything: ignore a failed write.
        let _ = stream.write_all(request.as_bytes()).await;
        let got = responses(&mut stream, 1).await;
        assert_eq!(got[0].0, status, "{:.40}", request);
        assert_eq!(
            kind(&serde_json::from_str(&got[0].1).unwrap()),
            "SerializationException"
        );
        closed(&mut stream).await;
    }
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_idle_connections_and_stops_listening() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let addr = server.local_addr();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(list_tables("Content-Length: 2\r\n", "{}").as_bytes())
        .await
        .unwrap();
    assert_eq!(responses(&mut stream, 1).await[0].0, "HTTP/1.1 200 OK");
    tokio::time::timeout(Duration::from_secs(5), server.shutdown())
        .await
        .expect("shutdown does not wait for idle connections");
    closed(&mut stream).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn a_client_that_sends_without_reading_gets_every_answer() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let local = Database::new(std::sync::Arc::new(server.backend().clone()), "");
    local.ensure_table(&table()).await.unwrap();
    // Ten items of 300 KB: each Scan answer is about 1 MB.
    for i in 0..10 {
        let put = dynamo_objects::sdk::PutItemInput::builder()
            .table_name("things")
            .item("id", dynamo_objects::sdk::AttributeValue::S(format!("item{i}")))
            .item("blob", dynamo_objects::sdk::AttributeValue::S("x".repeat(300_000)))
            .build()
            .unwrap();
        local.put_item(put).await.unwrap();
    }
    let scan = r#"{"TableName":"things"}"#;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.Scan\r\nAuthorization: {AUTH}\r\nContent-Length: {}\r\n\r\n{scan}",
        scan.len()
    );
    // 30 answers of about 1 MB (more than the server buffers) asked for at
    // once, and only then read.
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    stream.write_all(request.repeat(30).as_bytes()).await.unwrap();
    let got = responses(&mut stream, 30).await;
    assert_eq!(got.len(), 30);
    for (status, body) in got {
        assert_eq!(status, "HTTP/1.1 200 OK");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["ScannedCount"], body["Count"]);
        assert!(body["Count"].as_i64().unwrap() >= 3, "{}", body["Count"]);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn requests_split_anywhere_are_answered_in_order() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let local = Database::new(std::sync::Arc::new(server.backend().clone()), "");
    local.ensure_table(&table()).await.unwrap();
    for i in 0..6 {
        let put = dynamo_objects::sdk::PutItemInput::builder()
            .table_name("things")
            .item("id", dynamo_objects::sdk::AttributeValue::S(format!("item{i}")))
            .build()
            .unwrap();
        local.put_item(put).await.unwrap();
    }
    // SplitMix64, seeded: the same splits on every run.
    let mut state = 0x5eed_u64;
    let mut next = move |n: u64| {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n
    };
    for round in 0..30 {
        let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let ids: Vec<u64> = (0..2 + next(5)).map(|_| next(6)).collect();
        let mut bytes = Vec::new();
        for id in &ids {
            let body = format!(r#"{{"TableName":"things","Key":{{"id":{{"S":"item{id}"}}}}}}"#);
            let (framing, body) = if next(2) == 0 {
                (format!("Content-Length: {}\r\n", body.len()), body)
            } else {
                let cut = next(body.len() as u64) as usize;
                let (a, b) = body.split_at(cut);
                let chunk = |s: &str| {
                    if s.is_empty() {
                        String::new()
                    } else {
                        format!("{:x}\r\n{s}\r\n", s.len())
                    }
                };
                (
                    "Transfer-Encoding: chunked\r\n".to_string(),
                    format!("{}{}0\r\n\r\n", chunk(a), chunk(b)),
                )
            };
            bytes.extend_from_slice(
                format!(
                    "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nAuthorization: {AUTH}\r\n{framing}\r\n{body}"
                )
                .as_bytes(),
            );
        }
        // Written in pieces cut at random places, with pauses between some.
        let mut at = 0;
        while at < bytes.len() {
            let len = (1 + next(200) as usize).min(bytes.len() - at);
            stream.write_all(&bytes[at..at + len]).await.unwrap();
            at += len;
            if next(3) == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        let got = responses(&mut stream, ids.len()).await;
        let expected: Vec<(String, String)> = ids
            .iter()
            .map(|id| {
                (
                    "HTTP/1.1 200 OK".to_string(),
                    format!(r#"{{"Item":{{"id":{{"S":"item{id}"}}}}}}"#),
                )
            })
            .collect();
        assert_eq!(got, expected, "round {round}");
    }
    server.shutdown().await;
}

// ---------------------------------------------------------------------------
// Deep nesting and long numbers (issue 10, items 5 and 6)
// ---------------------------------------------------------------------------

const NESTING: &str =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

/// `levels` nested `L`s or `M`s around a string, as JSON text.
fn nested_json(kind: char, levels: usize) -> String {
    let (open, close) = if kind == 'L' {
        (r#"{"L":["#, "]}")
    } else {
        (r#"{"M":{"k":"#, "}}")
    };
    format!("{}{}{}", open.repeat(levels), r#"{"S":"x"}"#, close.repeat(levels))
}

async fn create_deep_table(server: &MockServer) {
    let (status, _) = raw(
        server,
        Some("DynamoDB_20120810.CreateTable"),
        true,
        r#"{"TableName":"deep","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}"#,
    )
    .await;
    assert_eq!(status, 200);
}

/// DynamoDB Local answers every depth from 32 to 300 levels with the same
/// ValidationException (and past about 500 with an InternalFailure, a crash
/// of its JSON parser); the mock answers the ValidationException at every
/// depth, including those its JSON parser refuses to build a tree for.
#[tokio::test]
async fn values_nested_at_any_depth_get_dynamodb_locals_validation_exception_over_http() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    create_deep_table(&server).await;
    for shape in ['L', 'M'] {
        let put = |levels| {
            format!(
                r#"{{"TableName":"deep","Item":{{"pk":{{"S":"a"}},"d":{}}}}}"#,
                nested_json(shape, levels)
            )
        };
        let (status, body) = raw(&server, Some("DynamoDB_20120810.PutItem"), true, &put(31)).await;
        assert_eq!((status, &body), (200, &json!({})));
        for levels in [32, 33, 70, 200, 2000] {
            let (status, body) = raw(&server, Some("DynamoDB_20120810.PutItem"), true, &put(levels)).await;
            assert_eq!(
                (status, kind(&body), body["message"].as_str()),
                (400, "ValidationException", Some(NESTING)),
                "{shape} {levels}"
            );
            let batch = format!(
                r#"{{"RequestItems":{{"deep":[{{"PutRequest":{{"Item":{{"pk":{{"S":"b"}},"d":{}}}}}}}]}}}}"#,
                nested_json(shape, levels)
            );
            let (status, body) = raw(&server, Some("DynamoDB_20120810.BatchWriteItem"), true, &batch).await;
            assert_eq!(
                (status, kind(&body), body["message"].as_str()),
                (400, "ValidationException", Some(NESTING)),
                "{shape} {levels}"
            );
        }
        for levels in [33, 70, 200, 2000] {
            let update = format!(
                r#"{{"TableName":"deep","Key":{{"pk":{{"S":"a"}}}},"UpdateExpression":"SET d = :v","ExpressionAttributeValues":{{":v":{}}}}}"#,
                nested_json(shape, levels)
            );
            let (status, body) = raw(&server, Some("DynamoDB_20120810.UpdateItem"), true, &update).await;
            let eav = format!("ExpressionAttributeValues contains invalid value: {NESTING} for key :v");
            assert_eq!(
                (status, kind(&body), body["message"].as_str()),
                (400, "ValidationException", Some(eav.as_str())),
                "{shape} {levels}"
            );
        }
    }
    // Malformed JSON that is not deep is still a SerializationException.
    let (status, body) = raw(
        &server,
        Some("DynamoDB_20120810.PutItem"),
        true,
        r#"{"TableName":"deep","Item":{"#,
    )
    .await;
    assert_eq!((status, kind(&body)), (400, "SerializationException"));
    server.shutdown().await;
}

/// A PutItem with a 4,000,000-digit number is refused with DynamoDB's
/// message while another connection's ListTables is answered: refusing the
/// number costs about as much as reading it (it cost the square of its
/// length, 70 s, with the single-threaded server unable to answer anyone).
#[tokio::test]
async fn a_four_million_digit_number_is_refused_while_other_connections_are_answered() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    create_deep_table(&server).await;
    let digits = "7".repeat(4_000_000);
    let put = format!(r#"{{"TableName":"deep","Item":{{"pk":{{"S":"a"}},"n":{{"N":"{digits}"}}}}}}"#);
    let update = format!(
        r#"{{"TableName":"deep","Key":{{"pk":{{"S":"a"}}}},"UpdateExpression":"SET n = :v","ExpressionAttributeValues":{{":v":{{"N":"{digits}"}}}}}}"#
    );
    let precision = "Attempting to store more than 38 significant digits in a Number";
    for (target, body, message) in [
        ("DynamoDB_20120810.PutItem", &put, precision.to_string()),
        (
            "DynamoDB_20120810.UpdateItem",
            &update,
            format!("ExpressionAttributeValues contains invalid value: {precision} for key :v"),
        ),
    ] {
        let slow = raw(&server, Some(target), true, body);
        let other = async {
            tokio::time::timeout(
                Duration::from_secs(5),
                raw(&server, Some("DynamoDB_20120810.ListTables"), true, "{}"),
            )
            .await
            .expect("ListTables was not answered within 5 s")
        };
        let ((status, body), (other_status, _)) = tokio::join!(slow, other);
        assert_eq!(other_status, 200);
        assert_eq!(
            (status, kind(&body), body["message"].as_str()),
            (400, "ValidationException", Some(message.as_str()))
        );
    }
    server.shutdown().await;
}
