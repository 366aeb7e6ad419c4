//! [`MockBackend`]: an in-process DynamoDB for tests.
//!
//! Thread-safe, no network, no disk. A request passes through layers that
//! each live in their own file: validation (`values.rs`, `keys.rs`), the
//! expression engine (`engine.rs`), and storage in ordered maps
//! (`store.rs`), with the table catalogue in `catalog.rs`. Tables are locked
//! one by one: a read never waits on a write to another table.

use std::sync::Arc;

use async_trait::async_trait;

use crate::Error;
use crate::backend::Backend;
use crate::sdk::*;

mod ast;
mod batch;
mod capacity;
pub(crate) mod catalog;
pub(crate) mod encoding;
pub(crate) mod engine;
mod eval;
mod expiry;
mod expr;
mod items;
pub(crate) mod keys;
mod legacy;
mod meta;
pub(crate) mod number;
pub(crate) mod query;
/// DynamoDB's reserved words. Public, unlike the rest of the engine: whoever
/// writes expression text by hand can check a name against them, and the
/// conformance suite checks the list word by word against DynamoDB Local.
pub mod reserved;
mod segments;
pub(crate) mod size;
pub(crate) mod store;
mod tags;
#[cfg(test)]
mod testing;
pub(crate) mod transact;
mod ttl;
pub(crate) mod validate;
pub(crate) mod values;
// Backups, point-in-time recovery, resource policies, limits and endpoints
mod backups;
mod limits;
pub(crate) mod pitr;
mod policies;
// DynamoDB Streams
pub(crate) mod streams;
// PartiQL
mod partiql;
/// The words DynamoDB's PartiQL reserves (a bare identifier may not be one),
/// public so that whoever writes statements by hand can check a name; the
/// conformance suite checks the list word by word against DynamoDB Local.
pub use partiql::reserved as partiql_reserved;

/// An in-process DynamoDB. Clones share the same tables; each
/// [`MockBackend::new`] starts empty.
#[derive(Debug, Clone, Default)]
pub struct MockBackend {
    catalog: Arc<catalog::Catalog>,
    tokens: Arc<transact::Tokens>,
    tags: Arc<tags::Tags>,
    // Backups and resource policies
    backups: Arc<backups::Backups>,
    policies: Arc<policies::Policies>,
}

impl MockBackend {
    /// A new, empty mock.
    pub fn new() -> MockBackend {
        MockBackend::default()
    }

    /// `GetItem`, handing the item, if any, to `sink` without first
    /// decoding it (for the server, which writes it straight to JSON).
    pub(crate) fn get_item_to(
        &self,
        mut input: GetItemInput,
        sink: &mut dyn FnMut(engine::Found<'_>),
    ) -> Result<Option<ConsumedCapacity>, Error> {
        validate::Validate::validate(&mut input)?;
        items::get_item_to(&self.catalog, input, sink)
    }

    /// `Query`, handing each item to `sink` as it is found.
    pub(crate) fn query_to(
        &self,
        mut input: QueryInput,
        sink: &mut dyn FnMut(engine::Found<'_>),
    ) -> Result<query::PageInfo, Error> {
        validate::Validate::validate(&mut input)?;
        query::query_to(&self.catalog, input, sink)
    }

    /// Deletes the items whose TTL has passed (at `now`, in epoch seconds)
    /// from every table with TTL on; returns how many. DynamoDB does this in
    /// the background; the mock when asked (the mock server asks every
    /// second).
    pub fn expire_items(&self, now: f64) -> usize {
        ttl::sweep(&self.catalog, now)
    }

    /// `Scan`, handing each item to `sink` as it is found.
    pub(crate) fn scan_to(
        &self,
        mut input: ScanInput,
        sink: &mut dyn FnMut(engine::Found<'_>),
    ) -> Result<query::PageInfo, Error> {
        validate::Validate::validate(&mut input)?;
        query::scan_to(&self.catalog, input, sink)
    }
}

/// Declares each operation once: `MockBackend::<op>_sync`, the engine's
/// answer at once (the engine never waits, so the mock server calls these
/// directly), and the [`Backend`] method, a thin async wrapper around it.
macro_rules! operations {
    ($($op:ident($input:ty) -> $output:ty = |$mock:ident, $arg:ident| $body:expr;)*) => {
        pastey::paste! {
            impl MockBackend {
                $(
                    #[doc = concat!("`", stringify!($op), "`, answered synchronously (what the `Backend` method awaits).")]
                    pub(crate) fn [<$op _sync>](&self, mut $arg: $input) -> Result<$output, Error> {
                        validate::Validate::validate(&mut $arg)?;
                        let $mock = self;
                        $body
                    }
                )*
            }

            #[async_trait]
            impl Backend for MockBackend {
                // DynamoDB Streams
                fn streams(&self) -> Option<Arc<dyn crate::streams::StreamsBackend>> {
                    Some(Arc::new(self.clone()))
                }
                // Reads handing their items over as stored
                async fn get_item_into(
                    &self,
                    input: GetItemInput,
                    sink: &mut crate::ItemSink<'_>,
                ) -> Result<GetItemOutput, Error> {
                    let capacity = self.get_item_to(input, &mut |found| sink(crate::FoundItem::found(found)))?;
                    Ok(GetItemOutput::builder().set_consumed_capacity(capacity).build())
                }
                async fn update_item_into(
                    &self,
                    mut input: UpdateItemInput,
                    sink: &mut crate::ItemSink<'_>,
                ) -> Result<UpdateItemOutput, Error> {
                    validate::Validate::validate(&mut input)?;
                    items::update_item_to(&self.catalog, input, Some(&mut |found| sink(crate::FoundItem::found(found))))
                }
                async fn query_into(&self, input: QueryInput, sink: &mut crate::ItemSink<'_>) -> Result<QueryOutput, Error> {
                    let page = self.query_to(input, &mut |found| sink(crate::FoundItem::found(found)))?;
                    Ok(query::page_output!(QueryOutput, page))
                }
                async fn scan_into(&self, input: ScanInput, sink: &mut crate::ItemSink<'_>) -> Result<ScanOutput, Error> {
                    let page = self.scan_to(input, &mut |found| sink(crate::FoundItem::found(found)))?;
                    Ok(query::page_output!(ScanOutput, page))
                }
                $(
                    async fn $op(&self, input: $input) -> Result<$output, Error> {
                        self.[<$op _sync>](input)
                    }
                )*
            }
        }
    };
}

operations! {
    create_table(CreateTableInput) -> CreateTableOutput = |m, input| {
        let mut input = input;
        let tags = input.tags.take().unwrap_or_default();
        let policy = input.resource_policy.take();
        let out = m.catalog.create_table(input)?;
        if let Some(name) = out.table_description.as_ref().and_then(|d| d.table_name()) {
            m.tags.created(name, tags);
        }
        m.policies.created(out.table_description.as_ref(), policy);
        Ok(out)
    };
    describe_table(DescribeTableInput) -> DescribeTableOutput = |m, input| m.catalog.describe_table(input);
    update_table(UpdateTableInput) -> UpdateTableOutput = |m, input| m.catalog.update_table(input);
    delete_table(DeleteTableInput) -> DeleteTableOutput = |m, input| {
        let name = input.table_name.clone().unwrap_or_default();
        let out = m.catalog.delete_table(input)?;
        m.tags.forget(&name);
        Ok(out)
    };
    list_tables(ListTablesInput) -> ListTablesOutput = |m, input| m.catalog.list_tables(input);
    get_item(GetItemInput) -> GetItemOutput = |m, input| items::get_item(&m.catalog, input);
    put_item(PutItemInput) -> PutItemOutput = |m, input| items::put_item(&m.catalog, input);
    update_item(UpdateItemInput) -> UpdateItemOutput = |m, input| items::update_item(&m.catalog, input);
    delete_item(DeleteItemInput) -> DeleteItemOutput = |m, input| items::delete_item(&m.catalog, input);
    query(QueryInput) -> QueryOutput = |m, input| query::query(&m.catalog, input);
    scan(ScanInput) -> ScanOutput = |m, input| query::scan(&m.catalog, input);
    batch_get_item(BatchGetItemInput) -> BatchGetItemOutput = |m, input| batch::batch_get_item(&m.catalog, input);
    batch_write_item(BatchWriteItemInput) -> BatchWriteItemOutput = |m, input| {
        batch::batch_write_item(&m.catalog, input)
    };
    transact_get_items(TransactGetItemsInput) -> TransactGetItemsOutput = |m, input| {
        transact::transact_get_items(&m.catalog, input)
    };
    transact_write_items(TransactWriteItemsInput) -> TransactWriteItemsOutput = |m, input| {
        transact::transact_write_items(&m.catalog, &m.tokens, input)
    };
    update_time_to_live(UpdateTimeToLiveInput) -> UpdateTimeToLiveOutput = |m, input| {
        ttl::update_time_to_live(&m.catalog, input)
    };
    describe_time_to_live(DescribeTimeToLiveInput) -> DescribeTimeToLiveOutput = |m, input| {
        ttl::describe_time_to_live(&m.catalog, input)
    };
    tag_resource(TagResourceInput) -> TagResourceOutput = |m, input| tags::tag_resource(&m.catalog, &m.tags, input);
    untag_resource(UntagResourceInput) -> UntagResourceOutput = |m, input| {
        tags::untag_resource(&m.catalog, &m.tags, input)
    };
    list_tags_of_resource(ListTagsOfResourceInput) -> ListTagsOfResourceOutput = |m, input| {
        tags::list_tags_of_resource(&m.catalog, &m.tags, input)
    };
    // Backups, point-in-time recovery, resource policies, limits and endpoints
    describe_limits(DescribeLimitsInput) -> DescribeLimitsOutput = |_m, input| limits::describe_limits(input);
    describe_endpoints(DescribeEndpointsInput) -> DescribeEndpointsOutput = |_m, input| {
        limits::describe_endpoints(input)
    };
    create_backup(CreateBackupInput) -> CreateBackupOutput = |m, input| {
        backups::create_backup(&m.catalog, &m.backups, input)
    };
    describe_backup(DescribeBackupInput) -> DescribeBackupOutput = |m, input| backups::describe_backup(&m.backups, input);
    list_backups(ListBackupsInput) -> ListBackupsOutput = |m, input| backups::list_backups(&m.backups, input);
    delete_backup(DeleteBackupInput) -> DeleteBackupOutput = |m, input| backups::delete_backup(&m.backups, input);
    restore_table_from_backup(RestoreTableFromBackupInput) -> RestoreTableFromBackupOutput = |m, input| {
        backups::restore_table_from_backup(&m.catalog, &m.backups, input)
    };
    update_continuous_backups(UpdateContinuousBackupsInput) -> UpdateContinuousBackupsOutput = |m, input| {
        pitr::update_continuous_backups(&m.catalog, input)
    };
    describe_continuous_backups(DescribeContinuousBackupsInput) -> DescribeContinuousBackupsOutput = |m, input| {
        pitr::describe_continuous_backups(&m.catalog, input)
    };
    restore_table_to_point_in_time(RestoreTableToPointInTimeInput) -> RestoreTableToPointInTimeOutput = |m, input| {
        pitr::restore_table_to_point_in_time(&m.catalog, input)
    };
    put_resource_policy(PutResourcePolicyInput) -> PutResourcePolicyOutput = |m, input| {
        policies::put_resource_policy(&m.catalog, &m.policies, input)
    };
    get_resource_policy(GetResourcePolicyInput) -> GetResourcePolicyOutput = |m, input| {
        policies::get_resource_policy(&m.catalog, &m.policies, input)
    };
    delete_resource_policy(DeleteResourcePolicyInput) -> DeleteResourcePolicyOutput = |m, input| {
        policies::delete_resource_policy(&m.catalog, &m.policies, input)
    };
    // PartiQL
    execute_statement(ExecuteStatementInput) -> ExecuteStatementOutput = |m, input| {
        partiql::execute_statement(&m.catalog, input)
    };
    batch_execute_statement(BatchExecuteStatementInput) -> BatchExecuteStatementOutput = |m, input| {
        partiql::batch_execute_statement(&m.catalog, input)
    };
    execute_transaction(ExecuteTransactionInput) -> ExecuteTransactionOutput = |m, input| {
        partiql::execute_transaction(&m.catalog, &m.tokens, input)
    };
}

// DynamoDB Streams: the streams API, answered synchronously (what the
// `StreamsBackend` methods, in `src/streams.rs`, and the mock server call).
impl MockBackend {
    /// `ListStreams`.
    pub(crate) fn list_streams_sync(
        &self,
        input: crate::streams::ListStreamsInput,
    ) -> Result<crate::streams::ListStreamsOutput, Error> {
        self.catalog.streams.list_streams(input)
    }

    /// `DescribeStream`.
    pub(crate) fn describe_stream_sync(
        &self,
        input: crate::streams::DescribeStreamInput,
    ) -> Result<crate::streams::DescribeStreamOutput, Error> {
        self.catalog.streams.describe_stream(input)
    }

    /// `GetShardIterator`.
    pub(crate) fn get_shard_iterator_sync(
        &self,
        input: crate::streams::GetShardIteratorInput,
    ) -> Result<crate::streams::GetShardIteratorOutput, Error> {
        self.catalog.streams.get_shard_iterator(input)
    }

    /// `GetRecords`.
    pub(crate) fn get_records_sync(
        &self,
        input: crate::streams::GetRecordsInput,
    ) -> Result<crate::streams::GetRecordsOutput, Error> {
        self.catalog.streams.get_records(input)
    }
}
