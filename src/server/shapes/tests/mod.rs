//! What each operation's JSON decodes to and encodes as, through the
//! declared shapes: the tests call `<op>_input(&json)` and `<op>_output(&out)`.

pub(super) use std::collections::HashMap;

pub(super) use serde_json::{Value as Json, json};

pub(super) use crate::sdk::*;
pub(super) use crate::wire::{CodecError, MSG_AV_EMPTY, MSG_PARAMETERIZED, MSG_UNEXPECTED_VALUE};
pub(super) use aws_sdk_dynamodb::operation::describe_time_to_live::{
    DescribeTimeToLiveInput, DescribeTimeToLiveOutput,
};
pub(super) use aws_sdk_dynamodb::operation::list_tags_of_resource::{
    ListTagsOfResourceInput, ListTagsOfResourceOutput,
};
pub(super) use aws_sdk_dynamodb::operation::tag_resource::{TagResourceInput, TagResourceOutput};
pub(super) use aws_sdk_dynamodb::operation::untag_resource::{UntagResourceInput, UntagResourceOutput};
pub(super) use aws_sdk_dynamodb::operation::update_time_to_live::{UpdateTimeToLiveInput, UpdateTimeToLiveOutput};
pub(super) use aws_sdk_dynamodb::primitives::DateTime;

pub(super) type Item = HashMap<String, AttributeValue>;

mod items;
mod tables;

fn decode<T: crate::wire::Decode>(body: &Json) -> Result<T, CodecError> {
    crate::wire::decode_body(&serde_json::to_vec(body).expect("a JSON tree writes"))
}

fn encode<T: crate::wire::Encode>(out: &T) -> Json {
    serde_json::from_slice(&crate::wire::encode_body(out)).expect("the codec writes JSON")
}

/// Decodes a `GetItem` request body.
pub(super) fn get_item_input(body: &Json) -> Result<GetItemInput, CodecError> {
    decode(body)
}

/// Encodes a `GetItem` response body.
#[allow(dead_code)]
pub(super) fn get_item_output(out: &GetItemOutput) -> Json {
    encode(out)
}

/// Decodes a `PutItem` request body.
pub(super) fn put_item_input(body: &Json) -> Result<PutItemInput, CodecError> {
    decode(body)
}

/// Encodes a `PutItem` response body.
#[allow(dead_code)]
pub(super) fn put_item_output(out: &PutItemOutput) -> Json {
    encode(out)
}

/// Decodes a `UpdateItem` request body.
pub(super) fn update_item_input(body: &Json) -> Result<UpdateItemInput, CodecError> {
    decode(body)
}

/// Encodes a `UpdateItem` response body.
#[allow(dead_code)]
pub(super) fn update_item_output(out: &UpdateItemOutput) -> Json {
    encode(out)
}

/// Decodes a `DeleteItem` request body.
pub(super) fn delete_item_input(body: &Json) -> Result<DeleteItemInput, CodecError> {
    decode(body)
}

/// Encodes a `DeleteItem` response body.
#[allow(dead_code)]
pub(super) fn delete_item_output(out: &DeleteItemOutput) -> Json {
    encode(out)
}

/// Decodes a `Query` request body.
pub(super) fn query_input(body: &Json) -> Result<QueryInput, CodecError> {
    decode(body)
}

/// Encodes a `Query` response body.
#[allow(dead_code)]
pub(super) fn query_output(out: &QueryOutput) -> Json {
    encode(out)
}

/// Decodes a `Scan` request body.
pub(super) fn scan_input(body: &Json) -> Result<ScanInput, CodecError> {
    decode(body)
}

/// Encodes a `Scan` response body.
#[allow(dead_code)]
pub(super) fn scan_output(out: &ScanOutput) -> Json {
    encode(out)
}

/// Decodes a `BatchGetItem` request body.
pub(super) fn batch_get_item_input(body: &Json) -> Result<BatchGetItemInput, CodecError> {
    decode(body)
}

/// Encodes a `BatchGetItem` response body.
#[allow(dead_code)]
pub(super) fn batch_get_item_output(out: &BatchGetItemOutput) -> Json {
    encode(out)
}

/// Decodes a `BatchWriteItem` request body.
pub(super) fn batch_write_item_input(body: &Json) -> Result<BatchWriteItemInput, CodecError> {
    decode(body)
}

/// Encodes a `BatchWriteItem` response body.
#[allow(dead_code)]
pub(super) fn batch_write_item_output(out: &BatchWriteItemOutput) -> Json {
    encode(out)
}

/// Decodes a `TransactGetItems` request body.
pub(super) fn transact_get_items_input(body: &Json) -> Result<TransactGetItemsInput, CodecError> {
    decode(body)
}

/// Encodes a `TransactGetItems` response body.
#[allow(dead_code)]
pub(super) fn transact_get_items_output(out: &TransactGetItemsOutput) -> Json {
    encode(out)
}

/// Decodes a `TransactWriteItems` request body.
pub(super) fn transact_write_items_input(body: &Json) -> Result<TransactWriteItemsInput, CodecError> {
    decode(body)
}

/// Encodes a `TransactWriteItems` response body.
#[allow(dead_code)]
pub(super) fn transact_write_items_output(out: &TransactWriteItemsOutput) -> Json {
    encode(out)
}

/// Decodes a `CreateTable` request body.
pub(super) fn create_table_input(body: &Json) -> Result<CreateTableInput, CodecError> {
    decode(body)
}

/// Encodes a `CreateTable` response body.
#[allow(dead_code)]
pub(super) fn create_table_output(out: &CreateTableOutput) -> Json {
    encode(out)
}

/// Decodes a `UpdateTable` request body.
pub(super) fn update_table_input(body: &Json) -> Result<UpdateTableInput, CodecError> {
    decode(body)
}

/// Encodes a `UpdateTable` response body.
#[allow(dead_code)]
pub(super) fn update_table_output(out: &UpdateTableOutput) -> Json {
    encode(out)
}

/// Decodes a `DeleteTable` request body.
pub(super) fn delete_table_input(body: &Json) -> Result<DeleteTableInput, CodecError> {
    decode(body)
}

/// Encodes a `DeleteTable` response body.
#[allow(dead_code)]
pub(super) fn delete_table_output(out: &DeleteTableOutput) -> Json {
    encode(out)
}

/// Decodes a `DescribeTable` request body.
pub(super) fn describe_table_input(body: &Json) -> Result<DescribeTableInput, CodecError> {
    decode(body)
}

/// Encodes a `DescribeTable` response body.
#[allow(dead_code)]
pub(super) fn describe_table_output(out: &DescribeTableOutput) -> Json {
    encode(out)
}

/// Decodes a `ListTables` request body.
pub(super) fn list_tables_input(body: &Json) -> Result<ListTablesInput, CodecError> {
    decode(body)
}

/// Encodes a `ListTables` response body.
#[allow(dead_code)]
pub(super) fn list_tables_output(out: &ListTablesOutput) -> Json {
    encode(out)
}

/// Decodes a `TagResource` request body.
pub(super) fn tag_resource_input(body: &Json) -> Result<TagResourceInput, CodecError> {
    decode(body)
}

/// Encodes a `TagResource` response body.
#[allow(dead_code)]
pub(super) fn tag_resource_output(out: &TagResourceOutput) -> Json {
    encode(out)
}

/// Decodes a `UntagResource` request body.
pub(super) fn untag_resource_input(body: &Json) -> Result<UntagResourceInput, CodecError> {
    decode(body)
}

/// Encodes a `UntagResource` response body.
#[allow(dead_code)]
pub(super) fn untag_resource_output(out: &UntagResourceOutput) -> Json {
    encode(out)
}

/// Decodes a `ListTagsOfResource` request body.
pub(super) fn list_tags_of_resource_input(body: &Json) -> Result<ListTagsOfResourceInput, CodecError> {
    decode(body)
}

/// Encodes a `ListTagsOfResource` response body.
#[allow(dead_code)]
pub(super) fn list_tags_of_resource_output(out: &ListTagsOfResourceOutput) -> Json {
    encode(out)
}

/// Decodes a `UpdateTimeToLive` request body.
pub(super) fn update_time_to_live_input(body: &Json) -> Result<UpdateTimeToLiveInput, CodecError> {
    decode(body)
}

/// Encodes a `UpdateTimeToLive` response body.
#[allow(dead_code)]
pub(super) fn update_time_to_live_output(out: &UpdateTimeToLiveOutput) -> Json {
    encode(out)
}

/// Decodes a `DescribeTimeToLive` request body.
pub(super) fn describe_time_to_live_input(body: &Json) -> Result<DescribeTimeToLiveInput, CodecError> {
    decode(body)
}

/// Encodes a `DescribeTimeToLive` response body.
#[allow(dead_code)]
pub(super) fn describe_time_to_live_output(out: &DescribeTimeToLiveOutput) -> Json {
    encode(out)
}
