//! The mock served over DynamoDB's HTTP protocol: a drop-in for DynamoDB
//! Local that any language's tests can use.
//!
//! `POST /` with `X-Amz-Target: DynamoDB_20120810.<Operation>` and an
//! `application/x-amz-json-1.0` body, answered by the same engine as
//! [`crate::MockBackend`]. Start it from Rust with [`MockServer::start`], or
//! from a shell with `dynamo-objects mock-server`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use dynamo_objects::server::{MockServer, ServerOptions};
//! let server = MockServer::start(ServerOptions::default()).await?; // 127.0.0.1, an ephemeral port
//! let db = dynamo_objects::Database::local(&server.endpoint());    // any DynamoDB client works
//! # let _ = db;
//! server.shutdown().await;
//! # Ok(()) }
//! ```

mod http;
mod reads;
mod shapes;
mod sigv4;
// DynamoDB Streams
mod stream_shapes;

pub use sigv4::{Credentials, CredentialsParseError};

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::Error;
use crate::mock::MockBackend;
use crate::vocab::codes::{self, Code};
use crate::wire::{self, CodecError, Encode};

/// The largest request body accepted (DynamoDB's limit is 16 MB).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How to run a [`MockServer`].
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Address to listen on. Default `127.0.0.1:0`: loopback, an ephemeral
    /// port ([`MockServer::local_addr`] tells which).
    pub addr: SocketAddr,
    /// When set, only requests signed (SigV4) with this access key id and
    /// secret, dated within 15 minutes of the server's clock, are served;
    /// otherwise any request with an `AWS4-` authorization header of
    /// DynamoDB's form (any key, scope, date and signature) is.
    pub credentials: Option<Credentials>,
    /// How often items past their TTL are looked for and deleted.
    pub ttl_interval: Duration,
    /// The engine to serve; a fresh one when `None`.
    pub backend: Option<MockBackend>,
    /// A connection with no request under way and no traffic for this long
    /// is closed. Default 60 s.
    pub idle_timeout: Duration,
    /// A request must arrive whole within this long of its first byte, or it
    /// is answered 408 (`RequestTimeoutException`) and the connection
    /// closed. Default 30 s.
    pub request_timeout: Duration,
    /// The most connections served at once (lowered below the process's
    /// open-files limit); a new connection beyond it closes the longest-idle
    /// one. Default 1,000.
    pub max_connections: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: None,
            ttl_interval: Duration::from_secs(1),
            backend: None,
            idle_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(30),
            max_connections: 1000,
        }
    }
}

/// A running mock server. Dropping it stops it; [`MockServer::shutdown`]
/// also waits until it has answered the requests in flight.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    backend: MockBackend,
    server: http::Server,
}

impl MockServer {
    /// Binds, then serves on a thread of its own (one thread serves every
    /// connection: the engine never waits on I/O).
    pub async fn start(options: ServerOptions) -> std::io::Result<MockServer> {
        let listener = std::net::TcpListener::bind(options.addr)?;
        let addr = listener.local_addr()?;
        let backend = options.backend.clone().unwrap_or_default();
        let state = Arc::new(State {
            backend: backend.clone(),
            credentials: options.credentials.clone(),
        });
        let engine = backend.clone();
        let ticker: http::Ticker = (
            options.ttl_interval,
            Box::new(move || {
                engine.expire_items(now_secs());
            }),
        );
        let limits = http::Limits {
            idle_timeout: options.idle_timeout,
            request_timeout: options.request_timeout,
            max_connections: options.max_connections,
        };
        let server = http::Server::spawn(listener, Arc::new(move |req| state.handle(req)), Some(ticker), limits)?;
        Ok(MockServer { addr, backend, server })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint URL for clients, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The engine behind the server (shared: tables written over HTTP are
    /// visible here and the other way round).
    pub fn backend(&self) -> &MockBackend {
        &self.backend
    }

    /// Stops accepting connections, answers the requests already arriving
    /// (for at most 10 s), and closes every connection.
    pub async fn shutdown(self) {
        let mut server = self.server;
        server.stop();
        let _ = tokio::task::spawn_blocking(move || server.join()).await;
    }
}

struct State {
    backend: MockBackend,
    credentials: Option<Credentials>,
}

/// An error answer: HTTP status, DynamoDB's error type, message, and extra
/// members, written (an `Item`, `CancellationReasons`).
struct ApiError {
    status: u16,
    kind: String,
    message: String,
    extra: Vec<(&'static str, Vec<u8>)>,
}

impl ApiError {
    /// An answer with `code`'s wire `__type` and HTTP status.
    fn new(code: &Code, message: impl Into<String>) -> ApiError {
        ApiError {
            status: code.status,
            kind: code.wire_type.into(),
            message: message.into(),
            extra: Default::default(),
        }
    }
    fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new(&codes::VALIDATION, message)
    }
}

impl ApiError {
    /// The error's body: its extra members, `__type` and `message`.
    fn body(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        let mut first = true;
        out.push(b'{');
        for (name, value) in &self.extra {
            wire::write_member(&mut out, &mut first, name);
            out.extend_from_slice(value);
        }
        wire::write_member(&mut out, &mut first, "__type");
        self.kind.encode(&mut out);
        wire::write_member(&mut out, &mut first, "message");
        self.message.encode(&mut out);
        out.push(b'}');
        out
    }
}

impl From<CodecError> for ApiError {
    fn from(e: CodecError) -> ApiError {
        match e {
            CodecError::Serialization(m) => ApiError::new(&codes::SERIALIZATION, m),
            CodecError::Validation(m) => ApiError::validation(m),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::Validation(m) => ApiError::validation(m),
            Error::Unsupported(m) => ApiError::validation(m),
            Error::ConditionalCheckFailed { message, item } => {
                let mut err = ApiError::new(&codes::CONDITIONAL_CHECK_FAILED, message);
                if let Some(item) = item {
                    err.extra.push(("Item", wire::encode_body(&item)));
                }
                err
            }
            Error::TransactionCanceled { message, reasons, .. } => {
                let mut err = ApiError::new(&codes::TRANSACTION_CANCELED, message);
                let mut out = vec![b'['];
                for (i, r) in reasons.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    let mut first = true;
                    out.push(b'{');
                    wire::write_member(&mut out, &mut first, "Code");
                    r.code().unwrap_or("None").encode(&mut out);
                    if let Some(m) = r.message() {
                        wire::write_member(&mut out, &mut first, "Message");
                        m.encode(&mut out);
                    }
                    if let Some(item) = r.item() {
                        wire::write_member(&mut out, &mut first, "Item");
                        item.encode(&mut out);
                    }
                    out.push(b'}');
                }
                out.push(b']');
                err.extra.push(("CancellationReasons", out));
                err
            }
            // The listed wire type and status, or, for a code not listed,
            // the code in DynamoDB's namespace as a client error.
            Error::Service { code, message } => ApiError {
                status: codes::status(&code),
                kind: codes::wire_type(&code).into_owned(),
                message: message.into(),
                extra: Default::default(),
            },
            other => match codes::of(&other) {
                Some(c) => ApiError::new(c, other.message().map(|m| m.text().to_string()).unwrap_or_default()),
                // The errors the library raises itself: the engine should
                // never answer with one (a fault of the mock, sent as
                // DynamoDB sends its own faults: HTTP 500).
                None => ApiError::new(&codes::INTERNAL_SERVER_ERROR, other.to_string()),
            },
        }
    }
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// The prefix of an `X-Amz-Target` naming one of DynamoDB's operations.
const TARGET_PREFIX: &str = "DynamoDB_20120810.";

/// One operation the server serves: its name (after [`TARGET_PREFIX`]),
/// and its answer: the body decoded, the engine called (synchronously: the
/// engine never waits), the output encoded.
struct Operation {
    name: &'static str,
    answer: fn(&MockBackend, &[u8]) -> Result<Vec<u8>, ApiError>,
}

/// An operation: the body decoded as the engine call's input (its declared
/// shape), the engine's `<op>_sync`, the output encoded; with `write`, the
/// answer is written by a function of [`reads`] from the stored items.
macro_rules! op {
    ($name:literal, $call:ident) => {
        Operation {
            name: $name,
            answer: |b, body| Ok(wire::encode_body(&b.$call(wire::decode_body(body)?)?)),
        }
    };
    ($name:literal, write $write:path) => {
        Operation {
            name: $name,
            answer: |b, body| Ok($write(b, wire::decode_body(body)?)?),
        }
    };
}

/// The operations the server serves; any other target is an unknown
/// operation.
const OPERATIONS: [Operation; 36] = [
    op!("BatchExecuteStatement", batch_execute_statement_sync), // PartiQL
    op!("BatchGetItem", batch_get_item_sync),
    op!("BatchWriteItem", batch_write_item_sync),
    op!("CreateBackup", create_backup_sync),
    op!("CreateTable", create_table_sync),
    op!("DeleteBackup", delete_backup_sync),
    op!("DeleteItem", delete_item_sync),
    op!("DeleteResourcePolicy", delete_resource_policy_sync),
    op!("DeleteTable", delete_table_sync),
    op!("DescribeBackup", describe_backup_sync),
    op!("DescribeContinuousBackups", describe_continuous_backups_sync),
    op!("DescribeEndpoints", describe_endpoints_sync),
    op!("DescribeLimits", describe_limits_sync),
    op!("DescribeTable", describe_table_sync),
    op!("DescribeTimeToLive", describe_time_to_live_sync),
    op!("ExecuteStatement", execute_statement_sync),     // PartiQL
    op!("ExecuteTransaction", execute_transaction_sync), // PartiQL
    op!("GetItem", write reads::get_item),
    op!("GetResourcePolicy", get_resource_policy_sync),
    op!("ListBackups", list_backups_sync),
    op!("ListTables", list_tables_sync),
    op!("ListTagsOfResource", list_tags_of_resource_sync),
    op!("PutItem", put_item_sync),
    op!("PutResourcePolicy", put_resource_policy_sync),
    op!("Query", write reads::query),
    op!("RestoreTableFromBackup", restore_table_from_backup_sync),
    op!("RestoreTableToPointInTime", restore_table_to_point_in_time_sync),
    op!("Scan", write reads::scan),
    op!("TagResource", tag_resource_sync),
    op!("TransactGetItems", transact_get_items_sync),
    op!("TransactWriteItems", transact_write_items_sync),
    op!("UntagResource", untag_resource_sync),
    op!("UpdateContinuousBackups", update_continuous_backups_sync),
    op!("UpdateItem", update_item_sync),
    op!("UpdateTable", update_table_sync),
    op!("UpdateTimeToLive", update_time_to_live_sync),
];

// DynamoDB Streams: the streams API, on the same endpoint.
/// The prefix of an `X-Amz-Target` naming one of DynamoDB Streams'
/// operations.
const STREAMS_TARGET_PREFIX: &str = "DynamoDBStreams_20120810.";

/// The DynamoDB Streams operations the server serves.
const STREAM_OPERATIONS: [Operation; 4] = [
    op!("DescribeStream", describe_stream_sync),
    op!("GetRecords", get_records_sync),
    op!("GetShardIterator", get_shard_iterator_sync),
    op!("ListStreams", list_streams_sync),
];

/// DynamoDB's answer (HTTP 404, not JSON) to a request that is not a POST,
/// or whose body is not declared JSON.
const NOT_AN_API_CALL_BODY: &[u8] = b"<UnknownOperationException/>\n";
/// The CRC32 of [`NOT_AN_API_CALL_BODY`], as DynamoDB sends it.
const NOT_AN_API_CALL_CRC32: &str = "3552371480";

fn unknown_operation() -> ApiError {
    ApiError::new(&codes::UNKNOWN_OPERATION, "")
}

fn not_json() -> ApiError {
    CodecError::Serialization(wire::MSG_OBJECT_NOT_EXPECTED.into()).into()
}

/// Whether a body is JSON (an empty body counts as `{}`).
fn is_json(body: &[u8]) -> bool {
    body.is_empty() || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
}

/// Whether a `Content-Type` declares DynamoDB's JSON: `application/json` or
/// `application/x-amz-json-1.0`, in any case, with or without parameters
/// (`; charset=utf-8`), as dynalite reads it.
fn is_json_content_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("application/x-amz-json-1.0") || media.eq_ignore_ascii_case("application/json")
}

/// DynamoDB's first check: a request that is not a POST, or that has a body
/// not declared JSON, is answered 404 `<UnknownOperationException/>` (no
/// body for a HEAD), before its target or signature is looked at.
fn not_an_api_call(req: &http::Request<'_>) -> Option<http::Response> {
    let declared_json = req.body.is_empty() || req.header("content-type").is_some_and(is_json_content_type);
    if req.method == "POST" && declared_json {
        return None;
    }
    Some(http::Response {
        status: 404,
        headers: vec![
            ("x-amzn-requestid", request_id()),
            ("x-amz-crc32", NOT_AN_API_CALL_CRC32.into()),
        ],
        body: if req.method == "HEAD" {
            Vec::new()
        } else {
            NOT_AN_API_CALL_BODY.to_vec()
        },
    })
}

impl State {
    fn handle(&self, req: &http::Request<'_>) -> http::Response {
        if let Some(answer) = not_an_api_call(req) {
            return answer;
        }
        let result = self.operation(req).and_then(|op| (op.answer)(&self.backend, req.body));
        let (status, body) = match result {
            Ok(bytes) => (200, bytes),
            Err(e) => (e.status, e.body()),
        };
        http::Response {
            status,
            headers: vec![
                ("content-type", "application/x-amz-json-1.0".into()),
                ("x-amzn-requestid", request_id()),
            ],
            body,
        }
    }

    /// The operation a request names, once it is signed as required:
    /// checked in DynamoDB's order, a body that is not JSON, then the
    /// target, then the authentication. (A request that passes takes the
    /// fast path or the general one, which find a non-JSON body themselves:
    /// the body is parsed here only for a request refused anyway.)
    fn operation(&self, req: &http::Request<'_>) -> Result<&'static Operation, ApiError> {
        let op = req
            .header("x-amz-target")
            .and_then(|t| {
                let dynamodb = t.strip_prefix(TARGET_PREFIX).map(|name| (name, &OPERATIONS[..]));
                // DynamoDB Streams
                let streams = || {
                    t.strip_prefix(STREAMS_TARGET_PREFIX)
                        .map(|name| (name, &STREAM_OPERATIONS[..]))
                };
                dynamodb.or_else(streams)
            })
            .and_then(|(name, ops)| ops.iter().find(|op| op.name == name));
        let checked = match op {
            Some(op) => sigv4::check(req, self.credentials.as_ref()).map(|()| op),
            None => Err(unknown_operation()),
        };
        checked.map_err(|e| if is_json(req.body) { e } else { not_json() })
    }
}

/// A request id of DynamoDB's form: 52 characters of digits and uppercase
/// letters (base32hex). Unique per request within a process, and not
/// guessable from one process to the next: a counter, from a seed read once,
/// mixed through SplitMix64 (no clock or OS call per request).
fn request_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    const LEN: usize = 52;
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";
    const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
    /// Words of 12 characters (60 bits) each per id.
    const WORDS: u64 = LEN.div_ceil(12) as u64;
    static SEED: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        h.finish()
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut id = String::with_capacity(LEN);
    // Each id takes WORDS steps of SplitMix64 of its own: the first word is
    // a bijection of the counter, so ids differ in their first 12 characters.
    for w in 0..WORDS {
        let mut z = seed.wrapping_add(n.wrapping_mul(WORDS).wrapping_add(w).wrapping_mul(GOLDEN));
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        for c in 0..12 {
            if id.len() < LEN {
                id.push(char::from(ALPHABET[((z >> (c * 5)) & 31) as usize]));
            }
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_a_target_may_name_is_served() {
        let backend = MockBackend::default();
        for op in &OPERATIONS {
            let kind = match (op.answer)(&backend, b"{}") {
                Ok(_) => String::new(),
                Err(e) => e.kind,
            };
            assert_ne!(kind, unknown_operation().kind, "{}", op.name);
        }
        let names: Vec<&str> = OPERATIONS.iter().map(|op| op.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "one entry per operation, in name order");
    }

    #[test]
    fn request_ids_are_52_digits_and_uppercase_letters_all_different() {
        let ids: std::collections::HashSet<String> = (0..10_000).map(|_| request_id()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in &ids {
            assert_eq!(id.len(), 52, "{id}");
            assert!(id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()), "{id}");
        }
        // Every character of the alphabet turns up: the bits are mixed.
        let used: std::collections::HashSet<u8> = ids.iter().flat_map(|id| id.bytes()).collect();
        assert_eq!(used.len(), 32);
    }

    #[test]
    fn the_crc32_sent_with_the_404_is_its_body_s() {
        // CRC-32 (IEEE), bit by bit.
        let mut crc = !0u32;
        for &b in NOT_AN_API_CALL_BODY {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        assert_eq!((!crc).to_string(), NOT_AN_API_CALL_CRC32);
        assert_eq!(NOT_AN_API_CALL_BODY.len(), 29);
    }

    fn answer(e: Error) -> (u16, String, String) {
        let e = ApiError::from(e);
        (e.status, e.kind, e.message)
    }

    #[test]
    fn each_dynamodb_error_is_sent_with_the_wire_type_and_status_of_its_code() {
        let cases = [
            (
                "ConditionalCheckFailedException",
                "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
            ),
            ("ValidationException", "com.amazon.coral.validate#ValidationException"),
            (
                "ThrottlingException",
                "com.amazon.coral.availability#ThrottlingException",
            ),
            // Read as a throttling error, and sent as one.
            (
                "RequestLimitExceeded",
                "com.amazon.coral.availability#ThrottlingException",
            ),
            (
                "TransactionCanceledException",
                "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            ),
            (
                "LimitExceededException",
                "com.amazonaws.dynamodb.v20120810#LimitExceededException",
            ),
        ];
        for (code, wire) in cases {
            assert_eq!(
                answer(Error::from_code(code, "m")),
                (400, wire.into(), "m".into()),
                "{code}"
            );
        }
        for c in codes::ALL
            .iter()
            .filter(|c| c.has_variant() && c.code != "RequestLimitExceeded")
        {
            assert_eq!(
                answer(Error::from_code(c.code, "m")),
                (c.status, c.wire_type.into(), "m".into()),
                "{}",
                c.code
            );
        }
    }

    #[test]
    fn a_service_error_is_sent_with_its_listed_namespace_and_status_and_an_unlisted_code_as_dynamodb_s_client_error() {
        let cases = [
            (
                "SerializationException",
                400,
                "com.amazon.coral.service#SerializationException",
            ),
            (
                "InternalServerError",
                500,
                "com.amazonaws.dynamodb.v20120810#InternalServerError",
            ),
            (
                "ServiceUnavailable",
                503,
                "com.amazonaws.dynamodb.v20120810#ServiceUnavailable",
            ),
            (
                "SomeNewException",
                400,
                "com.amazonaws.dynamodb.v20120810#SomeNewException",
            ),
        ];
        for (code, status, wire) in cases {
            let e = Error::Service {
                code: code.into(),
                message: "m".into(),
            };
            assert_eq!(answer(e), (status, wire.into(), "m".into()), "{code}");
        }
    }

    #[test]
    fn an_error_the_library_raises_itself_is_an_internal_server_error_with_status_500() {
        // DynamoDB Local answers its own faults with HTTP 500, as the server
        // answers a handler that panicked.
        let e = Error::Transport("connection reset".into());
        let text = e.to_string();
        assert_eq!(
            answer(e),
            (500, "com.amazonaws.dynamodb.v20120810#InternalServerError".into(), text)
        );
    }
}
