//! Memory tables on both backends: each record read once (requests counted
//! by a Backend wrapper), changes tracked against what was read, flushes
//! that write exactly what changed and keep what failed pending.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use dynamo_objects::sdk::*;
use dynamo_objects::{
    Backend, Database, Error, Flush, FlushReport, MemoryOptions, MemoryStats, MemoryTable, dynamo_table,
};

use crate::common::*;

dynamo_table! {
    /// A note.
    mnote: MNote { hash id: String, text: String }
    on_demand

    /// An order.
    morder: MOrder { hash id: String, customer: String, cents: i64 }
    on_demand

    /// An account, optimistically locked.
    macct: MAcct { hash id: String, credits: i64, version: u64 }
    on_demand
    version(version)
}

/// Counts the item requests a connection sends, delegating everything.
#[derive(Debug)]
struct Counting {
    inner: Arc<dyn Backend>,
    gets: AtomicUsize,
    batch_gets: AtomicUsize,
    writes: AtomicUsize,
}

impl Counting {
    fn gets(&self) -> usize {
        self.gets.load(Ordering::SeqCst)
    }
    fn batch_gets(&self) -> usize {
        self.batch_gets.load(Ordering::SeqCst)
    }
    /// PutItem, DeleteItem, UpdateItem and BatchWriteItem requests.
    fn writes(&self) -> usize {
        self.writes.load(Ordering::SeqCst)
    }
}

fn bump(c: &AtomicUsize) {
    c.fetch_add(1, Ordering::SeqCst);
}

#[async_trait]
impl Backend for Counting {
    async fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        self.inner.create_table(input).await
    }
    async fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        self.inner.describe_table(input).await
    }
    async fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        self.inner.update_table(input).await
    }
    async fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        self.inner.delete_table(input).await
    }
    async fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        self.inner.list_tables(input).await
    }
    async fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Error> {
        bump(&self.gets);
        self.inner.get_item(input).await
    }
    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        bump(&self.writes);
        self.inner.put_item(input).await
    }
    async fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        bump(&self.writes);
        self.inner.update_item(input).await
    }
    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        bump(&self.writes);
        self.inner.delete_item(input).await
    }
    async fn query(&self, input: QueryInput) -> Result<QueryOutput, Error> {
        self.inner.query(input).await
    }
    async fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        self.inner.scan(input).await
    }
    async fn batch_get_item(&self, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        bump(&self.batch_gets);
        self.inner.batch_get_item(input).await
    }
    async fn batch_write_item(&self, input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        bump(&self.writes);
        self.inner.batch_write_item(input).await
    }
    async fn transact_get_items(&self, input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error> {
        self.inner.transact_get_items(input).await
    }
    async fn transact_write_items(&self, input: TransactWriteItemsInput) -> Result<TransactWriteItemsOutput, Error> {
        self.inner.transact_write_items(input).await
    }
    async fn update_time_to_live(&self, input: UpdateTimeToLiveInput) -> Result<UpdateTimeToLiveOutput, Error> {
        self.inner.update_time_to_live(input).await
    }
    async fn describe_time_to_live(&self, input: DescribeTimeToLiveInput) -> Result<DescribeTimeToLiveOutput, Error> {
        self.inner.describe_time_to_live(input).await
    }
}

/// A fresh connection for `test`, and one over the same tables whose item
/// requests are counted.
fn counted(test: &str) -> (Database, Database, Arc<Counting>) {
    let db = db(test);
    let counting = Arc::new(Counting {
        inner: db.backend().clone(),
        gets: AtomicUsize::new(0),
        batch_gets: AtomicUsize::new(0),
        writes: AtomicUsize::new(0),
    });
    let counted = Database::new(counting.clone(), db.prefix());
    (db, counted, counting)
}

fn note(id: &str, text: &str) -> MNote {
    MNote {
        id: id.into(),
        text: text.into(),
    }
}

async fn store_notes(db: &Database, notes: &[MNote]) {
    let out = MNoteTable::new(db).batch_write(notes, &[]).await.expect("batch write");
    assert!(out.is_complete());
}

async fn stored_note(db: &Database, id: &str) -> Option<String> {
    MNoteTable::new(db)
        .get_consistent(id)
        .await
        .expect("get")
        .map(|n| n.text)
}

#[tokio::test]
async fn reading_a_missing_key_twice_makes_one_request() {
    let (db, counted, count) = counted("mmiss");
    store_notes(&db, &[note("a", "x")]).await;
    let mut notes = MemoryTable::<MNote>::new(&counted);
    assert_eq!(notes.get("nope").await.unwrap(), None);
    assert_eq!(notes.get("nope").await.unwrap(), None);
    assert_eq!(count.gets(), 1);
    assert_eq!(notes.get("a").await.unwrap(), Some(&note("a", "x")));
    assert_eq!(notes.get("a").await.unwrap(), Some(&note("a", "x")));
    assert_eq!(count.gets(), 2);
    assert_eq!(
        notes.stats().missing,
        1,
        "the missing key is remembered, the present one cached"
    );
}

#[tokio::test]
async fn get_many_reads_only_uncached_keys_in_chunks_of_a_hundred() {
    let (db, counted, count) = counted("mmany");
    let present: Vec<MNote> = (0..10).map(|i| note(&format!("k{i}"), "x")).collect();
    store_notes(&db, &present).await;
    let mut notes = MemoryTable::<MNote>::new(&counted);
    let keys = |n: usize| (0..n).map(|i| format!("k{i}")).collect::<Vec<_>>();
    assert_eq!(notes.get_many(keys(50)).await.unwrap(), 50);
    assert_eq!(count.batch_gets(), 1);
    assert_eq!(notes.get_many(keys(300)).await.unwrap(), 250);
    assert_eq!(count.batch_gets(), 4, "250 uncached keys: 3 requests more");
    assert_eq!(notes.get("k299").await.unwrap(), None);
    assert_eq!(notes.get("k9").await.unwrap(), Some(&note("k9", "x")));
    assert_eq!(count.gets(), 0);
    let stats = notes.stats();
    assert_eq!((stats.cached, stats.missing, stats.pending), (10, 290, 0));
}

#[tokio::test]
async fn a_record_only_read_is_not_written() {
    let (db, counted, count) = counted("mread");
    store_notes(&db, &[note("a", "x"), note("b", "y")]).await;
    let mut notes = MemoryTable::<MNote>::new(&counted);
    assert!(notes.get("a").await.unwrap().is_some());
    assert!(
        notes.get_mut("b").await.unwrap().is_some(),
        "handed out mutably, left unchanged"
    );
    assert_eq!(notes.flush().await.unwrap(), FlushReport::default());
    assert_eq!(count.writes(), 0);
}

#[tokio::test]
async fn a_record_changed_back_to_what_was_read_is_not_written() {
    let (db, counted, count) = counted("mback");
    store_notes(&db, &[note("a", "x"), note("b", "y")]).await;
    let mut notes = MemoryTable::<MNote>::new(&counted);
    if let Some(a) = notes.get_mut("a").await.unwrap() {
        a.text = "changed".into();
    }
    if let Some(a) = notes.get_mut("a").await.unwrap() {
        a.text = "x".into();
    }
    assert!(notes.update("b", |b| b.text = "z".into()).await.unwrap());
    assert!(notes.update("b", |b| b.text = "y".into()).await.unwrap());
    assert_eq!(notes.stats().pending, 0);
    assert_eq!(notes.flush().await.unwrap(), FlushReport::default());
    assert_eq!(count.writes(), 0);
}

#[tokio::test]
async fn new_modified_and_deleted_records_are_written_exactly() {
    let (db, counted, count) = counted("mexact");
    store_notes(&db, &[note("a", "x"), note("b", "y"), note("c", "z")]).await;
    let mut notes = MemoryTable::<MNote>::new(&counted);
    assert!(notes.update("a", |a| a.text = "x2".into()).await.unwrap());
    assert_eq!(notes.remove("b").await.unwrap(), Some(note("b", "y")));
    assert!(notes.get("c").await.unwrap().is_some());
    notes.insert(note("d", "new"));
    assert!(!notes.update("e", |e| e.text = "never".into()).await.unwrap());
    assert_eq!(notes.stats().pending, 3);
    let report = notes.flush().await.unwrap();
    assert_eq!((report.puts, report.deletes, report.collapsed), (2, 1, 0));
    assert_eq!(stored_note(&db, "a").await.as_deref(), Some("x2"));
    assert_eq!(stored_note(&db, "b").await, None);
    assert_eq!(stored_note(&db, "c").await.as_deref(), Some("z"));
    assert_eq!(stored_note(&db, "d").await.as_deref(), Some("new"));
    assert_eq!(stored_note(&db, "e").await, None);
    let writes = count.writes();
    assert_eq!(notes.stats().pending, 0);
    assert_eq!(
        notes.flush().await.unwrap(),
        FlushReport::default(),
        "nothing left to write"
    );
    assert_eq!(count.writes(), writes);
}

#[tokio::test]
async fn blank_mode_does_not_read_and_writes_what_it_made() {
    let (db, counted, count) = counted("mblank");
    store_notes(&db, &[note("old", "x")]).await;
    let mut notes = MemoryTable::<MNote>::blank(&counted);
    let fresh = notes.get_mut("fresh").await.unwrap().expect("a blank record");
    assert_eq!(*fresh, note("fresh", ""));
    fresh.text = "made".into();
    assert_eq!(notes.remove("old").await.unwrap(), None);
    assert_eq!(notes.get_many(["other".to_string()]).await.unwrap(), 0);
    assert_eq!((count.gets(), count.batch_gets()), (0, 0));
    let report = notes.flush().await.unwrap();
    assert_eq!(
        (report.puts, report.deletes),
        (2, 1),
        "fresh and other put, old deleted"
    );
    assert_eq!(stored_note(&db, "fresh").await.as_deref(), Some("made"));
    assert_eq!(stored_note(&db, "other").await.as_deref(), Some(""));
    assert_eq!(stored_note(&db, "old").await, None);
}

#[tokio::test]
async fn preloaded_records_are_served_without_a_request() {
    let (db, counted, count) = counted("mpre");
    let all: Vec<MNote> = (0..5).map(|i| note(&format!("p{i}"), "x")).collect();
    store_notes(&db, &all).await;
    let mut notes = MemoryTable::<MNote>::new(&counted);
    assert_eq!(
        notes
            .preload(MNoteTable::new(&counted).scan().consistent().stream())
            .await
            .unwrap(),
        5
    );
    for n in &all {
        assert_eq!(notes.get(n.id.clone()).await.unwrap(), Some(n));
    }
    assert_eq!((count.gets(), count.batch_gets()), (0, 0));
    assert_eq!(notes.flush().await.unwrap(), FlushReport::default());
}

#[tokio::test]
async fn a_stale_cached_versioned_record_conflicts_alone_and_the_others_are_written() {
    let db = db("mvers");
    let accounts = MAcctTable::new(&db);
    for id in ["a1", "a2"] {
        let mut a = MAcct {
            id: id.into(),
            credits: 0,
            version: 0,
        };
        accounts.put(&mut a).await.unwrap();
    }
    let mut memory = MemoryTable::<MAcct>::new(&db);
    assert_eq!(memory.get_many(["a1".to_string(), "a2".to_string()]).await.unwrap(), 2);
    // Someone else writes a1 meanwhile: the cached a1 is stale.
    let mut other = accounts.get_consistent("a1").await.unwrap().expect("a1");
    other.credits = 5;
    accounts.put(&mut other).await.unwrap();
    for id in ["a1", "a2"] {
        assert!(memory.update(id, |a| a.credits += 10).await.unwrap());
    }
    let err = memory.flush().await.unwrap_err();
    assert_eq!((err.report.puts, err.report.conditional), (1, 1));
    assert_eq!(err.failed.len(), 1);
    assert_eq!(err.failed[0].key, item(&[("id", s("a1"))]));
    assert_eq!(
        err.failed[0].error,
        Error::VersionConflict {
            table: "macct".into(),
            expected: 1
        }
    );
    let a1 = accounts.get_consistent("a1").await.unwrap().expect("a1");
    assert_eq!((a1.credits, a1.version), (5, 2));
    let a2 = accounts.get_consistent("a2").await.unwrap().expect("a2");
    assert_eq!((a2.credits, a2.version), (10, 2));
    assert_eq!(
        memory.get("a2").await.unwrap().map(|a| a.version),
        Some(2),
        "the cached record took the version written"
    );
    assert_eq!(memory.stats().pending, 1, "the conflicting change stays pending");
    // A second change of a2 from the cache checks version 2, and succeeds.
    assert!(memory.update("a2", |a| a.credits += 1).await.unwrap());
    let err = memory.flush().await.unwrap_err();
    assert_eq!((err.report.puts, err.failed.len()), (1, 1));
    let a2 = accounts.get_consistent("a2").await.unwrap().expect("a2");
    assert_eq!((a2.credits, a2.version), (11, 3));
}

#[tokio::test]
async fn one_flush_writes_the_changes_of_two_tables() {
    let db = db("mtwo");
    let mut notes = MemoryTable::<MNote>::new(&db);
    let mut orders = MemoryTable::<MOrder>::new(&db);
    notes.insert(note("n", "x"));
    orders.insert(MOrder {
        id: "o".into(),
        customer: "ann".into(),
        cents: 250,
    });
    let report = Flush::new(&db)
        .table(&mut notes)
        .table(&mut orders)
        .run()
        .await
        .unwrap();
    assert_eq!((report.puts, report.deletes), (2, 0));
    assert_eq!(stored_note(&db, "n").await.as_deref(), Some("x"));
    let o = MOrderTable::new(&db).get_consistent("o").await.unwrap().expect("o");
    assert_eq!(o.cents, 250);
    assert_eq!((notes.stats().pending, orders.stats().pending), (0, 0));
}

#[tokio::test]
async fn stats_count_cached_missing_and_pending_exactly() {
    let db = db("mstats");
    store_notes(&db, &[note("a", "x"), note("b", "y")]).await;
    let mut notes = MemoryTable::<MNote>::new(&db);
    assert_eq!(notes.stats(), MemoryStats::default());
    assert!(notes.get("a").await.unwrap().is_some());
    assert!(notes.get("b").await.unwrap().is_some());
    assert!(notes.get("m").await.unwrap().is_none());
    let read = notes.stats();
    assert_eq!((read.cached, read.missing, read.pending), (2, 1, 0));
    assert!(notes.update("a", |a| a.text = "x2".into()).await.unwrap());
    notes.insert(note("n", "new"));
    assert!(notes.remove("b").await.unwrap().is_some());
    let changed = notes.stats();
    assert_eq!((changed.cached, changed.missing, changed.pending), (2, 1, 3));
    notes.flush().await.unwrap();
    let flushed = notes.stats();
    assert_eq!((flushed.cached, flushed.missing, flushed.pending), (2, 2, 0));
}

#[tokio::test]
async fn a_failed_flush_keeps_the_change_pending_and_a_second_flush_writes_it() {
    let db = db("mfail");
    let mut notes = MemoryTable::<MNote>::new(&db);
    // Over DynamoDB's 400 KB item limit: a ValidationException.
    let big = "x".repeat(401 * 1024);
    notes.insert(note("big", &big));
    let err = notes.flush().await.unwrap_err();
    assert_eq!((err.report.puts, err.failed.len()), (0, 1));
    assert_eq!(err.failed[0].table, "mnote");
    assert_eq!(err.failed[0].key, item(&[("id", s("big"))]));
    assert_eq!(err.failed[0].item.as_ref().and_then(|i| i.get("text")), Some(&s(&big)));
    assert!(
        matches!(err.failed[0].error, Error::Validation(_)),
        "{:?}",
        err.failed[0].error
    );
    assert_eq!(notes.stats().pending, 1);
    assert_eq!(stored_note(&db, "big").await, None);
    assert!(notes.update("big", |n| n.text = "small".into()).await.unwrap());
    let report = notes.flush().await.unwrap();
    assert_eq!((report.puts, report.deletes), (1, 0));
    assert_eq!(stored_note(&db, "big").await.as_deref(), Some("small"));
    assert_eq!(notes.stats().pending, 0);
}

#[tokio::test]
async fn the_cache_limit_evicts_only_clean_records() {
    let (db, counted, count) = counted("mlimit");
    store_notes(&db, &[note("a", "x"), note("b", "y"), note("c", "z")]).await;
    let mut notes = MemoryTable::<MNote>::new(&counted).with_options(MemoryOptions {
        cache_limit: Some(2),
        ..MemoryOptions::default()
    });
    assert!(notes.update("a", |a| a.text = "x2".into()).await.unwrap());
    assert!(notes.get("b").await.unwrap().is_some());
    assert!(notes.get("c").await.unwrap().is_some());
    assert_eq!(notes.stats().cached, 2, "b evicted, the changed a kept");
    assert_eq!(count.gets(), 3);
    assert!(notes.get("b").await.unwrap().is_some());
    assert_eq!(count.gets(), 4, "the evicted b is read again");
    let report = notes.flush().await.unwrap();
    assert_eq!((report.puts, report.deletes), (1, 0));
    assert_eq!(stored_note(&db, "a").await.as_deref(), Some("x2"));
}

#[tokio::test]
async fn maybe_flush_writes_once_the_threshold_of_changes_is_reached() {
    let db = db("mthresh");
    let mut notes = MemoryTable::<MNote>::new(&db).with_options(MemoryOptions {
        flush_threshold: Some(2),
        ..MemoryOptions::default()
    });
    notes.insert(note("a", "x"));
    assert_eq!(notes.maybe_flush().await.unwrap(), None);
    assert_eq!(stored_note(&db, "a").await, None);
    notes.insert(note("b", "y"));
    let report = notes.maybe_flush().await.unwrap().expect("flushed");
    assert_eq!((report.puts, report.deletes), (2, 0));
    assert_eq!(stored_note(&db, "a").await.as_deref(), Some("x"));
    assert_eq!(notes.stats().pending, 0);
}

/// Collects the warnings logged while it is the default subscriber.
#[derive(Clone, Default)]
struct Warnings(Arc<std::sync::Mutex<Vec<String>>>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?};", field.name(), value));
    }
}

impl tracing::Subscriber for Warnings {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if *event.metadata().level() == tracing::Level::WARN {
            let mut fields = Fields(String::new());
            event.record(&mut fields);
            self.0.lock().unwrap_or_else(|e| e.into_inner()).push(fields.0);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn dropping_a_memory_table_with_pending_changes_warns_with_their_count() {
    let warnings = Warnings::default();
    let db = db("mdrop");
    tracing::subscriber::with_default(warnings.clone(), || {
        drop(MemoryTable::<MNote>::new(&db));
        let mut changed = MemoryTable::<MNote>::new(&db);
        changed.insert(note("a", "x"));
        changed.insert(note("b", "y"));
        drop(changed);
    });
    let got = warnings.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(got.len(), 1, "only the table with changes warns: {got:?}");
    assert_eq!(
        got[0],
        "message=memory table dropped with 2 pending changes: they are lost (flush before dropping);\
         table=mnote;pending=2;"
    );
}

#[tokio::test]
async fn a_versioned_record_removed_from_the_cache_is_deleted_only_at_the_version_read() {
    let db = db("mvdel");
    let accounts = MAcctTable::new(&db);
    for id in ["d1", "d2"] {
        let mut a = MAcct {
            id: id.into(),
            credits: 0,
            version: 0,
        };
        accounts.put(&mut a).await.unwrap();
    }
    let mut memory = MemoryTable::<MAcct>::new(&db);
    assert_eq!(memory.get_many(["d1".to_string(), "d2".to_string()]).await.unwrap(), 2);
    let mut other = accounts.get_consistent("d1").await.unwrap().expect("d1");
    accounts.put(&mut other).await.unwrap();
    assert!(memory.remove("d1").await.unwrap().is_some());
    assert!(memory.remove("d2").await.unwrap().is_some());
    let err = memory.flush().await.unwrap_err();
    assert_eq!((err.report.deletes, err.report.conditional), (1, 1));
    assert_eq!(err.failed.len(), 1);
    assert_eq!(err.failed[0].key, item(&[("id", s("d1"))]));
    assert_eq!(err.failed[0].item, None);
    assert_eq!(
        err.failed[0].error,
        Error::VersionConflict {
            table: "macct".into(),
            expected: 1
        }
    );
    assert_eq!(accounts.get_consistent("d1").await.unwrap().map(|a| a.version), Some(2));
    assert_eq!(accounts.get_consistent("d2").await.unwrap(), None);
}

#[tokio::test]
async fn two_memory_tables_changing_one_key_write_the_last_change_once_and_both_settle() {
    let db = db("mshare");
    let mut first = MemoryTable::<MNote>::new(&db);
    let mut second = MemoryTable::<MNote>::new(&db);
    first.insert(note("k", "first"));
    first.insert(note("only", "first"));
    second.insert(note("k", "second"));
    let report = Flush::new(&db)
        .table(&mut first)
        .table(&mut second)
        .run()
        .await
        .unwrap();
    assert_eq!((report.puts, report.collapsed, report.requests), (2, 1, 1));
    assert_eq!(report.consumed_capacity, None, "not asked for by default");
    assert_eq!(
        stored_note(&db, "k").await.as_deref(),
        Some("second"),
        "the last change wins"
    );
    assert_eq!(stored_note(&db, "only").await.as_deref(), Some("first"));
    assert_eq!((first.stats().pending, second.stats().pending), (0, 0));
    let again = Flush::new(&db)
        .table(&mut first)
        .table(&mut second)
        .run()
        .await
        .unwrap();
    assert_eq!((again.puts, again.requests), (0, 0), "nothing left to write");
}

#[tokio::test]
async fn a_flush_asked_for_consumed_capacity_reports_what_dynamodb_returned() {
    let db = db("mcap");
    let mut notes = MemoryTable::<MNote>::new(&db);
    for id in ["a", "b", "c"] {
        notes.insert(note(id, "small"));
    }
    let report = Flush::new(&db)
        .table(&mut notes)
        .options(dynamo_objects::FlushOptions {
            consumed_capacity: true,
            ..Default::default()
        })
        .run()
        .await
        .unwrap();
    assert_eq!(report.puts, 3);
    assert_eq!(
        report.consumed_capacity,
        Some(3.0),
        "one write unit per item under 1 KB"
    );
}

#[tokio::test]
async fn a_record_read_while_the_cache_is_full_of_pending_changes_is_evicted_by_the_next_insert() {
    let (db, counted, count) = counted("mfull");
    store_notes(&db, &[note("x", "read")]).await;
    let mut notes = MemoryTable::<MNote>::new(&counted).with_options(MemoryOptions {
        cache_limit: Some(2),
        ..MemoryOptions::default()
    });
    for id in ["a", "b", "c"] {
        notes.insert(note(id, "new"));
    }
    assert_eq!(notes.stats().cached, 3, "pending changes are never evicted");
    assert!(notes.get("x").await.unwrap().is_some());
    assert_eq!((notes.stats().cached, count.gets()), (4, 1));
    notes.insert(note("d", "new"));
    assert_eq!(notes.stats().cached, 4, "the clean x made room for d");
    assert!(notes.get("x").await.unwrap().is_some());
    assert_eq!(count.gets(), 2, "x was evicted, so it is read again");
    let report = notes.flush().await.unwrap();
    assert_eq!((report.puts, report.deletes), (4, 0));
}
