//! Throughput for a job on the backend of the run (the mock, or DynamoDB
//! Local with `DYNAMODB_TEST_BACKEND=local DYNAMODB_ENDPOINT=…`); the refused
//! restore through a wrapper that answers decreases with
//! `LimitExceededException`, as DynamoDB does once a table's decreases for
//! the UTC day are used up (DynamoDB Local never refuses them).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType,
};

use super::Capacity;
use super::*;
use crate::sdk::*;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The run's backend; fails loudly when the backend asked for is unknown.
fn raw() -> Database {
    match Database::for_tests() {
        Ok(db) => db,
        Err(e) => panic!("{e}"),
    }
}

/// A prefix no other test (or run) uses.
fn prefix(test: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("t{}{nanos:08x}{n}_{test}_", std::process::id() % 1000)
}

fn ok<T>(r: Result<T, Error>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

const fn cap(read: i64, write: i64) -> Capacity {
    Capacity { read, write }
}

/// Table `t` (hash key `pk`) with global index `by_g` (hash key `g`), both
/// provisioned as given, or on-demand when `table` is `None`.
async fn create(db: &Database, table: Option<Capacity>, index: Option<Capacity>) {
    let attr = |n: &str| {
        ok(
            AttributeDefinition::builder()
                .attribute_name(n)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(Error::from),
            "attribute",
        )
    };
    let key = |n: &str| {
        ok(
            KeySchemaElement::builder()
                .attribute_name(n)
                .key_type(KeyType::Hash)
                .build()
                .map_err(Error::from),
            "key",
        )
    };
    let mut gsi = GlobalSecondaryIndex::builder()
        .index_name("by_g")
        .key_schema(key("g"))
        .projection(Projection::builder().projection_type(ProjectionType::All).build());
    if let Some(c) = index {
        gsi = gsi.provisioned_throughput(ok(c.throughput(), "throughput"));
    }
    let mut input = CreateTableInput::builder()
        .table_name("t")
        .attribute_definitions(attr("pk"))
        .attribute_definitions(attr("g"))
        .key_schema(key("pk"))
        .global_secondary_indexes(ok(gsi.build().map_err(Error::from), "index"));
    input = match table {
        Some(c) => input.provisioned_throughput(ok(c.throughput(), "throughput")),
        None => input.billing_mode(BillingMode::PayPerRequest),
    };
    ok(
        db.create_table(ok(input.build().map_err(Error::from), "input")).await,
        "create t",
    );
    ok(db.wait_active("t").await, "t active");
}

async fn drop_table(db: &Database) {
    let input = ok(
        DeleteTableInput::builder().table_name("t").build().map_err(Error::from),
        "input",
    );
    ok(db.delete_table(input).await, "delete t");
}

/// The table's and index `by_g`'s capacity now.
async fn now(db: &Database) -> (Capacity, Capacity) {
    let desc = ok(describe(db, "t").await, "describe t");
    let table = provisioned(desc.provisioned_throughput.as_ref()).unwrap_or(cap(0, 0));
    let index = desc
        .global_secondary_indexes()
        .iter()
        .find(|i| i.index_name.as_deref() == Some("by_g"))
        .and_then(|i| provisioned(i.provisioned_throughput.as_ref()))
        .unwrap_or(cap(0, 0));
    (table, index)
}

#[tokio::test]
async fn raise_sets_the_table_and_its_index_to_the_capacity_and_restore_puts_the_originals_back() {
    let db = raw().with_prefix(prefix("raise"));
    create(&db, Some(cap(5, 5)), Some(cap(3, 4))).await;
    let (result, report) = with_throughput(&db, "t", cap(100, 200), || async { Ok::<_, Error>(now(&db).await) }).await;
    assert_eq!(ok(result, "job"), (cap(100, 200), cap(100, 200)));
    assert_eq!(
        report,
        ThroughputReport {
            on_demand: false,
            changed: vec![
                "table t: read 5 → 100, write 5 → 200".to_string(),
                "index by_g: read 3 → 100, write 4 → 200".to_string(),
            ],
            restored: vec![
                "restored table t: read 5, write 5".to_string(),
                "restored index by_g: read 3, write 4".to_string(),
            ],
            left_raised: vec![],
        }
    );
    assert_eq!(now(&db).await, (cap(5, 5), cap(3, 4)));
    drop_table(&db).await;
}

#[tokio::test]
async fn a_failing_job_has_the_capacity_restored_and_its_error_returned() {
    let db = raw().with_prefix(prefix("fail"));
    create(&db, Some(cap(5, 5)), Some(cap(3, 3))).await;
    let (result, report) = with_throughput(&db, "t", cap(50, 60), || async {
        Err::<(), _>(Error::Unsupported("the job failed".into()))
    })
    .await;
    assert_eq!(result, Err(Error::Unsupported("the job failed".into())));
    assert_eq!(
        report.restored,
        vec![
            "restored table t: read 5, write 5",
            "restored index by_g: read 3, write 3"
        ]
    );
    assert!(report.left_raised.is_empty(), "{report:?}");
    assert_eq!(now(&db).await, (cap(5, 5), cap(3, 3)));
    drop_table(&db).await;
}

#[tokio::test]
async fn a_panicking_job_has_the_capacity_restored_and_the_panic_propagates() {
    let db = raw().with_prefix(prefix("panic"));
    create(&db, Some(cap(5, 5)), Some(cap(3, 3))).await;
    let seen_raised = Arc::new(AtomicBool::new(false));
    let seen = seen_raised.clone();
    let job_db = db.clone();
    let outcome = AssertUnwindSafe(with_throughput(&db, "t", cap(50, 60), move || async move {
        seen.store(now(&job_db).await == (cap(50, 60), cap(50, 60)), Ordering::SeqCst);
        if seen.load(Ordering::SeqCst) {
            panic!("the job panicked");
        }
        Ok::<(), Error>(())
    }))
    .catch_unwind()
    .await;
    assert!(
        seen_raised.load(Ordering::SeqCst),
        "the job ran with the capacity raised"
    );
    match outcome {
        Ok(r) => panic!("expected the job's panic, got {r:?}"),
        Err(panic) => assert_eq!(panic.downcast_ref::<&str>(), Some(&"the job panicked")),
    }
    assert_eq!(now(&db).await, (cap(5, 5), cap(3, 3)));
    drop_table(&db).await;
}

#[tokio::test]
async fn an_on_demand_table_is_left_as_it_is_and_reported_so() {
    let db = raw().with_prefix(prefix("demand"));
    create(&db, None, None).await;
    let (result, report) = with_throughput(&db, "t", cap(100, 200), || async { Ok::<_, Error>(7) }).await;
    assert_eq!(result, Ok(7));
    assert_eq!(
        report,
        ThroughputReport {
            on_demand: true,
            ..ThroughputReport::default()
        }
    );
    let desc = ok(describe(&db, "t").await, "describe t");
    assert_eq!(
        desc.billing_mode_summary.and_then(|b| b.billing_mode),
        Some(BillingMode::PayPerRequest)
    );
    drop_table(&db).await;
}

#[tokio::test]
async fn values_already_higher_than_the_capacity_are_not_lowered() {
    let db = raw().with_prefix(prefix("higher"));
    create(&db, Some(cap(500, 5)), Some(cap(3, 300))).await;
    let (result, report) = with_throughput(&db, "t", cap(100, 200), || async { Ok::<_, Error>(now(&db).await) }).await;
    assert_eq!(ok(result, "job"), (cap(500, 200), cap(100, 300)));
    assert_eq!(
        report.changed,
        vec![
            "table t: read 500, write 5 → 200",
            "index by_g: read 3 → 100, write 300"
        ]
    );
    assert_eq!(
        report.restored,
        vec![
            "restored table t: read 500, write 5",
            "restored index by_g: read 3, write 300"
        ]
    );
    assert_eq!(now(&db).await, (cap(500, 5), cap(3, 300)));
    drop_table(&db).await;
}

#[tokio::test]
async fn nothing_is_updated_when_the_table_and_index_already_have_the_capacity() {
    let db = raw().with_prefix(prefix("enough"));
    create(&db, Some(cap(100, 200)), Some(cap(100, 200))).await;
    let (result, report) = with_throughput(&db, "t", cap(100, 200), || async { Ok::<_, Error>(1) }).await;
    assert_eq!(result, Ok(1));
    assert_eq!(report, ThroughputReport::default());
    assert_eq!(now(&db).await, (cap(100, 200), cap(100, 200)));
    drop_table(&db).await;
}

#[tokio::test]
async fn a_failure_to_raise_is_returned_and_the_job_does_not_run() {
    let db = raw().with_prefix(prefix("missing"));
    let ran = AtomicBool::new(false);
    let (result, report) = with_throughput(&db, "t", cap(100, 200), || async {
        ran.store(true, Ordering::SeqCst);
        Ok::<_, Error>(())
    })
    .await;
    assert!(matches!(result, Err(Error::ResourceNotFound(_))), "{result:?}");
    assert!(!ran.load(Ordering::SeqCst));
    assert_eq!(report, ThroughputReport::default());
}

/// DynamoDB's message when a table's decreases for the UTC day are used up.
const DECREASE_REFUSED: &str = "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: 4.";

/// The run's backend, refusing with `LimitExceededException` any UpdateTable
/// that lowers the table's read or write capacity.
#[derive(Debug)]
struct RefuseDecreases {
    inner: Database,
}

#[async_trait]
impl Backend for RefuseDecreases {
    async fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        self.inner.create_table(input).await
    }
    async fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        self.inner.describe_table(input).await
    }
    async fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        if let (Some(name), Some(asked)) = (&input.table_name, &input.provisioned_throughput) {
            let current = provisioned(describe(&self.inner, name).await?.provisioned_throughput.as_ref());
            if current.is_some_and(|c| asked.read_capacity_units < c.read || asked.write_capacity_units < c.write) {
                return Err(Error::LimitExceeded(DECREASE_REFUSED.into()));
            }
        }
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

#[tokio::test]
async fn a_restore_refused_with_limit_exceeded_is_reported_as_left_raised_and_the_job_result_stands() {
    let db = Database::new(Arc::new(RefuseDecreases { inner: raw() }), prefix("limit"));
    create(&db, Some(cap(5, 5)), Some(cap(3, 3))).await;
    let (result, report) = with_throughput(&db, "t", cap(100, 200), || async { Ok::<_, Error>(42) }).await;
    assert_eq!(result, Ok(42));
    let refused = format!("limit exceeded: {DECREASE_REFUSED}");
    assert_eq!(
        report,
        ThroughputReport {
            on_demand: false,
            changed: vec![
                "table t: read 5 → 100, write 5 → 200".to_string(),
                "index by_g: read 3 → 100, write 3 → 200".to_string(),
            ],
            restored: vec![],
            left_raised: vec![
                format!("table t: read 100, write 200 (restore to read 5, write 5 refused: {refused})"),
                format!("index by_g: read 100, write 200 (restore to read 3, write 3 refused: {refused})"),
            ],
        }
    );
    assert_eq!(now(&db).await, (cap(100, 200), cap(100, 200)));
    drop_table(&db).await;
}
