//! Tracing and raw access (issue 14 point 8), on both backends: the spans of
//! typed calls and of DynamoDB operations, consumed capacity on them when
//! the connection asks for it, and the AWS SDK client underneath.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, dynamo_table};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use crate::common::*;

dynamo_table! {
    traced: Traced { hash id: String, name: String }
}

/// A span as the test saw it: its name, its fields (as text) and its
/// parent's name.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    name: &'static str,
    fields: BTreeMap<String, String>,
    parent: Option<&'static str>,
}

fn seen(name: &'static str, parent: Option<&'static str>, fields: &[(&str, &str)]) -> Seen {
    Seen {
        name,
        parent,
        fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    }
}

/// A layer keeping every span opened while it is the thread's default.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Seen>>>);

/// Where a span is in the captured list.
struct Slot(usize);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let Some(span) = ctx.span(id) else { return };
        let parent = span.parent().map(|p| p.name());
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        span.extensions_mut().insert(Slot(all.len()));
        all.push(Seen {
            name: attrs.metadata().name(),
            fields,
            parent,
        });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let extensions = span.extensions();
        let Some(Slot(i)) = extensions.get::<Slot>() else {
            return;
        };
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = all.get_mut(*i) {
            values.record(&mut Fields(&mut s.fields));
        }
    }
}

impl Capture {
    /// The `table` and `dynamodb` spans seen so far (AwsBackend's own and
    /// the SDK's are left out).
    fn ours(&self) -> Vec<Seen> {
        let all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        all.iter()
            .filter(|s| matches!(s.name, "table" | "dynamodb" | "transaction"))
            .cloned()
            .collect()
    }
}

/// A typed put, two gets and a query of `ann`, traced; the table exists beforehand.
async fn put_and_get(db: &Database) -> Vec<Seen> {
    let table = TracedTable::new(db);
    table.ensure().await.unwrap();
    let capture = Capture::default();
    let _default = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let mut ann = Traced {
        id: "ann".into(),
        name: "Ann".into(),
    };
    table.put(&mut ann).await.unwrap();
    assert_eq!(table.get("ann").await.unwrap(), Some(ann.clone()));
    assert_eq!(table.get_consistent("ann").await.unwrap(), Some(ann.clone()));
    assert_eq!(table.query("ann").all().await.unwrap(), [ann]);
    capture.ours()
}

#[tokio::test]
async fn a_typed_put_and_get_run_in_a_table_span_around_a_dynamodb_span_per_operation() {
    let db = db("spans");
    let full = db.full_name("traced");
    let key = r#"id = "ann""#;
    assert_eq!(
        put_and_get(&db).await,
        [
            seen(
                "table",
                None,
                &[("table", "traced"), ("operation", "put"), ("key", key)]
            ),
            seen("dynamodb", Some("table"), &[("operation", "PutItem"), ("table", &full)]),
            seen(
                "table",
                None,
                &[("table", "traced"), ("operation", "get"), ("key", key)]
            ),
            seen("dynamodb", Some("table"), &[("operation", "GetItem"), ("table", &full)]),
            seen(
                "table",
                None,
                &[("table", "traced"), ("operation", "get_consistent"), ("key", key)]
            ),
            seen("dynamodb", Some("table"), &[("operation", "GetItem"), ("table", &full)]),
            // A query has a span per page, without a key.
            seen("table", None, &[("table", "traced"), ("operation", "query")]),
            seen("dynamodb", Some("table"), &[("operation", "Query"), ("table", &full)]),
        ]
    );
}

#[tokio::test]
async fn consumed_capacity_is_recorded_on_the_operation_span_when_the_connection_asks_for_it() {
    let db = db("capacity").with_consumed_capacity(Some(ReturnConsumedCapacity::Total));
    assert_eq!(db.consumed_capacity(), Some(ReturnConsumedCapacity::Total));
    let full = db.full_name("traced");
    let key = r#"id = "ann""#;
    assert_eq!(
        put_and_get(&db).await,
        [
            seen(
                "table",
                None,
                &[("table", "traced"), ("operation", "put"), ("key", key)]
            ),
            seen(
                "dynamodb",
                Some("table"),
                &[("operation", "PutItem"), ("table", &full), ("consumed_capacity", "1")]
            ),
            seen(
                "table",
                None,
                &[("table", "traced"), ("operation", "get"), ("key", key)]
            ),
            seen(
                "dynamodb",
                Some("table"),
                &[("operation", "GetItem"), ("table", &full), ("consumed_capacity", "0.5")]
            ),
            seen(
                "table",
                None,
                &[("table", "traced"), ("operation", "get_consistent"), ("key", key)]
            ),
            seen(
                "dynamodb",
                Some("table"),
                &[("operation", "GetItem"), ("table", &full), ("consumed_capacity", "1")]
            ),
            seen("table", None, &[("table", "traced"), ("operation", "query")]),
            seen(
                "dynamodb",
                Some("table"),
                &[("operation", "Query"), ("table", &full), ("consumed_capacity", "0.5")]
            ),
        ]
    );
    // The raw API through the connection gets the capacity in its answer
    // too, and a request that says otherwise is left as it says.
    let get = |rcc: Option<ReturnConsumedCapacity>| {
        GetItemInput::builder()
            .table_name("traced")
            .key("id", s("ann"))
            .set_return_consumed_capacity(rcc)
            .build()
            .unwrap()
    };
    let asked = db.get_item(get(None)).await.unwrap().consumed_capacity;
    assert_eq!(asked.and_then(|c| c.capacity_units), Some(0.5));
    let not_asked = db.get_item(get(Some(ReturnConsumedCapacity::None))).await.unwrap();
    assert_eq!(not_asked.consumed_capacity, None);
}

#[tokio::test]
async fn a_failed_operation_records_its_error_code_on_its_span() {
    let db = db("failed");
    let capture = Capture::default();
    let _default = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let err = db
        .get_item(
            GetItemInput::builder()
                .table_name("missing")
                .key("id", s("x"))
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ResourceNotFoundException");
    assert_eq!(
        capture.ours(),
        [seen(
            "dynamodb",
            None,
            &[
                ("operation", "GetItem"),
                ("table", &db.full_name("missing")),
                ("error", "ResourceNotFoundException")
            ]
        )]
    );
}

#[tokio::test]
async fn the_aws_sdk_client_underneath_is_there_on_dynamodb_local_and_not_on_the_mock() {
    let db = db("raw");
    if !on_local() {
        assert!(db.aws_client().is_none());
        return;
    }
    TracedTable::new(&db).ensure().await.unwrap();
    let client = db.aws_client().unwrap_or_else(|| panic!("no client on DynamoDB Local"));
    // The client knows nothing of the prefix: tables go by their full names.
    let out = client
        .describe_table()
        .table_name(db.full_name("traced"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(out.table.and_then(|t| t.table_name), Some(db.full_name("traced")));
}

#[tokio::test]
async fn batches_and_transactions_run_in_their_own_spans_around_their_operations() {
    let db = db("bspans");
    let table = TracedTable::new(&db);
    table.ensure().await.unwrap();
    let capture = Capture::default();
    let _default = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let ann = Traced {
        id: "ann".into(),
        name: "Ann".into(),
    };
    let bob = Traced {
        id: "bob".into(),
        name: "Bob".into(),
    };
    assert!(
        table
            .batch_write(&[ann.clone(), bob.clone()], &[])
            .await
            .unwrap()
            .is_complete()
    );
    let got = table.batch_get(["ann".to_string(), "bob".to_string()]).await.unwrap();
    assert_eq!(got.records.len(), 2);
    dynamo_objects::Transaction::new(&db)
        .delete::<Traced>("bob")
        .commit()
        .await
        .unwrap();
    let mut reads = dynamo_objects::ReadTransaction::new(&db);
    let handle = reads.get::<Traced>("ann");
    let mut read = reads.commit().await.unwrap();
    assert_eq!(read.take(handle).unwrap(), Some(ann));
    assert_eq!(
        capture.ours(),
        [
            seen("table", None, &[("table", "traced"), ("operation", "batch_write")]),
            seen("dynamodb", Some("table"), &[("operation", "BatchWriteItem")]),
            seen("table", None, &[("table", "traced"), ("operation", "batch_get")]),
            seen("dynamodb", Some("table"), &[("operation", "BatchGetItem")]),
            seen("transaction", None, &[("operation", "write"), ("actions", "1")]),
            seen("dynamodb", Some("transaction"), &[("operation", "TransactWriteItems")]),
            seen("transaction", None, &[("operation", "read"), ("actions", "1")]),
            seen("dynamodb", Some("transaction"), &[("operation", "TransactGetItems")]),
        ]
    );
}
