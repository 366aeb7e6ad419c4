//! The flush engine on the backend of the run (the mock, or DynamoDB Local
//! with `DYNAMODB_TEST_BACKEND=local DYNAMODB_ENDPOINT=…`), through wrappers
//! that throttle and leave writes unprocessed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use async_trait::async_trait;
use parking_lot::Mutex;

use super::*;
use crate::schema::{KeyAttr, KeyType, TableSchema};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The run's backend under a prefix no other test uses; fails loudly when
/// the backend asked for is unknown.
fn raw() -> Database {
    match Database::for_tests() {
        Ok(db) => db,
        Err(e) => panic!("{e}"),
    }
}

fn prefix(test: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("f{}{nanos:08x}{n}_{test}_", std::process::id() % 1000)
}

/// A fresh table `name` (hash key `id`, S) on `db`.
async fn table(db: &Database, name: &str) {
    if let Err(e) = db
        .ensure_table(&TableSchema::new(name, KeyAttr::new("id", KeyType::S)))
        .await
    {
        panic!("creating {name}: {e}");
    }
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn key(id: &str) -> Item {
    HashMap::from([("id".to_string(), s(id))])
}

fn put(table: &str, id: &str, value: &str) -> Change {
    let mut item = key(id);
    item.insert("value".to_string(), s(value));
    Change {
        table: table.to_string(),
        key: key(id),
        key_text: id.to_string(),
        op: ChangeOp::Put(item),
        version: None,
        unit: 0,
    }
}

fn delete(table: &str, id: &str) -> Change {
    Change {
        table: table.to_string(),
        key: key(id),
        key_text: id.to_string(),
        op: ChangeOp::Delete,
        version: None,
        unit: 0,
    }
}

/// Every item of the table, by id.
async fn scan(db: &Database, name: &str) -> HashMap<String, Item> {
    let mut all = HashMap::new();
    let mut start: Option<Item> = None;
    loop {
        let input = match ScanInput::builder()
            .table_name(name)
            .set_exclusive_start_key(start.take())
            .consistent_read(true)
            .build()
        {
            Ok(i) => i,
            Err(e) => panic!("{e}"),
        };
        let out = match db.scan(input).await {
            Ok(o) => o,
            Err(e) => panic!("scanning {name}: {e}"),
        };
        for item in out.items.unwrap_or_default() {
            let Some(AttributeValue::S(id)) = item.get("id") else {
                panic!("an item without an id: {item:?}")
            };
            assert!(all.insert(id.clone(), item.clone()).is_none(), "{id} twice");
        }
        match out.last_evaluated_key {
            Some(k) => start = Some(k),
            None => return all,
        }
    }
}

fn values(items: &HashMap<String, Item>) -> HashMap<String, String> {
    items
        .iter()
        .map(|(id, item)| {
            let v = match item.get("value") {
                Some(AttributeValue::S(v)) => v.clone(),
                other => format!("{other:?}"),
            };
            (id.clone(), v)
        })
        .collect()
}

fn fast(concurrency: usize, attempts: u32) -> FlushOptions {
    FlushOptions {
        concurrency,
        attempts,
        base_delay: Duration::from_micros(200),
        max_delay: Duration::from_millis(5),
        consumed_capacity: true,
    }
}

/// A backend that delegates everything, but BatchWriteItem: a call fails
/// with throttling `throttle` per mille of the time before reaching the
/// backend, and otherwise forwards each write with probability `forward` per
/// mille, handing the others back as unprocessed. Seeded; records the most
/// BatchWriteItem calls in flight and the writes of each call.
#[derive(Debug)]
struct Flaky {
    inner: Arc<dyn Backend>,
    throttle: u64,
    forward: u64,
    rng: Mutex<Rng>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    calls: Mutex<Vec<Vec<Change>>>,
    capacity: Mutex<f64>,
    /// When set, each call forwards exactly this many writes (the first
    /// ones) instead of drawing.
    first_only: Option<usize>,
}

impl Flaky {
    fn over(db: &Database, throttle: u64, forward: u64, seed: u64) -> Arc<Flaky> {
        Arc::new(Flaky {
            inner: db.backend().clone(),
            throttle,
            forward,
            rng: Mutex::new(Rng::new(seed)),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            calls: Mutex::new(Vec::new()),
            capacity: Mutex::new(0.0),
            first_only: None,
        })
    }

    /// A connection through this wrapper with `db`'s prefix.
    fn connect(self: &Arc<Flaky>, db: &Database) -> Database {
        Database::new(self.clone(), db.prefix())
    }

    fn draw(&self) -> u64 {
        self.rng.lock().below(1000)
    }

    async fn batch(&self, mut input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        // Let the other requests of the flush start before this one ends.
        tokio::task::yield_now().await;
        self.calls.lock().push(
            input
                .request_items
                .iter()
                .flatten()
                .flat_map(|(t, reqs)| reqs.iter().map(move |r| request_change(t, r)))
                .collect(),
        );
        if self.draw() < self.throttle {
            return Err(Error::Throttling(
                "Rate of requests exceeds the allowed throughput.".into(),
            ));
        }
        let mut forwarded: HashMap<String, Vec<WriteRequest>> = HashMap::new();
        let mut kept: HashMap<String, Vec<WriteRequest>> = HashMap::new();
        for (t, reqs) in input.request_items.take().unwrap_or_default() {
            for r in reqs {
                let go = match self.first_only {
                    Some(n) => forwarded.values().map(Vec::len).sum::<usize>() < n,
                    None => self.draw() < self.forward,
                };
                let to = if go { &mut forwarded } else { &mut kept };
                to.entry(t.clone()).or_default().push(r);
            }
        }
        if forwarded.is_empty() {
            return Ok(BatchWriteItemOutput::builder()
                .set_unprocessed_items(Some(kept))
                .build());
        }
        input.request_items = Some(forwarded);
        let mut out = self.inner.batch_write_item(input).await?;
        *self.capacity.lock() += out
            .consumed_capacity
            .iter()
            .flatten()
            .filter_map(|c| c.capacity_units)
            .sum::<f64>();
        for (t, reqs) in out.unprocessed_items.take().unwrap_or_default() {
            kept.entry(t).or_default().extend(reqs);
        }
        out.unprocessed_items = Some(kept);
        Ok(out)
    }
}

/// The change a write request of a BatchWriteItem call stands for (for the
/// request size check).
fn request_change(table: &str, r: &WriteRequest) -> Change {
    let (key_item, op) = match (&r.put_request, &r.delete_request) {
        (Some(p), _) => (Item::new(), ChangeOp::Put(p.item.clone())),
        (None, Some(d)) => (d.key.clone(), ChangeOp::Delete),
        (None, None) => (Item::new(), ChangeOp::Delete),
    };
    Change {
        table: table.to_string(),
        key: key_item,
        key_text: String::new(),
        op,
        version: None,
        unit: 0,
    }
}

#[async_trait]
impl Backend for Flaky {
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
        self.inner.get_item(input).await
    }
    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        self.inner.put_item(input).await
    }
    async fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        self.inner.update_item(input).await
    }
    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        self.inner.delete_item(input).await
    }
    async fn query(&self, input: QueryInput) -> Result<QueryOutput, Error> {
        self.inner.query(input).await
    }
    async fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        self.inner.scan(input).await
    }
    async fn batch_get_item(&self, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        self.inner.batch_get_item(input).await
    }
    async fn batch_write_item(&self, input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let out = self.batch(input).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        out
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

#[tokio::test]
async fn a_thousand_changes_through_throttling_and_unprocessed_items_are_each_written_exactly_once() {
    let db = raw().with_prefix(prefix("flaky"));
    table(&db, "items").await;
    let flaky = Flaky::over(&db, 200, 700, 12);
    let through = flaky.connect(&db);
    let changes: Vec<Change> = (0..1000)
        .map(|i| put("items", &format!("k{i:04}"), &format!("v{i}")))
        .collect();
    let out = write_all(&through, changes, &fast(8, 20)).await;

    assert_eq!(out.failed, Vec::<Failed>::new());
    let written: HashSet<(String, String)> = out
        .written
        .iter()
        .map(|w| (w.table.clone(), w.key_text.clone()))
        .collect();
    assert_eq!(written.len(), 1000, "each change confirmed once");
    assert_eq!(out.written.len(), 1000);
    assert_eq!(out.report.puts, 1000);
    assert_eq!(out.report.deletes, 0);
    assert_eq!(out.report.collapsed, 0);
    let calls = flaky.calls.lock().len();
    assert_eq!(out.report.requests, calls);
    assert_eq!(
        out.report.retries,
        calls - 40,
        "40 chunks of 25: every other request is a retry"
    );
    let expected: HashMap<String, String> = (0..1000).map(|i| (format!("k{i:04}"), format!("v{i}"))).collect();
    assert_eq!(values(&scan(&db, "items").await), expected);
}

#[tokio::test]
async fn a_backend_that_always_throttles_leaves_every_change_failed_with_throttling_and_nothing_written() {
    let db = raw().with_prefix(prefix("throttled"));
    table(&db, "items").await;
    let flaky = Flaky::over(&db, 1000, 1000, 7);
    let through = flaky.connect(&db);
    let mut changes: Vec<Change> = (0..55).map(|i| put("items", &format!("k{i}"), "v")).collect();
    changes.push(delete("items", "gone"));
    let out = write_all(&through, changes, &fast(4, 3)).await;

    assert_eq!(out.written.len(), 0, "nothing written: {:?}", out.written);
    assert_eq!(
        out.report,
        FlushReport {
            requests: 9,
            retries: 6,
            ..FlushReport::default()
        },
        "3 chunks, 3 attempts each, nothing written"
    );
    assert_eq!(out.failed.len(), 56);
    for f in &out.failed {
        assert!(
            matches!(&f.error, Error::Throttling(m) if m.text() == "Rate of requests exceeds the allowed throughput."),
            "{f:?}"
        );
        assert_eq!(f.table, "items");
        let is_delete = f.key == key("gone");
        assert_eq!(
            f.item.is_none(),
            is_delete,
            "a put keeps its item, a delete has none: {f:?}"
        );
    }
    let failed_ids: HashSet<String> = out
        .failed
        .iter()
        .map(|f| match f.key.get("id") {
            Some(AttributeValue::S(id)) => id.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    let mut expected: HashSet<String> = (0..55).map(|i| format!("k{i}")).collect();
    expected.insert("gone".to_string());
    assert_eq!(failed_ids, expected);
    assert_eq!(scan(&db, "items").await, HashMap::new());

    let error = FlushError {
        report: out.report.clone(),
        failed: out.failed.clone(),
    };
    assert!(
        error.to_string().starts_with(
            "flush left 56 change(s) unwritten (wrote 0 put(s), 0 delete(s)); first: table items: throttled: "
        ),
        "{error}"
    );
}

#[tokio::test]
async fn duplicate_keys_across_chunks_collapse_to_the_last_change_of_each_key() {
    let db = raw().with_prefix(prefix("dupes"));
    table(&db, "items").await;
    table(&db, "other").await;
    let mut changes: Vec<Change> = (0..40).map(|i| put("items", &format!("k{i}"), "first")).collect();
    changes.extend((0..20).map(|i| put("items", &format!("k{i}"), "second")));
    changes.extend((30..35).map(|i| delete("items", &format!("k{i}"))));
    // The same key in another table is another key.
    changes.push(put("other", "k0", "other"));
    let flaky = Flaky::over(&db, 0, 1000, 1);
    let out = write_all(&flaky.connect(&db), changes, &fast(8, 5)).await;

    assert_eq!(out.failed, Vec::<Failed>::new());
    assert_eq!(out.report.collapsed, 25);
    assert_eq!(out.report.puts, 36);
    assert_eq!(out.report.deletes, 5);
    assert_eq!(out.report.conditional, 0);
    assert_eq!(out.report.requests, 2, "41 writes: 2 requests");
    let returned = *flaky.capacity.lock();
    assert!(returned >= 41.0, "at least 1 unit per write: {returned}");
    assert_eq!(
        out.report.consumed_capacity,
        Some(returned),
        "the units DynamoDB returned"
    );
    let mut expected: HashMap<String, String> = HashMap::new();
    expected.extend((0..20).map(|i| (format!("k{i}"), "second".to_string())));
    expected.extend((20..30).chain(35..40).map(|i| (format!("k{i}"), "first".to_string())));
    assert_eq!(values(&scan(&db, "items").await), expected);
    assert_eq!(
        values(&scan(&db, "other").await),
        HashMap::from([("k0".to_string(), "other".to_string())])
    );
}

#[tokio::test]
async fn requests_are_split_to_stay_within_the_size_budget_and_none_is_refused() {
    let db = raw().with_prefix(prefix("split"));
    table(&db, "items").await;
    let flaky = Flaky::over(&db, 0, 1000, 3);
    let through = flaky.connect(&db);
    // 60 items of 10 KB against a 64 KB budget: at most 6 per request.
    let budget = 64 * 1024;
    let big = "x".repeat(10 * 1024);
    let changes: Vec<Change> = (0..60).map(|i| put("items", &format!("k{i}"), &big)).collect();
    let out = write_all_within(&through, changes, &fast(4, 5), budget).await;

    assert_eq!(out.failed, Vec::<Failed>::new());
    assert_eq!(out.report.puts, 60);
    let calls = flaky.calls.lock().clone();
    assert_eq!(calls.len(), 10, "6 items per request");
    for call in &calls {
        let size: usize = call.iter().map(request_size).sum();
        assert!(size <= budget, "a request of {} writes, {size} bytes", call.len());
    }
    assert_eq!(scan(&db, "items").await.len(), 60);
}

/// 100 items of 350 KB whose JSON is six times their size (control
/// characters) against the real 16 MB limit: 35 MB of items, 210 MB of JSON.
/// Run with `cargo test --lib memory::flush::tests::hundred -- --ignored`.
#[tokio::test]
#[ignore = "writes 35 MB (210 MB of JSON)"]
async fn hundred_items_of_350_kb_go_in_more_than_4_requests_of_at_most_16_mb_and_none_is_refused() {
    let db = raw().with_prefix(prefix("split16"));
    table(&db, "items").await;
    let flaky = Flaky::over(&db, 0, 1000, 3);
    let through = flaky.connect(&db);
    let big = "\u{1}".repeat(350 * 1024);
    let changes: Vec<Change> = (0..100).map(|i| put("items", &format!("k{i}"), &big)).collect();
    let out = write_all(&through, changes, &fast(2, 5)).await;

    assert_eq!(out.failed, Vec::<Failed>::new());
    assert_eq!(out.report.puts, 100);
    let calls = flaky.calls.lock().clone();
    assert!(calls.len() > 4, "{} requests", calls.len());
    for call in &calls {
        let size: usize = call.iter().map(request_size).sum();
        assert!(
            size <= MAX_BATCH_WRITE_BYTES,
            "a request of {} writes, {size} bytes",
            call.len()
        );
    }
    assert_eq!(scan(&db, "items").await.len(), 100);
}

#[tokio::test]
async fn a_flush_cut_short_accounts_for_every_change_and_a_second_flush_of_the_failed_ones_finishes_the_job() {
    let db = raw().with_prefix(prefix("twice"));
    table(&db, "items").await;
    let flaky = Flaky::over(&db, 200, 300, 99);
    let through = flaky.connect(&db);
    let changes: Vec<Change> = (0..200)
        .map(|i| put("items", &format!("k{i:03}"), &format!("v{i}")))
        .collect();
    let first = write_all(&through, changes.clone(), &fast(4, 1)).await;

    let written: HashSet<String> = first.written.iter().map(|w| w.key_text.clone()).collect();
    let failed: HashSet<String> = first
        .failed
        .iter()
        .map(|f| match f.key.get("id") {
            Some(AttributeValue::S(id)) => id.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(
        !written.is_empty() && !failed.is_empty(),
        "{} written, {} failed",
        written.len(),
        failed.len()
    );
    assert_eq!(
        written.len() + failed.len(),
        200,
        "each change written or failed, never both"
    );
    assert!(written.is_disjoint(&failed));
    assert_eq!(first.report.puts, written.len());
    let stored: HashSet<String> = scan(&db, "items").await.into_keys().collect();
    assert_eq!(stored, written, "what was confirmed is what is stored");

    let rest: Vec<Change> = changes.into_iter().filter(|c| failed.contains(&c.key_text)).collect();
    let second = write_all(&db, rest, &fast(4, 5)).await;
    assert_eq!(second.failed, Vec::<Failed>::new());
    assert_eq!(second.report.puts, failed.len());
    let expected: HashMap<String, String> = (0..200).map(|i| (format!("k{i:03}"), format!("v{i}"))).collect();
    assert_eq!(values(&scan(&db, "items").await), expected);
}

#[test]
fn an_unprocessed_write_that_matches_none_sent_leaves_every_write_unconfirmed() {
    let prepared = |id: &str| put("items", id, "v");
    let stranger = match write_request(&put("items", "stranger", "v")) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let known = match write_request(&put("items", "b", "changed on the way")) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };

    let (done, left) = settle(
        vec![prepared("a"), prepared("b")],
        &HashMap::from([("items".to_string(), vec![known])]),
    );
    let done: Vec<String> = done.into_iter().map(|c| c.key_text).collect();
    let left: Vec<String> = left.into_iter().map(|c| c.key_text).collect();
    assert_eq!(
        (done, left),
        (vec!["a".to_string()], vec!["b".to_string()]),
        "matched by key"
    );

    let (done, left) = settle(
        vec![prepared("a"), prepared("b")],
        &HashMap::from([("items".to_string(), vec![stranger])]),
    );
    assert_eq!(done.len(), 0);
    assert_eq!(left.len(), 2);
}

#[tokio::test]
async fn a_retry_that_gets_some_writes_through_resets_the_count_of_attempts_without_progress() {
    let db = raw().with_prefix(prefix("progress"));
    table(&db, "items").await;
    let mut one = Flaky::over(&db, 0, 1000, 1);
    if let Some(f) = Arc::get_mut(&mut one) {
        f.first_only = Some(1);
    }
    let changes: Vec<Change> = (0..25).map(|i| put("items", &format!("k{i}"), "v")).collect();
    let out = write_all(&one.connect(&db), changes, &fast(1, 2)).await;

    assert_eq!(out.failed, Vec::<Failed>::new());
    assert_eq!((out.report.puts, out.report.requests, out.report.retries), (25, 25, 24));
    assert_eq!(scan(&db, "items").await.len(), 25);
}

#[tokio::test]
async fn writes_left_unprocessed_attempt_after_attempt_fail_with_throttling_saying_so() {
    let db = raw().with_prefix(prefix("stuck"));
    table(&db, "items").await;
    let none = Flaky::over(&db, 0, 0, 1);
    let changes: Vec<Change> = (0..3).map(|i| put("items", &format!("k{i}"), "v")).collect();
    let out = write_all(&none.connect(&db), changes, &fast(1, 3)).await;

    assert_eq!((out.report.puts, out.report.requests, out.report.retries), (0, 3, 2));
    assert_eq!(out.failed.len(), 3);
    for f in &out.failed {
        assert_eq!(
            f.error,
            Error::Throttling("BatchWriteItem left this item unprocessed 3 time(s) in a row: not written".into())
        );
    }
    assert_eq!(scan(&db, "items").await.len(), 0);
}

#[tokio::test]
async fn a_batch_with_one_oversized_item_writes_the_others_and_fails_only_that_one_with_validation() {
    let db = raw().with_prefix(prefix("oversized"));
    table(&db, "items").await;
    let mut changes: Vec<Change> = (0..10).map(|i| put("items", &format!("k{i}"), "small")).collect();
    changes[3] = put("items", "k3", &"x".repeat(500 * 1024));
    changes.push(delete("items", "nothing-here"));
    let out = write_all(&db, changes, &fast(8, 5)).await;

    assert_eq!(out.report.puts, 9);
    assert_eq!(out.report.deletes, 1);
    assert_eq!(out.report.requests, 1 + 11, "the batch, then each write alone");
    assert_eq!(out.failed.len(), 1);
    let f = &out.failed[0];
    assert_eq!(f.key, key("k3"));
    assert!(
        matches!(&f.error, Error::Validation(m) if m.text() == "Item size has exceeded the maximum allowed size"),
        "{:?}",
        f.error
    );
    let expected: HashMap<String, String> = (0..10)
        .filter(|i| *i != 3)
        .map(|i| (format!("k{i}"), "small".to_string()))
        .collect();
    assert_eq!(values(&scan(&db, "items").await), expected);
}

fn versioned(change: Change, held: u64) -> Change {
    let mut change = change;
    if let ChangeOp::Put(item) = &mut change.op {
        item.insert("v".to_string(), AttributeValue::N((held + 1).to_string()));
    }
    change.version = Some(VersionCheck { attribute: "v", held });
    change
}

#[tokio::test]
async fn a_version_conflict_fails_that_change_alone() {
    let db = raw().with_prefix(prefix("versions"));
    table(&db, "items").await;
    let seed: Vec<Change> = ["a", "b", "d"]
        .iter()
        .map(|id| versioned(put("items", id, "old"), 0))
        .collect();
    let first = write_all(&db, seed, &fast(8, 5)).await;
    assert_eq!(first.failed, Vec::<Failed>::new());
    assert_eq!(first.report.conditional, 3);

    let changes = vec![
        versioned(put("items", "a", "new"), 1),
        versioned(put("items", "b", "new"), 5),
        versioned(put("items", "c", "new"), 0),
        versioned(delete("items", "d"), 1),
        versioned(put("items", "a-again", "new"), 0),
        put("items", "plain", "new"),
    ];
    let out = write_all(&db, changes, &fast(8, 5)).await;

    assert_eq!(out.report.puts, 4);
    assert_eq!(out.report.deletes, 1);
    assert_eq!(out.report.conditional, 4);
    assert_eq!(out.report.requests, 6);
    assert_eq!(out.failed.len(), 1);
    let f = &out.failed[0];
    assert_eq!(f.key, key("b"));
    assert_eq!(
        f.error,
        Error::VersionConflict {
            table: "items".to_string(),
            expected: 5
        }
    );
    let stored = scan(&db, "items").await;
    assert_eq!(
        values(&stored),
        HashMap::from([
            ("a".to_string(), "new".to_string()),
            ("b".to_string(), "old".to_string()),
            ("c".to_string(), "new".to_string()),
            ("a-again".to_string(), "new".to_string()),
            ("plain".to_string(), "new".to_string()),
        ])
    );
    assert_eq!(
        stored.get("a").and_then(|i| i.get("v")),
        Some(&AttributeValue::N("2".to_string()))
    );
    assert_eq!(
        stored.get("b").and_then(|i| i.get("v")),
        Some(&AttributeValue::N("1".to_string()))
    );
}

#[tokio::test]
async fn no_more_requests_than_the_concurrency_are_in_flight_and_several_are() {
    let db = raw().with_prefix(prefix("inflight"));
    table(&db, "items").await;
    let flaky = Flaky::over(&db, 0, 1000, 5);
    let through = flaky.connect(&db);
    let changes: Vec<Change> = (0..1000).map(|i| put("items", &format!("k{i}"), "v")).collect();
    let out = write_all(&through, changes, &fast(8, 5)).await;

    assert_eq!(out.failed, Vec::<Failed>::new());
    assert_eq!(out.report.requests, 40);
    let max = flaky.max_in_flight.load(Ordering::SeqCst);
    assert!((2..=8).contains(&max), "{max} requests in flight at most");
}

#[test]
fn a_flush_is_a_future_that_can_be_spawned() {
    fn send<T: Send>(_: &T) {}
    let db = Database::mock();
    let options = FlushOptions::default();
    let flush = write_all(&db, Vec::new(), &options);
    send(&flush);
}

#[test]
fn full_jitter_stays_within_the_doubling_bound() {
    let options = FlushOptions {
        concurrency: 1,
        attempts: 10,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(100),
        consumed_capacity: false,
    };
    let mut rng = Rng::new(1);
    let mut seen_above_half = false;
    for failures in 1..=40u32 {
        let bound = Duration::from_millis(10 * (1u64 << (failures - 1).min(20))).min(options.max_delay);
        for _ in 0..50 {
            let d = backoff(&options, failures, &mut rng);
            assert!(d <= bound, "{d:?} after {failures} failures, bound {bound:?}");
            seen_above_half |= failures == 1 && d > bound / 2;
        }
    }
    assert!(
        seen_above_half,
        "the delay spans the whole range, not only its lower half"
    );
}

#[test]
fn a_string_is_estimated_at_its_escaped_json_length_with_quotes() {
    // a, \", b, \\, c, \u0001, é (2 bytes), and the two quotes.
    assert_eq!(json_string_size("a\"b\\c\u{1}é"), 2 + 1 + 2 + 1 + 2 + 1 + 6 + 2);
    assert_eq!(json_string_size(""), 2);
}

#[tokio::test]
async fn changes_handed_over_in_any_order_are_sent_in_key_order() {
    let db = raw().with_prefix(prefix("order"));
    table(&db, "items").await;
    let changes: Vec<Change> = (0..60).rev().map(|i| put("items", &format!("k{i:02}"), "v")).collect();
    let flaky = Flaky::over(&db, 0, 1000, 1);
    let out = write_all(&flaky.connect(&db), changes, &fast(1, 5)).await;
    assert_eq!(out.failed, Vec::<Failed>::new());
    let sent: Vec<Vec<String>> = flaky
        .calls
        .lock()
        .iter()
        .map(|call| {
            call.iter()
                .map(|c| match &c.op {
                    ChangeOp::Put(item) => match item.get("id") {
                        Some(AttributeValue::S(id)) => id.clone(),
                        other => format!("{other:?}"),
                    },
                    ChangeOp::Delete => "delete".to_string(),
                })
                .collect()
        })
        .collect();
    let expected: Vec<Vec<String>> = [0..25, 25..50, 50..60]
        .into_iter()
        .map(|r| r.map(|i| format!("k{i:02}")).collect())
        .collect();
    assert_eq!(sent, expected);
}
