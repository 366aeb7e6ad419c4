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

pub mod codec;
mod fast;
mod http;
pub mod json_items;
pub mod json_tables;
mod sigv4;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::executor::block_on;
use parking_lot::Mutex;
use serde_json::json;

use crate::Error;
use crate::backend::Backend;
use crate::mock::MockBackend;
use crate::sdk::*;
use codec::{CodecError, Json};

/// The largest request body accepted (DynamoDB's limit is 16 MB).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How to run a [`MockServer`].
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Address to listen on. Default `127.0.0.1:0`: loopback, an ephemeral
    /// port ([`MockServer::local_addr`] tells which).
    pub addr: SocketAddr,
    /// When set, only requests signed (SigV4) with this access key id and
    /// secret are served; otherwise any signed request is.
    pub credentials: Option<(String, String)>,
    /// How often items past their TTL are looked for and deleted.
    pub ttl_interval: Duration,
    /// The engine to serve; a fresh one when `None`.
    pub backend: Option<MockBackend>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: None,
            ttl_interval: Duration::from_secs(1),
            backend: None,
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
            tags: Mutex::new(HashMap::new()),
        });
        let engine = backend.clone();
        let ticker: http::Ticker = (
            options.ttl_interval,
            Box::new(move || {
                engine.expire_items(now_secs());
            }),
        );
        let server = http::Server::spawn(listener, Arc::new(move |req| state.handle(req)), Some(ticker))?;
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

/// A response body: a JSON tree, or bytes already written.
enum Body {
    Json(Json),
    Bytes(Vec<u8>),
}

struct State {
    backend: MockBackend,
    credentials: Option<(String, String)>,
    /// Tags by table name.
    tags: Mutex<HashMap<String, BTreeMap<String, String>>>,
}

/// An error answer: HTTP status, DynamoDB's error type, message, and extra
/// members (an `Item`, `CancellationReasons`).
struct ApiError {
    status: u16,
    kind: String,
    message: String,
    extra: serde_json::Map<String, Json>,
}

impl ApiError {
    fn new(kind: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            kind: kind.into(),
            message: message.into(),
            extra: Default::default(),
        }
    }
    fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new("com.amazon.coral.validate#ValidationException", message)
    }
}

const DDB: &str = "com.amazonaws.dynamodb.v20120810#";

impl From<CodecError> for ApiError {
    fn from(e: CodecError) -> ApiError {
        match e {
            CodecError::Serialization(m) => ApiError::new("com.amazon.coral.service#SerializationException", m),
            CodecError::Validation(m) => ApiError::validation(m),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let ddb = |name: &str, m: String| ApiError::new(&format!("{DDB}{name}"), m);
        match e {
            Error::Validation(m) => ApiError::validation(m),
            Error::Unsupported(m) => ApiError::validation(m),
            Error::ConditionalCheckFailed { message, item } => {
                let mut err = ddb("ConditionalCheckFailedException", message);
                if let Some(item) = item {
                    err.extra.insert("Item".into(), codec::item_to_json(&item));
                }
                err
            }
            Error::TransactionCanceled { message, reasons } => {
                let mut err = ddb("TransactionCanceledException", message);
                let reasons: Vec<Json> = reasons
                    .iter()
                    .map(|r| {
                        let mut o = serde_json::Map::new();
                        o.insert("Code".into(), json!(r.code().unwrap_or("None")));
                        if let Some(m) = r.message() {
                            o.insert("Message".into(), json!(m));
                        }
                        if let Some(item) = r.item() {
                            o.insert("Item".into(), codec::item_to_json(item));
                        }
                        Json::Object(o)
                    })
                    .collect();
                err.extra.insert("CancellationReasons".into(), Json::Array(reasons));
                err
            }
            Error::ResourceNotFound(m) => ddb("ResourceNotFoundException", m),
            Error::ResourceInUse(m) => ddb("ResourceInUseException", m),
            Error::TransactionConflict(m) => ddb("TransactionConflictException", m),
            Error::IdempotentParameterMismatch(m) => ddb("IdempotentParameterMismatchException", m),
            Error::ProvisionedThroughputExceeded(m) => ddb("ProvisionedThroughputExceededException", m),
            Error::ItemCollectionSizeLimitExceeded(m) => ddb("ItemCollectionSizeLimitExceededException", m),
            Error::LimitExceeded(m) => ddb("LimitExceededException", m),
            Error::Throttling(m) => ApiError::new("com.amazon.coral.availability#ThrottlingException", m),
            Error::Service { code, message } => ddb(&code, message),
            other => ApiError::new(&format!("{DDB}InternalServerError"), other.to_string()),
        }
    }
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl State {
    fn handle(&self, req: &http::Request<'_>) -> http::Response {
        let result = self.operation(req).and_then(|op| match self.answer_now(op, req.body) {
            Some(answer) => answer,
            None => block_on(self.answer(op, req.body)),
        });
        let (status, body) = match result {
            Ok(Body::Json(body)) => (200, serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec())),
            Ok(Body::Bytes(bytes)) => (200, bytes),
            Err(e) => {
                let mut o = e.extra;
                o.insert("__type".into(), json!(e.kind));
                o.insert("message".into(), json!(e.message));
                (
                    e.status,
                    serde_json::to_vec(&Json::Object(o)).unwrap_or_else(|_| b"{}".to_vec()),
                )
            }
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

    /// The operation a request names, once it is signed as required.
    fn operation<'r>(&self, req: &'r http::Request<'_>) -> Result<&'r str, ApiError> {
        let Some(auth) = req.header("authorization") else {
            return Err(ApiError::new(
                "com.amazon.coral.service#MissingAuthenticationTokenException",
                "Request is missing Authentication Token",
            ));
        };
        if let Some((key, secret)) = &self.credentials {
            sigv4::verify(req, req.body, auth, key, secret)?;
        }
        let target = req.header("x-amz-target").unwrap_or("");
        target
            .strip_prefix("DynamoDB_20120810.")
            .ok_or_else(|| ApiError::new("com.amazon.coral.service#UnknownOperationException", ""))
    }

    /// The usual GetItem, answered without going through the async
    /// `Backend` (the engine never waits); `None` for anything else.
    fn answer_now(&self, op: &str, body: &[u8]) -> Option<Result<Body, ApiError>> {
        if op != "GetItem" {
            return None;
        }
        let input = fast::get_item(body)?;
        Some(
            json_items::get_item_bytes(&self.backend, input)
                .map(Body::Bytes)
                .map_err(ApiError::from),
        )
    }

    async fn answer(&self, op: &str, body: &[u8]) -> Result<Body, ApiError> {
        // The commonest requests, read without building a JSON tree.
        match op {
            "PutItem" => {
                if let Some(input) = fast::put_item(body) {
                    let out = self.backend.put_item(input).await?;
                    return Ok(Body::Json(json_items::put_item_output(&out)));
                }
            }
            "BatchWriteItem" => {
                if let Some(input) = fast::batch_write_item(body) {
                    let out = self.backend.batch_write_item(input).await?;
                    return Ok(Body::Json(json_items::batch_write_item_output(&out)));
                }
            }
            _ => {}
        }
        let json: Json = if body.is_empty() {
            json!({})
        } else {
            codec::parse_body(body)?
        };
        if !json.is_object() {
            return Err(ApiError::new(
                "com.amazon.coral.service#SerializationException",
                "Unexpected field type",
            ));
        }
        // Item-heavy answers are written straight to bytes.
        match op {
            "GetItem" => Ok(Body::Bytes(json_items::get_item_bytes(
                &self.backend,
                json_items::get_item_input(&json)?,
            )?)),
            "Query" => Ok(Body::Bytes(json_items::query_bytes(
                &self.backend,
                json_items::query_input(&json)?,
            )?)),
            "Scan" => Ok(Body::Bytes(json_items::scan_bytes(
                &self.backend,
                json_items::scan_input(&json)?,
            )?)),
            _ => self.dispatch(op, &json).await.map(Body::Json),
        }
    }

    /// The operations answered with a JSON tree (GetItem, Query and Scan
    /// are written straight to bytes by `answer`).
    async fn dispatch(&self, op: &str, body: &Json) -> Result<Json, ApiError> {
        use json_items as i;
        use json_tables as t;
        let b = &self.backend;
        macro_rules! call {
            ($decode:path, $method:ident, $encode:path) => {{
                let input = $decode(body)?;
                let out = b.$method(input).await?;
                Ok($encode(&out))
            }};
        }
        match op {
            "PutItem" => call!(i::put_item_input, put_item, i::put_item_output),
            "UpdateItem" => call!(i::update_item_input, update_item, i::update_item_output),
            "DeleteItem" => call!(i::delete_item_input, delete_item, i::delete_item_output),
            "BatchGetItem" => call!(i::batch_get_item_input, batch_get_item, i::batch_get_item_output),
            "BatchWriteItem" => call!(i::batch_write_item_input, batch_write_item, i::batch_write_item_output),
            "TransactGetItems" => call!(
                i::transact_get_items_input,
                transact_get_items,
                i::transact_get_items_output
            ),
            "TransactWriteItems" => {
                call!(
                    i::transact_write_items_input,
                    transact_write_items,
                    i::transact_write_items_output
                )
            }
            "CreateTable" => call!(t::create_table_input, create_table, t::create_table_output),
            "DescribeTable" => call!(t::describe_table_input, describe_table, t::describe_table_output),
            "UpdateTable" => call!(t::update_table_input, update_table, t::update_table_output),
            "ListTables" => call!(t::list_tables_input, list_tables, t::list_tables_output),
            "DeleteTable" => {
                let input = t::delete_table_input(body)?;
                let name = input.table_name.clone().unwrap_or_default();
                let out = b.delete_table(input).await?;
                self.tags.lock().remove(&name);
                Ok(t::delete_table_output(&out))
            }
            "TagResource" => {
                let input = t::tag_resource_input(body)?;
                let table = self.table_of_arn(input.resource_arn.as_deref()).await?;
                let mut tags = self.tags.lock();
                let entry = tags.entry(table).or_default();
                for tag in input.tags.unwrap_or_default() {
                    entry.insert(tag.key, tag.value);
                }
                Ok(t::tag_resource_output(&TagResourceOutput::builder().build()))
            }
            "UntagResource" => {
                let input = t::untag_resource_input(body)?;
                let table = self.table_of_arn(input.resource_arn.as_deref()).await?;
                if let Some(entry) = self.tags.lock().get_mut(&table) {
                    for k in input.tag_keys.unwrap_or_default() {
                        entry.remove(&k);
                    }
                }
                Ok(t::untag_resource_output(&UntagResourceOutput::builder().build()))
            }
            "ListTagsOfResource" => {
                let input = t::list_tags_of_resource_input(body)?;
                let table = self.table_of_arn(input.resource_arn.as_deref()).await?;
                let tags: Vec<Tag> = self
                    .tags
                    .lock()
                    .get(&table)
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
                            .collect()
                    })
                    .unwrap_or_default();
                Ok(t::list_tags_of_resource_output(
                    &ListTagsOfResourceOutput::builder().set_tags(Some(tags)).build(),
                ))
            }
            "UpdateTimeToLive" => call!(
                t::update_time_to_live_input,
                update_time_to_live,
                t::update_time_to_live_output
            ),
            "DescribeTimeToLive" => call!(
                t::describe_time_to_live_input,
                describe_time_to_live,
                t::describe_time_to_live_output
            ),
            _ => Err(ApiError::new("com.amazon.coral.service#UnknownOperationException", "")),
        }
    }

    async fn describe(&self, table: &str) -> Result<TableDescription, ApiError> {
        let out = self
            .backend
            .describe_table(
                DescribeTableInput::builder()
                    .table_name(table)
                    .build()
                    .map_err(|e| ApiError::validation(e.to_string()))?,
            )
            .await?;
        out.table
            .ok_or_else(|| ApiError::from(Error::ResourceNotFound("Requested resource not found".into())))
    }

    /// The table an ARN names (`arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`),
    /// which must exist.
    async fn table_of_arn(&self, arn: Option<&str>) -> Result<String, ApiError> {
        let arn = arn.unwrap_or_default();
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let name = match parts.as_slice() {
            ["arn", _, "dynamodb", _, _, resource] => resource.strip_prefix("table/").filter(|n| !n.contains('/')),
            _ => None,
        };
        let Some(name) = name else {
            return Err(ApiError::validation(format!(
                "Invalid TableArn: Invalid ResourceArn provided as input {arn}"
            )));
        };
        let desc = self.describe(name).await.map_err(|_| {
            ApiError::from(Error::ResourceNotFound(format!(
                "Requested resource not found: ResourcArn: {arn} not found"
            )))
        })?;
        if desc.table_arn() != Some(arn) {
            return Err(ApiError::from(Error::ResourceNotFound(format!(
                "Requested resource not found: ResourcArn: {arn} not found"
            ))));
        }
        Ok(name.to_string())
    }
}

/// A request id: unique enough for logs (time and a counter), as 32 hex
/// digits.
fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let id = (t << 16) ^ u128::from(COUNTER.fetch_add(1, Ordering::Relaxed));
    (0..32)
        .rev()
        .map(|i| char::from(b"0123456789abcdef"[((id >> (i * 4)) & 0xf) as usize]))
        .collect()
}
