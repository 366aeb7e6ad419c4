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
pub fn get_item_input(body: &Json) -> Result<GetItemInput, CodecError> {
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

/// Encodes a `GetItem` response body.
pub fn get_item_output(out: &GetItemOutput) -> Json {
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

/// Decodes a `PutItem` request body.
pub fn put_item_input(body: &Json) -> Result<PutItemInput, CodecError> {
    let o = obj(body, "PutItemInput")?;
    let mut checks = Checks::new();
    let table_name = req_str(o, "TableName", "tableName", &mut checks)?;
    let item = req_attr_map(o, "Item", "item", &mut checks)?;
    let builder = PutItemInput::builder()
        .set_table_name(table_name)
        .set_item(item)
        .set_expected(expected(o, &mut checks)?)
        .set_return_values(opt_enum(o, "ReturnValues")?)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?)
        .set_return_item_collection_metrics(opt_enum(o, "ReturnItemCollectionMetrics")?)
        .set_conditional_operator(opt_enum(o, "ConditionalOperator")?)
        .set_condition_expression(opt_str(o, "ConditionExpression")?)
        .set_expression_attribute_names(names(o)?)
        .set_expression_attribute_values(values(o, &mut checks)?)
        .set_return_values_on_condition_check_failure(opt_enum(o, "ReturnValuesOnConditionCheckFailure")?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

/// Decodes an `UpdateItem` request body.
pub fn update_item_input(body: &Json) -> Result<UpdateItemInput, CodecError> {
    let o = obj(body, "UpdateItemInput")?;
    let mut checks = Checks::new();
    let table_name = req_str(o, "TableName", "tableName", &mut checks)?;
    let key = req_attr_map(o, "Key", "key", &mut checks)?;
    let builder = UpdateItemInput::builder()
        .set_table_name(table_name)
        .set_key(key)
        .set_attribute_updates(attribute_updates(o, &mut checks)?)
        .set_expected(expected(o, &mut checks)?)
        .set_conditional_operator(opt_enum(o, "ConditionalOperator")?)
        .set_return_values(opt_enum(o, "ReturnValues")?)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?)
        .set_return_item_collection_metrics(opt_enum(o, "ReturnItemCollectionMetrics")?)
        .set_update_expression(opt_str(o, "UpdateExpression")?)
        .set_condition_expression(opt_str(o, "ConditionExpression")?)
        .set_expression_attribute_names(names(o)?)
        .set_expression_attribute_values(values(o, &mut checks)?)
        .set_return_values_on_condition_check_failure(opt_enum(o, "ReturnValuesOnConditionCheckFailure")?);
    checks.finish()?;
    builder.build().map_err(build_error)
}

/// Decodes a `DeleteItem` request body.
pub fn delete_item_input(body: &Json) -> Result<DeleteItemInput, CodecError> {
    let o = obj(body, "DeleteItemInput")?;
    let mut checks = Checks::new();
    let table_name = req_str(o, "TableName", "tableName", &mut checks)?;
    let key = req_attr_map(o, "Key", "key", &mut checks)?;
    let builder = DeleteItemInput::builder()
        .set_table_name(table_name)
        .set_key(key)
        .set_expected(expected(o, &mut checks)?)
        .set_conditional_operator(opt_enum(o, "ConditionalOperator")?)
        .set_return_values(opt_enum(o, "ReturnValues")?)
        .set_return_consumed_capacity(opt_enum(o, "ReturnConsumedCapacity")?)
        .set_return_item_collection_metrics(opt_enum(o, "ReturnItemCollectionMetrics")?)
        .set_condition_expression(opt_str(o, "ConditionExpression")?)
        .set_expression_attribute_names(names(o)?)
        .set_expression_attribute_values(values(o, &mut checks)?)
        .set_return_values_on_condition_check_failure(opt_enum(o, "ReturnValuesOnConditionCheckFailure")?);
    checks.finish()?;
    builder.build().map_err(build_error)
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
pub fn put_item_output(out: &PutItemOutput) -> Json {
    write_output(
        out.attributes.as_ref(),
        out.consumed_capacity.as_ref(),
        out.item_collection_metrics.as_ref(),
    )
}

/// Encodes an `UpdateItem` response body.
pub fn update_item_output(out: &UpdateItemOutput) -> Json {
    write_output(
        out.attributes.as_ref(),
        out.consumed_capacity.as_ref(),
        out.item_collection_metrics.as_ref(),
    )
}

/// Encodes a `DeleteItem` response body.
pub fn delete_item_output(out: &DeleteItemOutput) -> Json {
    write_output(
        out.attributes.as_ref(),
        out.consumed_capacity.as_ref(),
        out.item_collection_metrics.as_ref(),
    )
}

// ---------------------------------------------------------------------------
// Query, Scan

/// Decodes a `Query` request body.
pub fn query_input(body: &Json) -> Result<QueryInput, CodecError> {
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
pub fn scan_input(body: &Json) -> Result<ScanInput, CodecError> {
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

/// Encodes a `Query` response body (`Count` and `ScannedCount` always present).
pub fn query_output(out: &QueryOutput) -> Json {
    page_output(
        out.items.as_ref(),
        out.count,
        out.scanned_count,
        out.last_evaluated_key.as_ref(),
        out.consumed_capacity.as_ref(),
    )
}

/// Encodes a `Scan` response body (`Count` and `ScannedCount` always present).
pub fn scan_output(out: &ScanOutput) -> Json {
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
pub fn batch_get_item_input(body: &Json) -> Result<BatchGetItemInput, CodecError> {
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
pub fn batch_get_item_output(out: &BatchGetItemOutput) -> Json {
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
pub fn batch_write_item_input(body: &Json) -> Result<BatchWriteItemInput, CodecError> {
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
pub fn batch_write_item_output(out: &BatchWriteItemOutput) -> Json {
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
pub fn transact_get_items_input(body: &Json) -> Result<TransactGetItemsInput, CodecError> {
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
pub fn transact_get_items_output(out: &TransactGetItemsOutput) -> Json {
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
pub fn transact_write_items_input(body: &Json) -> Result<TransactWriteItemsInput, CodecError> {
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
pub fn transact_write_items_output(out: &TransactWriteItemsOutput) -> Json {
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
        Found::Stored(stored) => super::codec::write_stored(out, stored),
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
pub fn get_item_bytes(backend: &MockBackend, input: GetItemInput) -> Result<Vec<u8>, Error> {
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
pub fn query_bytes(backend: &MockBackend, input: QueryInput) -> Result<Vec<u8>, Error> {
    page_bytes(|sink| backend.query_to(input, sink))
}

/// Runs a `Scan` on the mock and writes its response body (the same JSON as
/// [`scan_output`]) straight to bytes.
pub fn scan_bytes(backend: &MockBackend, input: ScanInput) -> Result<Vec<u8>, Error> {
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
mod byte_writer_tests {
    use super::*;
    use aws_sdk_dynamodb::primitives::Blob;

    fn every_type() -> Item {
        let mut inner = Item::new();
        inner.insert("q\"uote".into(), AttributeValue::S("line\nbreak é".into()));
        let mut item = Item::new();
        item.insert("s".into(), AttributeValue::S("x".into()));
        item.insert("n".into(), AttributeValue::N("-1.5".into()));
        item.insert("b".into(), AttributeValue::B(Blob::new(vec![0, 1, 255])));
        item.insert("ss".into(), AttributeValue::Ss(vec!["a".into(), "b".into()]));
        item.insert("ns".into(), AttributeValue::Ns(vec!["1".into()]));
        item.insert("bs".into(), AttributeValue::Bs(vec![Blob::new(vec![7])]));
        item.insert("t".into(), AttributeValue::Bool(true));
        item.insert("null".into(), AttributeValue::Null(true));
        item.insert(
            "l".into(),
            AttributeValue::L(vec![AttributeValue::N("1".into()), AttributeValue::M(inner.clone())]),
        );
        item.insert("m".into(), AttributeValue::M(inner));
        item
    }

    fn parse(bytes: &[u8]) -> Json {
        serde_json::from_slice(bytes).expect("the bytes written are JSON")
    }

    /// A mock (table `tbl`) holding `every_type()` under key `s = "x"`, and a bare item `y`.
    async fn mock() -> MockBackend {
        use crate::Backend;
        let backend = MockBackend::new();
        let create = CreateTableInput::builder()
            .table_name("tbl")
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("s")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("s")
                    .key_type(KeyType::Hash)
                    .build()
                    .unwrap(),
            )
            .billing_mode(BillingMode::PayPerRequest)
            .build()
            .unwrap();
        backend.create_table(create).await.unwrap();
        for item in [
            every_type(),
            HashMap::from([("s".to_string(), AttributeValue::S("y".into()))]),
        ] {
            let put = PutItemInput::builder()
                .table_name("tbl")
                .set_item(Some(item))
                .build()
                .unwrap();
            backend.put_item(put).await.unwrap();
        }
        backend
    }

    #[tokio::test]
    async fn get_item_bytes_are_the_same_json_as_the_tree() {
        use crate::Backend;
        let backend = mock().await;
        let key = |k: &str| HashMap::from([("s".to_string(), AttributeValue::S(k.into()))]);
        let inputs = [
            GetItemInput::builder().table_name("tbl").set_key(Some(key("x"))),
            GetItemInput::builder().table_name("tbl").set_key(Some(key("missing"))),
            GetItemInput::builder()
                .table_name("tbl")
                .set_key(Some(key("x")))
                .projection_expression("m.#q, l[1], s")
                .expression_attribute_names("#q", "q\"uote"),
            GetItemInput::builder()
                .table_name("tbl")
                .set_key(Some(key("x")))
                .return_consumed_capacity(ReturnConsumedCapacity::Total),
            GetItemInput::builder()
                .table_name("tbl")
                .set_key(Some(key("missing")))
                .return_consumed_capacity(ReturnConsumedCapacity::Total),
        ];
        for input in inputs {
            let input = input.build().unwrap();
            let tree = get_item_output(&backend.get_item(input.clone()).await.unwrap());
            assert_eq!(parse(&get_item_bytes(&backend, input).unwrap()), tree);
        }
        let missing = GetItemInput::builder().table_name("tbl").set_key(Some(key("missing")));
        assert_eq!(get_item_bytes(&backend, missing.build().unwrap()).unwrap(), b"{}");
        let no_table = GetItemInput::builder().table_name("nope").set_key(Some(key("x")));
        assert!(matches!(
            get_item_bytes(&backend, no_table.build().unwrap()),
            Err(Error::ResourceNotFound(_))
        ));
    }

    #[tokio::test]
    async fn page_bytes_are_the_same_json_as_the_tree() {
        use crate::Backend;
        let backend = mock().await;
        let scans = [
            ScanInput::builder().table_name("tbl"),
            ScanInput::builder().table_name("tbl").limit(1),
            ScanInput::builder().table_name("tbl").select(Select::Count),
            ScanInput::builder()
                .table_name("tbl")
                .filter_expression("attribute_exists(m)"),
            ScanInput::builder()
                .table_name("tbl")
                .projection_expression("s, ss, bs"),
            ScanInput::builder()
                .table_name("tbl")
                .return_consumed_capacity(ReturnConsumedCapacity::Total),
        ];
        for input in scans {
            let input = input.build().unwrap();
            let tree = scan_output(&backend.scan(input.clone()).await.unwrap());
            assert_eq!(parse(&scan_bytes(&backend, input).unwrap()), tree);
        }
        let query = QueryInput::builder()
            .table_name("tbl")
            .key_condition_expression("s = :x")
            .expression_attribute_values(":x", AttributeValue::S("x".into()));
        for input in [query.clone(), query.clone().limit(1), query.select(Select::Count)] {
            let input = input.build().unwrap();
            let tree = query_output(&backend.query(input.clone()).await.unwrap());
            assert_eq!(parse(&query_bytes(&backend, input).unwrap()), tree);
        }
        let bad = QueryInput::builder().table_name("tbl").key_condition_expression("s = ");
        assert!(matches!(
            query_bytes(&backend, bad.build().unwrap()),
            Err(Error::Validation(_))
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::codec::{MSG_AV_EMPTY, MSG_PARAMETERIZED, MSG_UNEXPECTED_VALUE};

    fn s(x: &str) -> AttributeValue {
        AttributeValue::S(x.into())
    }

    fn n(x: &str) -> AttributeValue {
        AttributeValue::N(x.into())
    }

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    fn names_map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn ser(m: &str) -> CodecError {
        CodecError::Serialization(m.into())
    }

    fn null_at(paths: &[&str]) -> CodecError {
        let n = paths.len();
        let parts: Vec<String> = paths
            .iter()
            .map(|p| format!("Value null at '{p}' failed to satisfy constraint: Member must not be null"))
            .collect();
        let s = if n == 1 { "" } else { "s" };
        CodecError::Validation(format!("{n} validation error{s} detected: {}", parts.join("; ")))
    }

    fn cap(table: &str, units: f64) -> ConsumedCapacity {
        ConsumedCapacity::builder()
            .table_name(table)
            .capacity_units(units)
            .build()
    }

    #[test]
    fn get_item_round_trip() {
        let body = json!({
            "TableName": "Music",
            "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}},
            "ConsistentRead": true,
            "ReturnConsumedCapacity": "TOTAL",
            "ProjectionExpression": "#t, Price",
            "ExpressionAttributeNames": {"#t": "AlbumTitle"},
            "AttributesToGet": ["AlbumTitle"],
            "SomeFutureMember": {"ignored": true},
        });
        let expected = GetItemInput::builder()
            .table_name("Music")
            .set_key(Some(item(&[("Artist", s("Acme Band")), ("SongTitle", s("Happy Day"))])))
            .consistent_read(true)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .projection_expression("#t, Price")
            .set_expression_attribute_names(Some(names_map(&[("#t", "AlbumTitle")])))
            .attributes_to_get("AlbumTitle")
            .build()
            .unwrap();
        assert_eq!(get_item_input(&body), Ok(expected));

        let out = GetItemOutput::builder()
            .set_item(Some(item(&[("Artist", s("Acme Band")), ("Price", n("0.99"))])))
            .consumed_capacity(cap("Music", 0.5))
            .build();
        assert_eq!(
            get_item_output(&out),
            json!({
                "Item": {"Artist": {"S": "Acme Band"}, "Price": {"N": "0.99"}},
                "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 0.5},
            })
        );
        assert_eq!(get_item_output(&GetItemOutput::builder().build()), json!({}));
    }

    #[test]
    fn get_item_errors() {
        assert_eq!(get_item_input(&json!({})), Err(null_at(&["tableName", "key"])));
        assert_eq!(
            get_item_input(&json!({"TableName": null, "Key": {"a": {"S": "1"}}})),
            Err(null_at(&["tableName"]))
        );
        assert_eq!(
            get_item_input(&json!({"TableName": 3, "Key": {}})),
            Err(ser("NUMBER_VALUE cannot be converted to String"))
        );
        assert_eq!(
            get_item_input(&json!({"TableName": "T", "Key": {"a": {}}})),
            Err(CodecError::Validation(MSG_AV_EMPTY.into()))
        );
        // A type error is reported before any validation problem.
        assert_eq!(
            get_item_input(&json!({"Key": {"a": {}}, "ConsistentRead": 1})),
            Err(ser("NUMBER_VALUE cannot be converted to Boolean"))
        );
        assert_eq!(
            get_item_input(&json!({"TableName": "T", "Key": []})),
            Err(ser("Unrecognized collection type java.util.Map<java.lang.String, \
                 com.amazonaws.dynamodb.v20120810.AttributeValue>"))
        );
        assert_eq!(
            get_item_input(&json!([])),
            Err(ser(
                "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.GetItemInput"
            ))
        );
        assert_eq!(get_item_input(&json!("x")), Err(ser("Unexpected field type")));
    }

    #[test]
    fn put_item_round_trip() {
        let body = json!({
            "TableName": "Music",
            "Item": {
                "Artist": {"S": "No One You Know"},
                "Year": {"N": "2015"},
                "Cover": {"B": "AQID"},
                "Tags": {"SS": ["a", "b"]},
                "Awards": {"L": [{"M": {"name": {"S": "x"}}}]},
                "Single": {"BOOL": false},
                "Label": {"NULL": true},
            },
            "ConditionExpression": "attribute_not_exists(#a) OR #y < :y",
            "ExpressionAttributeNames": {"#a": "Artist", "#y": "Year"},
            "ExpressionAttributeValues": {":y": {"N": "2016"}},
            "ReturnValues": "ALL_OLD",
            "ReturnConsumedCapacity": "INDEXES",
            "ReturnItemCollectionMetrics": "SIZE",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            "Expected": {
                "Artist": {"Exists": false},
                "Year": {"Value": {"N": "1"}, "ComparisonOperator": "GT"},
                "Tags": {"AttributeValueList": [{"S": "a"}], "ComparisonOperator": "CONTAINS"},
            },
            "ConditionalOperator": "OR",
        });
        let expected = PutItemInput::builder()
            .table_name("Music")
            .set_item(Some(item(&[
                ("Artist", s("No One You Know")),
                ("Year", n("2015")),
                ("Cover", AttributeValue::B(Blob::new(vec![1, 2, 3]))),
                ("Tags", AttributeValue::Ss(vec!["a".into(), "b".into()])),
                (
                    "Awards",
                    AttributeValue::L(vec![AttributeValue::M(item(&[("name", s("x"))]))]),
                ),
                ("Single", AttributeValue::Bool(false)),
                ("Label", AttributeValue::Null(true)),
            ])))
            .condition_expression("attribute_not_exists(#a) OR #y < :y")
            .set_expression_attribute_names(Some(names_map(&[("#a", "Artist"), ("#y", "Year")])))
            .set_expression_attribute_values(Some(item(&[(":y", n("2016"))])))
            .return_values(ReturnValue::AllOld)
            .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
            .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .expected("Artist", ExpectedAttributeValue::builder().exists(false).build())
            .expected(
                "Year",
                ExpectedAttributeValue::builder()
                    .value(n("1"))
                    .comparison_operator(ComparisonOperator::Gt)
                    .build(),
            )
            .expected(
                "Tags",
                ExpectedAttributeValue::builder()
                    .attribute_value_list(s("a"))
                    .comparison_operator(ComparisonOperator::Contains)
                    .build(),
            )
            .conditional_operator(ConditionalOperator::Or)
            .build()
            .unwrap();
        assert_eq!(put_item_input(&body), Ok(expected));

        let out = PutItemOutput::builder()
            .set_attributes(Some(item(&[("Artist", s("No One You Know"))])))
            .consumed_capacity(cap("Music", 1.0))
            .item_collection_metrics(
                ItemCollectionMetrics::builder()
                    .item_collection_key("Artist", s("No One You Know"))
                    .size_estimate_range_gb(0.0)
                    .size_estimate_range_gb(1.0)
                    .build(),
            )
            .build();
        assert_eq!(
            put_item_output(&out),
            json!({
                "Attributes": {"Artist": {"S": "No One You Know"}},
                "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 1.0},
                "ItemCollectionMetrics": {
                    "ItemCollectionKey": {"Artist": {"S": "No One You Know"}},
                    "SizeEstimateRangeGB": [0.0, 1.0],
                },
            })
        );
        assert_eq!(put_item_output(&PutItemOutput::builder().build()), json!({}));
    }

    #[test]
    fn put_item_errors() {
        assert_eq!(put_item_input(&json!({})), Err(null_at(&["tableName", "item"])));
        assert_eq!(
            put_item_input(&json!({"TableName": "T", "Item": {"a": {"S": "x", "N": "1"}}})),
            Err(CodecError::Validation(crate::server::codec::MSG_AV_MULTIPLE.into()))
        );
        assert_eq!(
            put_item_input(&json!({"TableName": "T", "Item": {"a": 5}})),
            Err(ser(MSG_UNEXPECTED_VALUE))
        );
        assert_eq!(
            put_item_input(&json!({"TableName": "T", "Item": {}, "Expected": {"a": {"Exists": "maybe"}}})),
            Err(ser("Unexpected token received from parser"))
        );
        assert_eq!(
            put_item_input(&json!({"TableName": "T", "Item": {}, "Expected": {"a": {"Value": 5}}})),
            Err(ser("Unexpected field type"))
        );
        assert_eq!(
            put_item_input(&json!({"TableName": "T", "Item": {}, "Expected": {"a": 5}})),
            Err(ser(MSG_UNEXPECTED_VALUE))
        );
        assert_eq!(
            put_item_input(&json!({"TableName": "T", "Item": {}, "ReturnValues": ["ALL_OLD"]})),
            Err(ser("Unrecognized collection type class java.lang.String"))
        );
        // Unknown enum values are the engine's to reject.
        let input = put_item_input(&json!({"TableName": "T", "Item": {}, "ReturnValues": "SOME"})).unwrap();
        assert_eq!(input.return_values, Some(ReturnValue::from("SOME")));
    }

    #[test]
    fn update_item_round_trip() {
        let body = json!({
            "TableName": "Music",
            "Key": {"Artist": {"S": "Acme Band"}},
            "UpdateExpression": "SET #p = :p ADD Plays :one",
            "ConditionExpression": "attribute_exists(Artist)",
            "ExpressionAttributeNames": {"#p": "Price"},
            "ExpressionAttributeValues": {":p": {"N": "1.98"}, ":one": {"N": "1"}},
            "ReturnValues": "UPDATED_NEW",
            "ReturnConsumedCapacity": "NONE",
            "ReturnItemCollectionMetrics": "NONE",
            "ReturnValuesOnConditionCheckFailure": "NONE",
            "AttributeUpdates": {
                "Genre": {"Value": {"S": "Rock"}, "Action": "PUT"},
                "Old": {"Action": "DELETE"},
            },
            "Expected": {"Artist": {"Value": {"S": "Acme Band"}, "Exists": true}},
            "ConditionalOperator": "AND",
        });
        let expected = UpdateItemInput::builder()
            .table_name("Music")
            .set_key(Some(item(&[("Artist", s("Acme Band"))])))
            .update_expression("SET #p = :p ADD Plays :one")
            .condition_expression("attribute_exists(Artist)")
            .set_expression_attribute_names(Some(names_map(&[("#p", "Price")])))
            .set_expression_attribute_values(Some(item(&[(":p", n("1.98")), (":one", n("1"))])))
            .return_values(ReturnValue::UpdatedNew)
            .return_consumed_capacity(ReturnConsumedCapacity::None)
            .return_item_collection_metrics(ReturnItemCollectionMetrics::None)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::None)
            .attribute_updates(
                "Genre",
                AttributeValueUpdate::builder()
                    .value(s("Rock"))
                    .action(AttributeAction::Put)
                    .build(),
            )
            .attribute_updates(
                "Old",
                AttributeValueUpdate::builder().action(AttributeAction::Delete).build(),
            )
            .expected(
                "Artist",
                ExpectedAttributeValue::builder()
                    .value(s("Acme Band"))
                    .exists(true)
                    .build(),
            )
            .conditional_operator(ConditionalOperator::And)
            .build()
            .unwrap();
        assert_eq!(update_item_input(&body), Ok(expected));

        let out = UpdateItemOutput::builder()
            .set_attributes(Some(item(&[("Price", n("1.98")), ("Plays", n("1"))])))
            .build();
        assert_eq!(
            update_item_output(&out),
            json!({"Attributes": {"Price": {"N": "1.98"}, "Plays": {"N": "1"}}})
        );
    }

    #[test]
    fn update_item_errors() {
        assert_eq!(update_item_input(&json!({"TableName": "T"})), Err(null_at(&["key"])));
        assert_eq!(
            update_item_input(&json!({"TableName": "T", "Key": {}, "AttributeUpdates": {"a": {"Value": {"B": "x"}}}})),
            Err(ser(
                "Base64 encoded length is expected a multiple of 4 bytes but found: 1"
            ))
        );
        assert_eq!(
            update_item_input(&json!({"TableName": "T", "Key": {}, "UpdateExpression": {}})),
            Err(ser("Start of structure or map found where not expected"))
        );
    }

    #[test]
    fn delete_item_round_trip() {
        let body = json!({
            "TableName": "Music",
            "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}},
            "ConditionExpression": "Price > :p",
            "ExpressionAttributeValues": {":p": {"N": "0"}},
            "ExpressionAttributeNames": {"#x": "x"},
            "ReturnValues": "ALL_OLD",
            "ReturnConsumedCapacity": "TOTAL",
            "ReturnItemCollectionMetrics": "SIZE",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            "Expected": {"Price": {"ComparisonOperator": "NOT_NULL"}},
            "ConditionalOperator": "AND",
        });
        let expected = DeleteItemInput::builder()
            .table_name("Music")
            .set_key(Some(item(&[("Artist", s("Acme Band")), ("SongTitle", s("Happy Day"))])))
            .condition_expression("Price > :p")
            .set_expression_attribute_values(Some(item(&[(":p", n("0"))])))
            .set_expression_attribute_names(Some(names_map(&[("#x", "x")])))
            .return_values(ReturnValue::AllOld)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .expected(
                "Price",
                ExpectedAttributeValue::builder()
                    .comparison_operator(ComparisonOperator::NotNull)
                    .build(),
            )
            .conditional_operator(ConditionalOperator::And)
            .build()
            .unwrap();
        assert_eq!(delete_item_input(&body), Ok(expected));
        assert_eq!(delete_item_input(&json!({"Key": {}})), Err(null_at(&["tableName"])));

        let out = DeleteItemOutput::builder()
            .set_attributes(Some(item(&[("Artist", s("Acme Band"))])))
            .consumed_capacity(cap("Music", 1.0))
            .build();
        assert_eq!(
            delete_item_output(&out),
            json!({
                "Attributes": {"Artist": {"S": "Acme Band"}},
                "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 1.0},
            })
        );
    }

    #[test]
    fn query_round_trip() {
        let body = json!({
            "TableName": "Music",
            "IndexName": "ByYear",
            "Select": "SPECIFIC_ATTRIBUTES",
            "Limit": 10,
            "ConsistentRead": false,
            "ScanIndexForward": false,
            "ExclusiveStartKey": {"Artist": {"S": "A"}, "Year": {"N": "1999"}},
            "ReturnConsumedCapacity": "TOTAL",
            "ProjectionExpression": "Artist, #y",
            "FilterExpression": "Price > :p",
            "KeyConditionExpression": "Artist = :a AND #y BETWEEN :lo AND :hi",
            "ExpressionAttributeNames": {"#y": "Year"},
            "ExpressionAttributeValues": {
                ":a": {"S": "A"}, ":p": {"N": "1"}, ":lo": {"N": "1990"}, ":hi": {"N": "2000"},
            },
            "AttributesToGet": ["Artist"],
            "KeyConditions": {
                "Artist": {"AttributeValueList": [{"S": "A"}], "ComparisonOperator": "EQ"},
                "Year": {"AttributeValueList": [{"N": "1"}, {"N": "2"}], "ComparisonOperator": "BETWEEN"},
            },
            "QueryFilter": {"Price": {"ComparisonOperator": "NOT_NULL"}},
            "ConditionalOperator": "AND",
        });
        let expected = QueryInput::builder()
            .table_name("Music")
            .index_name("ByYear")
            .select(Select::SpecificAttributes)
            .limit(10)
            .consistent_read(false)
            .scan_index_forward(false)
            .set_exclusive_start_key(Some(item(&[("Artist", s("A")), ("Year", n("1999"))])))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .projection_expression("Artist, #y")
            .filter_expression("Price > :p")
            .key_condition_expression("Artist = :a AND #y BETWEEN :lo AND :hi")
            .set_expression_attribute_names(Some(names_map(&[("#y", "Year")])))
            .set_expression_attribute_values(Some(item(&[
                (":a", s("A")),
                (":p", n("1")),
                (":lo", n("1990")),
                (":hi", n("2000")),
            ])))
            .attributes_to_get("Artist")
            .key_conditions(
                "Artist",
                Condition::builder()
                    .attribute_value_list(s("A"))
                    .comparison_operator(ComparisonOperator::Eq)
                    .build()
                    .unwrap(),
            )
            .key_conditions(
                "Year",
                Condition::builder()
                    .attribute_value_list(n("1"))
                    .attribute_value_list(n("2"))
                    .comparison_operator(ComparisonOperator::Between)
                    .build()
                    .unwrap(),
            )
            .query_filter(
                "Price",
                Condition::builder()
                    .comparison_operator(ComparisonOperator::NotNull)
                    .build()
                    .unwrap(),
            )
            .conditional_operator(ConditionalOperator::And)
            .build()
            .unwrap();
        assert_eq!(query_input(&body), Ok(expected));

        let out = QueryOutput::builder()
            .items(item(&[("Artist", s("A")), ("Year", n("1995"))]))
            .items(item(&[("Artist", s("A")), ("Year", n("1998"))]))
            .count(2)
            .scanned_count(3)
            .set_last_evaluated_key(Some(item(&[("Artist", s("A")), ("Year", n("1998"))])))
            .consumed_capacity(cap("Music", 0.5))
            .build();
        assert_eq!(
            query_output(&out),
            json!({
                "Items": [
                    {"Artist": {"S": "A"}, "Year": {"N": "1995"}},
                    {"Artist": {"S": "A"}, "Year": {"N": "1998"}},
                ],
                "Count": 2,
                "ScannedCount": 3,
                "LastEvaluatedKey": {"Artist": {"S": "A"}, "Year": {"N": "1998"}},
                "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 0.5},
            })
        );
        let empty = QueryOutput::builder().set_items(Some(vec![])).build();
        assert_eq!(
            query_output(&empty),
            json!({"Items": [], "Count": 0, "ScannedCount": 0})
        );
    }

    #[test]
    fn query_errors() {
        assert_eq!(
            query_input(&json!({"TableName": "T", "Limit": "5"})),
            Err(ser("STRING_VALUE cannot be converted to Integer"))
        );
        assert_eq!(
            query_input(&json!({"TableName": "T", "Limit": true})),
            Err(ser("TRUE_VALUE cannot be converted to Integer"))
        );
        // A fraction is truncated, as DynamoDB's deserialiser does.
        assert_eq!(
            query_input(&json!({"TableName": "T", "Limit": 5.5})).unwrap().limit,
            Some(5)
        );
        assert_eq!(query_input(&json!({"Limit": 5})), Err(null_at(&["tableName"])));
        assert_eq!(
            query_input(&json!({"TableName": "T", "KeyConditions": {"a": {"AttributeValueList": [{"S": "x"}]}}})),
            Err(null_at(&["keyConditions.a.member.comparisonOperator"]))
        );
        assert_eq!(
            query_input(&json!({"TableName": "T", "QueryFilter": {"a": 1}})),
            Err(ser(MSG_UNEXPECTED_VALUE))
        );
        assert_eq!(
            query_input(&json!({"TableName": "T", "ExpressionAttributeNames": {"#a": 1}})),
            Err(ser("NUMBER_VALUE cannot be converted to String"))
        );
        assert_eq!(
            query_input(&json!({"TableName": "T", "ExpressionAttributeValues": {":a": {"N": 1}}})),
            Err(ser("NUMBER_VALUE cannot be converted to String"))
        );
        assert_eq!(
            query_input(&json!({"TableName": "T", "ExclusiveStartKey": {"a": {"X": "1"}}})),
            Err(CodecError::Validation(MSG_AV_EMPTY.into()))
        );
    }

    #[test]
    fn scan_round_trip() {
        let body = json!({
            "TableName": "Music",
            "IndexName": "ByYear",
            "Limit": 25,
            "Select": "COUNT",
            "Segment": 1,
            "TotalSegments": 4,
            "ConsistentRead": true,
            "ExclusiveStartKey": {"Artist": {"S": "A"}},
            "ReturnConsumedCapacity": "INDEXES",
            "ProjectionExpression": "Artist",
            "FilterExpression": "#g = :g",
            "ExpressionAttributeNames": {"#g": "Genre"},
            "ExpressionAttributeValues": {":g": {"S": "Rock"}},
            "AttributesToGet": ["Artist", "Genre"],
            "ScanFilter": {"Genre": {"AttributeValueList": [{"S": "Rock"}], "ComparisonOperator": "EQ"}},
            "ConditionalOperator": "OR",
        });
        let expected = ScanInput::builder()
            .table_name("Music")
            .index_name("ByYear")
            .limit(25)
            .select(Select::Count)
            .segment(1)
            .total_segments(4)
            .consistent_read(true)
            .set_exclusive_start_key(Some(item(&[("Artist", s("A"))])))
            .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
            .projection_expression("Artist")
            .filter_expression("#g = :g")
            .set_expression_attribute_names(Some(names_map(&[("#g", "Genre")])))
            .set_expression_attribute_values(Some(item(&[(":g", s("Rock"))])))
            .attributes_to_get("Artist")
            .attributes_to_get("Genre")
            .scan_filter(
                "Genre",
                Condition::builder()
                    .attribute_value_list(s("Rock"))
                    .comparison_operator(ComparisonOperator::Eq)
                    .build()
                    .unwrap(),
            )
            .conditional_operator(ConditionalOperator::Or)
            .build()
            .unwrap();
        assert_eq!(scan_input(&body), Ok(expected));
        assert_eq!(
            scan_input(&json!({"TableName": "T", "Segment": "1"})),
            Err(ser("STRING_VALUE cannot be converted to Integer"))
        );
        assert_eq!(
            scan_input(&json!({"TableName": "T", "ScanFilter": {"a": {}}})),
            Err(null_at(&["scanFilter.a.member.comparisonOperator"]))
        );
        assert_eq!(
            scan_input(&json!({"TableName": "T", "AttributesToGet": "a"})),
            Err(ser("Unexpected field type"))
        );

        let out = ScanOutput::builder()
            .count(7)
            .scanned_count(9)
            .consumed_capacity(
                ConsumedCapacity::builder()
                    .table_name("Music")
                    .capacity_units(2.0)
                    .table(Capacity::builder().capacity_units(1.5).build())
                    .global_secondary_indexes("ByYear", Capacity::builder().capacity_units(0.5).build())
                    .build(),
            )
            .build();
        assert_eq!(
            scan_output(&out),
            json!({
                "Count": 7,
                "ScannedCount": 9,
                "ConsumedCapacity": {
                    "TableName": "Music",
                    "CapacityUnits": 2.0,
                    "Table": {"CapacityUnits": 1.5},
                    "GlobalSecondaryIndexes": {"ByYear": {"CapacityUnits": 0.5}},
                },
            })
        );
    }

    #[test]
    fn batch_get_item_round_trip() {
        let body = json!({
            "RequestItems": {
                "Music": {
                    "Keys": [
                        {"Artist": {"S": "A"}, "SongTitle": {"S": "x"}},
                        {"Artist": {"S": "B"}, "SongTitle": {"S": "y"}},
                    ],
                    "ProjectionExpression": "#a, SongTitle",
                    "ExpressionAttributeNames": {"#a": "Artist"},
                    "ConsistentRead": true,
                },
                "Books": {"Keys": [{"Id": {"N": "1"}}], "AttributesToGet": ["Title"]},
            },
            "ReturnConsumedCapacity": "TOTAL",
        });
        let expected = BatchGetItemInput::builder()
            .request_items(
                "Music",
                KeysAndAttributes::builder()
                    .keys(item(&[("Artist", s("A")), ("SongTitle", s("x"))]))
                    .keys(item(&[("Artist", s("B")), ("SongTitle", s("y"))]))
                    .projection_expression("#a, SongTitle")
                    .expression_attribute_names("#a", "Artist")
                    .consistent_read(true)
                    .build()
                    .unwrap(),
            )
            .request_items(
                "Books",
                KeysAndAttributes::builder()
                    .keys(item(&[("Id", n("1"))]))
                    .attributes_to_get("Title")
                    .build()
                    .unwrap(),
            )
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .build()
            .unwrap();
        assert_eq!(batch_get_item_input(&body), Ok(expected));

        let out = BatchGetItemOutput::builder()
            .responses("Music", vec![item(&[("Artist", s("A")), ("SongTitle", s("x"))])])
            .responses("Books", vec![])
            .unprocessed_keys(
                "Music",
                KeysAndAttributes::builder()
                    .keys(item(&[("Artist", s("B")), ("SongTitle", s("y"))]))
                    .projection_expression("#a, SongTitle")
                    .expression_attribute_names("#a", "Artist")
                    .consistent_read(true)
                    .build()
                    .unwrap(),
            )
            .consumed_capacity(cap("Music", 1.0))
            .consumed_capacity(cap("Books", 0.5))
            .build();
        assert_eq!(
            batch_get_item_output(&out),
            json!({
                "Responses": {
                    "Music": [{"Artist": {"S": "A"}, "SongTitle": {"S": "x"}}],
                    "Books": [],
                },
                "UnprocessedKeys": {
                    "Music": {
                        "Keys": [{"Artist": {"S": "B"}, "SongTitle": {"S": "y"}}],
                        "ProjectionExpression": "#a, SongTitle",
                        "ExpressionAttributeNames": {"#a": "Artist"},
                        "ConsistentRead": true,
                    },
                },
                "ConsumedCapacity": [
                    {"TableName": "Music", "CapacityUnits": 1.0},
                    {"TableName": "Books", "CapacityUnits": 0.5},
                ],
            })
        );
        let empty = BatchGetItemOutput::builder()
            .set_responses(Some(HashMap::new()))
            .set_unprocessed_keys(Some(HashMap::new()))
            .build();
        assert_eq!(
            batch_get_item_output(&empty),
            json!({"Responses": {}, "UnprocessedKeys": {}})
        );
    }

    #[test]
    fn batch_get_item_errors() {
        assert_eq!(batch_get_item_input(&json!({})), Err(null_at(&["requestItems"])));
        assert_eq!(
            batch_get_item_input(&json!({"RequestItems": {"T": {"ConsistentRead": true}}})),
            Err(null_at(&["requestItems.T.member.keys"]))
        );
        assert_eq!(
            batch_get_item_input(&json!({"RequestItems": {"T": {"Keys": [5]}}})),
            Err(ser(MSG_PARAMETERIZED))
        );
        assert_eq!(
            batch_get_item_input(&json!({"RequestItems": {"T": {"Keys": [{"k": {}}]}}})),
            Err(CodecError::Validation(MSG_AV_EMPTY.into()))
        );
        assert_eq!(
            batch_get_item_input(&json!({"RequestItems": []})),
            Err(ser("Unrecognized collection type java.util.Map<java.lang.String, \
                 com.amazonaws.dynamodb.v20120810.KeysAndAttributes>"))
        );
        assert_eq!(
            batch_get_item_input(&json!({"RequestItems": {"T": []}})),
            Err(ser(
                "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes"
            ))
        );
    }

    #[test]
    fn batch_write_item_round_trip() {
        let body = json!({
            "RequestItems": {
                "Music": [
                    {"PutRequest": {"Item": {"Artist": {"S": "A"}, "Plays": {"N": "3"}}}},
                    {"DeleteRequest": {"Key": {"Artist": {"S": "B"}}}},
                ],
            },
            "ReturnConsumedCapacity": "TOTAL",
            "ReturnItemCollectionMetrics": "SIZE",
        });
        let put = WriteRequest::builder()
            .put_request(
                PutRequest::builder()
                    .set_item(Some(item(&[("Artist", s("A")), ("Plays", n("3"))])))
                    .build()
                    .unwrap(),
            )
            .build();
        let delete = WriteRequest::builder()
            .delete_request(
                DeleteRequest::builder()
                    .set_key(Some(item(&[("Artist", s("B"))])))
                    .build()
                    .unwrap(),
            )
            .build();
        let expected = BatchWriteItemInput::builder()
            .request_items("Music", vec![put.clone(), delete.clone()])
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
            .build()
            .unwrap();
        assert_eq!(batch_write_item_input(&body), Ok(expected));

        let out = BatchWriteItemOutput::builder()
            .unprocessed_items("Music", vec![put, delete])
            .item_collection_metrics(
                "Music",
                vec![
                    ItemCollectionMetrics::builder()
                        .item_collection_key("Artist", s("A"))
                        .size_estimate_range_gb(0.0)
                        .size_estimate_range_gb(1.0)
                        .build(),
                ],
            )
            .consumed_capacity(cap("Music", 2.0))
            .build();
        assert_eq!(
            batch_write_item_output(&out),
            json!({
                "UnprocessedItems": {
                    "Music": [
                        {"PutRequest": {"Item": {"Artist": {"S": "A"}, "Plays": {"N": "3"}}}},
                        {"DeleteRequest": {"Key": {"Artist": {"S": "B"}}}},
                    ],
                },
                "ItemCollectionMetrics": {
                    "Music": [{"ItemCollectionKey": {"Artist": {"S": "A"}}, "SizeEstimateRangeGB": [0.0, 1.0]}],
                },
                "ConsumedCapacity": [{"TableName": "Music", "CapacityUnits": 2.0}],
            })
        );
        let empty = BatchWriteItemOutput::builder()
            .set_unprocessed_items(Some(HashMap::new()))
            .build();
        assert_eq!(batch_write_item_output(&empty), json!({"UnprocessedItems": {}}));
    }

    #[test]
    fn batch_write_item_errors() {
        assert_eq!(batch_write_item_input(&json!({})), Err(null_at(&["requestItems"])));
        assert_eq!(
            batch_write_item_input(&json!({"RequestItems": {"T": [{"PutRequest": {}}, {"DeleteRequest": {}}]}})),
            Err(null_at(&[
                "requestItems.T.member.1.member.putRequest.item",
                "requestItems.T.member.2.member.deleteRequest.key",
            ]))
        );
        assert_eq!(
            batch_write_item_input(&json!({"RequestItems": {"T": 5}})),
            Err(ser(MSG_PARAMETERIZED))
        );
        assert_eq!(
            batch_write_item_input(&json!({"RequestItems": {"T": {}}})),
            Err(ser("Start of structure or map found where not expected"))
        );
        assert_eq!(
            batch_write_item_input(&json!({"RequestItems": {"T": ["x"]}})),
            Err(ser(MSG_UNEXPECTED_VALUE))
        );
        assert_eq!(
            batch_write_item_input(&json!({"RequestItems": {"T": [{"PutRequest": "x"}]}})),
            Err(ser("Unexpected field type"))
        );
        assert_eq!(
            batch_write_item_input(&json!({"RequestItems": {"T": [{"PutRequest": {"Item": {"a": {"B": 1}}}}]}})),
            Err(ser("only base-64-encoded strings are convertible to bytes"))
        );
        // An empty write request is the engine's to reject.
        let input = batch_write_item_input(&json!({"RequestItems": {"T": [{}]}})).unwrap();
        assert_eq!(input.request_items.unwrap()["T"], vec![WriteRequest::builder().build()]);
    }

    #[test]
    fn transact_get_items_round_trip() {
        let body = json!({
            "TransactItems": [
                {"Get": {"TableName": "Music", "Key": {"Artist": {"S": "A"}}}},
                {"Get": {
                    "TableName": "Books",
                    "Key": {"Id": {"N": "1"}},
                    "ProjectionExpression": "#t",
                    "ExpressionAttributeNames": {"#t": "Title"},
                }},
            ],
            "ReturnConsumedCapacity": "TOTAL",
        });
        let expected = TransactGetItemsInput::builder()
            .transact_items(
                TransactGetItem::builder()
                    .get(
                        Get::builder()
                            .table_name("Music")
                            .set_key(Some(item(&[("Artist", s("A"))])))
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .transact_items(
                TransactGetItem::builder()
                    .get(
                        Get::builder()
                            .table_name("Books")
                            .set_key(Some(item(&[("Id", n("1"))])))
                            .projection_expression("#t")
                            .expression_attribute_names("#t", "Title")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .build()
            .unwrap();
        assert_eq!(transact_get_items_input(&body), Ok(expected));

        let out = TransactGetItemsOutput::builder()
            .responses(
                ItemResponse::builder()
                    .set_item(Some(item(&[("Artist", s("A"))])))
                    .build(),
            )
            .responses(ItemResponse::builder().build())
            .consumed_capacity(cap("Music", 2.0))
            .consumed_capacity(cap("Books", 2.0))
            .build();
        assert_eq!(
            transact_get_items_output(&out),
            json!({
                "Responses": [{"Item": {"Artist": {"S": "A"}}}, {}],
                "ConsumedCapacity": [
                    {"TableName": "Music", "CapacityUnits": 2.0},
                    {"TableName": "Books", "CapacityUnits": 2.0},
                ],
            })
        );
    }

    #[test]
    fn transact_get_items_errors() {
        assert_eq!(transact_get_items_input(&json!({})), Err(null_at(&["transactItems"])));
        assert_eq!(
            transact_get_items_input(&json!({"TransactItems": [{}, {"Get": {}}, null]})),
            Err(null_at(&[
                "transactItems.1.member.get",
                "transactItems.2.member.get.key",
                "transactItems.2.member.get.tableName",
                "transactItems.3.member.get",
            ]))
        );
        assert_eq!(
            transact_get_items_input(&json!({"TransactItems": [5]})),
            Err(ser(MSG_UNEXPECTED_VALUE))
        );
        assert_eq!(
            transact_get_items_input(&json!({"TransactItems": [[]]})),
            Err(ser(
                "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.TransactGetItem"
            ))
        );
        assert_eq!(
            transact_get_items_input(&json!({"TransactItems": {}})),
            Err(ser("Start of structure or map found where not expected"))
        );
        // An empty list is the engine's to reject.
        assert_eq!(
            transact_get_items_input(&json!({"TransactItems": []}))
                .unwrap()
                .transact_items,
            Some(vec![])
        );
    }

    #[test]
    fn transact_write_items_round_trip() {
        let body = json!({
            "TransactItems": [
                {"ConditionCheck": {
                    "TableName": "Accounts",
                    "Key": {"Id": {"S": "a"}},
                    "ConditionExpression": "Balance >= :amt",
                    "ExpressionAttributeValues": {":amt": {"N": "10"}},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }},
                {"Put": {
                    "TableName": "Ledger",
                    "Item": {"Id": {"S": "t1"}, "Amount": {"N": "10"}},
                    "ConditionExpression": "attribute_not_exists(Id)",
                    "ExpressionAttributeNames": {"#i": "Id"},
                }},
                {"Update": {
                    "TableName": "Accounts",
                    "Key": {"Id": {"S": "b"}},
                    "UpdateExpression": "ADD Balance :amt",
                    "ExpressionAttributeValues": {":amt": {"N": "10"}},
                }},
                {"Delete": {
                    "TableName": "Holds",
                    "Key": {"Id": {"S": "h"}},
                    "ConditionExpression": "attribute_exists(Id)",
                    "ReturnValuesOnConditionCheckFailure": "NONE",
                }},
            ],
            "ReturnConsumedCapacity": "TOTAL",
            "ReturnItemCollectionMetrics": "SIZE",
            "ClientRequestToken": "token-1",
        });
        let amt = item(&[(":amt", n("10"))]);
        let expected = TransactWriteItemsInput::builder()
            .transact_items(
                TransactWriteItem::builder()
                    .condition_check(
                        ConditionCheck::builder()
                            .table_name("Accounts")
                            .set_key(Some(item(&[("Id", s("a"))])))
                            .condition_expression("Balance >= :amt")
                            .set_expression_attribute_values(Some(amt.clone()))
                            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .transact_items(
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name("Ledger")
                            .set_item(Some(item(&[("Id", s("t1")), ("Amount", n("10"))])))
                            .condition_expression("attribute_not_exists(Id)")
                            .expression_attribute_names("#i", "Id")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .transact_items(
                TransactWriteItem::builder()
                    .update(
                        Update::builder()
                            .table_name("Accounts")
                            .set_key(Some(item(&[("Id", s("b"))])))
                            .update_expression("ADD Balance :amt")
                            .set_expression_attribute_values(Some(amt))
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .transact_items(
                TransactWriteItem::builder()
                    .delete(
                        Delete::builder()
                            .table_name("Holds")
                            .set_key(Some(item(&[("Id", s("h"))])))
                            .condition_expression("attribute_exists(Id)")
                            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::None)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
            .client_request_token("token-1")
            .build()
            .unwrap();
        assert_eq!(transact_write_items_input(&body), Ok(expected));

        let out = TransactWriteItemsOutput::builder()
            .consumed_capacity(cap("Accounts", 4.0))
            .item_collection_metrics(
                "Ledger",
                vec![
                    ItemCollectionMetrics::builder()
                        .item_collection_key("Id", s("t1"))
                        .size_estimate_range_gb(0.0)
                        .size_estimate_range_gb(1.0)
                        .build(),
                ],
            )
            .build();
        assert_eq!(
            transact_write_items_output(&out),
            json!({
                "ConsumedCapacity": [{"TableName": "Accounts", "CapacityUnits": 4.0}],
                "ItemCollectionMetrics": {
                    "Ledger": [{"ItemCollectionKey": {"Id": {"S": "t1"}}, "SizeEstimateRangeGB": [0.0, 1.0]}],
                },
            })
        );
        assert_eq!(
            transact_write_items_output(&TransactWriteItemsOutput::builder().build()),
            json!({})
        );
    }

    #[test]
    fn transact_write_items_errors() {
        assert_eq!(transact_write_items_input(&json!({})), Err(null_at(&["transactItems"])));
        let body = json!({"TransactItems": [
            {"Put": {"Item": {}}},
            {"Update": {"TableName": "T", "Key": {}}},
            {"ConditionCheck": {"TableName": "T", "Key": {}}},
            {"Delete": {"TableName": "T"}},
        ]});
        assert_eq!(
            transact_write_items_input(&body),
            Err(null_at(&[
                "transactItems.1.member.put.tableName",
                "transactItems.2.member.update.updateExpression",
                "transactItems.3.member.conditionCheck.conditionExpression",
                "transactItems.4.member.delete.key",
            ]))
        );
        // Type errors first, wherever they are.
        let body = json!({"TransactItems": [{"Put": {}}, {"Update": {"Key": {"a": {"S": 1}}}}]});
        assert_eq!(
            transact_write_items_input(&body),
            Err(ser("NUMBER_VALUE cannot be converted to String"))
        );
        assert_eq!(
            transact_write_items_input(&json!({"TransactItems": [{"Put": []}]})),
            Err(ser(
                "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Put"
            ))
        );
        assert_eq!(
            transact_write_items_input(&json!({"TransactItems": [], "ClientRequestToken": 5})),
            Err(ser("NUMBER_VALUE cannot be converted to String"))
        );
        // A write item with no action, or with two, is the engine's to reject.
        let input = transact_write_items_input(&json!({"TransactItems": [{}]})).unwrap();
        assert_eq!(input.transact_items, Some(vec![TransactWriteItem::builder().build()]));
    }
}
