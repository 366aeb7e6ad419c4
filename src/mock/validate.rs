//! The static validation step every operation runs first, before any table
//! lookup, on the in-process mock and the mock server alike: what DynamoDB
//! (and DynamoDB Local) refuse from the request alone.
//!
//! DynamoDB Local looks the table up before most semantic checks (a bad
//! `ReturnValues` or `Limit` on a missing table is ResourceNotFound there),
//! so only what Local also refuses before the lookup is checked here: a
//! missing `TableName`, a malformed table ARN, empty or missing batch
//! request maps and per-table lists, and the enum members of CreateTable's
//! key schema. A `TableName` given as a table ARN is turned into the name.
//! The checks that come after the lookup on Local have their helpers here
//! too ([`on_condition_failure`]), called where the
//! operation reaches them.

use aws_sdk_dynamodb::types::{KeySchemaElement, KeyType, ReturnValuesOnConditionCheckFailure, ScalarAttributeType};

use crate::Error;
use crate::error::Message;
use crate::sdk::*;

fn v(msg: impl Into<String>) -> Error {
    Error::Validation(Message::new(msg))
}

/// DynamoDB's answer to a request without its `TableName`.
pub(crate) const TABLE_NAME_REQUIRED: &str = "The parameter 'TableName' is required but was not present in the request";

/// DynamoDB's answer to a `TableName` that starts like an ARN but is not a
/// table ARN.
const BAD_ARN: &str = "Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where Resource name must have length less than or equal to 255, Resource name must have length greater than or equal to 3, Resource name must satisfyregular expression pattern: [a-zA-Z0-9_.-]+";

/// Constraint violations collected in DynamoDB's order and reported in its
/// form: `N validation error(s) detected: Value ... at '...' failed to
/// satisfy constraint: ...; ...`.
#[derive(Debug, Default)]
pub(crate) struct Violations {
    list: Vec<String>,
}

impl Violations {
    /// Records that `value` (`None`: null) at `path` breaks `constraint`.
    pub(crate) fn push(&mut self, value: Option<&str>, path: &str, constraint: &str) {
        self.list.push(crate::wire::constraint_message(value, path, constraint));
    }

    /// `Ok` when nothing was recorded, else the ValidationException.
    pub(crate) fn finish(self) -> Result<(), Error> {
        match crate::wire::detected(&self.list) {
            Some(m) => Err(v(m)),
            None => Ok(()),
        }
    }
}

/// The table name a `TableName` stands for: the name itself, or the name at
/// the end of a table ARN (`arn:aws:dynamodb:us-east-1:123456789012:table/t`),
/// which every operation accepts.
pub(crate) fn resolve_table_name(name: &mut Option<String>) -> Result<(), Error> {
    let Some(given) = name.as_deref() else {
        return Err(v(TABLE_NAME_REQUIRED));
    };
    if !given.starts_with("arn:") {
        return Ok(());
    }
    let parts: Vec<&str> = given.splitn(6, ':').collect();
    let resource = match parts.as_slice() {
        [_, _, _, _, _, resource] => *resource,
        _ => return Err(v(BAD_ARN)),
    };
    let Some(table) = resource.strip_prefix("table/") else {
        return Err(v(BAD_ARN));
    };
    *name = Some(table.to_string());
    Ok(())
}

/// The names of a batch's `RequestItems`, resolved like `TableName`.
fn resolve_keys<V>(map: &mut std::collections::HashMap<String, V>) -> Result<(), Error> {
    if !map.keys().any(|k| k.starts_with("arn:")) {
        return Ok(());
    }
    let mut out = std::collections::HashMap::with_capacity(map.len());
    for (k, val) in map.drain() {
        let mut name = Some(k);
        resolve_table_name(&mut name)?;
        out.insert(name.unwrap_or_default(), val);
    }
    *map = out;
    Ok(())
}

/// `value` when it is none of an enum's `known` values.
fn unknown<'a>(value: &'a str, known: &[&str]) -> Option<&'a str> {
    (!known.contains(&value)).then_some(value)
}

/// A request's static validation, run before anything else.
pub(crate) trait Validate {
    /// Checks what can be checked without the tables, and puts the request
    /// into the form the engine reads (a table ARN becomes its name).
    fn validate(&mut self) -> Result<(), Error>;
}

/// Operations whose only static rule is their `TableName`.
macro_rules! by_table_name {
    ($($input:ty),*) => {
        $(impl Validate for $input {
            fn validate(&mut self) -> Result<(), Error> {
                resolve_table_name(&mut self.table_name)
            }
        })*
    };
}

by_table_name!(
    GetItemInput,
    PutItemInput,
    UpdateItemInput,
    DeleteItemInput,
    QueryInput,
    ScanInput,
    DescribeTableInput,
    DeleteTableInput,
    UpdateTableInput,
    UpdateTimeToLiveInput,
    DescribeTimeToLiveInput
);

/// Operations with no static rule of their own here.
macro_rules! nothing_static {
    ($($input:ty),*) => {
        $(impl Validate for $input {
            fn validate(&mut self) -> Result<(), Error> {
                Ok(())
            }
        })*
    };
}

nothing_static!(
    ListTablesInput,
    TagResourceInput,
    UntagResourceInput,
    ListTagsOfResourceInput
);

/// DynamoDB's answer to a batch without requests.
fn no_requests(op: &str) -> Error {
    v(format!("The requestItems parameter is required for {op}"))
}

impl Validate for BatchGetItemInput {
    fn validate(&mut self) -> Result<(), Error> {
        let Some(map) = self.request_items.as_mut().filter(|m| !m.is_empty()) else {
            return Err(no_requests("BatchGetItem"));
        };
        let mut found = Violations::default();
        let mut names: Vec<&String> = map
            .iter()
            .filter(|(_, ka)| ka.keys.is_empty())
            .map(|(n, _)| n)
            .collect();
        names.sort();
        for name in names {
            found.push(
                Some("[]"),
                &format!("requestItems.{name}.member.keys"),
                "Member must have length greater than or equal to 1",
            );
        }
        found.finish()?;
        resolve_keys(map)
    }
}

impl Validate for BatchWriteItemInput {
    fn validate(&mut self) -> Result<(), Error> {
        let Some(map) = self.request_items.as_mut().filter(|m| !m.is_empty()) else {
            return Err(no_requests("BatchWriteItem"));
        };
        let mut found = Violations::default();
        let mut names: Vec<&String> = map.iter().filter(|(_, w)| w.is_empty()).map(|(n, _)| n).collect();
        names.sort();
        for name in names {
            found.push(
                Some("[]"),
                &format!("requestItems.{name}.member"),
                "Member must have length greater than or equal to 1",
            );
        }
        found.finish()?;
        resolve_keys(map)
    }
}

impl Validate for TransactGetItemsInput {
    fn validate(&mut self) -> Result<(), Error> {
        for item in self.transact_items.iter_mut().flatten() {
            if let Some(get) = item.get.as_mut() {
                resolve_table_name_in(&mut get.table_name)?;
            }
        }
        Ok(())
    }
}

impl Validate for TransactWriteItemsInput {
    fn validate(&mut self) -> Result<(), Error> {
        for item in self.transact_items.iter_mut().flatten() {
            if let Some(p) = item.put.as_mut() {
                resolve_table_name_in(&mut p.table_name)?;
            }
            if let Some(u) = item.update.as_mut() {
                resolve_table_name_in(&mut u.table_name)?;
            }
            if let Some(d) = item.delete.as_mut() {
                resolve_table_name_in(&mut d.table_name)?;
            }
            if let Some(c) = item.condition_check.as_mut() {
                resolve_table_name_in(&mut c.table_name)?;
            }
        }
        Ok(())
    }
}

/// A transaction action's table name (a required `String` in the SDK's
/// types), resolved like `TableName`.
fn resolve_table_name_in(name: &mut String) -> Result<(), Error> {
    if !name.starts_with("arn:") {
        return Ok(());
    }
    let mut resolved = Some(std::mem::take(name));
    let result = resolve_table_name(&mut resolved);
    *name = resolved.unwrap_or_default();
    result
}

impl Validate for CreateTableInput {
    fn validate(&mut self) -> Result<(), Error> {
        let mut found = Violations::default();
        for (i, def) in self.attribute_definitions.iter().flatten().enumerate() {
            if let Some(u) = unknown(def.attribute_type.as_str(), ScalarAttributeType::values()) {
                found.push(
                    Some(u),
                    &format!("attributeDefinitions.{}.member.attributeType", i + 1),
                    "Member must satisfy enum value set: [B, N, S]",
                );
            }
        }
        if let Some(schema) = &self.key_schema {
            key_schema(&mut found, schema, "keySchema", MAX_KEY_SCHEMA_ELEMENTS);
        }
        for (i, l) in self.local_secondary_indexes.iter().flatten().enumerate() {
            key_schema(
                &mut found,
                &l.key_schema,
                &format!("localSecondaryIndexes.{}.member.keySchema", i + 1),
                MAX_KEY_SCHEMA_ELEMENTS,
            );
        }
        for (i, g) in self.global_secondary_indexes.iter().flatten().enumerate() {
            key_schema(
                &mut found,
                &g.key_schema,
                &format!("globalSecondaryIndexes.{}.member.keySchema", i + 1),
                // A global index's key schema has no length constraint of its
                // own (multi-attribute keys); the catalogue bounds it.
                usize::MAX,
            );
        }
        found.finish()
    }
}

/// The most elements a table's or a local index's key schema has: HASH and
/// RANGE.
pub(crate) const MAX_KEY_SCHEMA_ELEMENTS: usize = 2;

/// A key schema's constraints: one to `max` elements, each of a known type.
fn key_schema(found: &mut Violations, schema: &[KeySchemaElement], path: &str, max: usize) {
    if let Some((value, constraint)) = key_schema_length(schema, max) {
        found.push(Some(&value), path, constraint);
    }
    for (j, elem) in schema.iter().enumerate() {
        if let Some(u) = unknown(elem.key_type.as_str(), KeyType::values()) {
            found.push(
                Some(u),
                &format!("{path}.{}.member.keyType", j + 1),
                "Member must satisfy enum value set: [HASH, RANGE]",
            );
        }
    }
}

/// A key schema as DynamoDB prints it in a message:
/// `[KeySchemaElement(attributeName=pk, keyType=HASH), ...]`.
fn render_key_schema(schema: &[KeySchemaElement]) -> String {
    let elems: Vec<String> = schema
        .iter()
        .map(|k| {
            format!(
                "KeySchemaElement(attributeName={}, keyType={})",
                k.attribute_name,
                k.key_type.as_str()
            )
        })
        .collect();
    format!("[{}]", elems.join(", "))
}

/// A key schema of no elements, or (`max` being 2) of more than two: the
/// schema as printed and the length constraint it breaks.
fn key_schema_length(schema: &[KeySchemaElement], max: usize) -> Option<(String, &'static str)> {
    if schema.is_empty() {
        Some((
            render_key_schema(schema),
            "Member must have length greater than or equal to 1",
        ))
    } else if schema.len() > max {
        Some((
            render_key_schema(schema),
            "Member must have length less than or equal to 2",
        ))
    } else {
        None
    }
}

/// The ValidationException for a key schema at `path` of no elements or of
/// more than `max`, if it is one (UpdateTable's new indexes; CreateTable's
/// are checked by its static step).
pub(crate) fn key_schema_size(schema: &[KeySchemaElement], path: &str, max: usize) -> Result<(), Error> {
    let mut found = Violations::default();
    if let Some((value, constraint)) = key_schema_length(schema, max) {
        found.push(Some(&value), path, constraint);
    }
    found.finish()
}

/// `ReturnValuesOnConditionCheckFailure` must be `ALL_OLD` or `NONE`
/// (PutItem, UpdateItem, DeleteItem; DynamoDB Local checks it once the
/// table is found and the rest of the request is valid).
pub(crate) fn on_condition_failure(rv: Option<&ReturnValuesOnConditionCheckFailure>) -> Result<(), Error> {
    match rv.and_then(|rv| unknown(rv.as_str(), ReturnValuesOnConditionCheckFailure::values())) {
        Some(u) => {
            let mut found = Violations::default();
            found.push(
                Some(u),
                "returnValuesOnConditionCheckFailure",
                "Member must satisfy enum value set: [ALL_OLD, NONE]",
            );
            found.finish()
        }
        _ => Ok(()),
    }
}
