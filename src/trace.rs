//! [`tracing`] spans: one per typed call and one per [`Backend`] operation,
//! whatever the backend (AWS, DynamoDB Local or the in-process mock).
//!
//! Every [`crate::Database`] wraps its backend in [`Traced`], so each
//! DynamoDB operation runs inside a `DEBUG` span named `dynamodb` with the
//! fields
//!
//! - `operation`: DynamoDB's name for it, `"GetItem"`, `"Query"`, ...;
//! - `table`: the table's full name, prefix included, as DynamoDB sees it
//!   (absent for `ListTables` and the batch and transaction operations,
//!   which may span tables);
//! - `consumed_capacity`: the capacity units DynamoDB reports having used
//!   (summed over the tables of a batch or transaction), recorded when the
//!   answer holds them: ask for them with
//!   [`crate::ConnectOptions::consumed_capacity`] or
//!   [`crate::Database::with_consumed_capacity`];
//! - `error`: the error's code (`"ConditionalCheckFailedException"`, ...)
//!   when the operation fails.
//!
//! The typed API ([`crate::Table`]) opens a `DEBUG` span named `table` around
//! each call, the `dynamodb` spans of the operations it makes inside it, with
//! the fields `table` (the declared name, without prefix), `operation` (the
//! method: `"get"`, `"put"`, `"update"`, ...) and `key` (as in messages,
//! `id = "ann"`, left out when longer than [`MAX_KEY_TEXT`] bytes).
//!
//! [`crate::AwsBackend`] has spans of its own below these (named after the
//! operation), with the SDK's.

use std::sync::Arc;

use async_trait::async_trait;
use tracing::Instrument;
use tracing::field::Empty;

use crate::Error;
use crate::backend::Backend;
use crate::record::{Record, key_text};
use crate::sdk::*;

/// The longest key text a `table` span holds; longer keys are left out.
pub const MAX_KEY_TEXT: usize = 200;

/// The span of one typed call of table `R`, with the key's text when it is
/// short (computed only when the span is enabled).
pub(crate) fn typed_call<R: Record>(operation: &'static str, key: Option<&R::Key>) -> tracing::Span {
    let span = tracing::debug_span!("table", table = R::schema().name.as_str(), operation, key = Empty);
    if !span.is_disabled()
        && let Some(text) = key
            .and_then(|k| R::key_item(k).ok())
            .and_then(|item| key_text::<R>(&item))
        && text.len() <= MAX_KEY_TEXT
    {
        span.record("key", text);
    }
    span
}

/// [`typed_call`] for a call made from a record, keyed by the record's key.
/// The span of a transaction's commit: `transaction`, with the operation
/// (`write` or `read`) and the number of actions.
pub(crate) fn transaction_call(operation: &'static str, actions: usize) -> tracing::Span {
    tracing::debug_span!("transaction", operation, actions)
}

pub(crate) fn typed_record_call<R: Record>(operation: &'static str, record: &R) -> tracing::Span {
    let span = typed_call::<R>(operation, None);
    if !span.is_disabled()
        && let Ok(item) = R::key_item(&record.key())
        && let Some(text) = key_text::<R>(&item)
        && text.len() <= MAX_KEY_TEXT
    {
        span.record("key", text);
    }
    span
}

/// A [`Backend`] running each operation of the backend it wraps inside a
/// `dynamodb` span (see the [module docs](self)). [`crate::Database`] wraps
/// every backend in one.
#[derive(Debug, Clone)]
pub struct Traced {
    inner: Arc<dyn Backend>,
}

impl Traced {
    /// `backend`, traced.
    pub fn new(backend: Arc<dyn Backend>) -> Traced {
        Traced { inner: backend }
    }

    /// The backend it wraps.
    pub fn inner(&self) -> &Arc<dyn Backend> {
        &self.inner
    }
}

/// The capacity units of one answer.
fn units(c: Option<&ConsumedCapacity>) -> Option<f64> {
    c.and_then(|c| c.capacity_units)
}

/// The capacity units of an answer covering several tables, summed.
fn total_units(c: Option<&Vec<ConsumedCapacity>>) -> Option<f64> {
    let c = c?;
    let all: Vec<f64> = c.iter().filter_map(|c| c.capacity_units).collect();
    (!all.is_empty()).then(|| all.iter().sum())
}

/// The span of one operation.
fn span(operation: &'static str, table: Option<&str>) -> tracing::Span {
    tracing::debug_span!("dynamodb", operation, table, consumed_capacity = Empty, error = Empty)
}

/// Runs `call` inside a `dynamodb` span, recording the capacity its answer
/// reports (`capacity`) or its error code.
async fn traced<O>(
    span: tracing::Span,
    call: impl Future<Output = Result<O, Error>>,
    capacity: impl FnOnce(&O) -> Option<f64>,
) -> Result<O, Error> {
    let result = call.instrument(span.clone()).await;
    match &result {
        Ok(out) => {
            if let Some(units) = capacity(out) {
                span.record("consumed_capacity", units);
            }
        }
        Err(e) => {
            span.record("error", e.code());
        }
    }
    result
}

fn none<O>(_: &O) -> Option<f64> {
    None
}

/// The item operations the typed API makes, as plain `async fn`s rather than
/// the trait's boxed futures. [`crate::Database`] calls these directly (its own item methods
/// are plain `async fn`s too), so a call through a `Database` boxes one
/// future, the wrapped backend's, instead of one per layer.
impl Traced {
    pub(crate) async fn traced_put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        let span = span("PutItem", input.table_name.as_deref());
        traced(span, self.inner.put_item(input), |o| {
            units(o.consumed_capacity.as_ref())
        })
        .await
    }
    pub(crate) async fn traced_delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        let span = span("DeleteItem", input.table_name.as_deref());
        traced(span, self.inner.delete_item(input), |o| {
            units(o.consumed_capacity.as_ref())
        })
        .await
    }
    pub(crate) async fn traced_get_item_into(
        &self,
        input: GetItemInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<GetItemOutput, Error> {
        let span = span("GetItem", input.table_name.as_deref());
        traced(span, self.inner.get_item_into(input, sink), |o| {
            units(o.consumed_capacity.as_ref())
        })
        .await
    }
    pub(crate) async fn traced_update_item_into(
        &self,
        input: UpdateItemInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<UpdateItemOutput, Error> {
        let span = span("UpdateItem", input.table_name.as_deref());
        traced(span, self.inner.update_item_into(input, sink), |o| {
            units(o.consumed_capacity.as_ref())
        })
        .await
    }
    pub(crate) async fn traced_query_into(
        &self,
        input: QueryInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<QueryOutput, Error> {
        let span = span("Query", input.table_name.as_deref());
        traced(span, self.inner.query_into(input, sink), |o| {
            units(o.consumed_capacity.as_ref())
        })
        .await
    }
    pub(crate) async fn traced_scan_into(
        &self,
        input: ScanInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<ScanOutput, Error> {
        let span = span("Scan", input.table_name.as_deref());
        traced(span, self.inner.scan_into(input, sink), |o| {
            units(o.consumed_capacity.as_ref())
        })
        .await
    }
}

#[async_trait]
impl Backend for Traced {
    async fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        let span = span("CreateTable", input.table_name.as_deref());
        traced(span, self.inner.create_table(input), none).await
    }
    async fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        let span = span("DescribeTable", input.table_name.as_deref());
        traced(span, self.inner.describe_table(input), none).await
    }
    async fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        let span = span("UpdateTable", input.table_name.as_deref());
        traced(span, self.inner.update_table(input), none).await
    }
    async fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        let span = span("DeleteTable", input.table_name.as_deref());
        traced(span, self.inner.delete_table(input), none).await
    }
    async fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        traced(span("ListTables", None), self.inner.list_tables(input), none).await
    }
    async fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Error> {
        let span = span("GetItem", input.table_name.as_deref());
        traced(span, self.inner.get_item(input), |o| {
            units(o.consumed_capacity.as_ref())
        })
        .await
    }
    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        self.traced_put_item(input).await
    }
    async fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        let span = span("UpdateItem", input.table_name.as_deref());
        traced(span, self.inner.update_item(input), |o| {
            units(o.consumed_capacity.as_ref())
        })
        .await
    }
    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        self.traced_delete_item(input).await
    }
    async fn query(&self, input: QueryInput) -> Result<QueryOutput, Error> {
        let span = span("Query", input.table_name.as_deref());
        traced(span, self.inner.query(input), |o| units(o.consumed_capacity.as_ref())).await
    }
    async fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        let span = span("Scan", input.table_name.as_deref());
        traced(span, self.inner.scan(input), |o| units(o.consumed_capacity.as_ref())).await
    }
    async fn get_item_into(&self, input: GetItemInput, sink: &mut crate::ItemSink<'_>) -> Result<GetItemOutput, Error> {
        self.traced_get_item_into(input, sink).await
    }
    async fn update_item_into(
        &self,
        input: UpdateItemInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<UpdateItemOutput, Error> {
        self.traced_update_item_into(input, sink).await
    }
    async fn query_into(&self, input: QueryInput, sink: &mut crate::ItemSink<'_>) -> Result<QueryOutput, Error> {
        self.traced_query_into(input, sink).await
    }
    async fn scan_into(&self, input: ScanInput, sink: &mut crate::ItemSink<'_>) -> Result<ScanOutput, Error> {
        self.traced_scan_into(input, sink).await
    }
    async fn batch_get_item(&self, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        let span = span("BatchGetItem", None);
        traced(span, self.inner.batch_get_item(input), |o| {
            total_units(o.consumed_capacity.as_ref())
        })
        .await
    }
    async fn batch_write_item(&self, input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        let span = span("BatchWriteItem", None);
        traced(span, self.inner.batch_write_item(input), |o| {
            total_units(o.consumed_capacity.as_ref())
        })
        .await
    }
    async fn transact_get_items(&self, input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error> {
        let span = span("TransactGetItems", None);
        traced(span, self.inner.transact_get_items(input), |o| {
            total_units(o.consumed_capacity.as_ref())
        })
        .await
    }
    async fn transact_write_items(&self, input: TransactWriteItemsInput) -> Result<TransactWriteItemsOutput, Error> {
        let span = span("TransactWriteItems", None);
        traced(span, self.inner.transact_write_items(input), |o| {
            total_units(o.consumed_capacity.as_ref())
        })
        .await
    }
    async fn update_time_to_live(&self, input: UpdateTimeToLiveInput) -> Result<UpdateTimeToLiveOutput, Error> {
        let span = span("UpdateTimeToLive", input.table_name.as_deref());
        traced(span, self.inner.update_time_to_live(input), none).await
    }
    async fn describe_time_to_live(&self, input: DescribeTimeToLiveInput) -> Result<DescribeTimeToLiveOutput, Error> {
        let span = span("DescribeTimeToLive", input.table_name.as_deref());
        traced(span, self.inner.describe_time_to_live(input), none).await
    }
    async fn tag_resource(&self, input: TagResourceInput) -> Result<TagResourceOutput, Error> {
        let span = span("TagResource", input.resource_arn.as_deref());
        traced(span, self.inner.tag_resource(input), none).await
    }
    async fn untag_resource(&self, input: UntagResourceInput) -> Result<UntagResourceOutput, Error> {
        let span = span("UntagResource", input.resource_arn.as_deref());
        traced(span, self.inner.untag_resource(input), none).await
    }
    async fn list_tags_of_resource(&self, input: ListTagsOfResourceInput) -> Result<ListTagsOfResourceOutput, Error> {
        let span = span("ListTagsOfResource", input.resource_arn.as_deref());
        traced(span, self.inner.list_tags_of_resource(input), none).await
    }
    fn aws_client(&self) -> Option<&aws_sdk_dynamodb::Client> {
        self.inner.aws_client()
    }

    // PartiQL
    async fn execute_statement(&self, input: ExecuteStatementInput) -> Result<ExecuteStatementOutput, Error> {
        let span = span("ExecuteStatement", None);
        traced(span, self.inner.execute_statement(input), |o| {
            o.consumed_capacity.as_ref().and_then(|c| c.capacity_units)
        })
        .await
    }
    async fn batch_execute_statement(
        &self,
        input: BatchExecuteStatementInput,
    ) -> Result<BatchExecuteStatementOutput, Error> {
        let span = span("BatchExecuteStatement", None);
        traced(span, self.inner.batch_execute_statement(input), |o| {
            total_units(o.consumed_capacity.as_ref())
        })
        .await
    }
    async fn execute_transaction(&self, input: ExecuteTransactionInput) -> Result<ExecuteTransactionOutput, Error> {
        let span = span("ExecuteTransaction", None);
        traced(span, self.inner.execute_transaction(input), |o| {
            total_units(o.consumed_capacity.as_ref())
        })
        .await
    }
    // Backups, point-in-time recovery, resource policies, limits and endpoints
    async fn describe_limits(&self, input: DescribeLimitsInput) -> Result<DescribeLimitsOutput, Error> {
        traced(span("DescribeLimits", None), self.inner.describe_limits(input), none).await
    }
    async fn describe_endpoints(&self, input: DescribeEndpointsInput) -> Result<DescribeEndpointsOutput, Error> {
        traced(
            span("DescribeEndpoints", None),
            self.inner.describe_endpoints(input),
            none,
        )
        .await
    }
    async fn create_backup(&self, input: CreateBackupInput) -> Result<CreateBackupOutput, Error> {
        traced(
            span("CreateBackup", input.table_name.as_deref()),
            self.inner.create_backup(input),
            none,
        )
        .await
    }
    async fn describe_backup(&self, input: DescribeBackupInput) -> Result<DescribeBackupOutput, Error> {
        traced(span("DescribeBackup", None), self.inner.describe_backup(input), none).await
    }
    async fn list_backups(&self, input: ListBackupsInput) -> Result<ListBackupsOutput, Error> {
        traced(
            span("ListBackups", input.table_name.as_deref()),
            self.inner.list_backups(input),
            none,
        )
        .await
    }
    async fn delete_backup(&self, input: DeleteBackupInput) -> Result<DeleteBackupOutput, Error> {
        traced(span("DeleteBackup", None), self.inner.delete_backup(input), none).await
    }
    async fn restore_table_from_backup(
        &self,
        input: RestoreTableFromBackupInput,
    ) -> Result<RestoreTableFromBackupOutput, Error> {
        traced(
            span("RestoreTableFromBackup", input.target_table_name.as_deref()),
            self.inner.restore_table_from_backup(input),
            none,
        )
        .await
    }
    async fn update_continuous_backups(
        &self,
        input: UpdateContinuousBackupsInput,
    ) -> Result<UpdateContinuousBackupsOutput, Error> {
        traced(
            span("UpdateContinuousBackups", input.table_name.as_deref()),
            self.inner.update_continuous_backups(input),
            none,
        )
        .await
    }
    async fn describe_continuous_backups(
        &self,
        input: DescribeContinuousBackupsInput,
    ) -> Result<DescribeContinuousBackupsOutput, Error> {
        traced(
            span("DescribeContinuousBackups", input.table_name.as_deref()),
            self.inner.describe_continuous_backups(input),
            none,
        )
        .await
    }
    async fn restore_table_to_point_in_time(
        &self,
        input: RestoreTableToPointInTimeInput,
    ) -> Result<RestoreTableToPointInTimeOutput, Error> {
        traced(
            span("RestoreTableToPointInTime", input.target_table_name.as_deref()),
            self.inner.restore_table_to_point_in_time(input),
            none,
        )
        .await
    }
    async fn put_resource_policy(&self, input: PutResourcePolicyInput) -> Result<PutResourcePolicyOutput, Error> {
        traced(
            span("PutResourcePolicy", None),
            self.inner.put_resource_policy(input),
            none,
        )
        .await
    }
    async fn get_resource_policy(&self, input: GetResourcePolicyInput) -> Result<GetResourcePolicyOutput, Error> {
        traced(
            span("GetResourcePolicy", None),
            self.inner.get_resource_policy(input),
            none,
        )
        .await
    }
    async fn delete_resource_policy(
        &self,
        input: DeleteResourcePolicyInput,
    ) -> Result<DeleteResourcePolicyOutput, Error> {
        traced(
            span("DeleteResourcePolicy", None),
            self.inner.delete_resource_policy(input),
            none,
        )
        .await
    }

    // DynamoDB Streams
    fn streams(&self) -> Option<std::sync::Arc<dyn crate::streams::StreamsBackend>> {
        self.inner.streams()
    }
}
