//! The [`Backend`] trait: DynamoDB's API, one method per operation.
//!
//! Every method takes and returns the AWS SDK's own operation types, so a
//! request built for [`crate::AwsBackend`] runs unchanged on
//! [`crate::MockBackend`], and the two can be compared request by request.

use async_trait::async_trait;

use crate::mock::encoding::StoredFields;
use crate::mock::engine::Found;
use crate::sdk::*;
use crate::{ConvertError, Document, Error, Item};

/// One DynamoDB: the AWS service, DynamoDB Local, or the in-process mock.
///
/// Object-safe: hold it as `Arc<dyn Backend>`. All methods are `Send` futures.
#[async_trait]
pub trait Backend: Send + Sync + std::fmt::Debug {
    /// `CreateTable`.
    async fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error>;
    /// `DescribeTable`.
    async fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error>;
    /// `UpdateTable`.
    async fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error>;
    /// `DeleteTable`.
    async fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error>;
    /// `ListTables`.
    async fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error>;
    /// `GetItem`.
    async fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Error>;
    /// `PutItem`.
    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error>;
    /// `UpdateItem`.
    async fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error>;
    /// `DeleteItem`.
    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error>;
    /// `Query`.
    async fn query(&self, input: QueryInput) -> Result<QueryOutput, Error>;
    /// `Scan`.
    async fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error>;
    /// `BatchGetItem`.
    async fn batch_get_item(&self, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error>;
    /// `BatchWriteItem`.
    async fn batch_write_item(&self, input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error>;
    /// `TransactGetItems`.
    async fn transact_get_items(&self, input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error>;
    /// `TransactWriteItems`.
    async fn transact_write_items(&self, input: TransactWriteItemsInput) -> Result<TransactWriteItemsOutput, Error>;
    /// `UpdateTimeToLive`: turns a table's TTL on (naming the attribute that
    /// holds each item's expiry, in epoch seconds) or off.
    async fn update_time_to_live(&self, input: UpdateTimeToLiveInput) -> Result<UpdateTimeToLiveOutput, Error>;
    /// `DescribeTimeToLive`.
    async fn describe_time_to_live(&self, input: DescribeTimeToLiveInput) -> Result<DescribeTimeToLiveOutput, Error>;
    /// The AWS SDK client underneath, for what this library does not cover:
    /// `Some` for [`crate::AwsBackend`] (AWS and DynamoDB Local) and for
    /// wrappers of one, `None` for the in-process mock.
    fn aws_client(&self) -> Option<&aws_sdk_dynamodb::Client> {
        None
    }

    /// `TagResource`: adds tags to a table, named by its ARN. A backend
    /// without tags (a test double) answers [`Error::Unsupported`].
    async fn tag_resource(&self, input: TagResourceInput) -> Result<TagResourceOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("TagResource".into()))
    }
    /// `UntagResource`: removes tags from a table, named by its ARN.
    async fn untag_resource(&self, input: UntagResourceInput) -> Result<UntagResourceOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("UntagResource".into()))
    }
    /// `ListTagsOfResource`: the tags of a table, named by its ARN.
    async fn list_tags_of_resource(&self, input: ListTagsOfResourceInput) -> Result<ListTagsOfResourceOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("ListTagsOfResource".into()))
    }

    // Backups, point-in-time recovery, resource policies, limits and endpoints
    /// `DescribeLimits`: the account's and a table's throughput quotas. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn describe_limits(&self, input: DescribeLimitsInput) -> Result<DescribeLimitsOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("DescribeLimits".into()))
    }
    /// `DescribeEndpoints`: the regional endpoint to send requests to. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn describe_endpoints(&self, input: DescribeEndpointsInput) -> Result<DescribeEndpointsOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("DescribeEndpoints".into()))
    }
    /// `CreateBackup`: an on-demand backup of a table (its schema and items). A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn create_backup(&self, input: CreateBackupInput) -> Result<CreateBackupOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("CreateBackup".into()))
    }
    /// `DescribeBackup`: a backup, named by its ARN. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn describe_backup(&self, input: DescribeBackupInput) -> Result<DescribeBackupOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("DescribeBackup".into()))
    }
    /// `ListBackups`: the backups, oldest first, a page at a time. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn list_backups(&self, input: ListBackupsInput) -> Result<ListBackupsOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("ListBackups".into()))
    }
    /// `DeleteBackup`: deletes a backup, named by its ARN. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn delete_backup(&self, input: DeleteBackupInput) -> Result<DeleteBackupOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("DeleteBackup".into()))
    }
    /// `RestoreTableFromBackup`: a new table holding a backup's items. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn restore_table_from_backup(
        &self,
        input: RestoreTableFromBackupInput,
    ) -> Result<RestoreTableFromBackupOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("RestoreTableFromBackup".into()))
    }
    /// `UpdateContinuousBackups`: turns a table's point-in-time recovery on or off. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn update_continuous_backups(
        &self,
        input: UpdateContinuousBackupsInput,
    ) -> Result<UpdateContinuousBackupsOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("UpdateContinuousBackups".into()))
    }
    /// `DescribeContinuousBackups`: a table's point-in-time recovery and its restore window. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn describe_continuous_backups(
        &self,
        input: DescribeContinuousBackupsInput,
    ) -> Result<DescribeContinuousBackupsOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("DescribeContinuousBackups".into()))
    }
    /// `RestoreTableToPointInTime`: a new table holding a table's items as they were at a time. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn restore_table_to_point_in_time(
        &self,
        input: RestoreTableToPointInTimeInput,
    ) -> Result<RestoreTableToPointInTimeOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("RestoreTableToPointInTime".into()))
    }
    /// `PutResourcePolicy`: attaches a resource-based policy to a table, named by its ARN. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn put_resource_policy(&self, input: PutResourcePolicyInput) -> Result<PutResourcePolicyOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("PutResourcePolicy".into()))
    }
    /// `GetResourcePolicy`: the resource-based policy of a table, with its revision id. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn get_resource_policy(&self, input: GetResourcePolicyInput) -> Result<GetResourcePolicyOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("GetResourcePolicy".into()))
    }
    /// `DeleteResourcePolicy`: removes the resource-based policy of a table. A backend without it (a test double) answers
    /// [`Error::Unsupported`].
    async fn delete_resource_policy(
        &self,
        input: DeleteResourcePolicyInput,
    ) -> Result<DeleteResourcePolicyOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("DeleteResourcePolicy".into()))
    }

    // DynamoDB Streams
    /// The DynamoDB Streams API of this DynamoDB (the same endpoint's, for
    /// DynamoDB Local and the mock): `None` for a backend without streams
    /// (a test double).
    fn streams(&self) -> Option<std::sync::Arc<dyn crate::streams::StreamsBackend>> {
        None
    }

    // PartiQL
    /// `ExecuteStatement`: one PartiQL statement (SELECT, INSERT, UPDATE or
    /// DELETE), with `?` bound to `Parameters`.
    ///
    /// Raw: the typed API builds no PartiQL, and a [`crate::Database`] passes
    /// the statement on as written, so a statement names a table by its full
    /// name ([`crate::Database::full_name`], the prefix included). A SELECT
    /// with an equality on the hash key is a Query, any other a Scan; an
    /// UPDATE or DELETE must name the whole key; an INSERT of an existing key
    /// fails with `DuplicateItemException`.
    ///
    /// ```
    /// # async fn demo(db: &dynamo_objects::Database) -> Result<(), dynamo_objects::Error> {
    /// use dynamo_objects::Backend;
    /// use dynamo_objects::sdk::{AttributeValue, ExecuteStatementInput};
    ///
    /// let statement = format!(r#"SELECT * FROM "{}" WHERE pk = ?"#, db.full_name("orders"));
    /// let out = db
    ///     .execute_statement(
    ///         ExecuteStatementInput::builder()
    ///             .statement(statement)
    ///             .parameters(AttributeValue::S("customer#1".into()))
    ///             .build()?,
    ///     )
    ///     .await?;
    /// for item in out.items() {
    ///     println!("{item:?}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    async fn execute_statement(&self, input: ExecuteStatementInput) -> Result<ExecuteStatementOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("ExecuteStatement".into()))
    }
    /// `BatchExecuteStatement`: up to 25 statements, all reads of single
    /// items or all writes, each answered on its own.
    async fn batch_execute_statement(
        &self,
        input: BatchExecuteStatementInput,
    ) -> Result<BatchExecuteStatementOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("BatchExecuteStatement".into()))
    }
    /// `ExecuteTransaction`: up to 100 statements applied all or none.
    async fn execute_transaction(&self, input: ExecuteTransactionInput) -> Result<ExecuteTransactionOutput, Error> {
        let _ = input;
        Err(Error::Unsupported("ExecuteTransaction".into()))
    }

    // Reads handing their items over one by one
    /// `GetItem`, handing the item found (if any) to `sink` instead of
    /// putting it in the output, whose other members are as `get_item`
    /// answers them. The mock hands over the item as it is stored, so that
    /// a record can be read from it without building the item's attribute
    /// map first ([`FoundItem::decode`]); the default (every other backend)
    /// calls `get_item` and hands over its item.
    async fn get_item_into(&self, input: GetItemInput, sink: &mut ItemSink<'_>) -> Result<GetItemOutput, Error> {
        let mut out = self.get_item(input).await?;
        if let Some(item) = out.item.take() {
            sink(FoundItem::new(item));
        }
        Ok(out)
    }
    /// `UpdateItem`, handing the attributes it returns (as `ReturnValues`
    /// asks), if any, to `sink` instead of putting them in the output (as
    /// [`Backend::get_item_into`]; on the mock, `ALL_NEW` hands over the
    /// new item's map itself, for [`FoundItem::decode`] to take the values
    /// out of).
    async fn update_item_into(
        &self,
        input: UpdateItemInput,
        sink: &mut ItemSink<'_>,
    ) -> Result<UpdateItemOutput, Error> {
        let mut out = self.update_item(input).await?;
        if let Some(item) = out.attributes.take() {
            sink(FoundItem::new(item));
        }
        Ok(out)
    }
    /// `Query`, handing each item of the page to `sink`, in order, instead
    /// of putting them in the output (as [`Backend::get_item_into`]).
    async fn query_into(&self, input: QueryInput, sink: &mut ItemSink<'_>) -> Result<QueryOutput, Error> {
        let mut out = self.query(input).await?;
        out.items
            .take()
            .unwrap_or_default()
            .into_iter()
            .for_each(|i| sink(FoundItem::new(i)));
        Ok(out)
    }
    /// `Scan`, handing each item of the page to `sink`, in order, instead of
    /// putting them in the output (as [`Backend::get_item_into`]).
    async fn scan_into(&self, input: ScanInput, sink: &mut ItemSink<'_>) -> Result<ScanOutput, Error> {
        let mut out = self.scan(input).await?;
        out.items
            .take()
            .unwrap_or_default()
            .into_iter()
            .for_each(|i| sink(FoundItem::new(i)));
        Ok(out)
    }
}

/// What [`Backend::get_item_into`], [`Backend::update_item_into`],
/// [`Backend::query_into`] and [`Backend::scan_into`] hand each item to.
pub type ItemSink<'s> = dyn for<'a> FnMut(FoundItem<'a>) + Send + 's;

/// An item a read found, handed to an [`ItemSink`]: an item a backend
/// built, or (on the mock) the item as the mock stores it, read in place.
pub struct FoundItem<'a>(Found<'a>);

impl std::fmt::Debug for FoundItem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Found::Stored(_) => "FoundItem(stored)",
            Found::Item(_) | Found::Written(..) => "FoundItem(item)",
        })
    }
}

impl FoundItem<'_> {
    /// An item a backend built.
    pub fn new(item: Item) -> FoundItem<'static> {
        FoundItem(Found::Item(item))
    }

    pub(crate) fn found(found: Found<'_>) -> FoundItem<'_> {
        FoundItem(found)
    }

    pub(crate) fn into_found<'a>(self) -> Found<'a>
    where
        Self: 'a,
    {
        self.0
    }

    /// The item.
    pub fn into_item(self) -> Item {
        self.0.into_item()
    }

    /// The document it holds ([`Document::from_source`]): on the mock, read
    /// from the stored item, each field decoded once, with no attribute map
    /// built in between.
    pub fn decode<D: Document>(self) -> Result<D, ConvertError> {
        match self.0 {
            Found::Item(mut item) | Found::Written(mut item, _) => D::from_source(&mut item),
            Found::Stored(stored) => D::from_source(&mut StoredFields::new(stored)),
        }
    }
}
