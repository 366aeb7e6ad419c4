//! The SDK's operation input and output types, gathered in one place.
//!
//! `use dynamo_objects::sdk::*;` brings every type the [`crate::Backend`]
//! methods take and return, plus [`AttributeValue`] and the other model types.

pub use aws_sdk_dynamodb::error::BuildError;
pub use aws_sdk_dynamodb::operation::batch_get_item::{BatchGetItemInput, BatchGetItemOutput};
pub use aws_sdk_dynamodb::operation::batch_write_item::{BatchWriteItemInput, BatchWriteItemOutput};
pub use aws_sdk_dynamodb::operation::create_table::{CreateTableInput, CreateTableOutput};
pub use aws_sdk_dynamodb::operation::delete_item::{DeleteItemInput, DeleteItemOutput};
pub use aws_sdk_dynamodb::operation::delete_table::{DeleteTableInput, DeleteTableOutput};
pub use aws_sdk_dynamodb::operation::describe_table::{DescribeTableInput, DescribeTableOutput};
pub use aws_sdk_dynamodb::operation::describe_time_to_live::{DescribeTimeToLiveInput, DescribeTimeToLiveOutput};
pub use aws_sdk_dynamodb::operation::get_item::{GetItemInput, GetItemOutput};
pub use aws_sdk_dynamodb::operation::list_tables::{ListTablesInput, ListTablesOutput};
pub use aws_sdk_dynamodb::operation::list_tags_of_resource::{ListTagsOfResourceInput, ListTagsOfResourceOutput};
pub use aws_sdk_dynamodb::operation::put_item::{PutItemInput, PutItemOutput};
pub use aws_sdk_dynamodb::operation::query::{QueryInput, QueryOutput};
pub use aws_sdk_dynamodb::operation::scan::{ScanInput, ScanOutput};
pub use aws_sdk_dynamodb::operation::tag_resource::{TagResourceInput, TagResourceOutput};
pub use aws_sdk_dynamodb::operation::transact_get_items::{TransactGetItemsInput, TransactGetItemsOutput};
pub use aws_sdk_dynamodb::operation::transact_write_items::{TransactWriteItemsInput, TransactWriteItemsOutput};
pub use aws_sdk_dynamodb::operation::untag_resource::{UntagResourceInput, UntagResourceOutput};
pub use aws_sdk_dynamodb::operation::update_item::{UpdateItemInput, UpdateItemOutput};
pub use aws_sdk_dynamodb::operation::update_table::{UpdateTableInput, UpdateTableOutput};
pub use aws_sdk_dynamodb::operation::update_time_to_live::{UpdateTimeToLiveInput, UpdateTimeToLiveOutput};
pub use aws_sdk_dynamodb::primitives::Blob;
pub use aws_sdk_dynamodb::types::*;
// Backups, point-in-time recovery, resource policies, limits and endpoints
pub use aws_sdk_dynamodb::operation::create_backup::{CreateBackupInput, CreateBackupOutput};
pub use aws_sdk_dynamodb::operation::delete_backup::{DeleteBackupInput, DeleteBackupOutput};
pub use aws_sdk_dynamodb::operation::delete_resource_policy::{DeleteResourcePolicyInput, DeleteResourcePolicyOutput};
pub use aws_sdk_dynamodb::operation::describe_backup::{DescribeBackupInput, DescribeBackupOutput};
pub use aws_sdk_dynamodb::operation::describe_continuous_backups::{
    DescribeContinuousBackupsInput, DescribeContinuousBackupsOutput,
};
pub use aws_sdk_dynamodb::operation::describe_endpoints::{DescribeEndpointsInput, DescribeEndpointsOutput};
pub use aws_sdk_dynamodb::operation::describe_limits::{DescribeLimitsInput, DescribeLimitsOutput};
pub use aws_sdk_dynamodb::operation::get_resource_policy::{GetResourcePolicyInput, GetResourcePolicyOutput};
pub use aws_sdk_dynamodb::operation::list_backups::{ListBackupsInput, ListBackupsOutput};
pub use aws_sdk_dynamodb::operation::put_resource_policy::{PutResourcePolicyInput, PutResourcePolicyOutput};
pub use aws_sdk_dynamodb::operation::restore_table_from_backup::{
    RestoreTableFromBackupInput, RestoreTableFromBackupOutput,
};
pub use aws_sdk_dynamodb::operation::restore_table_to_point_in_time::{
    RestoreTableToPointInTimeInput, RestoreTableToPointInTimeOutput,
};
pub use aws_sdk_dynamodb::operation::update_continuous_backups::{
    UpdateContinuousBackupsInput, UpdateContinuousBackupsOutput,
};
// PartiQL
pub use aws_sdk_dynamodb::operation::batch_execute_statement::{
    BatchExecuteStatementInput, BatchExecuteStatementOutput,
};
pub use aws_sdk_dynamodb::operation::execute_statement::{ExecuteStatementInput, ExecuteStatementOutput};
pub use aws_sdk_dynamodb::operation::execute_transaction::{ExecuteTransactionInput, ExecuteTransactionOutput};
