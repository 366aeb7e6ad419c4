//! Single-item operations: GetItem, PutItem, DeleteItem (and UpdateItem once
//! the expression engine evaluates updates).

use std::borrow::Cow;
use std::collections::HashMap;

use aws_sdk_dynamodb::types::{ConsumedCapacity, ReturnConsumedCapacity, ReturnValue};

use super::capacity::{DeleteCall, delete_charge, new_entries, put_charge};
use super::catalog::Catalog;
use super::engine::Found;
use super::keys::{self, PrimaryKey};
use super::meta::TableMeta;
use super::size;
use super::store::TableData;
use super::values;
use crate::error::Message;
use crate::sdk::*;
use crate::{Error, Item};

pub(crate) fn v(msg: impl Into<String>) -> Error {
    Error::Validation(Message::new(msg))
}

/// The parameter-null error DynamoDB gives for a missing required member.
pub(crate) fn null(field: &str) -> Error {
    v(format!(
        "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
    ))
}

/// Consumed capacity, when the request asked for it.
pub(crate) fn capacity(meta: &TableMeta, rcc: Option<&ReturnConsumedCapacity>, units: f64) -> Option<ConsumedCapacity> {
    super::capacity::Charge::read(None, units).report(meta, rcc)
}

/// Read units for `size` bytes: 4 KB per unit, half for eventual consistency.
pub(crate) fn read_units(size: usize, consistent: bool) -> f64 {
    let units = size.div_ceil(4096).max(1) as f64;
    if consistent { units } else { units / 2.0 }
}

/// Write units for `size` bytes: 1 KB per unit.
pub(crate) fn write_units(size: usize) -> f64 {
    size.div_ceil(1024).max(1) as f64
}

/// Validates an item to be written and returns its key and size: values,
/// key attributes, index key attributes, size.
pub(crate) fn check_new_item(meta: &TableMeta, item: &mut Item) -> Result<(PrimaryKey, usize), Error> {
    values::check_item(item)?;
    let key = keys::item_key(item, &meta.hash, meta.range.as_ref())?;
    let size = values::check_item_size(item)?;
    if !meta.indexes.is_empty() {
        TableData::check_index_keys(meta, item)?;
    }
    Ok((key, size))
}

/// `GetItem`.
pub(crate) fn get_item(catalog: &Catalog, input: GetItemInput) -> Result<GetItemOutput, Error> {
    let mut item = None;
    let cap = get_item_to(catalog, input, &mut |found| item = Some(found.into_item()))?;
    Ok(GetItemOutput::builder()
        .set_item(item)
        .set_consumed_capacity(cap)
        .build())
}

/// `GetItem`, handing the item, if found, to `sink`; returns the consumed
/// capacity, when asked for.
pub(crate) fn get_item_to(
    catalog: &Catalog,
    input: GetItemInput,
    sink: &mut dyn FnMut(Found<'_>),
) -> Result<Option<ConsumedCapacity>, Error> {
    let legacy = super::legacy::get_item(&input)?;
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let key = input.key.as_ref().ok_or_else(|| null("key"))?;
    let t = table.read();
    let pk = keys::request_key(key, &t.meta.hash, t.meta.range.as_ref())?;
    let projection = super::engine::Projector::new(
        input.projection_expression.as_deref(),
        input.expression_attribute_names.as_ref(),
    )?;
    let projection = legacy.map_or(projection, |paths| super::engine::Projector::from_paths(Some(paths)));
    let found = t.data.stored(&pk);
    let consistent = input.consistent_read.unwrap_or(false);
    let cap = capacity(
        &t.meta,
        input.return_consumed_capacity.as_ref(),
        read_units(found.map_or(0, super::encoding::Stored::size), consistent),
    );
    if let Some(stored) = found {
        sink(if projection.is_identity() {
            Found::Stored(stored)
        } else {
            Found::Item(projection.apply_owned(stored.decode()))
        });
    }
    Ok(cap)
}

/// Checks `ReturnValues` for PutItem and DeleteItem (NONE or ALL_OLD).
fn return_old(rv: Option<&ReturnValue>) -> Result<bool, Error> {
    match rv {
        None | Some(ReturnValue::None) => Ok(false),
        Some(ReturnValue::AllOld) => Ok(true),
        Some(_) => Err(v("Return values set to invalid value")),
    }
}

/// `PutItem`.
pub(crate) fn put_item(catalog: &Catalog, input: PutItemInput) -> Result<PutItemOutput, Error> {
    super::legacy::put_item(&input)?;
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let mut item = input.item.ok_or_else(|| null("item"))?;
    let want_old = return_old(input.return_values.as_ref())?;
    let cond = write_condition(
        input.condition_expression.as_deref(),
        input.expression_attribute_names.as_ref(),
        input.expression_attribute_values,
        (&input.expected, &input.conditional_operator),
        &input.return_values_on_condition_check_failure,
    )?;
    let mut guard = table.write();
    let t = &mut *guard;
    let (key, size) = check_new_item(&t.meta, &mut item)?;
    super::validate::on_condition_failure(input.return_values_on_condition_check_failure.as_ref())?;
    if cond.is_set() {
        cond.check(t.data.get(&key).as_ref())?;
    }
    let rcc = input.return_consumed_capacity.as_ref();
    let entries = new_entries(&t.meta, rcc, &item);
    let replaced = t.data.put(&t.meta, key, &item, size);
    let cap = put_charge(&t.meta, entries, &replaced).and_then(|c| c.report(&t.meta, rcc));
    Ok(PutItemOutput::builder()
        .set_attributes(if want_old {
            replaced.old.map(|o| o.decode())
        } else {
            None
        })
        .set_consumed_capacity(cap)
        .build())
}

/// The condition of a PutItem or DeleteItem: its `ConditionExpression`, or
/// its legacy `Expected` (with `ConditionalOperator`) translated.
fn write_condition(
    expression: Option<&str>,
    names: Option<&HashMap<String, String>>,
    values: Option<Item>,
    (expected, operator): (
        &Option<HashMap<String, ExpectedAttributeValue>>,
        &Option<ConditionalOperator>,
    ),
    on_fail: &Option<ReturnValuesOnConditionCheckFailure>,
) -> Result<super::engine::Conditional, Error> {
    let cond = super::engine::Conditional::new(expression, names, values, on_fail.as_ref())?;
    super::legacy::conditional(cond, expected, operator, on_fail)
}

/// `DeleteItem`.
pub(crate) fn delete_item(catalog: &Catalog, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
    super::legacy::delete_item(&input)?;
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let key = input.key.as_ref().ok_or_else(|| null("key"))?;
    let want_old = return_old(input.return_values.as_ref())?;
    let cond = write_condition(
        input.condition_expression.as_deref(),
        input.expression_attribute_names.as_ref(),
        input.expression_attribute_values,
        (&input.expected, &input.conditional_operator),
        &input.return_values_on_condition_check_failure,
    )?;
    let mut guard = table.write();
    let t = &mut *guard;
    let pk = keys::request_key(key, &t.meta.hash, t.meta.range.as_ref())?;
    super::validate::on_condition_failure(input.return_values_on_condition_check_failure.as_ref())?;
    if cond.is_set() {
        cond.check(t.data.get(&pk).as_ref())?;
    }
    let old = t.data.delete(&t.meta, &pk);
    let rcc = input.return_consumed_capacity.as_ref();
    let cap = delete_charge(&t.meta, rcc, old.as_ref(), DeleteCall::Single).and_then(|c| c.report(&t.meta, rcc));
    Ok(DeleteItemOutput::builder()
        .set_attributes(if want_old { old.map(|o| o.decode()) } else { None })
        .set_consumed_capacity(cap)
        .build())
}

/// Checks that no action of an update touches a key attribute.
pub(crate) fn check_update_keys(meta: &TableMeta, update: &super::ast::Update) -> Result<(), Error> {
    for path in super::eval::updated_paths(update) {
        let root = path.root();
        if root == meta.hash.name || meta.range.as_ref().is_some_and(|r| r.name == root) {
            return Err(v(format!(
                "One or more parameter values were invalid: Cannot update attribute {root}. This attribute is part of the key"
            )));
        }
    }
    Ok(())
}

/// The item an update produces from `old` (or from the key alone), checked
/// like any item written.
pub(crate) fn updated_item(
    meta: &TableMeta,
    pk: &PrimaryKey,
    old: Option<Cow<'_, Item>>,
    update: Option<&super::ast::Update>,
) -> Result<(Item, usize), Error> {
    let (new, size) = apply_update_sized(meta, pk, old, update)?;
    TableData::check_index_keys(meta, &new)?;
    Ok((new, size))
}

/// [`updated_item`] without the index-key check, for callers that classify
/// that check's errors themselves (a transaction cancels on them). `old` is
/// copied only when borrowed (when the caller still needs it).
pub(crate) fn apply_update_sized(
    meta: &TableMeta,
    pk: &PrimaryKey,
    old: Option<Cow<'_, Item>>,
    update: Option<&super::ast::Update>,
) -> Result<(Item, usize), Error> {
    let mut new = match old {
        Some(o) => o.into_owned(),
        None => keys::key_item(pk, &meta.hash, meta.range.as_ref()),
    };
    if let Some(u) = update {
        super::eval::apply_update(u, &mut new)?;
    }
    let size = size::item_size(&new);
    if size > values::MAX_ITEM_SIZE {
        return Err(v("Item size to update has exceeded the maximum allowed size"));
    }
    Ok((new, size))
}

/// `UpdateItem`: an upsert, as on DynamoDB.
pub(crate) fn update_item(catalog: &Catalog, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
    update_item_to(catalog, input, None)
}

/// `UpdateItem`, handing the attributes it returns, if any, to `sink` when
/// given (the new item as stored, for `ALL_NEW`) instead of putting them in
/// the output.
pub(crate) fn update_item_to(
    catalog: &Catalog,
    input: UpdateItemInput,
    sink: Option<&mut dyn FnMut(Found<'_>)>,
) -> Result<UpdateItemOutput, Error> {
    super::legacy::update_item(&input)?;
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let key = input.key.as_ref().ok_or_else(|| null("key"))?;
    let parsed = super::engine::parse(super::engine::ExprInput {
        names: input.expression_attribute_names.as_ref(),
        values: input.expression_attribute_values,
        condition: input.condition_expression.as_deref(),
        update: input.update_expression.as_deref(),
        op: Some(super::engine::ExprOp::Update),
        ..Default::default()
    })?;
    let (parsed, legacy) = super::legacy::update_parsed(
        parsed,
        input.attribute_updates.as_ref(),
        input.expected.as_ref(),
        input.conditional_operator.as_ref(),
    )?;
    let rv = input.return_values.clone().unwrap_or(ReturnValue::None);
    if !matches!(
        rv,
        ReturnValue::None
            | ReturnValue::AllOld
            | ReturnValue::AllNew
            | ReturnValue::UpdatedOld
            | ReturnValue::UpdatedNew
    ) {
        return Err(v("Return values set to invalid value"));
    }
    let cond = super::engine::Conditional::from_parsed(
        parsed.condition,
        input.return_values_on_condition_check_failure.as_ref(),
    );
    let mut guard = table.write();
    let t = &mut *guard;
    let pk = keys::request_key(key, &t.meta.hash, t.meta.range.as_ref())?;
    super::validate::on_condition_failure(input.return_values_on_condition_check_failure.as_ref())?;
    let old_item = t.data.get(&pk);
    let old = old_item.as_ref();
    // DynamoDB (Local) checks the condition before refusing an update of a
    // key attribute.
    cond.check(old)?;
    if let Some(u) = &parsed.update {
        check_update_keys(&t.meta, u)?;
    }
    legacy.check(&t.meta, old)?;
    // The old item is kept only for the answers that show it.
    let keep_old = matches!(rv, ReturnValue::AllOld | ReturnValue::UpdatedOld);
    let (new, size, old_item) = if keep_old {
        let (new, size) = updated_item(&t.meta, &pk, old.map(Cow::Borrowed), parsed.update.as_ref())?;
        (new, size, old_item)
    } else {
        let (new, size) = updated_item(&t.meta, &pk, old_item.map(Cow::Owned), parsed.update.as_ref())?;
        (new, size, None)
    };
    let old = old_item.as_ref();
    // `ALL_NEW` to a sink: the item, with its stored form, once written.
    let new_key = (sink.is_some() && rv == ReturnValue::AllNew).then(|| pk.clone());
    // `ALL_NEW` in the output: the new item itself, once written.
    let all_new = rv == ReturnValue::AllNew && new_key.is_none();
    let attributes = match rv {
        ReturnValue::AllOld => old_item.clone(),
        ReturnValue::AllNew => None,
        ReturnValue::UpdatedOld | ReturnValue::UpdatedNew => {
            // Whole top-level attributes (DynamoDB Local), of the actions
            // whose path holds something in the item shown (it projects the
            // paths): the old item for UPDATED_OLD, where a SET or ADD of a
            // path not there before shows nothing; the new one for
            // UPDATED_NEW, where a REMOVE shows only a list element that a
            // later one moved into, and a SET past a list's end (which
            // appends) shows nothing.
            let shown = if rv == ReturnValue::UpdatedOld { old } else { Some(&new) };
            let mut paths: Vec<super::ast::Path> = Vec::new();
            for action in parsed.update.as_ref().map(|u| u.actions.as_slice()).unwrap_or_default() {
                let path = match action {
                    super::ast::UpdateAction::Set(p, _)
                    | super::ast::UpdateAction::Add(p, _)
                    | super::ast::UpdateAction::Delete(p, _)
                    | super::ast::UpdateAction::Remove(p) => p,
                };
                if shown.is_none_or(|i| super::eval::project(i, std::slice::from_ref(path)).is_empty()) {
                    continue;
                }
                paths.push(super::ast::Path {
                    elements: path.elements.iter().take(1).cloned().collect(),
                });
            }
            paths.sort();
            paths.dedup();
            shown.map(|s| super::eval::project(s, &paths)).filter(|i| !i.is_empty())
        }
        _ => None,
    };
    let rcc = input.return_consumed_capacity.as_ref();
    let entries = new_entries(&t.meta, rcc, &new);
    let replaced = t.data.put(&t.meta, pk, &new, size);
    let cap = put_charge(&t.meta, entries, &replaced).and_then(|c| c.report(&t.meta, rcc));
    let (mut attributes, new) = if all_new {
        (Some(new), None)
    } else {
        (attributes, Some(new))
    };
    if let Some(sink) = sink {
        if let Some((stored, new)) = new_key.and_then(|k| t.data.stored(&k)).zip(new) {
            sink(Found::Written(new, stored));
        } else if let Some(item) = attributes.take() {
            sink(Found::Item(item));
        }
    }
    Ok(UpdateItemOutput::builder()
        .set_attributes(attributes)
        .set_consumed_capacity(cap)
        .build())
}
