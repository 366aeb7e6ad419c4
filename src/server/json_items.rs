//! The JSON codec of DynamoDB's item operations: request bodies to the SDK's
//! operation inputs, operation outputs to response bodies.
//!
//! Each `<op>_input` reads every member the SDK would send for the operation
//! (the legacy ones too: `Expected`, `AttributesToGet`, `KeyConditions`,
//! `QueryFilter`, `ScanFilter`, `AttributeUpdates`, `ConditionalOperator`),
//! ignores unknown members, answers type errors with
//! [`CodecError::Serialization`] and missing required members or malformed
//! attribute values with [`CodecError::Validation`] (see [`super::codec`]).
//! What is left to judge (enum values, expressions, key schemas, sizes) is the
//! engine's. Each `<op>_output` emits the members DynamoDB sends, omitting
//! absent ones.

use std::collections::HashMap;

use serde_json::json;

use super::codec::{
    Checks, CodecError, Json, JsonMap, build_error, consumed_capacities_to_json, consumed_capacity_to_json,
    element_attr_map, element_list, element_obj, item_collection_metrics_per_table_to_json,
    item_collection_metrics_to_json, item_to_json, items_to_json, lower_first, obj, opt_attr, opt_attr_list,
    opt_attr_map, opt_bool, opt_enum, opt_i32, opt_list, opt_map, opt_obj, opt_str, opt_str_list, opt_str_map, put_opt,
    req_attr_map, req_str, str_list_to_json, str_map_to_json,
};
use crate::Error;
use crate::mock::MockBackend;
use crate::mock::engine::Found;
use crate::mock::query::PageInfo;
use crate::sdk::*;

type Item = HashMap<String, AttributeValue>;

// ---------------------------------------------------------------------------
// Shared member decoders

/// `Expected`: a map of `ExpectedAttributeValue`.
fn expected(o: &JsonMap, checks: &mut Checks) -> Result<Option<HashMap<String, ExpectedAttributeValue>>, CodecError> {
    let Some(map) = opt_map(o, "Expected", "ExpectedAttributeValue")? else {
        return Ok(None);
    };
    let mut out = HashMap::with_capacity(map.len());
    for (name, v) in map {
        let e = element_obj(v, "ExpectedAttributeValue")?;
        let value = ExpectedAttributeValue::builder()
            .set_value(opt_attr(e, "Value", checks)?)
            .set_exists(opt_bool(e, "Exists")?)
            .set_comparison_operator(opt_enum(e, "ComparisonOperator")?)
            .set_attribute_value_list(opt_attr_list(e, "AttributeValueList", checks)?)
            .build();
        out.insert(name.clone(), value);
    }
    Ok(Some(out))
}

/// `KeyConditions`, `QueryFilter`, `ScanFilter`: a map of `Condition`.
fn conditions(o: &JsonMap, key: &str, checks: &mut Checks) -> Result<Option<HashMap<String, Condition>>, CodecError> {
    let Some(map) = opt_map(o, key, "Condition")? else {
        return Ok(None);
    };
    let mut out = HashMap::with_capacity(map.len());
    for (name, v) in map {
        let c = element_obj(v, "Condition")?;
        let values = opt_attr_list(c, "AttributeValueList", checks)?;
        let path = format!("{}.{name}.member.comparisonOperator", lower_first(key));
        let op = checks.require(opt_enum::<ComparisonOperator>(c, "ComparisonOperator")?, &path);
        let built = Condition::builder()
            .set_attribute_value_list(values)
            .set_comparison_operator(op)
            .build();
        if let Some(condition) = checks.built(built) {
            out.insert(name.clone(), condition);
        }
    }
    Ok(Some(out))
}

/// `AttributeUpdates`: a map of `AttributeValueUpdate`.
fn attribute_updates(
    o: &JsonMap,
    checks: &mut Checks,
) -> Result<Option<HashMap<String, AttributeValueUpdate>>, CodecError> {
    let Some(map) = opt_map(o, "AttributeUpdates", "AttributeValueUpdate")? else {
        return Ok(None);
    };
    let mut out = HashMap::with_capacity(map.len());
    for (name, v) in map {
        let u = element_obj(v, "AttributeValueUpdate")?;
        let update = AttributeValueUpdate::builder()
            .set_value(opt_attr(u, "Value", checks)?)
            .set_action(opt_enum(u, "Action")?)
            .build();
        out.insert(name.clone(), update);
    }
    Ok(Some(out))
}

fn names(o: &JsonMap) -> Result<Option<HashMap<String, String>>, CodecError> {
    opt_str_map(o, "ExpressionAttributeNames")
}

fn values(o: &JsonMap, checks: &mut Checks) -> Result<Option<Item>, CodecError> {
    opt_attr_map(o, "ExpressionAttributeValues", checks)
}

// ---------------------------------------------------------------------------
// GetItem

/// Decodes a `GetItem` request body.
pub(super) fn get_item_input(body: &Json) -> Result<GetItemInput, CodecError> {
    let o = obj(body, "GetItemInput")?;
    let mut checks = Checks::new();
    let table_name = req_str(o, "TableName", "tableName", &mut checks)?;
    let key = req_attr_map(o, "Key", "key", &mut checks)?;
    let builder = GetItemInput::builder()
        .set_table_name(table_name)
        .set_key(key)
        .set_attributes_to_get(opt_str_list(o, "AttributesToGet")?)
        .set_consistent_read(opt_bool(o, "ConsistentRead")?)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?)
        .set_projection_expression(opt_str(o, "ProjectionExpression")?)
        .set_expression_attribute_names(names(o)?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

#[cfg(test)] // The reference the byte writers below are tested against.
/// Encodes a `GetItem` response body.
pub(super) fn get_item_output(out: &GetItemOutput) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "Item", out.item.as_ref(), item_to_json);
    put_opt(
        &mut o,
        "ConsumedCapacity",
        out.consumed_capacity.as_ref(),
        consumed_capacity_to_json,
    );
    Json::Object(o)
}

// ---------------------------------------------------------------------------
// PutItem, UpdateItem, DeleteItem

/// Decodes the body of a single-item write (`PutItem`, `UpdateItem`,
/// `DeleteItem`): `TableName`, then `$own` (the operation's own members: the
/// item or key, UpdateItem's updates), then the members the three share.
macro_rules! write_input {
    ($input:ident, $body:ident, |$o:ident, $checks:ident, $b:ident| $own:expr) => {{
        let $o = obj($body, stringify!($input))?;
        let mut $checks = Checks::new();
        let table_name = req_str($o, "TableName", "tableName", &mut $checks)?;
        let $b = $input::builder().set_table_name(table_name);
        let builder = $own
            .set_expected(expected($o, &mut $checks)?)
            .set_conditional_operator(opt_enum($o, "ConditionalOperator")?)
            .set_return_values(opt_enum($o, "ReturnValues")?)
            .set_return_consumed_capacity(opt_enum($o, "ReturnConsumedCapacity")?)
            .set_return_item_collection_metrics(opt_enum($o, "ReturnItemCollectionMetrics")?)
            .set_condition_expression(opt_str($o, "ConditionExpression")?)
            .set_expression_attribute_names(names($o)?)
            .set_expression_attribute_values(values($o, &mut $checks)?)
            .set_return_values_on_condition_check_failure(opt_enum($o, "ReturnValuesOnConditionCheckFailure")?);
        $checks.finish()?;
        builder.build().map_err(build_error)
    }};
}

/// Decodes a `PutItem` request body.
pub(super) fn put_item_input(body: &Json) -> Result<PutItemInput, CodecError> {
    write_input!(PutItemInput, body, |o, checks, b| b.set_item(req_attr_map(
        o,
        "Item",
        "item",
        &mut checks
    )?))
}

/// Decodes an `UpdateItem` request body.
pub(super) fn update_item_input(body: &Json) -> Result<UpdateItemInput, CodecError> {
    write_input!(UpdateItemInput, body, |o, checks, b| b
        .set_key(req_attr_map(o, "Key", "key", &mut checks)?)
        .set_attribute_updates(attribute_updates(o, &mut checks)?)
        .set_update_expression(opt_str(o, "UpdateExpression")?))
}

/// Decodes a `DeleteItem` request body.
pub(super) fn delete_item_input(body: &Json) -> Result<DeleteItemInput, CodecError> {
    write_input!(DeleteItemInput, body, |o, checks, b| b.set_key(req_attr_map(
        o,
        "Key",
        "key",
        &mut checks
    )?))
}

fn write_output(
    attributes: Option<&Item>,
    capacity: Option<&ConsumedCapacity>,
    metrics: Option<&ItemCollectionMetrics>,
) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "Attributes", attributes, item_to_json);
    put_opt(&mut o, "ConsumedCapacity", capacity, consumed_capacity_to_json);
    put_opt(
        &mut o,
        "ItemCollectionMetrics",
        metrics,
        item_collection_metrics_to_json,
    );
    Json::Object(o)
}

/// Encodes a `PutItem` response body.
pub(super) fn put_item_output(out: &PutItemOutput) -> Json {
    write_output(
        out.attributes.as_ref(),
        out.consumed_capacity.as_ref(),
        out.item_collection_metrics.as_ref(),
    )
}

/// Encodes an `UpdateItem` response body.
pub(super) fn update_item_output(out: &UpdateItemOutput) -> Json {
    write_output(
        out.attributes.as_ref(),
        out.consumed_capacity.as_ref(),
        out.item_collection_metrics.as_ref(),
    )
}

/// Encodes a `DeleteItem` response body.
pub(super) fn delete_item_output(out: &DeleteItemOutput) -> Json {
    write_output(
        out.attributes.as_ref(),
        out.consumed_capacity.as_ref(),
        out.item_collection_metrics.as_ref(),
    )
}

// ---------------------------------------------------------------------------
// Query, Scan

/// Decodes a `Query` request body.
pub(super) fn query_input(body: &Json) -> Result<QueryInput, CodecError> {
    let o = obj(body, "QueryInput")?;
    let mut checks = Checks::new();
    let table_name = req_str(o, "TableName", "tableName", &mut checks)?;
    let builder = QueryInput::builder()
        .set_table_name(table_name)
        .set_index_name(opt_str(o, "IndexName")?)
        .set_select(opt_enum(o, "Select")?)
        .set_attributes_to_get(opt_str_list(o, "AttributesToGet")?)
        .set_limit(opt_i32(o, "Limit")?)
        .set_consistent_read(opt_bool(o, "ConsistentRead")?)
        .set_key_conditions(conditions(o, "KeyConditions", &mut checks)?)
        .set_query_filter(conditions(o, "QueryFilter", &mut checks)?)
        .set_conditional_operator(opt_enum(o, "ConditionalOperator")?)
        .set_scan_index_forward(opt_bool(o, "ScanIndexForward")?)
        .set_exclusive_start_key(opt_attr_map(o, "ExclusiveStartKey", &mut checks)?)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?)
        .set_projection_expression(opt_str(o, "ProjectionExpression")?)
        .set_filter_expression(opt_str(o, "FilterExpression")?)
        .set_key_condition_expression(opt_str(o, "KeyConditionExpression")?)
        .set_expression_attribute_names(names(o)?)
        .set_expression_attribute_values(values(o, &mut checks)?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

/// Decodes a `Scan` request body.
pub(super) fn scan_input(body: &Json) -> Result<ScanInput, CodecError> {
    let o = obj(body, "ScanInput")?;
    let mut checks = Checks::new();
    let table_name = req_str(o, "TableName", "tableName", &mut checks)?;
    let builder = ScanInput::builder()
        .set_table_name(table_name)
        .set_index_name(opt_str(o, "IndexName")?)
        .set_attributes_to_get(opt_str_list(o, "AttributesToGet")?)
        .set_limit(opt_i32(o, "Limit")?)
        .set_select(opt_enum(o, "Select")?)
        .set_scan_filter(conditions(o, "ScanFilter", &mut checks)?)
        .set_conditional_operator(opt_enum(o, "ConditionalOperator")?)
        .set_exclusive_start_key(opt_attr_map(o, "ExclusiveStartKey", &mut checks)?)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?)
        .set_total_segments(opt_i32(o, "TotalSegments")?)
        .set_segment(opt_i32(o, "Segment")?)
        .set_projection_expression(opt_str(o, "ProjectionExpression")?)
        .set_filter_expression(opt_str(o, "FilterExpression")?)
        .set_expression_attribute_names(names(o)?)
        .set_expression_attribute_values(values(o, &mut checks)?)
        .set_consistent_read(opt_bool(o, "ConsistentRead")?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

#[cfg(test)] // The reference the byte writers below are tested against.
fn page_output(
    items: Option<&Vec<Item>>,
    count: i32,
    scanned_count: i32,
    last_evaluated_key: Option<&Item>,
    capacity: Option<&ConsumedCapacity>,
) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "Items", items, |v| items_to_json(v));
    o.insert("Count".into(), json!(count));
    o.insert("ScannedCount".into(), json!(scanned_count));
    put_opt(&mut o, "LastEvaluatedKey", last_evaluated_key, item_to_json);
    put_opt(&mut o, "ConsumedCapacity", capacity, consumed_capacity_to_json);
    Json::Object(o)
}

#[cfg(test)] // The reference the byte writers below are tested against.
/// Encodes a `Query` response body (`Count` and `ScannedCount` always present).
pub(super) fn query_output(out: &QueryOutput) -> Json {
    page_output(
        out.items.as_ref(),
        out.count,
        out.scanned_count,
        out.last_evaluated_key.as_ref(),
        out.consumed_capacity.as_ref(),
    )
}

#[cfg(test)] // The reference the byte writers below are tested against.
/// Encodes a `Scan` response body (`Count` and `ScannedCount` always present).
pub(super) fn scan_output(out: &ScanOutput) -> Json {
    page_output(
        out.items.as_ref(),
        out.count,
        out.scanned_count,
        out.last_evaluated_key.as_ref(),
        out.consumed_capacity.as_ref(),
    )
}

// ---------------------------------------------------------------------------
// BatchGetItem, BatchWriteItem

fn keys_and_attributes(v: &Json, table: &str, checks: &mut Checks) -> Result<Option<KeysAndAttributes>, CodecError> {
    let k = element_obj(v, "KeysAndAttributes")?;
    let keys = match opt_list(k, "Keys")? {
        Some(list) => {
            let mut out = Vec::with_capacity(list.len());
            for key in list {
                out.push(element_attr_map(key, checks)?);
            }
            Some(out)
        }
        None => None,
    };
    let keys = checks.require(keys, &format!("requestItems.{table}.member.keys"));
    let built = KeysAndAttributes::builder()
        .set_keys(keys)
        .set_attributes_to_get(opt_str_list(k, "AttributesToGet")?)
        .set_consistent_read(opt_bool(k, "ConsistentRead")?)
        .set_projection_expression(opt_str(k, "ProjectionExpression")?)
        .set_expression_attribute_names(names(k)?)
        .build();
    Ok(checks.built(built))
}

/// Decodes a `BatchGetItem` request body.
pub(super) fn batch_get_item_input(body: &Json) -> Result<BatchGetItemInput, CodecError> {
    let o = obj(body, "BatchGetItemInput")?;
    let mut checks = Checks::new();
    let request_items = match opt_map(o, "RequestItems", "KeysAndAttributes")? {
        Some(map) => {
            let mut out = HashMap::with_capacity(map.len());
            for (table, v) in map {
                if let Some(ka) = keys_and_attributes(v, table, &mut checks)? {
                    out.insert(table.clone(), ka);
                }
            }
            Some(out)
        }
        None => None,
    };
    let request_items = checks.require(request_items, "requestItems");
    let builder = BatchGetItemInput::builder()
        .set_request_items(request_items)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

fn keys_and_attributes_to_json(k: &KeysAndAttributes) -> Json {
    let mut o = JsonMap::new();
    o.insert("Keys".into(), items_to_json(&k.keys));
    put_opt(&mut o, "AttributesToGet", k.attributes_to_get.as_ref(), |v| {
        str_list_to_json(v)
    });
    put_opt(&mut o, "ConsistentRead", k.consistent_read, Json::Bool);
    put_opt(&mut o, "ProjectionExpression", k.projection_expression.as_ref(), |s| {
        Json::String(s.clone())
    });
    put_opt(
        &mut o,
        "ExpressionAttributeNames",
        k.expression_attribute_names.as_ref(),
        str_map_to_json,
    );
    Json::Object(o)
}

/// Encodes a `BatchGetItem` response body.
pub(super) fn batch_get_item_output(out: &BatchGetItemOutput) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "Responses", out.responses.as_ref(), |m| {
        Json::Object(m.iter().map(|(t, items)| (t.clone(), items_to_json(items))).collect())
    });
    put_opt(&mut o, "UnprocessedKeys", out.unprocessed_keys.as_ref(), |m| {
        Json::Object(
            m.iter()
                .map(|(t, k)| (t.clone(), keys_and_attributes_to_json(k)))
                .collect(),
        )
    });
    put_opt(&mut o, "ConsumedCapacity", out.consumed_capacity.as_ref(), |v| {
        consumed_capacities_to_json(v)
    });
    Json::Object(o)
}

fn write_request(v: &Json, path: &str, checks: &mut Checks) -> Result<WriteRequest, CodecError> {
    let w = element_obj(v, "WriteRequest")?;
    let put = match opt_obj(w, "PutRequest", "PutRequest")? {
        Some(p) => {
            let item = req_attr_map(p, "Item", &format!("{path}.putRequest.item"), checks)?;
            checks.built(PutRequest::builder().set_item(item).build())
        }
        None => None,
    };
    let delete = match opt_obj(w, "DeleteRequest", "DeleteRequest")? {
        Some(d) => {
            let key = req_attr_map(d, "Key", &format!("{path}.deleteRequest.key"), checks)?;
            checks.built(DeleteRequest::builder().set_key(key).build())
        }
        None => None,
    };
    Ok(WriteRequest::builder()
        .set_put_request(put)
        .set_delete_request(delete)
        .build())
}

/// Decodes a `BatchWriteItem` request body.
pub(super) fn batch_write_item_input(body: &Json) -> Result<BatchWriteItemInput, CodecError> {
    let o = obj(body, "BatchWriteItemInput")?;
    let mut checks = Checks::new();
    let value_class = "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>";
    let request_items = match opt_map(o, "RequestItems", value_class)? {
        Some(map) => {
            let mut out = HashMap::with_capacity(map.len());
            for (table, v) in map {
                let list = element_list(v)?;
                let mut requests = Vec::with_capacity(list.len());
                for (i, r) in list.iter().enumerate() {
                    let path = format!("requestItems.{table}.member.{}.member", i + 1);
                    requests.push(write_request(r, &path, &mut checks)?);
                }
                out.insert(table.clone(), requests);
            }
            Some(out)
        }
        None => None,
    };
    let request_items = checks.require(request_items, "requestItems");
    let builder = BatchWriteItemInput::builder()
        .set_request_items(request_items)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?)
        .set_return_item_collection_metrics(opt_enum(o, "ReturnItemCollectionMetrics")?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

fn write_request_to_json(w: &WriteRequest) -> Json {
    let mut o = JsonMap::new();
    put_opt(
        &mut o,
        "PutRequest",
        w.put_request.as_ref(),
        |p| json!({ "Item": item_to_json(&p.item) }),
    );
    put_opt(
        &mut o,
        "DeleteRequest",
        w.delete_request.as_ref(),
        |d| json!({ "Key": item_to_json(&d.key) }),
    );
    Json::Object(o)
}

/// Encodes a `BatchWriteItem` response body.
pub(super) fn batch_write_item_output(out: &BatchWriteItemOutput) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "UnprocessedItems", out.unprocessed_items.as_ref(), |m| {
        Json::Object(
            m.iter()
                .map(|(t, reqs)| (t.clone(), Json::Array(reqs.iter().map(write_request_to_json).collect())))
                .collect(),
        )
    });
    put_opt(
        &mut o,
        "ItemCollectionMetrics",
        out.item_collection_metrics.as_ref(),
        item_collection_metrics_per_table_to_json,
    );
    put_opt(&mut o, "ConsumedCapacity", out.consumed_capacity.as_ref(), |v| {
        consumed_capacities_to_json(v)
    });
    Json::Object(o)
}

// ---------------------------------------------------------------------------
// TransactGetItems, TransactWriteItems

/// Decodes a `TransactGetItems` request body.
pub(super) fn transact_get_items_input(body: &Json) -> Result<TransactGetItemsInput, CodecError> {
    let o = obj(body, "TransactGetItemsInput")?;
    let mut checks = Checks::new();
    let items = match opt_list(o, "TransactItems")? {
        Some(list) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let path = format!("transactItems.{}.member", i + 1);
                let t = element_obj(v, "TransactGetItem")?;
                let get = match opt_obj(t, "Get", "Get")? {
                    Some(g) => {
                        let key = req_attr_map(g, "Key", &format!("{path}.get.key"), &mut checks)?;
                        let table = req_str(g, "TableName", &format!("{path}.get.tableName"), &mut checks)?;
                        let built = Get::builder()
                            .set_key(key)
                            .set_table_name(table)
                            .set_projection_expression(opt_str(g, "ProjectionExpression")?)
                            .set_expression_attribute_names(names(g)?)
                            .build();
                        checks.built(built)
                    }
                    None => checks.require(None, &format!("{path}.get")),
                };
                out.push(TransactGetItem::builder().set_get(get).build());
            }
            Some(out)
        }
        None => None,
    };
    let items = checks.require(items, "transactItems");
    let builder = TransactGetItemsInput::builder()
        .set_transact_items(items)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

/// Encodes a `TransactGetItems` response body (`Responses` holds one entry per
/// request, `{}` where there was no item).
pub(super) fn transact_get_items_output(out: &TransactGetItemsOutput) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "ConsumedCapacity", out.consumed_capacity.as_ref(), |v| {
        consumed_capacities_to_json(v)
    });
    put_opt(&mut o, "Responses", out.responses.as_ref(), |v| {
        Json::Array(
            v.iter()
                .map(|r| {
                    let mut ro = JsonMap::new();
                    put_opt(&mut ro, "Item", r.item.as_ref(), item_to_json);
                    Json::Object(ro)
                })
                .collect(),
        )
    });
    Json::Object(o)
}

/// The members shared by `Put`, `Update`, `Delete` and `ConditionCheck`.
struct WriteCommon {
    key_or_item: Option<Item>,
    table_name: Option<String>,
    condition_expression: Option<String>,
    names: Option<HashMap<String, String>>,
    values: Option<Item>,
    on_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

fn write_common(w: &JsonMap, key_member: &str, path: &str, checks: &mut Checks) -> Result<WriteCommon, CodecError> {
    let key_or_item = req_attr_map(w, key_member, &format!("{path}.{}", lower_first(key_member)), checks)?;
    Ok(WriteCommon {
        key_or_item,
        table_name: None,
        condition_expression: opt_str(w, "ConditionExpression")?,
        names: names(w)?,
        values: values(w, checks)?,
        on_failure: opt_enum(w, "ReturnValuesOnConditionCheckFailure")?,
    })
}

fn table_name(w: &JsonMap, path: &str, checks: &mut Checks) -> Result<Option<String>, CodecError> {
    req_str(w, "TableName", &format!("{path}.tableName"), checks)
}

fn transact_write_item(v: &Json, path: &str, checks: &mut Checks) -> Result<TransactWriteItem, CodecError> {
    let t = element_obj(v, "TransactWriteItem")?;
    let condition_check = match opt_obj(t, "ConditionCheck", "ConditionCheck")? {
        Some(w) => {
            let path = format!("{path}.conditionCheck");
            let mut c = write_common(w, "Key", &path, checks)?;
            c.table_name = table_name(w, &path, checks)?;
            let cond = checks.require(c.condition_expression, &format!("{path}.conditionExpression"));
            let built = ConditionCheck::builder()
                .set_key(c.key_or_item)
                .set_table_name(c.table_name)
                .set_condition_expression(cond)
                .set_expression_attribute_names(c.names)
                .set_expression_attribute_values(c.values)
                .set_return_values_on_condition_check_failure(c.on_failure)
                .build();
            checks.built(built)
        }
        None => None,
    };
    let put = match opt_obj(t, "Put", "Put")? {
        Some(w) => {
            let path = format!("{path}.put");
            let mut c = write_common(w, "Item", &path, checks)?;
            c.table_name = table_name(w, &path, checks)?;
            let built = Put::builder()
                .set_item(c.key_or_item)
                .set_table_name(c.table_name)
                .set_condition_expression(c.condition_expression)
                .set_expression_attribute_names(c.names)
                .set_expression_attribute_values(c.values)
                .set_return_values_on_condition_check_failure(c.on_failure)
                .build();
            checks.built(built)
        }
        None => None,
    };
    let delete = match opt_obj(t, "Delete", "Delete")? {
        Some(w) => {
            let path = format!("{path}.delete");
            let mut c = write_common(w, "Key", &path, checks)?;
            c.table_name = table_name(w, &path, checks)?;
            let built = Delete::builder()
                .set_key(c.key_or_item)
                .set_table_name(c.table_name)
                .set_condition_expression(c.condition_expression)
                .set_expression_attribute_names(c.names)
                .set_expression_attribute_values(c.values)
                .set_return_values_on_condition_check_failure(c.on_failure)
                .build();
            checks.built(built)
        }
        None => None,
    };
    let update = match opt_obj(t, "Update", "Update")? {
        Some(w) => {
            let path = format!("{path}.update");
            let mut c = write_common(w, "Key", &path, checks)?;
            let expression = req_str(w, "UpdateExpression", &format!("{path}.updateExpression"), checks)?;
            c.table_name = table_name(w, &path, checks)?;
            let built = Update::builder()
                .set_key(c.key_or_item)
                .set_update_expression(expression)
                .set_table_name(c.table_name)
                .set_condition_expression(c.condition_expression)
                .set_expression_attribute_names(c.names)
                .set_expression_attribute_values(c.values)
                .set_return_values_on_condition_check_failure(c.on_failure)
                .build();
            checks.built(built)
        }
        None => None,
    };
    Ok(TransactWriteItem::builder()
        .set_condition_check(condition_check)
        .set_put(put)
        .set_delete(delete)
        .set_update(update)
        .build())
}

/// Decodes a `TransactWriteItems` request body.
pub(super) fn transact_write_items_input(body: &Json) -> Result<TransactWriteItemsInput, CodecError> {
    let o = obj(body, "TransactWriteItemsInput")?;
    let mut checks = Checks::new();
    let items = match opt_list(o, "TransactItems")? {
        Some(list) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let path = format!("transactItems.{}.member", i + 1);
                out.push(transact_write_item(v, &path, &mut checks)?);
            }
            Some(out)
        }
        None => None,
    };
    let items = checks.require(items, "transactItems");
    let builder = TransactWriteItemsInput::builder()
        .set_transact_items(items)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?)
        .set_return_item_collection_metrics(opt_enum(o, "ReturnItemCollectionMetrics")?)
        .set_client_request_token(opt_str(o, "ClientRequestToken")?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

/// Encodes a `TransactWriteItems` response body.
pub(super) fn transact_write_items_output(out: &TransactWriteItemsOutput) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "ConsumedCapacity", out.consumed_capacity.as_ref(), |v| {
        consumed_capacities_to_json(v)
    });
    put_opt(
        &mut o,
        "ItemCollectionMetrics",
        out.item_collection_metrics.as_ref(),
        item_collection_metrics_per_table_to_json,
    );
    Json::Object(o)
}

/// Writes an item a read found as DynamoDB's JSON: from its stored bytes
/// when it is shown whole, without decoding it.
fn write_found(out: &mut Vec<u8>, found: Found<'_>) {
    match found {
        Found::Stored(stored) => stored.write_json(out),
        Found::Item(item) => super::codec::write_item(out, &item),
    }
}

fn write_capacity(out: &mut Vec<u8>, capacity: &ConsumedCapacity) {
    out.extend_from_slice(b"\"ConsumedCapacity\":");
    // Writing a JSON tree to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, &consumed_capacity_to_json(capacity));
}

/// Runs a `GetItem` on the mock and writes its response body (the same
/// JSON as [`get_item_output`]) straight to bytes, from the stored item.
pub(super) fn get_item_bytes(backend: &MockBackend, input: GetItemInput) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(b"{\"Item\":");
    let mut found = false;
    let capacity = backend.get_item_to(input, &mut |item| {
        found = true;
        if let Found::Stored(stored) = &item {
            // Its JSON is a little larger than its DynamoDB size.
            out.reserve(stored.size() + stored.size() / 2 + 64);
        }
        write_found(&mut out, item);
    })?;
    if !found {
        out.truncate(1);
    }
    if let Some(c) = &capacity {
        if found {
            out.push(b',');
        }
        write_capacity(&mut out, c);
    }
    out.push(b'}');
    Ok(out)
}

/// Runs a `Query` on the mock and writes its response body (the same JSON
/// as [`query_output`]) straight to bytes, item by item as they are found.
pub(super) fn query_bytes(backend: &MockBackend, input: QueryInput) -> Result<Vec<u8>, Error> {
    page_bytes(|sink| backend.query_to(input, sink))
}

/// Runs a `Scan` on the mock and writes its response body (the same JSON as
/// [`scan_output`]) straight to bytes.
pub(super) fn scan_bytes(backend: &MockBackend, input: ScanInput) -> Result<Vec<u8>, Error> {
    page_bytes(|sink| backend.scan_to(input, sink))
}

fn page_bytes(run: impl FnOnce(&mut dyn FnMut(Found<'_>)) -> Result<PageInfo, Error>) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(b"{\"Items\":[");
    let mut first = true;
    let page = run(&mut |item| {
        if !first {
            out.push(b',');
        }
        first = false;
        write_found(&mut out, item);
    })?;
    if page.count_only {
        out.truncate(1);
    } else {
        out.extend_from_slice(b"],");
    }
    out.extend_from_slice(format!("\"Count\":{},\"ScannedCount\":{}", page.count, page.scanned_count).as_bytes());
    if let Some(last) = &page.last_evaluated_key {
        out.extend_from_slice(b",\"LastEvaluatedKey\":");
        super::codec::write_item(&mut out, last);
    }
    if let Some(c) = &page.consumed_capacity {
        out.push(b',');
        write_capacity(&mut out, c);
    }
    out.push(b'}');
    Ok(out)
}

#[cfg(test)]
mod byte_writer_tests;

#[cfg(test)]
mod tests;
