//! The mock server: DynamoDB's HTTP protocol, its error answers, tags, TTL
//! and credentials, checked with raw HTTP and with the AWS SDK.

use std::time::Duration;

use dynamo_objects::server::{Credentials, MockServer, ServerOptions};
use dynamo_objects::{AwsBackend, AwsOptions, Backend, Database, Error, KeyAttr, KeyType, TableSchema};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const AUTH: &str =
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00";
/// The `X-Amz-Date` sent with [`AUTH`]: a header of DynamoDB's form has one.
const AUTH_DATE: &str = "20260101T000000Z";

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
        req.push_str(&format!("Authorization: {AUTH}\r\nX-Amz-Date: {AUTH_DATE}\r\n"));
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
async fn tags_set_over_http_are_the_engine_s_and_go_with_a_table_deleted_in_process() {
    use dynamo_objects::sdk::{DeleteTableInput, ListTagsOfResourceInput, Tag};
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
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags(Tag::builder().key("team").value("a").build().unwrap())
        .send()
        .await
        .unwrap();
    // The in-process mock behind the server sees the tag...
    let engine = server.backend();
    let listed = engine
        .list_tags_of_resource(ListTagsOfResourceInput::builder().resource_arn(&arn).build().unwrap())
        .await
        .unwrap()
        .tags
        .unwrap();
    let got: Vec<(String, String)> = listed.into_iter().map(|t| (t.key, t.value)).collect();
    assert_eq!(got, [("team".to_string(), "a".to_string())]);
    // ...and a table deleted and created again in process has none over HTTP.
    engine
        .delete_table(DeleteTableInput::builder().table_name("things").build().unwrap())
        .await
        .unwrap();
    Database::local(&server.endpoint())
        .ensure_table(&table())
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
    assert_eq!(tags, Vec::<Tag>::new());
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
        credentials: Some(Credentials::new("AKIDTEST", "s3cret")),
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
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Type: application/x-amz-json-1.0\r\nAuthorization: {AUTH}\r\nX-Amz-Date: {AUTH_DATE}\r\n{framing}\r\n{body}"
    )
}

/// Reads whole responses (`n` of them) from `stream`; returns their status
/// lines and bodies.
async fn responses(stream: &mut (impl tokio::io::AsyncRead + Unpin), n: usize) -> Vec<(String, String)> {
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
async fn closed(stream: &mut (impl tokio::io::AsyncRead + Unpin)) {
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
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.Scan\r\nContent-Type: application/x-amz-json-1.0\r\nAuthorization: {AUTH}\r\nX-Amz-Date: {AUTH_DATE}\r\nContent-Length: {}\r\n\r\n{scan}",
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
                    "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nContent-Type: application/x-amz-json-1.0\r\nAuthorization: {AUTH}\r\nX-Amz-Date: {AUTH_DATE}\r\n{framing}\r\n{body}"
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
// Signatures, the order of DynamoDB's checks, request ids and secrets
// (issue 10, items 9 to 12). The expected answers are the real service's, as
// recorded by dynalite.
// ---------------------------------------------------------------------------

const KEY: &str = "AKIDTEST";
/// Request headers, as `send` takes them.
type Headers = Vec<(&'static str, String)>;
/// An error answer: status, `__type` and message.
type Refusal = (u16, String, String);
const SECRET: &str = "s3cret";
const JSON_TYPE: &str = "application/x-amz-json-1.0";

/// What the server answered to one request.
struct Answer {
    status: u16,
    /// Header names lowercase.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    /// Status, `__type` and message.
    fn error(&self) -> Refusal {
        let v: Value = serde_json::from_slice(&self.body).unwrap_or(Value::Null);
        let field = |k: &str| v[k].as_str().unwrap_or("").to_string();
        (self.status, field("__type"), field("message"))
    }
}

/// Sends `method /` with a `Host` naming the server, `headers`, and `body`
/// (framed by Content-Length) on a connection of its own.
async fn send(server: &MockServer, method: &str, headers: &[(&str, String)], body: &[u8]) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let mut req = format!("{method} / HTTP/1.1\r\nHost: {}\r\n", server.local_addr());
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out))
        .await
        .expect("the server answers within 5 s")
        .unwrap();
    let head_end = out.windows(4).position(|w| w == b"\r\n\r\n").expect("a whole head");
    let head = String::from_utf8_lossy(&out[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: out[head_end + 4..].to_vec(),
    }
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// An `Authorization` header for `POST /` with `headers` (names lowercase,
/// sorted; all signed) and `body`, signed with SigV4 (written here from
/// AWS's documentation, apart from the server's code) with `secret` for
/// `credential` (`key/date/region/service/term`) at `date`.
fn sign(secret: &str, credential: &str, date: &str, headers: &[(&str, String)], body: &[u8]) -> String {
    let names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical = format!(
        "POST\n/\n\n{canonical_headers}\n{}\n{}",
        names.join(";"),
        sha256_hex(body)
    );
    let scope = credential.split_once('/').unwrap().1;
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{date}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in scope.split('/') {
        key = hmac(&key, part);
    }
    format!(
        "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={}, Signature={}",
        names.join(";"),
        hex::encode(hmac(&key, &to_sign))
    )
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `secs` since the epoch in ISO-8601 basic format (`20130609T094515Z`).
fn basic(secs: i64) -> String {
    use aws_sdk_dynamodb::primitives::{DateTime, DateTimeFormat};
    DateTime::from_secs(secs)
        .fmt(DateTimeFormat::DateTime)
        .unwrap()
        .replace(['-', ':'], "")
}

/// The headers of a request for `target` with `body` at `date`, signed as
/// an SDK signs (content-type, host, x-amz-date, x-amz-target) for
/// `credential` with [`SECRET`], Authorization included.
fn signed(server: &MockServer, credential: &str, date: &str, target: &str, body: &[u8]) -> Headers {
    let mut headers = vec![
        ("content-type", JSON_TYPE.to_string()),
        ("host", server.local_addr().to_string()),
        ("x-amz-date", date.to_string()),
        ("x-amz-target", format!("DynamoDB_20120810.{target}")),
    ];
    let auth = sign(SECRET, credential, date, &headers, body);
    // The server adds Host itself (`send`).
    headers.retain(|(n, _)| *n != "host");
    headers.push(("authorization", auth));
    headers
}

/// A credential scope for [`KEY`] at `date` in `region`.
fn credential(date: &str, region: &str) -> String {
    format!("{KEY}/{}/{region}/dynamodb/aws4_request", &date[..8])
}

async fn server_with_credentials() -> MockServer {
    let options = ServerOptions {
        credentials: Some(Credentials::new(KEY, SECRET)),
        ..ServerOptions::default()
    };
    MockServer::start(options).await.unwrap()
}

const BAD_SIGNATURE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

fn invalid(message: &str) -> Refusal {
    (
        400,
        "com.amazon.coral.service#InvalidSignatureException".into(),
        message.into(),
    )
}

fn incomplete(message: &str) -> Refusal {
    (
        400,
        "com.amazon.coral.service#IncompleteSignatureException".into(),
        message.into(),
    )
}

#[tokio::test]
async fn a_body_swapped_under_a_valid_signature_is_refused_and_not_applied() {
    let server = server_with_credentials().await;
    Database::new(std::sync::Arc::new(server.backend().clone()), "")
        .ensure_table(&table())
        .await
        .unwrap();
    let date = basic(unix_now());
    let cred = credential(&date, "us-east-1");
    let put = |id: &str| format!(r#"{{"TableName":"things","Item":{{"id":{{"S":"{id}"}}}}}}"#).into_bytes();
    let (good, evil) = (put("good"), put("evil"));
    let mut headers = signed(&server, &cred, &date, "PutItem", &good);
    // An x-amz-content-sha256 outside the signed headers, naming the signed body.
    headers.push(("x-amz-content-sha256", sha256_hex(&good)));
    assert_eq!(send(&server, "POST", &headers, &good).await.status, 200);
    assert_eq!(
        send(&server, "POST", &headers, &evil).await.error(),
        invalid(BAD_SIGNATURE)
    );
    // Nor with the hash header naming the new body, or without one.
    headers.pop();
    assert_eq!(
        send(&server, "POST", &headers, &evil).await.error(),
        invalid(BAD_SIGNATURE)
    );
    headers.push(("x-amz-content-sha256", sha256_hex(&evil)));
    assert_eq!(
        send(&server, "POST", &headers, &evil).await.error(),
        invalid(BAD_SIGNATURE)
    );
    use dynamo_objects::sdk::{AttributeValue, GetItemInput};
    for (id, found) in [("good", true), ("evil", false)] {
        let get = GetItemInput::builder()
            .table_name("things")
            .key("id", AttributeValue::S(id.into()))
            .build()
            .unwrap();
        let item = server.backend().get_item(get).await.unwrap().item;
        assert_eq!(item.is_some(), found, "{id}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_signature_more_than_15_minutes_from_the_server_clock_is_refused_either_way() {
    let server = server_with_credentials().await;
    for minutes in [-14, 14] {
        let date = basic(unix_now() + minutes * 60);
        let headers = signed(&server, &credential(&date, "us-east-1"), &date, "ListTables", b"{}");
        let a = send(&server, "POST", &headers, b"{}").await;
        assert_eq!((a.status, a.body), (200, br#"{"TableNames":[]}"#.to_vec()), "{minutes}");
    }
    for minutes in [-16, 16] {
        let before = unix_now();
        let date = basic(before + minutes * 60);
        let headers = signed(&server, &credential(&date, "us-east-1"), &date, "ListTables", b"{}");
        let got = send(&server, "POST", &headers, b"{}").await.error();
        // The message names the server's clock: one of the seconds the request took.
        let expected: Vec<_> = (before..=unix_now())
            .map(|now| {
                invalid(&if minutes < 0 {
                    format!(
                        "Signature expired: {date} is now earlier than {} ({} - 15 min.)",
                        basic(now - 900),
                        basic(now)
                    )
                } else {
                    format!(
                        "Signature not yet current: {date} is still later than {} ({} + 15 min.)",
                        basic(now + 900),
                        basic(now)
                    )
                })
            })
            .collect();
        assert!(expected.contains(&got), "{got:?} is not one of {expected:?}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn each_scope_mistake_is_named_and_all_of_them_in_one_message() {
    let server = server_with_credentials().await;
    let date = basic(unix_now());
    let day = &date[..8];
    let region = "Credential should be scoped to a valid region, not 'c'. ";
    let service = "Credential should be scoped to correct service: 'dynamodb'. ";
    let term = "Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. ";
    let stale = format!(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20130609' != '{day}', from '{date}'."
    );
    let all = format!(
        "{region}{service}{term}Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'b' != '{day}', from '{date}'."
    );
    let cases = [
        (format!("{KEY}/{day}/c/dynamodb/aws4_request"), invalid(region)),
        (
            format!("{KEY}/{day}/xx/dynamodb/aws4_request"),
            invalid("Credential should be scoped to a valid region, not 'xx'. "),
        ),
        (format!("{KEY}/{day}/us-east-1/iam/aws4_request"), invalid(service)),
        (format!("{KEY}/{day}/us-east-1/dynamodb/e"), invalid(term)),
        (
            format!("{KEY}/20130609/us-east-1/dynamodb/aws4_request"),
            invalid(&stale),
        ),
        (format!("{KEY}/b/c/d/e"), invalid(&all)),
        (
            "a/b/c/d".to_string(),
            incomplete(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
            ),
        ),
        (
            format!("OTHER/{day}/us-east-1/dynamodb/aws4_request"),
            (
                400,
                "com.amazon.coral.service#UnrecognizedClientException".into(),
                "The security token included in the request is invalid.".into(),
            ),
        ),
    ];
    for (cred, expected) in cases {
        let headers = signed(&server, &cred, &date, "ListTables", b"{}");
        assert_eq!(send(&server, "POST", &headers, b"{}").await.error(), expected, "{cred}");
    }
    // The regions clients of local DynamoDB sign for are served.
    for region in ["us-east-1", "eu-west-2", "local", "localhost", "ddblocal"] {
        let headers = signed(&server, &credential(&date, region), &date, "ListTables", b"{}");
        assert_eq!(send(&server, "POST", &headers, b"{}").await.status, 200, "{region}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn incomplete_or_malformed_authorization_is_refused_in_dynamodb_order() {
    let server = server_with_credentials().await;
    let date = basic(unix_now());
    let cred = credential(&date, "us-east-1");
    let target = ("x-amz-target", "DynamoDB_20120810.ListTables".to_string());
    let json = ("content-type", JSON_TYPE.to_string());
    let dated = ("x-amz-date", date.clone());
    let missing = (
        400,
        "com.amazon.coral.service#MissingAuthenticationTokenException".to_string(),
        "Request is missing Authentication Token".to_string(),
    );
    let header = |auth: String, with_date: Option<&str>| {
        let mut h = vec![target.clone(), json.clone(), ("authorization", auth)];
        if let Some(d) = with_date {
            h.push(("x-amz-date", d.to_string()));
        }
        h
    };
    let cases = [
        (vec![target.clone(), json.clone(), dated.clone()], missing.clone()),
        (header("Basic dXNlcjpwYXNz".into(), Some(&date)), missing.clone()),
        (
            header("AWS4-HMAC-SHA256".into(), Some(&date)),
            incomplete(
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
            ),
        ),
        (
            header("AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host".into(), None),
            incomplete(
                "Authorization header requires 'Signature' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host",
            ),
        ),
        (
            header(
                format!("AWS4-HMAC-SHA256 Credential={cred}, SignedHeaders=host, Signature=00"),
                Some("201"),
            ),
            incomplete("Date must be in ISO-8601 'basic format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601"),
        ),
        (
            header(
                format!("AWS4-HMAC-SHA256 Credential={cred}, SignedHeaders=x-amz-date;x-amz-target, Signature=00"),
                Some(&date),
            ),
            invalid("'Host' must be a 'SignedHeader' in the AWS Authorization."),
        ),
        (
            header(
                "AWS4-HMAC-SHA25 Credential=a/b/c/d, SignedHeaders=host, Signature=00".to_string(),
                Some(&date),
            ),
            incomplete("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). "),
        ),
        (
            header(
                format!("AWS4-HMAC-SHA256 Credential={cred}, SignedHeaders=host, Signature=00"),
                Some(&date),
            ),
            invalid(BAD_SIGNATURE),
        ),
    ];
    for (headers, expected) in cases {
        assert_eq!(
            send(&server, "POST", &headers, b"{}").await.error(),
            expected,
            "{headers:?}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn without_credentials_a_header_of_dynamodb_s_form_is_served_whatever_its_values_and_an_incomplete_one_refused() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let target = ("x-amz-target", "DynamoDB_20120810.ListTables".to_string());
    let json = ("content-type", JSON_TYPE.to_string());
    let request = |auth: &str, date: Option<&str>| {
        let mut h = vec![target.clone(), json.clone(), ("authorization", auth.to_string())];
        if let Some(d) = date {
            h.push(("x-amz-date", d.to_string()));
        }
        h
    };
    // Any key, scope, date (30 years old) and signature, `host` unsigned,
    // or the date in `Date`: served.
    let garbage = "AWS4-HMAC-SHA256 Credential=x/1/xx/iam/e, SignedHeaders=x-amz-date, Signature=zz";
    let mut dated = request(AUTH, None);
    dated.push(("date", AUTH_DATE.to_string()));
    for headers in [
        request(AUTH, Some(AUTH_DATE)),
        request(garbage, Some("19960101T000000Z")),
        dated,
    ] {
        let a = send(&server, "POST", &headers, b"{}").await;
        assert_eq!(
            (a.status, a.body.as_slice()),
            (200, &br#"{"TableNames":[]}"#[..]),
            "{headers:?}"
        );
    }
    let cred = "test/20260101/us-east-1/dynamodb/aws4_request";
    let cases = [
        (
            request("AWS4-HMAC-SHA256", Some(AUTH_DATE)),
            incomplete(
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
            ),
        ),
        (
            request(
                "AWS4-HMAC-SHA256 Credential=x/1/xx/iam/e, Signature=zz",
                Some(AUTH_DATE),
            ),
            incomplete(
                "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=x/1/xx/iam/e, Signature=zz",
            ),
        ),
        (
            request("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00", Some(AUTH_DATE)),
            incomplete(
                "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
            ),
        ),
        (
            request(
                &format!("AWS4-HMAC-SHA256 Credential={cred}, SignedHeaders=host"),
                Some(AUTH_DATE),
            ),
            incomplete(&format!(
                "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential={cred}, SignedHeaders=host"
            )),
        ),
        (
            request(AUTH, None),
            incomplete(&format!(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={AUTH}"
            )),
        ),
        (
            request(AUTH, Some("2026-01-01T00:00:00Z")),
            incomplete(
                "Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
            ),
        ),
        (
            request(&AUTH.replace("SHA256", "SHA1"), Some(AUTH_DATE)),
            incomplete("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now). "),
        ),
        (
            request(
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb, SignedHeaders=host, Signature=00",
                Some(AUTH_DATE),
            ),
            incomplete(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'test/20260101/us-east-1/dynamodb'",
            ),
        ),
        (
            request("Basic dXNlcjpwYXNz", Some(AUTH_DATE)),
            (
                400,
                "com.amazon.coral.service#MissingAuthenticationTokenException".into(),
                "Request is missing Authentication Token".into(),
            ),
        ),
        (
            vec![target.clone(), json.clone(), ("x-amz-date", AUTH_DATE.to_string())],
            (
                400,
                "com.amazon.coral.service#MissingAuthenticationTokenException".into(),
                "Request is missing Authentication Token".into(),
            ),
        ),
    ];
    for (headers, expected) in cases {
        assert_eq!(
            send(&server, "POST", &headers, b"{}").await.error(),
            expected,
            "{headers:?}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_request_not_a_post_of_json_is_an_unknown_operation_page_before_anything_else() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let api = |content_type: Option<&str>| {
        let mut h = vec![
            ("x-amz-target", "DynamoDB_20120810.ListTables".to_string()),
            ("authorization", AUTH.to_string()),
            ("x-amz-date", AUTH_DATE.to_string()),
        ];
        if let Some(t) = content_type {
            h.push(("content-type", t.to_string()));
        }
        h
    };
    let cases: [(&str, Option<&str>, &[u8]); 5] = [
        ("GET", Some(JSON_TYPE), b""),
        ("GET", Some(JSON_TYPE), b"{}"),
        ("POST", Some("text/plain"), b"{}"),
        ("POST", None, b"{}"),
        ("PUT", Some(JSON_TYPE), b"{}"),
    ];
    for (method, content_type, body) in cases {
        let a = send(&server, method, &api(content_type), body).await;
        assert_eq!(
            (a.status, a.body.as_slice(), a.header("x-amz-crc32")),
            (404, &b"<UnknownOperationException/>\n"[..], Some("3552371480")),
            "{method} {content_type:?}"
        );
    }
    // A HEAD gets the same answer, without a body.
    let a = send(&server, "HEAD", &api(Some(JSON_TYPE)), b"").await;
    assert_eq!(
        (a.status, a.header("content-length"), a.body.len()),
        (404, Some("0"), 0)
    );
    // JSON with parameters, or as application/json, and an empty body
    // without a type, are API calls.
    for (content_type, body) in [
        (Some("application/x-amz-json-1.0; charset=utf-8"), &b"{}"[..]),
        (Some("application/json"), b"{}"),
        (None, b""),
    ] {
        let a = send(&server, "POST", &api(content_type), body).await;
        assert_eq!(
            (a.status, a.body.as_slice()),
            (200, &br#"{"TableNames":[]}"#[..]),
            "{content_type:?}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_before_the_target_and_the_signature_are_checked() {
    let server = server_with_credentials().await;
    let serialization = |status| {
        (
            status,
            "com.amazon.coral.service#SerializationException".to_string(),
            "Start of structure or map found where not expected".to_string(),
        )
    };
    let unknown = (
        400,
        "com.amazon.coral.service#UnknownOperationException".to_string(),
        String::new(),
    );
    let json = ("content-type", JSON_TYPE.to_string());
    let old = basic(unix_now() - 3600);
    let date = basic(unix_now());
    let expired = signed(&server, &credential(&old, "us-east-1"), &old, "GetItem", b"{x");
    let frobnicate = signed(&server, &credential(&date, "us-east-1"), &date, "Frobnicate", b"{}");
    let unsigned_put = vec![json.clone(), ("x-amz-target", "DynamoDB_20120810.PutItem".into())];
    let cases: [(Headers, &[u8], Refusal); 6] = [
        (vec![json.clone()], b"{x", serialization(400)),
        (unsigned_put, b"{\"TableName\":\"t\"} trailing", serialization(400)),
        (expired, b"{x", serialization(400)),
        (vec![json.clone()], b"{}", unknown.clone()),
        (frobnicate, b"{}", unknown.clone()),
        // A target the server does not serve is unknown before the signature.
        (
            vec![
                json,
                ("x-amz-target", "DynamoDB_20120810.ExportTableToPointInTime".into()),
            ],
            b"{}",
            unknown,
        ),
    ];
    for (headers, body, expected) in cases {
        let got = send(&server, "POST", &headers, body).await.error();
        assert_eq!(got, expected, "{headers:?} {}", String::from_utf8_lossy(body));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn request_ids_have_dynamodb_form_and_differ() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let headers = [
        ("x-amz-target", "DynamoDB_20120810.ListTables".to_string()),
        ("content-type", JSON_TYPE.to_string()),
        ("authorization", AUTH.to_string()),
        ("x-amz-date", AUTH_DATE.to_string()),
    ];
    let mut ids = Vec::new();
    for method in ["POST", "POST", "GET"] {
        let a = send(&server, method, &headers, b"").await;
        let id = a.header("x-amzn-requestid").unwrap_or("").to_string();
        assert_eq!(id.len(), 52, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()), "{id}");
        assert!(!ids.contains(&id), "{id} twice");
        ids.push(id);
    }
    server.shutdown().await;
}

#[test]
fn server_options_debug_shows_the_key_but_not_the_secret() {
    let options = ServerOptions {
        credentials: Some(Credentials::new(KEY, SECRET)),
        ..ServerOptions::default()
    };
    let shown = format!("{options:?} {options:#?}");
    assert!(shown.contains(KEY), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
}

#[test]
fn the_cli_refuses_credentials_without_a_colon_without_echoing_them() {
    for value in ["nocolon-s3cret", "-nocolon-s3cret", "key-only:"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dynamo-objects"))
            .args(["mock-server", "--port", "0", "--credentials", value])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{value}: {stderr}");
        assert_eq!(
            stderr,
            "dynamo-objects: --credentials expects KEY:SECRET (an access key id, a colon, and a secret, neither empty)\n"
        );
        assert!(String::from_utf8_lossy(&out.stdout).is_empty());
    }
}

// ---------------------------------------------------------------------------
// Hostile clients (issue 10): capped chunk framing, answers before closing,
// timeouts, and the connection cap.
// ---------------------------------------------------------------------------

/// A server whose timeouts are short enough for tests.
async fn server_with(idle_ms: u64, request_ms: u64, max_connections: usize) -> MockServer {
    MockServer::start(ServerOptions {
        idle_timeout: Duration::from_millis(idle_ms),
        request_timeout: Duration::from_millis(request_ms),
        max_connections,
        ..ServerOptions::default()
    })
    .await
    .unwrap()
}

/// A ListTables from a new connection is answered.
async fn others_are_served(server: &MockServer) {
    let mut other = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    other
        .write_all(list_tables("Content-Length: 2\r\n", "{}").as_bytes())
        .await
        .unwrap();
    let ok = ("HTTP/1.1 200 OK".to_string(), r#"{"TableNames":[]}"#.to_string());
    assert_eq!(responses(&mut other, 1).await, vec![ok]);
}

/// The one answer on `stream` (status line, `__type` without its prefix,
/// message), after which the server closes.
async fn refusal(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> (String, String, String) {
    let got = responses(stream, 1).await;
    let body: Value = serde_json::from_str(&got[0].1).unwrap();
    closed(stream).await;
    (
        got[0].0.clone(),
        kind(&body).to_string(),
        body["message"].as_str().unwrap_or("").to_string(),
    )
}

/// Sends `head`, then `filler` bytes of `byte`, from a task (the server may
/// stop reading: write errors end it); returns the reading half and the task.
async fn send_hostile(
    server: &MockServer,
    head: String,
    filler: usize,
    byte: u8,
) -> (
    tokio::net::tcp::OwnedReadHalf,
    tokio::task::JoinHandle<std::io::Result<tokio::net::tcp::OwnedWriteHalf>>,
) {
    let stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let (read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        write.write_all(head.as_bytes()).await?;
        let piece = vec![byte; 64 * 1024];
        let mut sent = 0;
        while sent < filler {
            let n = piece.len().min(filler - sent);
            write.write_all(&piece[..n]).await?;
            sent += n;
        }
        Ok(write)
    });
    (read, writer)
}

#[tokio::test]
async fn a_chunk_size_line_that_never_ends_is_refused_and_others_are_served() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    // `1;` and 2 MB of extension, no CRLF: refused once past the line cap.
    let head = list_tables("Transfer-Encoding: chunked\r\n", "1;");
    let (mut read, writer) = send_hostile(&server, head, 2 << 20, b'x').await;
    others_are_served(&server).await;
    assert_eq!(
        refusal(&mut read).await,
        (
            "HTTP/1.1 400 Bad Request".into(),
            "SerializationException".into(),
            "Chunk size line is too long".into()
        )
    );
    let _ = writer.await;
    others_are_served(&server).await;
    server.shutdown().await;
}

#[tokio::test]
async fn endless_trailers_are_refused_and_others_are_served() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    for (trailers, filler, byte) in [
        ("X-T: 1\r\n".repeat(100_000), 0, b'x'),
        ("X-T: ".to_string(), 1 << 20, b't'),
    ] {
        let head = list_tables(
            "Transfer-Encoding: chunked\r\n",
            &format!("2\r\n{{}}\r\n0\r\n{trailers}"),
        );
        let (mut read, writer) = send_hostile(&server, head, filler, byte).await;
        others_are_served(&server).await;
        assert_eq!(
            refusal(&mut read).await,
            (
                "HTTP/1.1 400 Bad Request".into(),
                "SerializationException".into(),
                "Chunked body trailers are too large".into()
            )
        );
        let _ = writer.await;
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_content_length_with_a_sign_is_refused() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    stream
        .write_all(list_tables("Content-Length: +2\r\n", "{}").as_bytes())
        .await
        .unwrap();
    assert_eq!(
        refusal(&mut stream).await,
        (
            "HTTP/1.1 400 Bad Request".into(),
            "SerializationException".into(),
            "Invalid Content-Length".into()
        )
    );
    others_are_served(&server).await;
    server.shutdown().await;
}

#[tokio::test]
async fn an_oversized_body_is_answered_413_while_the_client_is_still_sending() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let sized = list_tables(&format!("Content-Length: {}\r\n", 16 * 1024 * 1024 + 1), "");
    let chunked = list_tables(
        "Transfer-Encoding: chunked\r\n",
        &format!("{:x}\r\n", 16 * 1024 * 1024 + 1),
    );
    for _ in 0..3 {
        for head in [&sized, &chunked] {
            // 3 MB of the body: the client writes them all (the server reads
            // and drops them rather than resetting the connection), then
            // reads the answer.
            let (mut read, writer) = send_hostile(&server, head.clone(), 3 << 20, b'x').await;
            let mut write = writer
                .await
                .unwrap()
                .expect("the client writes its body without a reset");
            write.shutdown().await.unwrap();
            assert_eq!(
                refusal(&mut read).await,
                (
                    "HTTP/1.1 413 Payload Too Large".into(),
                    "SerializationException".into(),
                    "Request body is too large".into()
                )
            );
        }
    }
    others_are_served(&server).await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_request_that_trickles_in_past_the_request_timeout_gets_408_and_others_are_served() {
    let server = server_with(60_000, 200, 1000).await;
    let stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let began = std::time::Instant::now();
    // A byte every 20 ms: never idle, but never whole either.
    let writer = tokio::spawn(async move {
        write
            .write_all(list_tables("Content-Length: 100\r\n", "").as_bytes())
            .await?;
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            write.write_all(b" ").await?;
        }
        std::io::Result::Ok(())
    });
    others_are_served(&server).await;
    assert_eq!(
        refusal(&mut read).await,
        (
            "HTTP/1.1 408 Request Timeout".into(),
            "RequestTimeoutException".into(),
            "Request not received in time".into()
        )
    );
    assert!(began.elapsed() >= Duration::from_millis(200), "{:?}", began.elapsed());
    writer.abort();
    others_are_served(&server).await;
    server.shutdown().await;
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_timeout_and_a_busy_one_is_not() {
    // An idle timeout of 300 ms leaves 250 ms of margin over the 50 ms
    // pauses below, so a loaded machine's late wake-ups do not close it.
    let server = server_with(300, 60_000, 1000).await;
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    let ok = ("HTTP/1.1 200 OK".to_string(), r#"{"TableNames":[]}"#.to_string());
    // Busy for 1 s, over three idle timeouts: a request every 50 ms keeps it.
    for _ in 0..20 {
        stream
            .write_all(list_tables("Content-Length: 2\r\n", "{}").as_bytes())
            .await
            .unwrap();
        assert_eq!(responses(&mut stream, 1).await, vec![ok.clone()]);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The server's idle clock started at its last response, before the
    // last 50 ms pause: at least 250 ms are left, less scheduling slack.
    let idle_from = std::time::Instant::now();
    closed(&mut stream).await;
    assert!(
        idle_from.elapsed() >= Duration::from_millis(200),
        "{:?}",
        idle_from.elapsed()
    );
    others_are_served(&server).await;
    server.shutdown().await;
}

#[tokio::test]
async fn at_the_connection_cap_the_longest_idle_connection_is_shed() {
    let server = server_with(60_000, 60_000, 2).await;
    let ok = ("HTTP/1.1 200 OK".to_string(), r#"{"TableNames":[]}"#.to_string());
    let request = list_tables("Content-Length: 2\r\n", "{}");
    let mut first = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    first.write_all(request.as_bytes()).await.unwrap();
    assert_eq!(responses(&mut first, 1).await, vec![ok.clone()]);
    let mut second = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    second.write_all(request.as_bytes()).await.unwrap();
    assert_eq!(responses(&mut second, 1).await, vec![ok.clone()]);
    // A third client is served; the first (idle longest) makes room.
    let mut third = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    third.write_all(request.as_bytes()).await.unwrap();
    assert_eq!(responses(&mut third, 1).await, vec![ok.clone()]);
    closed(&mut first).await;
    second.write_all(request.as_bytes()).await.unwrap();
    assert_eq!(responses(&mut second, 1).await, vec![ok]);
    server.shutdown().await;
}

/// The `dynamo-objects mock-server` binary, started with `args` on a free
/// port; its process and endpoint address.
fn mock_server_process(args: &[&str]) -> (std::process::Child, std::net::SocketAddr) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dynamo-objects"))
        .args(["mock-server", "--port", "0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().parse().unwrap();
    (child, addr)
}

#[tokio::test]
async fn the_command_line_sets_the_idle_timeout_and_refuses_a_zero_one() {
    let (mut child, addr) = mock_server_process(&["--idle-timeout", "0.2", "--max-connections", "10"]);
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    closed(&mut stream).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_dynamo-objects"))
        .args(["mock-server", "--port", "0", "--request-timeout", "0"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("expected a positive number of seconds, got \"0\""),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// A process's peak resident memory in kB (Linux).
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The issue's reproduction at full size: 400 MB of chunk-size line sent to
/// the `dynamo-objects` binary. Run with
/// `cargo test --test server -- --ignored a_400_mb_chunk_size_line`.
#[tokio::test]
#[ignore]
async fn a_400_mb_chunk_size_line_is_refused_without_growing_the_server() {
    let (mut child, addr) = mock_server_process(&[]);
    let before = peak_rss_kb(child.id());
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        write
            .write_all(list_tables("Transfer-Encoding: chunked\r\n", "1;").as_bytes())
            .await?;
        let piece = vec![b'x'; 1 << 20];
        for _ in 0..400 {
            write.write_all(&piece).await?;
        }
        std::io::Result::Ok(())
    });
    let got = responses(&mut read, 1).await;
    assert_eq!(got[0].0, "HTTP/1.1 400 Bad Request");
    // The server stops reading after its drain bound: the writer fails.
    assert!(writer.await.unwrap().is_err(), "the server read all 400 MB");
    let grown_kb = peak_rss_kb(child.id()).saturating_sub(before);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(grown_kb < 32 * 1024, "the server grew by {grown_kb} kB");
}

/// The issue's reproduction at full size: 1,100 idle connections, then a new
/// client. Needs `ulimit -n` above 1,200. Run with
/// `cargo test --test server -- --ignored eleven_hundred_idle`.
#[tokio::test]
#[ignore]
async fn eleven_hundred_idle_connections_do_not_lock_out_a_new_client() {
    let (mut child, addr) = mock_server_process(&["--max-connections", "1000"]);
    let mut idle = Vec::new();
    for _ in 0..1100 {
        idle.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
    client
        .write_all(list_tables("Content-Length: 2\r\n", "{}").as_bytes())
        .await
        .unwrap();
    assert_eq!(responses(&mut client, 1).await[0].0, "HTTP/1.1 200 OK");
    // The first connections were shed to make room.
    closed(&mut idle[0]).await;
    child.kill().unwrap();
    child.wait().unwrap();
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

/// Requests the SDK would not send (bad enum strings, no TableName), with
/// the outcomes DynamoDB Local gives them, in the service's words.
#[tokio::test]
async fn bad_enum_values_and_missing_members_over_the_wire_get_dynamodb_local_s_outcomes() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let call = |op: &str, body: Value| {
        let target = format!("DynamoDB_20120810.{op}");
        let server = &server;
        async move {
            let (status, body) = raw(server, Some(&target), true, &body.to_string()).await;
            (
                status,
                kind(&body).to_string(),
                body["message"].as_str().unwrap_or("").to_string(),
            )
        }
    };
    let bad = |m: &str| (400, "ValidationException".to_string(), m.to_string());
    assert_eq!(
        call("PutItem", json!({})).await,
        bad("The parameter 'TableName' is required but was not present in the request")
    );
    assert_eq!(
        call(
            "CreateTable",
            json!({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
                   "KeySchema": [{"AttributeName": "hk", "KeyType": "HASHX"}],
                   "AttributeDefinitions": [{"AttributeName": "hk", "AttributeType": "Q"}]})
        )
        .await,
        bad(
            "2 validation errors detected: Value 'Q' at 'attributeDefinitions.1.member.attributeType' failed to \
             satisfy constraint: Member must satisfy enum value set: [B, N, S]; Value 'HASHX' at \
             'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]"
        )
    );
    let created = call(
        "CreateTable",
        json!({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "hk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "hk", "AttributeType": "S"}]}),
    )
    .await;
    assert_eq!(created.0, 200);
    // Local looks the table up before it reads ReturnValues.
    let missing = call(
        "PutItem",
        json!({"TableName": "missing", "Item": {"hk": {"S": "a"}}, "ReturnValues": "BAD"}),
    )
    .await;
    assert_eq!((missing.0, missing.1.as_str()), (400, "ResourceNotFoundException"));
    assert_eq!(
        call(
            "PutItem",
            json!({"TableName": "tbl", "Item": {"hk": {"S": "a"}}, "ReturnValuesOnConditionCheckFailure": "NOPE"})
        )
        .await,
        bad(
            "1 validation error detected: Value 'NOPE' at 'returnValuesOnConditionCheckFailure' failed to satisfy \
             constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"
        )
    );
    // In a transaction Local does not read it.
    let transact = call(
        "TransactWriteItems",
        json!({"TransactItems": [{"Put": {"TableName": "tbl", "Item": {"hk": {"S": "a"}},
               "ReturnValuesOnConditionCheckFailure": "BAD"}}]}),
    )
    .await;
    assert_eq!(transact.0, 200);
    assert_eq!(
        call("BatchGetItem", json!({"RequestItems": {}})).await,
        bad("The requestItems parameter is required for BatchGetItem")
    );
    assert_eq!(
        call("BatchWriteItem", json!({})).await,
        bad("The requestItems parameter is required for BatchWriteItem")
    );
    let by_arn = call(
        "GetItem",
        json!({"TableName": "arn:aws:dynamodb:us-east-1:000000000000:table/tbl", "Key": {"hk": {"S": "a"}}}),
    )
    .await;
    assert_eq!(by_arn.0, 200);
    assert_eq!(
        call(
            "Query",
            json!({"TableName": "tbl", "KeyConditionExpression": "hk = :v",
                   "ExpressionAttributeValues": {":v": {"S": ""}}})
        )
        .await,
        bad(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an \
             empty string value. Key: hk"
        )
    );
    server.shutdown().await;
}

// Backups, point-in-time recovery, resource policies, limits and endpoints

/// The server with the table `things` holding items `a` and `b`, and an SDK
/// client for it.
async fn server_with_things() -> (MockServer, AwsBackend) {
    use dynamo_objects::sdk::{AttributeValue, PutItemInput};
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = Database::local(&server.endpoint());
    db.ensure_table(&table()).await.unwrap();
    for id in ["a", "b"] {
        db.put_item(
            PutItemInput::builder()
                .table_name("things")
                .item("id", AttributeValue::S(id.into()))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    }
    let aws = AwsBackend::local(&server.endpoint());
    (server, aws)
}

async fn scanned_ids(client: &aws_sdk_dynamodb::Client, table: &str) -> Vec<String> {
    let out = client.scan().table_name(table).send().await.unwrap();
    let mut ids: Vec<String> = out
        .items
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i.get("id").and_then(|v| v.as_s().ok()).cloned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_backup_made_over_http_restores_to_a_table_holding_its_items() {
    let (server, aws) = server_with_things().await;
    let client = aws.client();
    let details = client
        .create_backup()
        .table_name("things")
        .backup_name("before-delete")
        .send()
        .await
        .unwrap()
        .backup_details
        .unwrap();
    assert_eq!(details.backup_status, aws_sdk_dynamodb::types::BackupStatus::Available);
    assert!(
        details
            .backup_arn
            .starts_with("arn:aws:dynamodb:ddblocal:000000000000:table/things/backup/"),
        "{}",
        details.backup_arn
    );
    client
        .delete_item()
        .table_name("things")
        .key("id", aws_sdk_dynamodb::types::AttributeValue::S("a".into()))
        .send()
        .await
        .unwrap();
    let described = client
        .describe_backup()
        .backup_arn(&details.backup_arn)
        .send()
        .await
        .unwrap()
        .backup_description
        .unwrap();
    assert_eq!(described.source_table_details.unwrap().item_count, Some(2));
    let listed = client.list_backups().send().await.unwrap();
    assert_eq!(listed.backup_summaries.unwrap_or_default().len(), 1);
    let restored = client
        .restore_table_from_backup()
        .backup_arn(&details.backup_arn)
        .target_table_name("things-restored")
        .send()
        .await
        .unwrap()
        .table_description
        .unwrap();
    let summary = restored.restore_summary.unwrap();
    assert_eq!(summary.source_backup_arn.as_deref(), Some(details.backup_arn.as_str()));
    assert!(!summary.restore_in_progress);
    assert_eq!(scanned_ids(client, "things-restored").await, ["a", "b"]);
    assert_eq!(scanned_ids(client, "things").await, ["b"]);
    let err = client
        .describe_backup()
        .backup_arn(format!("{}0", details.backup_arn))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_service_error(),
            Some(aws_sdk_dynamodb::operation::describe_backup::DescribeBackupError::BackupNotFoundException(_))
        ),
        "{err:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn point_in_time_recovery_over_http_describes_its_window_and_restores_the_latest_items() {
    use aws_sdk_dynamodb::types::{PointInTimeRecoverySpecification, PointInTimeRecoveryStatus};
    let (server, aws) = server_with_things().await;
    let client = aws.client();
    let off = client
        .describe_continuous_backups()
        .table_name("things")
        .send()
        .await
        .unwrap()
        .continuous_backups_description
        .and_then(|d| d.point_in_time_recovery_description)
        .unwrap();
    assert_eq!(
        off.point_in_time_recovery_status,
        Some(PointInTimeRecoveryStatus::Disabled)
    );
    let on = client
        .update_continuous_backups()
        .table_name("things")
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .recovery_period_in_days(7)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .continuous_backups_description
        .and_then(|d| d.point_in_time_recovery_description)
        .unwrap();
    assert_eq!(
        on.point_in_time_recovery_status,
        Some(PointInTimeRecoveryStatus::Enabled)
    );
    assert_eq!(on.recovery_period_in_days, Some(7));
    assert!(on.earliest_restorable_date_time.is_some() && on.latest_restorable_date_time.is_some());
    client
        .restore_table_to_point_in_time()
        .source_table_name("things")
        .target_table_name("things-now")
        .use_latest_restorable_time(true)
        .send()
        .await
        .unwrap();
    assert_eq!(scanned_ids(client, "things-now").await, ["a", "b"]);
    server.shutdown().await;
}

#[tokio::test]
async fn a_resource_policy_put_over_http_is_got_back_with_its_revision_id() {
    let (server, aws) = server_with_things().await;
    let client = aws.client();
    let arn = "arn:aws:dynamodb:ddblocal:000000000000:table/things";
    let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let revision = client
        .put_resource_policy()
        .resource_arn(arn)
        .policy(doc)
        .send()
        .await
        .unwrap()
        .revision_id
        .unwrap();
    let got = client.get_resource_policy().resource_arn(arn).send().await.unwrap();
    assert_eq!(
        (got.policy.as_deref(), got.revision_id.as_deref()),
        (Some(doc), Some(revision.as_str()))
    );
    let err = client
        .put_resource_policy()
        .resource_arn(arn)
        .policy(doc)
        .expected_revision_id("NO_POLICY")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_service_error(),
            Some(aws_sdk_dynamodb::operation::put_resource_policy::PutResourcePolicyError::PolicyNotFoundException(_))
        ),
        "{err:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn describe_limits_and_describe_endpoints_are_served() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let (status, body) = raw(&server, Some("DynamoDB_20120810.DescribeLimits"), true, "{}").await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                   "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000})
        )
    );
    let (status, body) = raw(&server, Some("DynamoDB_20120810.DescribeEndpoints"), true, "{}").await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"Endpoints": [{"Address": "dynamodb.ddblocal.amazonaws.com", "CachePeriodInMinutes": 1440}]})
        )
    );
    let (status, body) = raw(
        &server,
        Some("DynamoDB_20120810.CreateBackup"),
        true,
        r#"{"TableName": "things"}"#,
    )
    .await;
    assert_eq!(
        (status, kind(&body), body["message"].as_str()),
        (
            400,
            "ValidationException",
            Some(
                "1 validation error detected: Value null at 'backupName' failed to satisfy constraint: Member must not be null"
            )
        )
    );
    let aws = AwsBackend::local(&server.endpoint());
    let endpoints = aws.client().describe_endpoints().send().await.unwrap().endpoints;
    assert_eq!(endpoints[0].cache_period_in_minutes, 1440);
    server.shutdown().await;
}

// PartiQL

#[tokio::test]
async fn partiql_statements_batches_and_transactions_are_served_to_the_sdk() {
    use dynamo_objects::sdk::*;
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = Database::local(&server.endpoint());
    db.ensure_table(&table()).await.unwrap();
    let exec = |text: &str, params: Vec<AttributeValue>| {
        ExecuteStatementInput::builder()
            .statement(text)
            .set_parameters((!params.is_empty()).then_some(params))
            .limit(1)
            .build()
            .unwrap()
    };
    let s = |v: &str| AttributeValue::S(v.into());
    for id in ["a", "b"] {
        let out = db
            .execute_statement(exec("INSERT INTO things VALUE {'id': ?, 'n': 1}", vec![s(id)]))
            .await
            .unwrap();
        assert_eq!(out.items(), &[] as &[dynamo_objects::Item]);
    }
    // A scan, a page at a time, through NextToken.
    let first = db
        .execute_statement(exec("SELECT id FROM things", vec![]))
        .await
        .unwrap();
    assert_eq!(first.items().len(), 1);
    let mut next = exec("SELECT id FROM things", vec![]);
    next.next_token = first.next_token.clone();
    let second = db.execute_statement(next).await.unwrap();
    assert_eq!(second.items().len(), 1);
    assert_ne!(first.items(), second.items());
    // The service's code for a duplicate, typed by the SDK.
    let e = db
        .execute_statement(exec("INSERT INTO things VALUE {'id': 'a'}", vec![]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "DuplicateItemException");
    assert!(e.to_string().contains("Duplicate primary key exists in table"), "{e}");
    let e = db.execute_statement(exec("SELEC", vec![])).await.unwrap_err();
    assert!(
        matches!(&e, Error::Validation(m) if *m == "Statement wasn't well formed, can't be processed: SELEC"),
        "{e:?}"
    );

    let batch = BatchExecuteStatementInput::builder()
        .statements(
            BatchStatementRequest::builder()
                .statement("UPDATE things SET n = 2 WHERE id = 'a'")
                .build()
                .unwrap(),
        )
        .statements(
            BatchStatementRequest::builder()
                .statement("UPDATE things SET n = 2 WHERE id = 'b' AND n = 5")
                .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let out = db.batch_execute_statement(batch).await.unwrap();
    let r = out.responses();
    assert_eq!((r[0].table_name(), r[0].error()), (Some("things"), None));
    let failed = r[1].error().expect("a failed condition");
    assert_eq!(
        failed.code(),
        Some(&BatchStatementErrorCodeEnum::ConditionalCheckFailed)
    );
    assert_eq!(
        failed.item().and_then(|i| i.get("n")),
        Some(&AttributeValue::N("1".into()))
    );

    let tx = |text: &str| ParameterizedStatement::builder().statement(text).build().unwrap();
    let cancelled = ExecuteTransactionInput::builder()
        .transact_statements(tx("UPDATE things SET n = 3 WHERE id = 'a'"))
        .transact_statements(tx("DELETE FROM things WHERE id = 'b' AND n = 9"))
        .client_request_token("partiql-over-http")
        .build()
        .unwrap();
    let e = db.execute_transaction(cancelled).await.unwrap_err();
    let Error::TransactionCanceled { reasons, .. } = &e else {
        panic!("{e:?}")
    };
    let codes: Vec<Option<&str>> = reasons.iter().map(|r| r.code()).collect();
    assert_eq!(codes, [Some("None"), Some("ConditionalCheckFailed")]);
    let reads = ExecuteTransactionInput::builder()
        .transact_statements(tx("SELECT n FROM things WHERE id = 'a'"))
        .transact_statements(tx("SELECT n FROM things WHERE id = 'nobody'"))
        .build()
        .unwrap();
    let out = db.execute_transaction(reads).await.unwrap();
    let items: Vec<Option<&dynamo_objects::Item>> = out.responses().iter().map(|r| r.item()).collect();
    let two: dynamo_objects::Item = [("n".to_string(), AttributeValue::N("2".into()))].into_iter().collect();
    assert_eq!(items, [Some(&two), None], "the cancelled transaction changed nothing");
    server.shutdown().await;
}

// ---------------------------------------------------------------------------
// The HTTP layer as DynamoDB answers it (issue 16, item 7): the method, the
// content type, the body and the target are checked before the
// authentication, with or without credentials.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn method_content_type_body_and_target_are_checked_before_an_incomplete_authorization() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let incomplete_auth = ("authorization", "AWS4-HMAC-SHA256".to_string());
    let json = ("content-type", JSON_TYPE.to_string());
    let list = ("x-amz-target", "DynamoDB_20120810.ListTables".to_string());
    let page = (404, &b"<UnknownOperationException/>\n"[..]);
    for (method, headers) in [
        ("GET", vec![json.clone(), list.clone(), incomplete_auth.clone()]),
        ("PUT", vec![json.clone(), list.clone(), incomplete_auth.clone()]),
        (
            "POST",
            vec![
                ("content-type", "text/plain".to_string()),
                list.clone(),
                incomplete_auth.clone(),
            ],
        ),
        ("POST", vec![list.clone(), incomplete_auth.clone()]),
    ] {
        let a = send(&server, method, &headers, b"{}").await;
        assert_eq!((a.status, a.body.as_slice()), page, "{method} {headers:?}");
    }
    let unknown = (
        400,
        "com.amazon.coral.service#UnknownOperationException".to_string(),
        String::new(),
    );
    let cases: [(Headers, &[u8], Refusal); 4] = [
        (
            vec![json.clone(), list.clone(), incomplete_auth.clone()],
            b"{x",
            (
                400,
                "com.amazon.coral.service#SerializationException".to_string(),
                "Start of structure or map found where not expected".to_string(),
            ),
        ),
        (vec![json.clone(), incomplete_auth.clone()], b"{}", unknown.clone()),
        (
            vec![
                json.clone(),
                ("x-amz-target", "DynamoDB_20120810.Frobnicate".to_string()),
                incomplete_auth.clone(),
            ],
            b"{}",
            unknown.clone(),
        ),
        (
            vec![json.clone(), list.clone(), incomplete_auth.clone()],
            b"{}",
            incomplete(
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
            ),
        ),
    ];
    for (headers, body, expected) in cases {
        let got = send(&server, "POST", &headers, body).await.error();
        assert_eq!(got, expected, "{headers:?} {}", String::from_utf8_lossy(body));
    }
    server.shutdown().await;
}
