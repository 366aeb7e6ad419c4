//! Validation of attribute values on the way in: sets non-empty and without
//! duplicates, numbers valid (and rewritten in canonical form), item size.

use std::collections::HashSet;

use aws_sdk_dynamodb::types::AttributeValue;

use base64::Engine as _;

use super::number;
use crate::{Error, Item};

/// Standard, padded base64: how DynamoDB shows binary values in messages.
pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The largest item DynamoDB stores, in bytes.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

fn invalid(msg: impl std::fmt::Display) -> Error {
    Error::Validation(format!("One or more parameter values were invalid: {msg}").into())
}

fn canonicalize(n: &mut String) -> Result<(), Error> {
    if let Some(c) = number::canonical(n)? {
        *n = c;
    }
    Ok(())
}

fn no_duplicates<'a>(items: impl Iterator<Item = &'a str>, show: &[String]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for s in items {
        if !seen.insert(s) {
            return Err(invalid(format!(
                "Input collection [{}] contains duplicates.",
                show.join(", ")
            )));
        }
    }
    Ok(())
}

/// Checks one value and rewrites its numbers in canonical form.
pub fn check_value(av: &mut AttributeValue) -> Result<(), Error> {
    match av {
        AttributeValue::S(_) | AttributeValue::B(_) | AttributeValue::Bool(_) => Ok(()),
        AttributeValue::Null(true) => Ok(()),
        AttributeValue::Null(false) => Err(invalid("Null attribute value types must have the value of true")),
        AttributeValue::N(n) => canonicalize(n),
        AttributeValue::Ss(set) => {
            if set.is_empty() {
                return Err(invalid("An string set  may not be empty"));
            }
            no_duplicates(set.iter().map(String::as_str), set)
        }
        AttributeValue::Ns(set) => {
            if set.is_empty() {
                return Err(invalid("An number set  may not be empty"));
            }
            let shown = set.clone();
            for n in set.iter_mut() {
                canonicalize(n)?;
            }
            no_duplicates(set.iter().map(String::as_str), &shown)
        }
        AttributeValue::Bs(set) => {
            if set.is_empty() {
                return Err(invalid("Binary sets should not be empty"));
            }
            let mut seen = HashSet::new();
            for b in set.iter() {
                if !seen.insert(b.as_ref()) {
                    return Err(invalid("Input collection contains duplicates."));
                }
            }
            Ok(())
        }
        AttributeValue::L(list) => list.iter_mut().try_for_each(check_value),
        AttributeValue::M(map) => map.values_mut().try_for_each(check_value),
        _ => Err(Error::Validation(
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes".into(),
        )),
    }
}

/// Checks every value of an item (see [`check_value`]).
pub fn check_item(item: &mut Item) -> Result<(), Error> {
    item.values_mut().try_for_each(check_value)
}

/// Size of an item in bytes, as DynamoDB counts it (the evaluator's rule,
/// shared so that size checks and capacity agree).
pub use super::eval::item_size;

/// Checks an item's size against DynamoDB's 400 KB limit.
pub fn check_item_size(item: &Item) -> Result<usize, Error> {
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::Validation(
            "Item size has exceeded the maximum allowed size".into(),
        ));
    }
    Ok(size)
}

/// Checks the values of an `ExpressionAttributeValues` map.
pub fn check_expression_values(values: &mut std::collections::HashMap<String, AttributeValue>) -> Result<(), Error> {
    for (k, v) in values.iter_mut() {
        check_value(v).map_err(|e| match e {
            Error::Validation(m) => {
                Error::Validation(format!("ExpressionAttributeValues contains invalid value: {m} for key {k}").into())
            }
            other => other,
        })?;
    }
    Ok(())
}
