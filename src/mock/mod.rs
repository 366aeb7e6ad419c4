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
pub(crate) mod catalog;
pub(crate) mod encoding;
pub(crate) mod engine;
mod eval;
mod expiry;
mod expr;
mod items;
pub(crate) mod keys;
mod meta;
pub(crate) mod number;
pub(crate) mod query;
/// DynamoDB's reserved words. Public, unlike the rest of the engine: whoever
/// writes expression text by hand can check a name against them, and the
/// conformance suite checks the list word by word against DynamoDB Local.
pub mod reserved;
pub(crate) mod size;
mod store;
#[cfg(test)]
mod testing;
pub(crate) mod transact;
mod ttl;
pub(crate) mod values;

/// An in-process DynamoDB. Clones share the same tables; each
/// [`MockBackend::new`] starts empty.
#[derive(Debug, Clone, Default)]
pub struct MockBackend {
    catalog: Arc<catalog::Catalog>,
    tokens: Arc<transact::Tokens>,
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
        input: GetItemInput,
        sink: &mut dyn FnMut(engine::Found<'_>),
    ) -> Result<Option<ConsumedCapacity>, Error> {
        items::get_item_to(&self.catalog, input, sink)
    }

    /// `Query`, handing each item to `sink` as it is found.
    pub(crate) fn query_to(
        &self,
        input: QueryInput,
        sink: &mut dyn FnMut(engine::Found<'_>),
    ) -> Result<query::PageInfo, Error> {
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
        input: ScanInput,
        sink: &mut dyn FnMut(engine::Found<'_>),
    ) -> Result<query::PageInfo, Error> {
        query::scan_to(&self.catalog, input, sink)
    }
}

#[async_trait]
impl Backend for MockBackend {
    async fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        self.catalog.create_table(input)
    }
    async fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        self.catalog.describe_table(input)
    }
    async fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        self.catalog.update_table(input)
    }
    async fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        self.catalog.delete_table(input)
    }
    async fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        self.catalog.list_tables(input)
    }
    async fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Error> {
        items::get_item(&self.catalog, input)
    }
    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        items::put_item(&self.catalog, input)
    }
    async fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        items::update_item(&self.catalog, input)
    }
    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        items::delete_item(&self.catalog, input)
    }
    async fn query(&self, input: QueryInput) -> Result<QueryOutput, Error> {
        query::query(&self.catalog, input)
    }
    async fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        query::scan(&self.catalog, input)
    }
    async fn batch_get_item(&self, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        batch::batch_get_item(&self.catalog, input)
    }
    async fn batch_write_item(&self, input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        batch::batch_write_item(&self.catalog, input)
    }
    async fn transact_get_items(&self, input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error> {
        transact::transact_get_items(&self.catalog, input)
    }
    async fn transact_write_items(&self, input: TransactWriteItemsInput) -> Result<TransactWriteItemsOutput, Error> {
        transact::transact_write_items(&self.catalog, &self.tokens, input)
    }
    async fn update_time_to_live(&self, input: UpdateTimeToLiveInput) -> Result<UpdateTimeToLiveOutput, Error> {
        ttl::update_time_to_live(&self.catalog, input)
    }
    async fn describe_time_to_live(&self, input: DescribeTimeToLiveInput) -> Result<DescribeTimeToLiveOutput, Error> {
        ttl::describe_time_to_live(&self.catalog, input)
    }
}
