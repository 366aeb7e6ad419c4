//! Tests of [`copy_table`] on the backend `Database::for_tests()` picks (the
//! mock, or DynamoDB Local with `DYNAMODB_TEST_BACKEND=local`).

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::*;
use crate::schema::{IndexSchema, KeyAttr, KeyType as Kt, Projection, TableSchema};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A prefix no other test (or run) uses.
fn prefix(test: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("c{}{:08x}{n}_{test}_", std::process::id() % 1000, nanos)
}

fn base() -> Database {
    match Database::for_tests() {
        Ok(db) => db,
        Err(e) => panic!("{e}"),
    }
}

/// A checkpoint path no other test uses (removed first).
fn checkpoint_path(test: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("{}checkpoint.json", prefix(test)));
    let _ = std::fs::remove_file(&path);
    path
}

/// A backend wrapper: pages scans by `page` items, fails scans after
/// `scans_before_failure` pages, and records every item key (`id`) written.
#[derive(Debug)]
struct Wrapped {
    inner: Arc<dyn Backend>,
    page: Option<i32>,
    scans_before_failure: Mutex<Option<u32>>,
    throttled_scans: Mutex<u32>,
    fail_writes: bool,
    written: Mutex<Vec<String>>,
    write_requests: AtomicU64,
}

impl Wrapped {
    fn new(inner: &Database) -> Wrapped {
        Wrapped {
            inner: inner.backend().clone(),
            page: None,
            scans_before_failure: Mutex::new(None),
            throttled_scans: Mutex::new(0),
            fail_writes: false,
            written: Mutex::new(Vec::new()),
            write_requests: AtomicU64::new(0),
        }
    }

    fn record(&self, item: &Item) {
        let id = match item.get("id") {
            Some(AttributeValue::S(s)) => s.clone(),
            other => format!("{other:?}"),
        };
        self.written.lock().unwrap_or_else(|e| e.into_inner()).push(id);
    }

    fn written(&self) -> Vec<String> {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

#[async_trait]
impl Backend for Wrapped {
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
        if self.fail_writes {
            return Err(Error::Validation("injected write failure".into()));
        }
        let item = input.item.clone().unwrap_or_default();
        let out = self.inner.put_item(input).await?;
        self.record(&item);
        Ok(out)
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
    async fn scan(&self, mut input: ScanInput) -> Result<ScanOutput, Error> {
        {
            let mut left = self.scans_before_failure.lock().unwrap_or_else(|e| e.into_inner());
            match left.as_mut() {
                Some(0) => return Err(injected_failure()),
                Some(n) => *n -= 1,
                None => {}
            }
        }
        {
            let mut throttled = self.throttled_scans.lock().unwrap_or_else(|e| e.into_inner());
            if *throttled > 0 {
                *throttled -= 1;
                return Err(Error::Throttling("injected throttling".into()));
            }
        }
        if self.page.is_some() {
            input.limit = self.page;
        }
        self.inner.scan(input).await
    }
    async fn batch_get_item(&self, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        self.inner.batch_get_item(input).await
    }
    async fn batch_write_item(&self, input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        self.write_requests.fetch_add(1, Ordering::Relaxed);
        if self.fail_writes {
            return Err(Error::Validation("injected write failure".into()));
        }
        let requests = input.request_items.clone().unwrap_or_default();
        let out = self.inner.batch_write_item(input).await?;
        let unprocessed = out.unprocessed_items.clone().unwrap_or_default();
        for (table, writes) in requests {
            let left = unprocessed.get(&table).cloned().unwrap_or_default();
            for write in writes {
                if let Some(put) = write.put_request
                    && !left.iter().any(|w| w.put_request.as_ref() == Some(&put))
                {
                    self.record(&put.item);
                }
            }
        }
        Ok(out)
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

/// The error of a source that stops working (not retryable).
fn injected_failure() -> Error {
    Error::Service {
        code: "InjectedFailure".to_string(),
        message: "injected scan failure".into(),
    }
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// Item `i`, holding every attribute type.
fn rich_item(i: usize) -> Item {
    HashMap::from([
        ("id".to_string(), s(&format!("item-{i:04}"))),
        ("s".to_string(), s(&format!("text {i} ✓"))),
        (
            "n".to_string(),
            n(&format!("1234567890123456789012345678901234567{}", i % 10)),
        ),
        ("neg".to_string(), n(&format!("-0.{i}5"))),
        (
            "b".to_string(),
            AttributeValue::B(Blob::new(vec![0, 255, (i % 256) as u8])),
        ),
        ("t".to_string(), AttributeValue::Bool(i.is_multiple_of(2))),
        ("z".to_string(), AttributeValue::Null(true)),
        ("ss".to_string(), AttributeValue::Ss(vec!["a".into(), format!("b{i}")])),
        ("ns".to_string(), AttributeValue::Ns(vec!["1".into(), format!("{i}.5")])),
        (
            "bs".to_string(),
            AttributeValue::Bs(vec![Blob::new(vec![1]), Blob::new(vec![2, (i % 256) as u8])]),
        ),
        (
            "l".to_string(),
            AttributeValue::L(vec![s("x"), n("2"), AttributeValue::Null(true)]),
        ),
        (
            "m".to_string(),
            AttributeValue::M(HashMap::from([
                (
                    "inner".to_string(),
                    AttributeValue::M(HashMap::from([("deep".to_string(), n("3"))])),
                ),
                ("list".to_string(), AttributeValue::L(vec![AttributeValue::Bool(false)])),
            ])),
        ),
    ])
}

/// The value with its sets in sorted order: DynamoDB sets are unordered, and
/// DynamoDB Local returns their elements in an order of its own.
fn sorted_sets(value: &AttributeValue) -> AttributeValue {
    match value {
        AttributeValue::Ss(v) => AttributeValue::Ss(sorted(v.clone())),
        AttributeValue::Ns(v) => AttributeValue::Ns(sorted(v.clone())),
        AttributeValue::Bs(v) => {
            let mut bytes: Vec<Vec<u8>> = v.iter().map(|b| b.as_ref().to_vec()).collect();
            bytes.sort();
            AttributeValue::Bs(bytes.into_iter().map(Blob::new).collect())
        }
        AttributeValue::L(v) => AttributeValue::L(v.iter().map(sorted_sets).collect()),
        AttributeValue::M(m) => AttributeValue::M(m.iter().map(|(k, v)| (k.clone(), sorted_sets(v))).collect()),
        other => other.clone(),
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn small_item(i: usize, v: &str) -> Item {
    HashMap::from([("id".to_string(), s(&format!("item-{i:04}"))), ("v".to_string(), s(v))])
}

async fn hash_table(db: &Database, name: &str) {
    let schema = TableSchema::new(name, KeyAttr::new("id", Kt::S));
    if let Err(e) = db.ensure_table(&schema).await {
        panic!("create {name}: {e}");
    }
}

async fn put_all(db: &Database, table: &str, items: impl IntoIterator<Item = Item>) {
    for item in items {
        let put = PutItemInput::builder().table_name(table).set_item(Some(item)).build();
        match put {
            Ok(put) => {
                if let Err(e) = db.put_item(put).await {
                    panic!("put: {e}");
                }
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// Every item of the table, by `id`.
async fn all_items(db: &Database, table: &str) -> HashMap<String, Item> {
    let mut out = HashMap::new();
    let mut start = None;
    loop {
        let scan = match ScanInput::builder()
            .table_name(table)
            .set_exclusive_start_key(start)
            .build()
        {
            Ok(scan) => scan,
            Err(e) => panic!("{e}"),
        };
        let page = match db.scan(scan).await {
            Ok(page) => page,
            Err(e) => panic!("scan {table}: {e}"),
        };
        for item in page.items.unwrap_or_default() {
            let id = match item.get("id") {
                Some(AttributeValue::S(id)) => id.clone(),
                other => panic!("item without string id: {other:?}"),
            };
            out.insert(id, item);
        }
        match page.last_evaluated_key {
            Some(k) => start = Some(k),
            None => return out,
        }
    }
}

async fn copy(source: &Database, target: &Database, options: CopyOptions) -> Result<CopyReport, Error> {
    copy_table(source, "src", target, "dst", options).await
}

fn ids(range: std::ops::Range<usize>) -> BTreeSet<String> {
    range.map(|i| format!("item-{i:04}")).collect()
}

#[tokio::test]
async fn copying_500_items_of_every_attribute_type_between_prefixes_gives_an_equal_table() {
    let base = base();
    let source = base.with_prefix(prefix("every_type_s"));
    let target = base.with_prefix(prefix("every_type_t"));
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    let items: Vec<Item> = (0..500).map(rich_item).collect();
    put_all(&source, "src", items.clone()).await;

    let options = CopyOptions::default().with_total_segments(8);
    let report = copy(&source, &target, options).await.expect("copy");

    assert_eq!(report.scanned, 500);
    assert_eq!(report.written, 500);
    assert_eq!((report.skipped, report.dropped), (0, 0));
    assert_eq!(report.failed, vec![]);
    assert_eq!(report.segments_done, (0..8).collect::<Vec<u32>>());
    assert!(!report.resumed);
    let normal = |item: &Item| -> Item { item.iter().map(|(k, v)| (k.clone(), sorted_sets(v))).collect() };
    let copied: HashMap<String, Item> = all_items(&target, "dst")
        .await
        .iter()
        .map(|(id, item)| (id.clone(), normal(item)))
        .collect();
    assert_eq!(copied.len(), 500);
    for (i, item) in items.iter().enumerate() {
        let id = format!("item-{i:04}");
        assert_eq!(copied.get(&id), Some(&normal(item)), "{id}");
    }
}

#[tokio::test]
async fn copy_with_create_makes_the_target_with_the_source_keys_indexes_and_throughput() {
    let base = base();
    let source = base.with_prefix(prefix("create_s"));
    let target = base.with_prefix(prefix("create_t"));
    let schema = TableSchema::new("src", KeyAttr::new("pk", Kt::S))
        .range(KeyAttr::new("sk", Kt::N))
        .throughput(5, 7)
        .global_index(
            IndexSchema::new("by_g", KeyAttr::new("g", Kt::S))
                .range(KeyAttr::new("gs", Kt::B))
                .projection(Projection::Include(vec!["a".to_string(), "b".to_string()]))
                .throughput(3, 4),
        )
        .global_index(
            IndexSchema::new("by_h", KeyAttr::new("h", Kt::N))
                .projection(Projection::KeysOnly)
                .throughput(2, 1),
        )
        .local_index(IndexSchema::new("by_l", KeyAttr::new("pk", Kt::S)).range(KeyAttr::new("l", Kt::S)));
    source.ensure_table(&schema).await.expect("create source");
    put_all(
        &source,
        "src",
        (0..10).map(|i| {
            HashMap::from([
                ("pk".to_string(), s("p")),
                ("sk".to_string(), n(&i.to_string())),
                ("g".to_string(), s("g")),
                ("gs".to_string(), AttributeValue::B(Blob::new(vec![i as u8]))),
            ])
        }),
    )
    .await;

    let options = CopyOptions {
        create: true,
        ..CopyOptions::default()
    };
    let report = copy(&source, &target, options).await.expect("copy");
    assert_eq!(report.written, 10);

    let described = target
        .describe_table(DescribeTableInput::builder().table_name("dst").build().expect("input"))
        .await
        .expect("describe target")
        .table
        .expect("a description");
    let mut same = schema.clone();
    same.name = "dst".to_string();
    assert_eq!(same.differences(&described), Vec::<String>::new());
    let throughput = described.provisioned_throughput().expect("throughput");
    assert_eq!(
        (throughput.read_capacity_units, throughput.write_capacity_units),
        (Some(5), Some(7))
    );
    let mut gsis: Vec<(String, Option<i64>, Option<i64>)> = described
        .global_secondary_indexes()
        .iter()
        .map(|g| {
            let t = g.provisioned_throughput();
            (
                g.index_name().unwrap_or_default().to_string(),
                t.and_then(|t| t.read_capacity_units),
                t.and_then(|t| t.write_capacity_units),
            )
        })
        .collect();
    gsis.sort();
    assert_eq!(
        gsis,
        vec![
            ("by_g".to_string(), Some(3), Some(4)),
            ("by_h".to_string(), Some(2), Some(1))
        ]
    );
    assert_eq!(described.local_secondary_indexes().len(), 1);
}

#[tokio::test]
async fn copy_with_create_keeps_an_on_demand_source_on_demand() {
    let base = base();
    let source = base.with_prefix(prefix("demand_s"));
    let target = base.with_prefix(prefix("demand_t"));
    let schema = TableSchema::new("src", KeyAttr::new("id", Kt::S)).on_demand();
    source.ensure_table(&schema).await.expect("create source");
    put_all(&source, "src", (0..3).map(|i| small_item(i, "x"))).await;

    let options = CopyOptions {
        create: true,
        ..CopyOptions::default()
    };
    let report = copy(&source, &target, options).await.expect("copy");
    assert_eq!(report.written, 3);
    let described = target
        .describe_table(DescribeTableInput::builder().table_name("dst").build().expect("input"))
        .await
        .expect("describe target")
        .table
        .expect("a description");
    let mut same = schema.clone();
    same.name = "dst".to_string();
    assert_eq!(same.differences(&described), Vec::<String>::new());
}

#[tokio::test]
async fn a_transform_rewrites_items_and_drops_those_it_returns_none_for() {
    let base = base();
    let source = base.with_prefix(prefix("transform_s"));
    let target = base.with_prefix(prefix("transform_t"));
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    put_all(&source, "src", (0..40).map(|i| small_item(i, &i.to_string()))).await;

    let transform: Transform = Arc::new(|mut item: Item| {
        let v = match item.get("v") {
            Some(AttributeValue::S(v)) => v.parse::<u32>().unwrap_or(0),
            _ => 0,
        };
        if v % 4 == 0 {
            return None;
        }
        item.insert("v".to_string(), s(&format!("rewritten {v}")));
        Some(item)
    });
    let options = CopyOptions {
        transform: Some(transform),
        ..CopyOptions::default()
    };
    let report = copy(&source, &target, options).await.expect("copy");

    assert_eq!((report.scanned, report.written, report.dropped), (40, 30, 10));
    let copied = all_items(&target, "dst").await;
    let expected: HashMap<String, Item> = (0..40)
        .filter(|i| i % 4 != 0)
        .map(|i| (format!("item-{i:04}"), small_item(i, &format!("rewritten {i}"))))
        .collect();
    assert_eq!(copied, expected);
}

/// Source items 0..20 "new"; target already holds 5..8 "old".
async fn source_and_target_with_overlap(test: &str) -> (Database, Database) {
    let base = base();
    let source = base.with_prefix(prefix(&format!("{test}_s")));
    let target = base.with_prefix(prefix(&format!("{test}_t")));
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    put_all(&source, "src", (0..20).map(|i| small_item(i, "new"))).await;
    put_all(&target, "dst", (5..8).map(|i| small_item(i, "old"))).await;
    (source, target)
}

#[tokio::test]
async fn if_exists_overwrite_replaces_the_items_already_in_the_target() {
    let (source, target) = source_and_target_with_overlap("overwrite").await;
    let report = copy(&source, &target, CopyOptions::default()).await.expect("copy");
    assert_eq!((report.written, report.skipped), (20, 0));
    let copied = all_items(&target, "dst").await;
    let expected: HashMap<String, Item> = (0..20)
        .map(|i| (format!("item-{i:04}"), small_item(i, "new")))
        .collect();
    assert_eq!(copied, expected);
}

#[tokio::test]
async fn if_exists_skip_leaves_the_items_already_in_the_target_and_counts_them() {
    let (source, target) = source_and_target_with_overlap("skip").await;
    let options = CopyOptions {
        if_exists: IfExists::Skip,
        ..CopyOptions::default()
    };
    let report = copy(&source, &target, options).await.expect("copy");
    assert_eq!((report.scanned, report.written, report.skipped), (20, 17, 3));
    assert_eq!(report.failed, vec![]);
    let copied = all_items(&target, "dst").await;
    let expected: HashMap<String, Item> = (0..20)
        .map(|i| {
            let v = if (5..8).contains(&i) { "old" } else { "new" };
            (format!("item-{i:04}"), small_item(i, v))
        })
        .collect();
    assert_eq!(copied, expected);
}

#[tokio::test]
async fn if_exists_fail_stops_the_job_with_an_error_naming_the_existing_key() {
    let (source, target) = source_and_target_with_overlap("fail").await;
    let options = CopyOptions {
        if_exists: IfExists::Fail,
        total_segments: 1,
        segments: 0..1,
        ..CopyOptions::default()
    };
    let error = copy(&source, &target, options).await.expect_err("an existing item");
    let Error::ItemExists { table, key } = &error else {
        panic!("expected ItemExists, got {error:?}");
    };
    assert_eq!(table, "dst");
    let existing: Vec<String> = (5..8)
        .map(|i| format!("{{\"id\":{{\"S\":\"item-{i:04}\"}}}}"))
        .collect();
    assert!(existing.contains(key), "{key} is not one of {existing:?}");
    assert_eq!(error.code(), "ItemExists");
    assert_eq!(
        error.to_string(),
        format!("table dst already has an item with key {key}")
    );
    // The items already there are untouched.
    let copied = all_items(&target, "dst").await;
    for i in 5..8 {
        assert_eq!(copied.get(&format!("item-{i:04}")), Some(&small_item(i, "old")));
    }
}

#[tokio::test]
async fn a_copy_stopped_by_a_failing_scan_resumes_from_its_checkpoint_and_writes_each_item_once() {
    let base = base();
    let source_prefix = prefix("resume_s");
    let source = base.with_prefix(source_prefix.clone());
    let target = base.with_prefix(prefix("resume_t"));
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    put_all(&source, "src", (0..300).map(|i| small_item(i, "v"))).await;
    let path = checkpoint_path("resume");

    // First run: pages of 10, the seventh scan fails (how many pages each
    // segment got through depends on the backend's segment hashing).
    let mut failing = Wrapped::new(&base);
    failing.page = Some(10);
    failing.scans_before_failure = Mutex::new(Some(6));
    let failing = Arc::new(failing);
    let failing_source = Database::new(failing.clone(), source_prefix.clone());
    let first_writes = Arc::new(Wrapped::new(&base));
    let first_target = Database::new(first_writes.clone(), target.prefix());
    let options = CopyOptions {
        checkpoint: Some(path.clone()),
        ..CopyOptions::default()
    };
    let error = copy(&failing_source, &first_target, options.clone())
        .await
        .expect_err("the scan fails");
    assert_eq!(error, injected_failure());
    let confirmed = first_writes.written();
    assert!(confirmed.len() >= 10, "at least a page was copied before the failure");
    assert!(confirmed.len() < 300, "the failure stopped the copy");
    let saved = read_checkpoint(&path).expect("readable").expect("written");
    assert_eq!(
        saved.segments.values().map(|s| s.items).sum::<u64>(),
        confirmed.len() as u64,
        "the checkpoint holds exactly the confirmed pages"
    );

    // Second run: no failures; resumes.
    let mut paging = Wrapped::new(&base);
    paging.page = Some(10);
    let paging_source = Database::new(Arc::new(paging), source_prefix);
    let second_writes = Arc::new(Wrapped::new(&base));
    let second_target = Database::new(second_writes.clone(), target.prefix());
    let report = copy(&paging_source, &second_target, options)
        .await
        .expect("resumed copy");
    assert!(report.resumed);
    assert_eq!(report.segments_done, vec![0, 1, 2, 3]);
    assert_eq!(report.scanned, 300 - confirmed.len() as u64);
    let resumed = second_writes.written();
    assert!(
        resumed.len() <= 300 - confirmed.len() + 10,
        "{} writes on resume",
        resumed.len()
    );

    let mut all: Vec<String> = confirmed.into_iter().chain(resumed).collect();
    all.sort();
    let once: Vec<String> = ids(0..300).into_iter().collect();
    assert_eq!(all, once, "every item written exactly once");
    assert_eq!(all_items(&target, "dst").await.len(), 300);
    let saved = read_checkpoint(&path).expect("readable").expect("written");
    assert!(saved.segments.values().all(|s| s.done && s.last_key.is_none()));
    assert_eq!(saved.segments.values().map(|s| s.items).sum::<u64>(), 300);
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn two_processes_with_half_the_segments_each_copy_the_whole_table_once() {
    let base = base();
    let source_prefix = prefix("halves_s");
    let source = base.with_prefix(source_prefix.clone());
    let target = base.with_prefix(prefix("halves_t"));
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    put_all(&source, "src", (0..200).map(|i| small_item(i, "v"))).await;

    let mut written = Vec::new();
    let mut scanned = 0;
    for (half, segments) in [0..2, 2..4].into_iter().enumerate() {
        let path = checkpoint_path(&format!("half{half}"));
        let writes = Arc::new(Wrapped::new(&base));
        let counted = Database::new(writes.clone(), target.prefix());
        let options = CopyOptions {
            total_segments: 4,
            segments: segments.clone(),
            checkpoint: Some(path.clone()),
            ..CopyOptions::default()
        };
        let report = copy(&source, &counted, options).await.expect("copy half");
        assert_eq!(report.segments_done, segments.collect::<Vec<u32>>());
        scanned += report.scanned;
        written.extend(writes.written());
        let saved = read_checkpoint(&path).expect("readable").expect("written");
        assert_eq!(
            saved.segments.keys().copied().collect::<Vec<u32>>(),
            report.segments_done
        );
        let _ = std::fs::remove_file(&path);
    }
    assert_eq!(scanned, 200);
    written.sort();
    assert_eq!(written, ids(0..200).into_iter().collect::<Vec<String>>());
    assert_eq!(all_items(&target, "dst").await.len(), 200);
}

#[tokio::test]
async fn a_page_with_unconfirmed_writes_is_handed_back_and_not_checkpointed_past() {
    let base = base();
    let source = base.with_prefix(prefix("unconfirmed_s"));
    let target_prefix = prefix("unconfirmed_t");
    let target = base.with_prefix(target_prefix.clone());
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    put_all(&source, "src", (0..12).map(|i| small_item(i, "v"))).await;
    let path = checkpoint_path("unconfirmed");
    let mut refusing = Wrapped::new(&base);
    refusing.fail_writes = true;
    let refusing = Database::new(Arc::new(refusing), target_prefix);
    let options = CopyOptions {
        total_segments: 1,
        segments: 0..1,
        checkpoint: Some(path.clone()),
        flush: FlushOptions {
            attempts: 1,
            ..FlushOptions::default()
        },
        ..CopyOptions::default()
    };

    let report = copy(&source, &refusing, options.clone()).await.expect("a report");
    assert_eq!(report.written, 0);
    assert_eq!(report.failed.len(), 12);
    assert!(report.failed.iter().all(|f| f.table == "dst" && f.item.is_some()));
    assert_eq!(report.segments_done, Vec::<u32>::new());
    let saved = read_checkpoint(&path).expect("readable");
    assert_eq!(saved, None, "nothing was confirmed, so nothing was checkpointed");

    let report = copy(&source, &target, options).await.expect("rerun");
    assert_eq!((report.written, report.failed.len()), (12, 0));
    assert_eq!(all_items(&target, "dst").await.len(), 12);
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_checkpoint_of_another_job_is_refused_with_a_typed_error() {
    let base = base();
    let source = base.with_prefix(prefix("mismatch_s"));
    let target = base.with_prefix(prefix("mismatch_t"));
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    put_all(&source, "src", (0..5).map(|i| small_item(i, "v"))).await;
    let path = checkpoint_path("mismatch");
    let options = CopyOptions {
        checkpoint: Some(path.clone()),
        ..CopyOptions::default()
    };
    copy(&source, &target, options.clone()).await.expect("first copy");

    let other = CopyOptions {
        total_segments: 8,
        segments: 0..8,
        ..options
    };
    let error = copy(&source, &target, other)
        .await
        .expect_err("another job's checkpoint");
    let Error::Checkpoint { path: named, problem } = &error else {
        panic!("expected Checkpoint, got {error:?}");
    };
    assert_eq!(named, &path.display().to_string());
    assert_eq!(
        problem,
        &format!(
            "it is the checkpoint of copying {0} to {1} in 4 segments, not {0} to {1} in 8",
            source.full_name("src"),
            target.full_name("dst")
        )
    );
    assert_eq!(error.code(), "Checkpoint");
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn progress_reports_are_monotone_and_the_last_says_done() {
    let base = base();
    let source_prefix = prefix("progress_s");
    let source = base.with_prefix(source_prefix.clone());
    let target = base.with_prefix(prefix("progress_t"));
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    put_all(&source, "src", (0..60).map(|i| small_item(i, "v"))).await;
    let mut paging = Wrapped::new(&base);
    paging.page = Some(7);
    let paging_source = Database::new(Arc::new(paging), source_prefix);

    let seen: Arc<Mutex<Vec<Progress>>> = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let options = CopyOptions {
        progress: Some(Arc::new(move |p: &Progress| {
            sink.lock().unwrap_or_else(|e| e.into_inner()).push(p.clone())
        })),
        ..CopyOptions::default()
    };
    copy(&paging_source, &target, options).await.expect("copy");

    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let job: Vec<&Progress> = seen.iter().filter(|p| p.segment.is_none()).collect();
    assert!(job.len() >= 60 / 7, "{} job reports", job.len());
    assert!(
        job.windows(2)
            .all(|w| w[0].items <= w[1].items && w[0].bytes <= w[1].bytes)
    );
    let last = job.last().expect("a last report");
    assert!(last.done);
    assert_eq!(last.items, 60);
    assert_eq!(last.bytes, 60 * item_size(&small_item(0, "v")) as u64);
    assert!(job[..job.len() - 1].iter().all(|p| !p.done));
    for segment in 0..4 {
        let reports: Vec<&Progress> = seen.iter().filter(|p| p.segment == Some(segment)).collect();
        assert!(reports.windows(2).all(|w| w[0].items <= w[1].items));
        assert!(reports.last().is_some_and(|p| p.done), "segment {segment} ends done");
    }
    let per_segment: u64 = (0..4)
        .filter_map(|n| seen.iter().rfind(|p| p.segment == Some(n)).map(|p| p.items))
        .sum();
    assert_eq!(per_segment, 60);
}

#[tokio::test]
async fn a_segment_range_outside_the_total_is_a_validation_error() {
    let base = base();
    let options = CopyOptions {
        total_segments: 4,
        segments: 2..5,
        ..CopyOptions::default()
    };
    let error = copy(&base, &base, options).await.expect_err("bad range");
    assert_eq!(
        error,
        Error::Validation("copy segments 2..5 are not a non-empty range within 0..4".into())
    );
}

#[tokio::test]
async fn a_throttled_scan_is_retried_and_the_copy_completes() {
    let base = base();
    let source_prefix = prefix("throttled_s");
    let source = base.with_prefix(source_prefix.clone());
    let target = base.with_prefix(prefix("throttled_t"));
    hash_table(&source, "src").await;
    hash_table(&target, "dst").await;
    put_all(&source, "src", (0..30).map(|i| small_item(i, "v"))).await;
    let throttling = Wrapped::new(&base);
    *throttling.throttled_scans.lock().unwrap_or_else(|e| e.into_inner()) = 3;
    let throttling_source = Database::new(Arc::new(throttling), source_prefix);
    let options = CopyOptions {
        flush: FlushOptions {
            base_delay: std::time::Duration::from_millis(1),
            ..FlushOptions::default()
        },
        ..CopyOptions::default()
    };
    let report = copy(&throttling_source, &target, options).await.expect("copy");
    assert_eq!((report.scanned, report.written), (30, 30));
    assert_eq!(all_items(&target, "dst").await.len(), 30);
}

#[tokio::test]
async fn copying_into_a_missing_target_without_create_fails_before_scanning() {
    let base = base();
    let source_prefix = prefix("missing_s");
    let source = base.with_prefix(source_prefix.clone());
    let target = base.with_prefix(prefix("missing_t"));
    hash_table(&source, "src").await;
    put_all(&source, "src", (0..3).map(|i| small_item(i, "v"))).await;
    // Any scan of this source fails with the injected error.
    let never_scanned = Wrapped::new(&base);
    *never_scanned
        .scans_before_failure
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(0);
    let never_scanned = Database::new(Arc::new(never_scanned), source_prefix);

    let error = copy(&never_scanned, &target, CopyOptions::default())
        .await
        .expect_err("no target table");
    assert_eq!(error.code(), "ResourceNotFoundException", "{error:?}");
}
