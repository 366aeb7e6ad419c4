//! Shared helpers for the conformance suite: every test gets its own table
//! prefix on the backend `Database::for_tests()` picks (the mock, or
//! DynamoDB Local at `DYNAMODB_ENDPOINT` when `DYNAMODB_TEST_BACKEND=local`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item, KeyAttr, KeyType, TableSchema, TestBackend};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A global subscriber that keeps every span (and drops it), installed
/// before any test's first request. Without one, a span site first reached
/// by one test thread while no subscriber existed can keep its "never"
/// interest after another thread installs its capturing default (a race in
/// tracing's interest cache), and the spans tests then miss spans when they
/// run beside others. With it, every site is always of interest; each spans
/// test still sees only its own thread's spans, through its own default.
fn global_subscriber() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    });
}

/// The backend of this run, without prefix; an unknown
/// `DYNAMODB_TEST_BACKEND` fails the test.
pub(crate) fn raw_db() -> Database {
    global_subscriber();
    match Database::for_tests() {
        Ok(db) => db,
        Err(e) => panic!("{e}"),
    }
}

/// True when this run is on DynamoDB Local.
pub(crate) fn on_local() -> bool {
    matches!(TestBackend::from_env(), Ok(b) if b.is_local())
}

/// True when the endpoint is DynamoDB Local itself, not the mock server
/// standing in for it (`./tool/test.sh`'s third phase sets
/// `DYNAMODB_TEST_SERVER=mock`): for the operations the mock has and Local
/// lacks.
pub(crate) fn on_dynamodb_local() -> bool {
    on_local() && std::env::var("DYNAMODB_TEST_SERVER").as_deref() != Ok("mock")
}

/// A connection with a prefix no other test (or run) uses.
pub(crate) fn db(test: &str) -> Database {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    raw_db().with_prefix(format!("t{}{:08x}{n}_{test}_", std::process::id() % 1000, nanos))
}

pub(crate) fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

pub(crate) fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

pub(crate) fn b(v: &[u8]) -> AttributeValue {
    AttributeValue::B(Blob::new(v.to_vec()))
}

pub(crate) fn ss(v: &[&str]) -> AttributeValue {
    AttributeValue::Ss(v.iter().map(|x| x.to_string()).collect())
}

pub(crate) fn item(pairs: &[(&str, AttributeValue)]) -> Item {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// A table `name` with hash key `id` (S), on demand.
pub(crate) fn hash_table(name: &str) -> TableSchema {
    TableSchema::new(name, KeyAttr::new("id", KeyType::S))
}

/// A table `name` with hash key `pk` (S) and range key `sk` of type `ty`.
pub(crate) fn range_table(name: &str, ty: KeyType) -> TableSchema {
    TableSchema::new(name, KeyAttr::new("pk", KeyType::S)).range(KeyAttr::new("sk", ty))
}

pub(crate) async fn create(db: &Database, schema: &TableSchema) {
    db.ensure_table(schema).await.expect("create table");
}

pub(crate) async fn put(db: &Database, table: &str, it: Item) {
    db.put_item(
        PutItemInput::builder()
            .table_name(table)
            .set_item(Some(it))
            .build()
            .unwrap(),
    )
    .await
    .expect("put");
}

pub(crate) async fn get(db: &Database, table: &str, key: Item) -> Result<Option<Item>, Error> {
    db.get_item(
        GetItemInput::builder()
            .table_name(table)
            .set_key(Some(key))
            .consistent_read(true)
            .build()
            .unwrap(),
    )
    .await
    .map(|o| o.item)
}

pub(crate) fn put_input(table: &str, it: Item) -> PutItemInput {
    PutItemInput::builder()
        .table_name(table)
        .set_item(Some(it))
        .build()
        .unwrap()
}

/// Asserts `result` is the error variant `pattern`.
#[macro_export]
macro_rules! assert_err {
    ($result:expr, $pattern:pat) => {
        match $result {
            Err(e @ $pattern) => e,
            other => panic!("expected {}, got {:?}", stringify!($pattern), other),
        }
    };
}

pub(crate) fn keys(items: &[Item], attr: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| match i.get(attr) {
            Some(AttributeValue::S(v)) | Some(AttributeValue::N(v)) => v.clone(),
            Some(AttributeValue::B(v)) => format!("{:?}", v.as_ref()),
            other => format!("{other:?}"),
        })
        .collect()
}

pub(crate) type Map = HashMap<String, AttributeValue>;
